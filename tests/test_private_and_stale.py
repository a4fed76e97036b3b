"""A button acts only on the question that showed it, and only in its person's private chat."""

import asyncio
from datetime import UTC, datetime

from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery, Chat, Message, Update, User
from sqlalchemy import func, select

from bot.app import App
from storage.models import Conversation, Report
from tests.conftest import TelegramBot
from tests.recording import BOT_USER, TelegramChat, shown_text


async def count(app: App, table: type[Report] | type[Conversation]) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def to_summary(chat: TelegramChat, indicator: str, value: str) -> str:
    """Walk a report form to its summary; the id of its "Xác nhận" button."""
    await chat.say("/baocao 2025-09")
    await chat.press(indicator)
    await chat.say(value)
    await chat.press("Bỏ qua")
    return next(data for label, data in chat.last_buttons() if "Xác nhận" in label)


async def test_an_old_summary_cannot_confirm_a_new_form(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    old_confirm = await to_summary(chat, "lượt khách", "1.250.000")
    await chat.say("/huy")
    await to_summary(chat, "bảo hiểm y tế", "95%")  # a new form, also at its summary
    (reply, *_) = await chat.press_data(old_confirm)
    assert "tin nhắn cũ" in reply
    assert await count(telegram.app, Report) == 0
    (receipt, *_) = await chat.press("Xác nhận")  # the summary the official did see works
    assert "95%" in receipt


async def test_the_same_question_asked_again_does_not_take_its_earlier_buttons(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    first_list = chat.last_buttons()
    await chat.say("không có chỉ tiêu nào như vậy")  # the list is shown again
    (reply, *_) = await chat.press_data(first_list[0][1])
    assert "tin nhắn cũ" in reply


def group_message(user: User, text: str) -> Update:
    group = Chat(id=-100500, type="supergroup", title="Tổ công tác")
    message = Message(message_id=1, date=datetime.now(UTC), chat=group, from_user=user, text=text)
    return Update(update_id=880_001, message=message)


async def test_a_group_chat_is_told_the_bot_works_in_private(telegram: TelegramBot) -> None:
    chat = telegram.user(1001)
    invite = await telegram.invite("phuong-sa-pa")
    await telegram.dispatcher.feed_update(
        telegram.bot, group_message(chat.user, "/start " + invite)
    )
    (sent,) = [m for m in telegram.session.requests if isinstance(m, SendMessage)]
    assert int(sent.chat_id) == -100500 and "trò chuyện riêng" in sent.text
    assert await count(telegram.app, Conversation) == 0
    (reply,) = await chat.say("/start " + invite)  # the code still works in private
    assert "Chào mừng" in reply


async def test_a_press_by_someone_else_changes_nothing(telegram: TelegramBot) -> None:
    victim = await telegram.member("phuong-sa-pa", user_id=1001)
    confirm = await to_summary(victim, "lượt khách", "1.250.000")
    stranger = User(id=2002, is_bot=False, first_name="Người", language_code="vi")
    message = Message(
        message_id=9, date=datetime.now(UTC), chat=victim.chat, from_user=BOT_USER, text="…"
    )
    press = CallbackQuery(
        id="x", from_user=stranger, chat_instance="c", message=message, data=confirm
    )
    before = len(telegram.session.requests)
    await telegram.dispatcher.feed_update(
        telegram.bot, Update(update_id=880_002, callback_query=press)
    )
    calls = telegram.session.requests[before:]
    assert [type(call) for call in calls] == [AnswerCallbackQuery]  # nothing sent to the chat
    assert isinstance(calls[0], AnswerCallbackQuery) and calls[0].show_alert
    assert "trò chuyện riêng" in (calls[0].text or "")
    assert await count(telegram.app, Report) == 0
    (receipt, *_) = await victim.press("Xác nhận")  # the owner's own press still works
    assert "Đã ghi nhận" in receipt


async def test_a_press_that_cannot_be_answered_is_still_handled(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_summary(chat, "lượt khách", "1.250.000")
    recording = telegram.session.make_request

    async def too_old(bot: object, method: object, timeout: int | None = None) -> object:
        if isinstance(method, AnswerCallbackQuery):
            from aiogram.exceptions import TelegramBadRequest

            raise TelegramBadRequest(method, "Bad Request: query is too old")
        return await recording(bot, method, timeout)  # type: ignore[arg-type]

    telegram.session.make_request = too_old  # type: ignore[method-assign,assignment]
    (receipt, *_) = await chat.press("Xác nhận")
    assert "Đã ghi nhận" in receipt
    assert await count(telegram.app, Report) == 1


async def test_the_next_question_does_not_wait_for_telegram_to_confirm_the_press(
    telegram: TelegramBot,
) -> None:
    """The press is answered (the button's spinner stopped) while it is handled, not before:
    a slow answer from Telegram does not hold up the next question."""
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    recording = telegram.session.make_request
    confirmed = asyncio.Event()

    async def slow_to_confirm(bot: object, method: object, timeout: int | None = None) -> object:
        if isinstance(method, AnswerCallbackQuery):
            await confirmed.wait()
        return await recording(bot, method, timeout)  # type: ignore[arg-type]

    telegram.session.make_request = slow_to_confirm  # type: ignore[method-assign,assignment]
    sent = telegram.session.sent_to[chat.chat.id]
    before = len(sent)
    pressing = asyncio.create_task(chat.press("lượt khách"))
    async with asyncio.timeout(10):
        while len(sent) == before:
            await asyncio.sleep(0.01)
    assert "Nhập số liệu tháng 9/2025" in shown_text(sent[-1])  # the next question, already

    assert not any(isinstance(m, AnswerCallbackQuery) for m in telegram.session.requests)
    confirmed.set()
    await pressing
    answers = [m for m in telegram.session.requests if isinstance(m, AnswerCallbackQuery)]
    assert len(answers) == 1
