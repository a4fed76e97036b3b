"""Smaller things an official meets: a form left open, the reason prompt, the intro."""

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import prepare
from domain.clock import FakeClock
from storage.models import Conversation, Report
from tests.conftest import TelegramBot, settings_for


async def test_after_a_restart_an_idle_form_shows_its_question_before_taking_an_answer(
    telegram: TelegramBot, database_url: str, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    await chat.press("lượt khách")
    await telegram.app.engine.dispose()  # the bot process goes away
    clock.advance(timedelta(hours=3))

    restarted = TelegramBot(await prepare(settings_for(database_url), clock))
    same_user = restarted.user(chat.user.id)
    (reminder,) = await same_user.say("45")
    assert "phiếu báo cáo đang nhập dở" in reminder
    assert "Số lượt khách du lịch (chỉ tiêu 8a)" in reminder and "Nhập số liệu" in reminder
    async with restarted.app.sessions() as session:
        row = await session.get(Conversation, ("telegram", str(chat.chat.id)))
        assert row is not None and row.step == "value" and "value" not in row.data
    (note,) = await same_user.say("1.250.000")  # now the answer is taken
    assert "ghi chú" in note.lower()
    await restarted.app.engine.dispose()


async def test_a_quick_answer_and_a_pressed_button_are_taken_at_once(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    await chat.press("lượt khách")
    clock.advance(timedelta(minutes=5))
    (note,) = await chat.say("1.250.000")
    assert "ghi chú" in note.lower()
    clock.advance(timedelta(hours=1))
    (summary,) = await chat.press("Bỏ qua")  # a button belongs to its own question
    assert "Kiểm tra trước khi gửi" in summary


async def test_a_reason_too_long_is_called_too_long(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    for figure in ("1.250.000", "1.300.000"):
        await chat.say("/baocao 2025-09")
        await chat.press("lượt khách")
        await chat.say(figure)
        if figure == "1.250.000":
            await chat.press("Bỏ qua")
            await chat.press("Xác nhận")
    (reply,) = await chat.say("Số chính thức. " * 25)
    assert reply == "Lý do dài 374 ký tự, tối đa 300. Hãy rút gọn."
    async with telegram.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Report)) == 1
        row = await session.get(Conversation, ("telegram", str(chat.chat.id)))
        assert row is not None and row.step == "reason"


async def test_the_intro_promises_only_what_the_bot_does(telegram: TelegramBot) -> None:
    (intro,) = await telegram.user(2002).say("xin chào")
    assert "gửi số liệu các chỉ tiêu được giao" in intro and "so với chỉ tiêu" in intro
    assert "xem tiến độ" not in intro  # there is no progress view to follow
    assert "lãnh đạo đơn vị" not in intro  # only Sở Nội vụ issues invite codes
