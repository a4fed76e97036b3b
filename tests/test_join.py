"""Joining by invite: codes, mistakes, limits, and what strangers are told."""

import asyncio
import logging
from datetime import timedelta

import pytest
import sqlalchemy
from aiogram.methods import SendMessage
from sqlalchemy import func, select

from bot.app import CAPABILITIES, App, prepare
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from schedules.notices import tell_admins_of_guessing
from storage.models import Base, FailedJoin, Identity, InviteGuardTrip
from storage.repo import WrongCodes, record_invite_guard_trip, take_invite_guard_trips
from tests.conftest import TelegramBot, settings_for


async def test_a_stranger_is_told_what_the_bot_is_and_how_to_join(telegram: TelegramBot) -> None:
    (reply,) = await telegram.user().say("xin chào")
    assert "trợ lý báo cáo" in reply and "gửi mã vào đây" in reply and "mã mời" in reply


async def test_a_stranger_writing_in_english_gets_english(telegram: TelegramBot) -> None:
    (reply,) = await telegram.user(language="en").say("hello")
    assert "invite code" in reply


async def test_an_invite_code_joins_the_unit_and_toi_shows_it(telegram: TelegramBot) -> None:
    chat = telegram.user()
    replies = await chat.say("/start " + await telegram.invite("xa-y-ty"))
    assert "cán bộ báo cáo của Xã Y Tý" in replies[0]
    (details,) = await chat.say("/toi")
    assert "Đơn vị: Xã Y Tý" in details
    assert "Vai trò: cán bộ báo cáo" in details
    assert "Cụm thi đua: Cụm các xã Bát Xát" in details
    (same,) = await chat.say("/me")
    assert same.split("\n\n")[0] == details.split("\n\n")[0]  # each shows a fresh link code


async def test_the_code_alone_typed_loosely_also_joins(telegram: TelegramBot) -> None:
    code = await telegram.invite("so-tai-chinh", role="head")
    replies = await telegram.user().say("  " + code.lower().replace("-", " ") + " ")
    assert "lãnh đạo đơn vị của Sở Tài chính" in replies[0]


async def test_an_invite_works_once(telegram: TelegramBot) -> None:
    code = await telegram.invite()
    await telegram.user(1).say("/start " + code)
    (reply,) = await telegram.user(2).say("/start " + code)
    assert "đã được dùng" in reply
    async with telegram.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 1


async def test_an_expired_invite_is_refused(telegram: TelegramBot, clock: FakeClock) -> None:
    code = await telegram.invite()
    clock.advance(timedelta(days=15))
    (reply,) = await telegram.user().say("/start " + code)
    assert "đã hết hạn" in reply


async def test_five_wrong_codes_make_the_user_wait_ten_minutes(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = telegram.user()
    for _ in range(5):
        (reply,) = await chat.say("/start AAAA-BBBB")
        assert "không đúng" in reply
    good = await telegram.invite()
    (reply,) = await chat.say("/start " + good)
    assert "chờ 10 phút" in reply
    clock.advance(timedelta(minutes=11))
    replies = await chat.say("/start " + good)
    assert "Chào mừng" in replies[0]


async def test_the_start_button_alone_or_a_word_is_no_wrong_code(telegram: TelegramBot) -> None:
    chat = telegram.user()
    for text in ["/start", "testtest", "xin chào", "/start", "abcdefgh", "/start"]:
        (reply,) = await chat.say(text)
        assert "trợ lý báo cáo" in reply  # the intro, not "wrong code"
    replies = await chat.say("/start " + await telegram.invite())
    assert "Chào mừng" in replies[0]  # six tries above did not lock the user out


async def test_start_again_after_joining_says_so(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await chat.say("/start")
    assert "đã tham gia rồi" in replies[0] and "Phường Sa Pa" in replies[0]


async def test_a_link_code_does_not_join_a_second_account_in_the_same_app(
    telegram: TelegramBot,
) -> None:
    owner = await telegram.member("xa-y-ty", user_id=10)
    (details,) = await owner.say("/toi")
    code = details.split("Gửi mã ")[1].split(" ")[0]
    (reply,) = await telegram.user(11).say(code)
    assert "ứng dụng khác" in reply


# Guessing from many accounts: more than 20 wrong codes in a minute trip the guard.
GUESSERS = range(5000, 5025)
GUESS = "/start QWRT-{:04d}"  # the shape of a code, never a live one (codes hold no 0)


async def guess_from_every_account(telegram: TelegramBot, rounds: int = 1) -> list[str]:
    """Each account sends a wrong code in turn, `rounds` times; the replies, in order."""
    replies = []
    for round_ in range(rounds):
        for account in GUESSERS:
            (reply,) = await telegram.user(account).say(GUESS.format(round_ * 100 + account))
            replies.append(reply)
    return replies


async def count(telegram: TelegramBot, table: type[Base]) -> int:
    async with telegram.app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def trips(telegram: TelegramBot) -> list[InviteGuardTrip]:
    async with telegram.app.sessions() as session:
        return list(await session.scalars(select(InviteGuardTrip).order_by("number")))


async def test_guessing_from_many_accounts_gets_one_code_checked_per_account(
    telegram: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    replies = await guess_from_every_account(telegram, rounds=5)
    first_round, later_rounds = replies[: len(GUESSERS)], replies[len(GUESSERS) :]
    assert all("không đúng" in reply for reply in first_round)
    assert all("quá nhiều mã mời sai" in reply for reply in later_rounds)
    assert await count(telegram, FailedJoin) == len(GUESSERS)  # not 5 × 25 codes checked
    (trip,) = await trips(telegram)
    assert (trip.wrong_codes, trip.accounts) == (21, 21)
    assert trip.until - trip.started_at == timedelta(minutes=10)
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.name == "handlers.join" and "21 wrong codes from 21 accounts" in warning.message
    assert "QWRT" not in caplog.text  # no code in the log
    async with telegram.app.writing() as session:
        (told,) = await take_invite_guard_trips(session, telegram.app.clock.now())
        assert told.number == trip.number
    async with telegram.app.writing() as session:
        assert await take_invite_guard_trips(session, telegram.app.clock.now()) == []


async def test_200_accounts_guessing_at_once_get_at_most_two_codes_each_checked(
    telegram: TelegramBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The probe of the issue: 200 fresh accounts × 5 guesses, each round all at once. Codes
    checked before the trip is seen are at most a round's worth more than the rate."""
    accounts = [telegram.user(account) for account in range(7000, 7200)]
    for round_ in range(5):
        await asyncio.gather(*(chat.say(GUESS.format(round_)) for chat in accounts))
    assert await count(telegram, FailedJoin) <= 2 * len(accounts)  # 1.000 without the guard
    assert len(await trips(telegram)) == 1
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


async def test_guessing_never_locks_a_person_with_a_right_code_out(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    await guess_from_every_account(telegram)
    newcomer, mistyper = telegram.user(1), telegram.user(2)
    replies = await newcomer.say("/start " + await telegram.invite())
    assert "Chào mừng" in replies[0]  # a right code at once is checked, guard or not
    (reply,) = await mistyper.say("/start K7M3-QX9P")
    assert "không đúng" in reply
    code = await telegram.invite("xa-y-ty")
    (reply,) = await mistyper.say("/start " + code)
    assert "quá nhiều mã mời sai" in reply and "chờ 10 phút" in reply
    clock.advance(timedelta(minutes=11))
    await guess_from_every_account(telegram)  # the guessing goes on: the guard trips again
    replies = await mistyper.say("/start " + code)
    assert "Chào mừng" in replies[0]  # one window after their own mistake, whatever others do
    lengths = [trip.until - trip.started_at for trip in await trips(telegram)]
    assert lengths == [timedelta(minutes=10), timedelta(minutes=20)]  # growing
    assert await count(telegram, Identity) == 2


async def test_the_guard_holds_across_a_restart(
    telegram: TelegramBot, database_url: str, clock: FakeClock
) -> None:
    await guess_from_every_account(telegram)
    restarted = await prepare(settings_for(database_url), clock)
    try:
        (reply,) = await TelegramBot(restarted).user(GUESSERS[0]).say("/start K7M3-QX9P")
    finally:
        await restarted.engine.dispose()
    assert "quá nhiều mã mời sai" in reply


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_two_transactions_tripping_at_once_store_one_trip(app: App) -> None:
    now = app.clock.now()
    wrong = WrongCodes(21, 21)
    async with app.sessions() as first, app.sessions() as second:
        assert await record_invite_guard_trip(first, now, now + timedelta(minutes=10), wrong)
        racing = asyncio.create_task(
            record_invite_guard_trip(second, now, now + timedelta(minutes=10), wrong)
        )
        await waiting_on_a_lock(app)  # the second has read the trips and waits to insert
        await first.commit()
        assert await racing is False
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InviteGuardTrip)) == 1


async def waiting_on_a_lock(app: App) -> None:
    """Return once a PostgreSQL session of this database is waiting for a lock."""
    waiting = sqlalchemy.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with asyncio.timeout(30):
        while True:
            async with app.engine.connect() as connection:
                if await connection.scalar(waiting):
                    return
            await asyncio.sleep(0.01)


async def test_admins_are_told_of_guessing_once(telegram: TelegramBot) -> None:
    admin = await telegram.member("so-noi-vu", user_id=4001, role="admin")
    reporter = await telegram.member("phuong-sa-pa", user_id=4002)
    await guess_from_every_account(telegram)
    app = telegram.app
    for _ in range(2):  # the job runs again: nothing more to tell
        async with app.writing() as session:
            await tell_admins_of_guessing(session, CAPABILITIES, app.clock.now(), LOCAL_ZONE)
        await app.delivery.run_once()
    sent = [m for m in telegram.session.requests if isinstance(m, SendMessage)]
    (notice,) = [m for m in sent if "dò mã mời" in m.text]
    assert int(notice.chat_id) == admin.chat.id
    assert "21 mã sai từ 21 tài khoản" in notice.text and "mã đúng vẫn dùng được" in notice.text
    assert not any(int(m.chat_id) == reporter.chat.id and "dò mã mời" in m.text for m in sent)
