"""Telegram through aiogram 3: updates become Inbound events, replies become messages with buttons."""

import asyncio
import contextlib
import io
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import cast

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageText,
    GetUpdates,
    Response,
    SendMessage,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    FSInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from aiogram.utils.backoff import Backoff, BackoffConfig
from aiohttp import ClientError, ClientTimeout

from bot.channels.base import Outcome, Pace
from bot.channels.render import missing_file, split_text
from handlers.dispatch import Conversations, refuses_choice
from handlers.texts import language_of, t
from handlers.types import (
    Attachment,
    Capabilities,
    FileTooLarge,
    FileUnavailable,
    Inbound,
    OutFile,
    Reply,
)

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
DOWNLOAD_TIMEOUT = 120  # seconds for one file a person sent (at most 20 MB)
log = logging.getLogger(__name__)
# aiogram reads every Bot API answer as Response[<the method's result>], a class pydantic
# builds on first use and keeps only while something refers to it: unpinned, each is built
# again (milliseconds) after every garbage collection, hundreds of times a minute under load
# (bench/e2e_bench.py). Pinned here for the methods the bot calls.
_RESPONSES = [
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        GetUpdates,
        SendMessage,
        EditMessageText,
        AnswerCallbackQuery,
        DeleteWebhook,
        SetWebhook,
    )
]


# Methods whose result the bot never reads: a successful answer is checked for "ok" and
# returned as the plain JSON result, not read into aiogram's types (a tenth of the bot's
# CPU under load, bench/e2e_bench.py). Their errors are raised as aiogram's, as for any call.
_UNREAD = (SendMessage, EditMessageText, AnswerCallbackQuery)


class JsonSession(AiohttpSession):
    """aiogram's session, but a call without a file goes as one JSON body (the Bot API takes
    it for every method) rather than a form with each nested value encoded on its own: a
    fifth of the bot's cost of a call (bench/e2e_bench.py). Errors are raised as aiogram's."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        files: dict[str, InputFile] = {}
        params = self.prepare_value(
            method.model_dump(warnings=False), bot=bot, files=files, _dumps_json=False
        )
        if files:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=self.json_dumps(params),
                headers=_JSON,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as response:
                content = await response.text()
        except TimeoutError as error:
            raise TelegramNetworkError(method=method, message="Request timeout error") from error
        except ClientError as error:
            message = f"{type(error).__name__}: {error}"
            raise TelegramNetworkError(method=method, message=message) from error
        if response.status == HTTPStatus.OK and isinstance(method, _UNREAD):
            answer = self.json_loads(content)
            if isinstance(answer, dict) and answer.get("ok") is True:
                return cast(TelegramType, answer.get("result"))
        checked = self.check_response(
            bot=bot, method=method, status_code=response.status, content=content
        )
        return cast(TelegramType, checked.result)


_JSON = {"Content-Type": "application/json"}


def make_bot(token: str, api_url: str | None = None) -> Bot:
    """A bot with plain-text messages (no parse mode: user notes are never read as markup)."""
    session = JsonSession(api=TelegramAPIServer.from_base(api_url)) if api_url else JsonSession()
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=None))


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    rows = [[InlineKeyboardButton(text=c.label, callback_data=c.id)] for c in reply.choices]
    return InlineKeyboardMarkup(inline_keyboard=rows)


Piece = Callable[[InlineKeyboardMarkup | None], Awaitable[object]]  # one message, buttons or not


class TelegramChannel:
    """Sends replies as messages with inline buttons; the service's answers become outcomes."""

    name = CHANNEL
    capabilities = Capabilities(
        numbered=False,
        evidence=frozenset({"photo", "document"}),
        linkable=True,
        documents=True,
        text_limit=TEXT_LIMIT,
        photos=True,
    )

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(
        self, chat_id: str, reply: Reply, skip: int = 0, pace: Pace | None = None
    ) -> Outcome:
        """The buttons go with the last piece of a long reply. A file is uploaded with the
        text as its caption when that fits, else after the text."""
        if reply.file is not None and (missing := missing_file(reply.file)) is not None:
            return Outcome("failed", skip, reason=missing)
        pieces = self._pieces(int(chat_id), reply)
        sent = skip
        for piece in pieces[skip:]:
            markup = keyboard(reply) if sent == len(pieces) - 1 else None
            if pace is not None:
                await pace()
            try:
                await piece(markup)
            except TelegramRetryAfter as error:
                return Outcome("retry", sent, retry_after=float(error.retry_after))
            except TelegramForbiddenError as error:
                return Outcome("blocked", sent, reason=error.message)
            except (TelegramServerError, TelegramNetworkError, TimeoutError) as error:
                return Outcome("retry", sent, reason=_reason(error))
            except TelegramAPIError as error:
                return Outcome("failed", sent, reason=error.message)
            sent += 1
        return Outcome("sent", sent)

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """getFile, then the file itself; Telegram serves bots files of up to 20 MB."""
        if attachment.size is not None and attachment.size > limit:
            raise FileTooLarge
        try:
            found = await self.bot.get_file(attachment.ref)
        except TelegramBadRequest as error:
            if "too big" in error.message:
                raise FileTooLarge from None
            raise FileUnavailable(error.message) from None
        except TelegramAPIError as error:
            raise FileUnavailable(error.message) from None
        if found.file_size is not None and found.file_size > limit:
            raise FileTooLarge
        if not found.file_path:
            raise FileUnavailable("no file path")
        buffer = io.BytesIO()
        try:
            await self.bot.download_file(found.file_path, buffer, timeout=DOWNLOAD_TIMEOUT)
        except Exception as error:  # aiohttp's own, a timeout: the token is in the URL
            raise FileUnavailable(type(error).__name__) from None
        data = buffer.getvalue()
        if len(data) > limit:
            raise FileTooLarge
        return data

    def _pieces(self, chat: int, reply: Reply) -> list[Piece]:
        file = reply.file
        if file is None:
            return [self._message(chat, text) for text in split_text(reply.text, TEXT_LIMIT)]
        if len(reply.text) <= CAPTION_LIMIT:
            return [self._upload(chat, file, reply.text or None)]
        texts = split_text(reply.text, TEXT_LIMIT)
        return [*(self._message(chat, text) for text in texts), self._upload(chat, file, None)]

    def _message(self, chat: int, text: str) -> Piece:
        return lambda markup: self.bot.send_message(chat, text, reply_markup=markup)

    def _upload(self, chat: int, file: OutFile, caption: str | None) -> Piece:
        def upload(markup: InlineKeyboardMarkup | None) -> Awaitable[object]:
            content = FSInputFile(file.path, filename=file.name)
            if file.kind == "photo":
                return self.bot.send_photo(chat, content, caption=caption, reply_markup=markup)
            return self.bot.send_document(chat, content, caption=caption, reply_markup=markup)

        return upload


def _reason(error: Exception) -> str:
    return error.message if isinstance(error, TelegramAPIError) else type(error).__name__


def make_router(conversations: Conversations) -> Router:
    router = Router(name="conversations")

    @router.message()
    async def on_message(message: Message, bot: Bot, event_update: Update) -> None:
        # Checked here rather than with a magic filter, which aiogram runs in a thread.
        user = message.from_user
        if user is None:
            return
        attachment = None
        if message.photo:
            photo = message.photo[-1]
            attachment = Attachment("photo", photo.file_id, size=photo.file_size)
        elif message.document:
            document = message.document
            attachment = Attachment(
                "document", document.file_id, document.file_name or "", document.file_size
            )
        event = Inbound(
            channel=CHANNEL,
            user_id=str(user.id),
            chat_id=str(message.chat.id),
            text=message.text or message.caption or "",
            attachment=attachment,
            language=user.language_code,
            display_name=user.full_name,
            update_key=str(event_update.update_id),
            private=message.chat.type == "private" and message.chat.id == user.id,
        )
        await conversations.handle(event)

    @router.callback_query()
    async def on_choice(callback: CallbackQuery, bot: Bot, event_update: Update) -> None:
        message = callback.message
        user = callback.from_user
        private = (
            isinstance(message, Message)
            and message.chat.type == "private"
            and message.chat.id == user.id
        )
        # A press on a group's message or on someone else's chat changes nothing; only the
        # presser is told why.
        notice = None if private else t(language_of(user.language_code), "private_only")
        # Answered while the press is handled: one round trip to Telegram less before the
        # person sees what comes next.
        acknowledging = asyncio.ensure_future(_acknowledge(callback, notice))
        try:
            if private and isinstance(message, Message) and callback.data is not None:
                await _handle_press(conversations, callback, message, callback.data, event_update)
        finally:
            await acknowledging

    return router


async def _acknowledge(callback: CallbackQuery, notice: str | None) -> None:
    """Stop the button's spinner (with the notice as an alert, when there is one)."""
    try:
        await callback.answer(notice, show_alert=notice is not None)
    except TelegramAPIError as error:
        # Only the spinner depends on it: a press queued while the bot was down is "too
        # old" to answer, and is handled all the same.
        log.info("Could not answer a button press: %s", error.message)


async def _handle_press(
    conversations: Conversations,
    callback: CallbackQuery,
    message: Message,
    choice: str,
    event_update: Update,
) -> None:
    event = Inbound(
        channel=CHANNEL,
        user_id=str(callback.from_user.id),
        chat_id=str(message.chat.id),
        choice=choice,
        language=callback.from_user.language_code,
        display_name=callback.from_user.full_name,
        update_key=str(event_update.update_id),
    )

    async def mark(replies: list[Reply]) -> None:
        if not refuses_choice(replies):
            await _mark_chosen(message, choice)

    await conversations.handle(event, along_send=mark)


async def _mark_chosen(message: Message, choice_id: str) -> None:
    """Replace the buttons of an answered question by the answer, so old buttons cannot be pressed."""
    markup = message.reply_markup
    labels = [
        b.text
        for row in (markup.inline_keyboard if markup else [])
        for b in row
        if b.callback_data == choice_id
    ]
    if not labels or not message.text:
        return
    try:
        await message.edit_text(f"{message.text}\n\n➡️ {labels[0]}", reply_markup=None)
    except TelegramAPIError:  # the question keeps its buttons; a later press is answered as old
        log.debug("Could not mark the answered message %s", message.message_id)


def make_dispatcher(conversations: Conversations) -> Dispatcher:
    """Without aiogram's FSM: the forms keep their state in the database, and the FSM would
    look up (and keep, in memory) a state for every chat on every update."""
    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.include_router(make_router(conversations))
    return dispatcher


async def poll(bot: Bot, dispatcher: Dispatcher, stop: asyncio.Event, timeout: int = 30) -> None:
    """Long polling that acknowledges updates only once they are handled.

    Telegram forgets the updates before the offset of the next getUpdates; that call is made
    only after every update of the last batch was handled (and its answers written to the
    outbox), so a process killed meanwhile gets the batch again on restart, and the ids kept
    with each chat drop the ones it had handled. On `stop`, a poll in progress is abandoned
    (it acknowledged nothing) and the batch in hand is finished.
    """
    offset: int | None = None
    request_timeout = int((bot.session.timeout or 60) + timeout)
    backoff = Backoff(BackoffConfig(min_delay=1.0, max_delay=30.0, factor=2.0, jitter=0.1))
    log.info("Telegram: long polling")
    while not stop.is_set():
        request = GetUpdates(offset=offset, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
        fetch = asyncio.ensure_future(bot(request, request_timeout=request_timeout))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            fetch.cancel()
            break
        try:
            updates = fetch.result()
        except TelegramUnauthorizedError:
            log.error("Telegram refused the bot token; polling stops")
            raise
        except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as error:
            log.warning("Telegram polling: %s; again in %.0f s", _reason(error), backoff.next_delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), next(backoff))
            continue
        backoff.reset()
        await asyncio.gather(*(_feed(dispatcher, bot, update) for update in updates))
        if updates:
            offset = updates[-1].update_id + 1


async def _feed(dispatcher: Dispatcher, bot: Bot, update: Update) -> None:
    try:
        await dispatcher.feed_update(bot, update)
    except Exception:
        log.exception("Telegram update could not be handled")
