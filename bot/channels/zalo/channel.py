"""Zalo: the same conversations, choices as numbered text, by long polling or a webhook."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Protocol

from bot.channels.base import Outcome, Status
from bot.channels.render import missing_file, numbered, split_text
from bot.channels.zalo.client import (
    TEXT_LIMIT,
    ZaloClient,
    ZaloError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.channels.zalo.updates import to_inbound
from bot.file_links import FileLinks
from bot.settings import LOCAL_ZONE
from handlers.texts import t
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


TEXT_ONLY = Capabilities(
    numbered=True,
    evidence=frozenset({"photo"}),
    linkable=True,
    documents=False,
    text_limit=TEXT_LIMIT,
)
# With WEBHOOK_BASE_URL the bot's web app serves its files: pictures go by URL (sendPhoto),
# documents as a link in the text.
WITH_LINKS = replace(TEXT_ONLY, photos=True, documents=True, file_links=True)
Piece = Callable[[], Awaitable[object]]


class ZaloChannel:
    """Feeds Zalo updates to the conversations and sends replies back as numbered text."""

    name = CHANNEL
    capabilities = TEXT_ONLY

    def __init__(
        self, conversations: Handles, client: ZaloClient, links: FileLinks | None = None
    ) -> None:
        self.conversations = conversations
        self.client = client
        self.links = links
        self.capabilities = WITH_LINKS if links else TEXT_ONLY

    async def handle(self, update: dict[str, Any]) -> None:
        """One update from polling or the webhook."""
        event = to_inbound(update)
        if event is not None:
            await self.conversations.handle(event)

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        """A file goes only where the web app serves it (otherwise the text alone): a picture
        by sendPhoto, with the text as its caption when that is one message, else after it;
        a document as a link under the text."""
        file = reply.file if self.links is not None else None
        if file is not None and (missing := missing_file(file)) is not None:
            return Outcome("failed", skip, reason=missing)
        sent = skip
        for piece in self._pieces(chat_id, reply)[skip:]:
            try:
                await piece()
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

    def _pieces(self, chat_id: str, reply: Reply) -> list[Piece]:
        if self.links is None or reply.file is None:
            return [self._message(chat_id, text) for text in render(reply)]
        link = self.links.link(reply.file)
        if reply.file.kind == "document":
            until = link.expires.astimezone(LOCAL_ZONE).strftime("%H:%M %d/%m/%Y")
            line = t("vi", "file_link", name=reply.file.name, url=link.url, until=until)
            with_link = replace(reply, text=f"{reply.text}\n\n{line}" if reply.text else line)
            return [self._message(chat_id, text) for text in render(with_link)]
        texts = render(reply)
        if len(texts) == 1:
            return [self._photo(chat_id, link.url, texts[0] or None)]
        messages = [self._message(chat_id, text) for text in texts]
        return [*messages, self._photo(chat_id, link.url, None)]

    def _message(self, chat_id: str, text: str) -> Piece:
        return lambda: self.client.send_message(chat_id, text)

    def _photo(self, chat_id: str, url: str, caption: str | None) -> Piece:
        return lambda: self.client.send_photo(chat_id, url, caption)

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
