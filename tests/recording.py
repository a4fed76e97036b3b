"""A recording aiogram session and a chat driver: real Dispatcher, no network.

Used by the conversation tests and by bench/, so both exercise exactly what production runs.
"""

import itertools
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any, TypeGuard

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetFile,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Update,
    User,
)

_UPDATE_IDS = itertools.count(1)  # Telegram's update ids only grow, also across a bot restart
BOT_USER = User(id=42, is_bot=True, first_name="Thi đua", username="thidua_test_bot")
Sent = SendMessage | SendPhoto | SendDocument  # what a person sees arrive


def shown_text(method: Sent) -> str:
    """The text of a message, or the caption of a picture or document."""
    return method.text if isinstance(method, SendMessage) else method.caption or ""


class RecordingSession(BaseSession):
    """Answers every Bot API call locally and keeps what the bot sent."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self._next_message_id = 1000
        self.files: dict[str, bytes] = {}  # what getFile and the file download serve, by file id

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        if isinstance(method, SendMessage | EditMessageText):
            self._next_message_id += 1
            message_id = getattr(method, "message_id", None) or self._next_message_id
            markup = (
                method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None
            )
            chat = Chat(id=int(method.chat_id or 0), type="private")
            result: Any = Message(
                message_id=message_id,
                date=datetime.now(UTC),
                chat=chat,
                from_user=BOT_USER,
                text=method.text,
                reply_markup=markup,
            )
            return result  # type: ignore[no-any-return]
        if isinstance(method, SendPhoto | SendDocument):
            self._next_message_id += 1
            markup = (
                method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None
            )
            media: dict[str, Any] = (
                {"photo": [PhotoSize(file_id="sent", file_unique_id="s", width=800, height=600)]}
                if isinstance(method, SendPhoto)
                else {"document": Document(file_id="sent", file_unique_id="s")}
            )
            result = Message(
                message_id=self._next_message_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id or 0), type="private"),
                from_user=BOT_USER,
                caption=method.caption,
                reply_markup=markup,
                **media,
            )
            return result  # type: ignore[no-any-return]
        if isinstance(method, AnswerCallbackQuery):
            return True  # type: ignore[return-value]
        if isinstance(method, GetFile):
            data = self.files[method.file_id]
            found: Any = File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=len(data),
                file_path=f"files/{method.file_id}",
            )
            return found  # type: ignore[no-any-return]
        raise AssertionError(
            f"the bot called {type(method).__name__}, which the recording session does not know"
        )

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        file_id = url.rpartition("/files/")[2]
        yield self.files.get(file_id, b"")


class TelegramChat:
    """One Telegram user talking to the bot through the real Dispatcher."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        session: RecordingSession,
        user_id: int,
        language: str = "vi",
    ) -> None:
        self.dispatcher, self.bot, self.session = dispatcher, bot, session
        self.user = User(
            id=user_id,
            is_bot=False,
            first_name="Cán bộ",
            last_name=str(user_id),
            language_code=language,
        )
        self.chat = Chat(id=user_id, type="private")
        self._message_id = 0

    def _update_id(self) -> int:
        return next(_UPDATE_IDS)

    def _message(self, **fields: Any) -> Message:
        self._message_id += 1
        return Message(
            message_id=self._message_id,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **fields,
        )

    async def feed(self, update: Update) -> list[Sent]:
        """Feed one update; returns the messages, pictures and documents the bot sent to this
        chat meanwhile (other chats may be talking at the same time)."""
        before = len(self.session.requests)
        await self.dispatcher.feed_update(self.bot, update)
        return [m for m in self.session.requests[before:] if self._to_me(m)]

    def _to_me(self, method: TelegramMethod[Any]) -> TypeGuard[Sent]:
        return isinstance(method, Sent) and int(method.chat_id) == self.chat.id

    async def say(self, text: str) -> list[str]:
        """What the bot answered: each message's text, or a picture's or document's caption."""
        sent = await self.feed(
            Update(update_id=self._update_id(), message=self._message(text=text))
        )
        return [shown_text(m) for m in sent]

    async def send_photo(self, caption: str | None = None, data: bytes | None = None) -> list[str]:
        """A photo; with `data`, getFile and the download serve those bytes."""
        file_id = "photo-1"
        if data is not None:
            file_id = f"photo-{len(self.session.files) + 1}"
            self.session.files[file_id] = data
        size = len(data) if data is not None else None
        photo = [
            PhotoSize(
                file_id=file_id, file_unique_id=file_id, width=800, height=600, file_size=size
            )
        ]
        sent = await self.feed(
            Update(update_id=self._update_id(), message=self._message(photo=photo, caption=caption))
        )
        return [shown_text(m) for m in sent]

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        caption: str | None = None,
        declared_size: int | None = None,
    ) -> list[str]:
        """A file sent as a document; `declared_size` is what Telegram says before download."""
        file_id = f"doc-{len(self.session.files) + 1}"
        self.session.files[file_id] = data
        document = Document(
            file_id=file_id,
            file_unique_id=file_id,
            file_name=file_name,
            file_size=declared_size if declared_size is not None else len(data),
        )
        sent = await self.feed(
            Update(
                update_id=self._update_id(),
                message=self._message(document=document, caption=caption),
            )
        )
        return [shown_text(m) for m in sent]

    def last_sent(self) -> Sent | None:
        """The last message, picture or document sent to this chat."""
        for method in reversed(self.session.requests):
            if self._to_me(method):
                return method
        return None

    def last_buttons(self) -> list[tuple[str, str]]:
        """(label, choice id) of the buttons on the last thing sent to this chat."""
        last = self.last_sent()
        markup = last.reply_markup if last else None
        if isinstance(markup, InlineKeyboardMarkup):
            return [(b.text, str(b.callback_data)) for row in markup.inline_keyboard for b in row]
        return []

    async def press(self, label_part: str) -> list[str]:
        """Press the button on the last message whose label contains `label_part` (in any case:
        "việc làm mới" presses "Việc làm mới")."""
        part = label_part.casefold()
        buttons = [(label, data) for label, data in self.last_buttons() if part in label.casefold()]
        assert len(buttons) == 1, f"no single button with {label_part!r} in {self.last_buttons()}"
        return await self.press_data(buttons[0][1])

    async def press_data(self, data: str, update_id: int | None = None) -> list[str]:
        last = self.last_sent()
        markup = (
            last.reply_markup
            if last and isinstance(last.reply_markup, InlineKeyboardMarkup)
            else None
        )
        shown = (
            {"text": last.text if last else "…"}
            if last is None or isinstance(last, SendMessage)
            else {"caption": last.caption}
        )
        message = Message(
            message_id=self._message_id + 500,
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=BOT_USER,
            reply_markup=markup,
            **shown,
        )
        query = CallbackQuery(
            id=str(self._message_id),
            from_user=self.user,
            chat_instance="c",
            message=message,
            data=data,
        )
        sent = await self.feed(
            Update(update_id=update_id or self._update_id(), callback_query=query)
        )
        return [shown_text(m) for m in sent]
