"""Zalo: the same conversations, choices as numbered text, by long polling or a webhook."""

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from bot.channels.base import Outcome, Status
from bot.channels.render import numbered, split_text
from bot.channels.zalo.client import (
    TEXT_LIMIT,
    ZaloClient,
    ZaloError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.channels.zalo.updates import to_inbound
from handlers.types import (
    Attachment,
    Capabilities,
    FileTooLarge,
    FileUnavailable,
    Inbound,
    Reply,
)

CHANNEL = "zalo"
POLL_GAP = 1.0  # getUpdates answers at once while its queue is not empty: never poll faster
log = logging.getLogger(__name__)


def render(reply: Reply) -> list[str]:
    """One reply as Zalo messages: choices numbered under the text, at most 2.000 characters each."""
    return split_text(numbered(reply.text, reply.choices), TEXT_LIMIT)


class Handles(Protocol):
    """What the channel needs of the conversations (handlers.dispatch.Conversations)."""

    async def handle(self, event: Inbound) -> list[Reply]: ...


class ZaloChannel:
    """Feeds Zalo updates to the conversations and sends replies back as numbered text."""

    name = CHANNEL
    capabilities = Capabilities(
        numbered=True,
        evidence=frozenset({"photo"}),
        linkable=True,
        documents=False,
        text_limit=TEXT_LIMIT,
    )

    def __init__(self, conversations: Handles, client: ZaloClient) -> None:
        self.conversations = conversations
        self.client = client

    async def handle(self, update: dict[str, Any]) -> None:
        """One update from polling or the webhook."""
        event = to_inbound(update)
        if event is not None:
            await self.conversations.handle(event)

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        sent = skip
        for piece in render(reply)[skip:]:
            try:
                await self.client.send_message(chat_id, piece)
            except (ZaloRateLimited, ZaloServerError) as error:
                return Outcome("retry", sent, reason=str(error))
            except ZaloError as error:
                # Zalo documents no code for a person who blocked the bot; 403 is taken as that.
                status: Status = "blocked" if error.error_code == 403 else "failed"
                return Outcome(status, sent, reason=str(error))
            sent += 1
        return Outcome("sent", sent)

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """A photo by its URL: the only kind of file Zalo's bot API passes on."""
        try:
            data = await self.client.download(attachment.ref, limit)
        except ZaloError as error:
            raise FileUnavailable(str(error)) from None
        if data is None:
            raise FileTooLarge
        return data

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
