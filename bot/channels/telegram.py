"""Telegram through aiogram 3: updates become Inbound events, replies become messages with buttons."""

import asyncio
import logging

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.channels.render import merged, split_text
from handlers.dispatch import Conversations, Deliver, refuses_choice
from handlers.texts import language_of, t
from handlers.types import Attachment, Inbound, Reply

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
TEXT_LIMIT = 4096
SEND_ATTEMPTS = 3
log = logging.getLogger(__name__)


def make_bot(token: str, api_url: str | None = None) -> Bot:
    """A bot with plain-text messages (no parse mode: user notes are never read as markup)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url)) if api_url else None
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=None))


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.choices:
        return None
    rows = [[InlineKeyboardButton(text=c.label, callback_data=c.id)] for c in reply.choices]
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def send(bot: Bot, chat_id: int | str, reply: Reply) -> None:
    """Send one reply; the buttons go with its last piece. Waits out a 429 a bounded number of times."""
    pieces = split_text(reply.text, TEXT_LIMIT)
    for index, piece in enumerate(pieces):
        markup = keyboard(reply) if index == len(pieces) - 1 else None
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await bot.send_message(chat_id, piece, reply_markup=markup)
                break
            except TelegramRetryAfter as error:
                if attempt == SEND_ATTEMPTS:
                    raise
                await asyncio.sleep(error.retry_after)
            except TelegramForbiddenError:
                log.info("Chat %s blocked the bot; reply dropped", chat_id)
                return


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
            attachment = Attachment("photo", message.photo[-1].file_id)
        elif message.document:
            attachment = Attachment("document", message.document.file_id)
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
        await conversations.handle(event, deliver=sender(bot, message.chat.id))

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
        try:
            await callback.answer(notice, show_alert=notice is not None)
        except TelegramAPIError as error:
            # Only the button's spinner depends on it: a press queued while the bot was down
            # is "too old" to answer, and is handled all the same.
            log.info("Could not answer a button press: %s", error.message)
        if not private or not isinstance(message, Message) or callback.data is None:
            return
        event = Inbound(
            channel=CHANNEL,
            user_id=str(callback.from_user.id),
            chat_id=str(message.chat.id),
            choice=callback.data,
            language=callback.from_user.language_code,
            display_name=callback.from_user.full_name,
            update_key=str(event_update.update_id),
        )
        send_replies = sender(bot, message.chat.id)

        async def deliver(replies: list[Reply]) -> None:
            if not refuses_choice(replies):
                await _mark_chosen(message, callback.data or "")
            await send_replies(replies)

        await conversations.handle(event, deliver=deliver)

    return router


def sender(bot: Bot, chat_id: int) -> Deliver:
    async def deliver(replies: list[Reply]) -> None:
        for reply in merged(replies, TEXT_LIMIT):
            await send(bot, chat_id, reply)

    return deliver


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
    except TelegramBadRequest:
        log.debug("Could not mark the answered message %s", message.message_id)


def make_dispatcher(conversations: Conversations) -> Dispatcher:
    dispatcher = Dispatcher()
    dispatcher.include_router(make_router(conversations))
    return dispatcher
