"""Bad input at every step, restarts mid-form, updates delivered twice, many at once."""

import asyncio
from decimal import Decimal

import pytest
from aiogram.methods import EditMessageText
from aiogram.types import Update
from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, prepare
from domain.clock import FakeClock
from handlers import menu
from handlers.context import Ctx
from handlers.dispatch import Handled
from handlers.types import Inbound
from storage.models import Conversation, Report, Unit
from tests.conftest import TelegramBot, _empty_postgres, settings_for
from tests.recording import TelegramChat

BAD_INPUTS = {
    "empty": "",
    "emoji only": "😀🎉👍",
    "very long": "9" * 5000,
    "sql": "'; DROP TABLE reports; --",
    "letters": "abc xyz",
    "negative": "-12,5",
    "unknown command": "/xoa_het",
}


async def count_reports(app: App) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Report)) or 0)


async def form_step(app: App, chat: TelegramChat) -> str | None:
    async with app.sessions() as session:
        row = await session.get(Conversation, ("telegram", str(chat.chat.id)))
        return row.step if row else None


async def to_step(chat: TelegramChat, step: str) -> None:
    """Walk a fresh report form to the given step."""
    await chat.say("/baocao 2025-09")
    if step == "pick":
        return
    await chat.press("lượt khách")
    if step == "value":
        return
    await chat.say("1.250.000")
    if step == "note":
        return
    await chat.press("Bỏ qua")


@pytest.mark.parametrize("step", ["pick", "value", "note", "confirm"])
@pytest.mark.parametrize("bad", list(BAD_INPUTS.values()), ids=list(BAD_INPUTS))
async def test_bad_input_gets_an_answer_and_the_form_keeps_its_place(
    telegram: TelegramBot, step: str, bad: str
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, step)
    replies = await chat.say(bad)
    assert replies, "every input gets an answer"
    assert all(len(reply) < 1000 for reply in replies[:1]), "the answer is short"
    if step == "note" and bad in ("'; DROP TABLE reports; --", "abc xyz", "-12,5"):
        assert await form_step(telegram.app, chat) == "confirm"  # a plausible note, kept as text
    elif step == "value" and bad == "-12,5":
        assert await form_step(telegram.app, chat) == "doubt"  # questioned, not refused
    else:
        assert await form_step(telegram.app, chat) == step
    assert await count_reports(telegram.app) == 0


async def test_an_sql_like_note_is_stored_as_plain_text(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "note")
    await chat.say("'; DROP TABLE reports; --")
    await chat.press("Xác nhận")
    async with telegram.app.sessions() as session:
        (report,) = await session.scalars(select(Report))
    assert report.note == "'; DROP TABLE reports; --"


async def test_a_restart_mid_form_resumes_where_the_user_was(
    telegram: TelegramBot, database_url: str, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "value")
    await chat.say("1.250.000")
    await telegram.app.engine.dispose()  # the bot process goes away

    restarted = TelegramBot(await prepare(settings_for(database_url), clock))
    same_user = restarted.user(chat.user.id)
    # A typed answer to the note question that was asked before the restart:
    replies = await same_user.say("bo qua")
    assert "Số liệu: 1.250.000 lượt" in replies[-1]
    await same_user.say("xac nhan")  # typed, not pressed
    assert await count_reports(restarted.app) == 1
    await restarted.app.engine.dispose()


async def test_connections_the_database_dropped_cost_no_answer(
    postgres_url: str, clock: FakeClock
) -> None:
    """PostgreSQL restarted, or a proxy closed idle connections: the bot's pooled connections
    are dead, which it finds out only in use; the next steps are answered all the same."""
    await _empty_postgres(postgres_url)
    telegram = TelegramBot(await prepare(settings_for(postgres_url), clock))
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "value")
    admin = create_async_engine(postgres_url)
    async with admin.connect() as connection:
        ended = await connection.scalar(
            sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await admin.dispose()
    assert ended  # the bot's idle connections
    replies = await chat.say("1.250.000")
    assert "ghi chú" in replies[-1].lower()
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    assert await count_reports(telegram.app) == 1
    await telegram.app.engine.dispose()


async def test_the_same_update_twice_makes_one_report(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "confirm")
    (_, confirm_id) = next(b for b in chat.last_buttons() if "Xác nhận" in b[0])
    first = await chat.press_data(confirm_id, update_id=999_001)
    again = await chat.press_data(confirm_id, update_id=999_001)
    assert "Đã ghi nhận" in first[0]
    assert again == []
    assert await count_reports(telegram.app) == 1


async def test_an_old_button_after_the_report_is_done_is_harmless(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "confirm")
    await chat.press("Xác nhận")
    replies = await chat.press_data("confirm")
    assert "tin nhắn cũ" in replies[0]
    assert await count_reports(telegram.app) == 1


async def test_a_stored_value_keeps_every_digit(telegram: TelegramBot) -> None:
    chat = await telegram.member("so-tai-chinh")
    await chat.say("/baocao 2025-09")
    await chat.press("Thu ngân sách")
    await chat.say("9.876.543.210.987.654,3 tỷ")  # 17 significant digits: more than a float keeps
    await chat.press("Đúng, giữ số này")  # far above the plan, so questioned first
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    async with telegram.app.sessions() as session:
        (report,) = await session.scalars(select(Report))
    assert report.value == Decimal("9876543210987654.3")


def test_updates_are_what_aiogram_produces() -> None:
    # The duplicate test relies on aiogram keeping update_id as given.
    assert Update(update_id=7).update_id == 7


def edits(telegram: TelegramBot) -> list[str]:
    return [m.text or "" for m in telegram.session.requests if isinstance(m, EditMessageText)]


async def test_an_answered_question_shows_the_answer_and_an_old_button_does_not(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await to_step(chat, "confirm")
    assert edits(telegram)[-1].endswith("➡️ Bỏ qua")  # the note question, with its answer
    await chat.press("Xác nhận")
    assert edits(telegram)[-1].endswith("➡️ ✅ Xác nhận")
    before = len(edits(telegram))
    (reply,) = await chat.press_data("confirm")  # pressed again, on the old summary
    assert "tin nhắn cũ" in reply
    assert len(edits(telegram)) == before


UNITS_AT_ONCE = [
    "xa-y-ty",
    "xa-bat-xat",
    "phuong-sa-pa",
    "xa-bac-ha",
    "phuong-lao-cai",
    "xa-ta-van",
]


def record_batches(telegram: TelegramBot) -> list[int]:
    """Sizes of the transactions the conversations run, watched from outside."""
    sizes: list[int] = []
    run = telegram.app.conversations._run

    async def watched(events: list[Inbound]) -> list[Handled]:
        sizes.append(len(events))
        return await run(events)

    telegram.app.conversations._run = watched  # type: ignore[method-assign]
    return sizes


async def test_officials_writing_at_once_each_get_their_own_answers_and_reports(
    telegram: TelegramBot,
) -> None:
    chats = [await telegram.member(unit, user_id=500 + n) for n, unit in enumerate(UNITS_AT_ONCE)]
    sizes = record_batches(telegram)
    details = await asyncio.gather(*(chat.say("/toi") for chat in chats))
    for (text,), unit in zip(details, UNITS_AT_ONCE, strict=True):
        async with telegram.app.sessions() as session:
            name = await session.scalar(select(Unit.name).where(Unit.code == unit))
        assert f"Đơn vị: {name}" in text
    await asyncio.gather(*(chat.say("/baocao 2025-09") for chat in chats))
    await asyncio.gather(*(chat.press("Thu ngân sách") for chat in chats))
    await asyncio.gather(*(chat.say(f"{n + 1},5 tỷ") for n, chat in enumerate(chats)))
    await asyncio.gather(*(chat.press("Bỏ qua") for chat in chats))
    receipts = await asyncio.gather(*(chat.press("Xác nhận") for chat in chats))
    assert all(replies[0].startswith("✅ Đã ghi nhận") for replies in receipts)
    async with telegram.app.sessions() as session:
        stored = {
            code: value
            for code, value in await session.execute(
                select(Unit.code, Report.value).join(Unit, Unit.id == Report.unit_id)
            )
        }
    assert stored == {unit: Decimal(n + 1) + Decimal("0.5") for n, unit in enumerate(UNITS_AT_ONCE)}
    if telegram.app.conversations.batch_writes:
        assert max(sizes) > 1  # they did share transactions


async def test_a_failure_in_a_shared_transaction_answers_only_its_own_official(
    telegram: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chats = [await telegram.member(unit, user_id=600 + n) for n, unit in enumerate(UNITS_AT_ONCE)]
    show = menu.me

    async def me_failing_for_y_ty(ctx: Ctx) -> None:
        assert ctx.member is not None
        if ctx.member.unit_code == "xa-y-ty":
            raise RuntimeError("broken for one unit")
        await show(ctx)

    monkeypatch.setattr(menu, "me", me_failing_for_y_ty)
    answers = await asyncio.gather(*(chat.say("/toi") for chat in chats))
    by_unit = dict(zip(UNITS_AT_ONCE, answers, strict=True))
    assert "gặp lỗi" in by_unit.pop("xa-y-ty")[0]
    assert all("Đơn vị:" in replies[0] for replies in by_unit.values())
