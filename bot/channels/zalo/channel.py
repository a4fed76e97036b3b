"""Zalo: the same conversations, choices as numbered text, by long polling or a webhook."""

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from bot.channels.render import merged, numbered, split_text
from bot.channels.zalo.client import (
    TEXT_LIMIT,
    ZaloClient,
    ZaloError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.channels.zalo.updates import to_inbound
from handlers.dispatch import Deliver
from handlers.types import Inbound, Reply

CHANNEL = "zalo"
SEND_ATTEMPTS = 3
POLL_GAP = 1.0  # getUpdates answers at once while its queue is not empty: never poll faster
log = logging.getLogger(__name__)


def render(reply: Reply) -> list[str]:
    """One reply as Zalo messages: choices numbered under the text, at most 2.000 characters each."""
    return split_text(numbered(reply.text, reply.choices), TEXT_LIMIT)


class Handles(Protocol):
    """What the channel needs of the conversations (handlers.dispatch.Conversations)."""

    async def handle(self, event: Inbound, deliver: Deliver | None = None) -> list[Reply]: ...


class ZaloChannel:
    """Feeds Zalo updates to the conversations and sends their replies back."""

    def __init__(
        self, conversations: Handles, client: ZaloClient, retry_pause: float = 1.0
    ) -> None:
        self.conversations = conversations
        self.client = client
        self.retry_pause = retry_pause
        self.retried = 0  # sends that needed another try (429 or 5xx)
        self.failed = 0  # sends given up after SEND_ATTEMPTS

    async def handle(self, update: dict[str, Any]) -> None:
        """One update from polling or the webhook: answer it, whatever happens to one message."""
        event = to_inbound(update)
        if event is None:
            return
        chat_id = event.chat_id

        async def deliver(replies: list[Reply]) -> None:
            for reply in merged(replies, TEXT_LIMIT):
                for piece in render(reply):
                    await self._send(chat_id, piece)

        await self.conversations.handle(event, deliver=deliver)

    async def _send(self, chat_id: str, text: str) -> None:
        """Send with a bounded number of tries on 429 and 5xx, pausing longer each time."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await self.client.send_message(chat_id, text)
                return
            except (ZaloRateLimited, ZaloServerError) as error:
                if attempt == SEND_ATTEMPTS:
                    self.failed += 1
                    log.warning("Zalo %s: gave up after %d tries", error, attempt)
                    return
                self.retried += 1
                await asyncio.sleep(self.retry_pause * attempt)

    async def poll(self, stop: asyncio.Event, timeout: int = 30, gap: float = POLL_GAP) -> None:
        """Long polling until `stop` is set; at least `gap` seconds between two polls."""
        loop = asyncio.get_running_loop()
        log.info("Zalo: long polling")
        while not stop.is_set():
            started = loop.time()
            try:
                updates = await self.client.get_updates(timeout)
            except ZaloUnauthorized:
                log.error("Zalo refused the bot token; polling stops")
                raise
            except ZaloError as error:
                log.warning("Zalo polling: %s", error)
                updates = []
            for update in updates:
                try:
                    await self.handle(update)
                except Exception:
                    log.exception("Zalo update could not be handled")
            pause = gap - (loop.time() - started)
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), pause)
