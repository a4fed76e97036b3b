"""What the bot guarantees around a restart, with the bot as its own process: an answer whose
event was committed reaches the person after a SIGKILL, exactly once; SIGTERM finishes the
update in hand before the process exits."""

import asyncio
import contextlib
import signal
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot.app import prepare
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from storage import repo
from storage.models import Unit
from tests.botapi_emulator import BotApiEmulator
from tests.conftest import _empty_postgres, settings_for
from tests.test_end_to_end import CLI, ROOT, TOKEN, USER, bot_env, press

RECEIPT = "✅ Đã ghi nhận"
REMINDER_MOMENT = datetime(2025, 10, 2, 8, 0, 30, tzinfo=LOCAL_ZONE)  # 3 days before the 5th


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'restarts.db'}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_empty_postgres(url))
    return url


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, database: str, emulator: BotApiEmulator) -> dict[str, str]:
    return bot_env(
        tmp_path,
        DATABASE_URL=database,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
    )


@contextlib.contextmanager
def bot_process(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`thidua run`; killed at the end if the test has not stopped it."""
    with log.open("a") as out:
        bot = subprocess.Popen([*CLI, "run"], env=env, cwd=ROOT, stdout=out, stderr=out)
        try:
            yield bot
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait(30)


async def rows(database: str, query: str) -> list[Any]:
    engine = create_async_engine(database)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(query))).all())
    finally:
        await engine.dispose()


async def to_summary(env: dict[str, str], emulator: BotApiEmulator) -> None:
    """A reporter joins and walks a report form to its summary."""
    created = subprocess.run(
        [*CLI, "invite", "create", "--unit", "phuong-sa-pa", "--role", "reporter"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    emulator.push_message(USER, "/start " + created.stdout.strip().splitlines()[-1])
    await emulator.wait_for_sent(USER, 1)
    emulator.push_message(USER, "/baocao 2025-09")
    await emulator.wait_for_sent(USER, 2)
    await press(emulator, "lượt khách", 4)
    emulator.push_message(USER, "1.250.000")
    await emulator.wait_for_sent(USER, 5)
    await press(emulator, "Bỏ qua", 7)


def receipts(emulator: BotApiEmulator) -> list[str]:
    return [m["text"] for m in emulator.sent(USER) if m["text"].startswith(RECEIPT)]


async def confirm_with_the_receipt_held(emulator: BotApiEmulator, then: str) -> None:
    """Press "Xác nhận" while the Bot API keeps every sendMessage waiting; return once the
    bot is waiting for the receipt to be taken (the report is committed by then)."""
    sends = len([n for n, _ in emulator.calls if n == "sendMessage"])
    emulator.hold("sendMessage", then=then)  # type: ignore[arg-type]
    await press(emulator, "Xác nhận", 8)  # the summary, edited to show the answer
    await emulator.wait_for_call("sendMessage", sends + 1)


async def test_a_receipt_lost_to_a_kill_is_sent_after_the_restart_once(
    env: dict[str, str], emulator: BotApiEmulator, database: str, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    with bot_process(env, log) as bot:
        await emulator.wait_for_call("getUpdates", timeout=60)  # a loaded machine starts slowly
        await to_summary(env, emulator)
        await confirm_with_the_receipt_held(emulator, then="drop")
        bot.send_signal(signal.SIGKILL)
        await asyncio.to_thread(bot.wait, 30)
    assert await rows(database, "SELECT count(*) FROM reports") == [(1,)]
    (state,) = await rows(database, "SELECT state FROM outbox WHERE text LIKE '✅%'")
    assert state == ("sending",) and receipts(emulator) == []
    emulator.release("sendMessage")
    with bot_process(env, log):
        await emulator.wait_for_sent(USER, 9, timeout=30)  # once the dead process's lease lapsed
        await asyncio.sleep(1)  # time enough for a second copy, had one been sent
    (receipt,) = receipts(emulator)
    assert "1.250.000 lượt" in receipt
    assert await rows(database, "SELECT count(*) FROM reports") == [(1,)]
    assert await rows(database, "SELECT state FROM outbox WHERE text LIKE '✅%'") == [("sent",)]


async def test_sigterm_finishes_the_update_in_hand_before_exiting(
    env: dict[str, str], emulator: BotApiEmulator, database: str, tmp_path: Path
) -> None:
    with bot_process(env, tmp_path / "bot.log") as bot:
        await emulator.wait_for_call("getUpdates", timeout=60)  # a loaded machine starts slowly
        await to_summary(env, emulator)
        await confirm_with_the_receipt_held(emulator, then="carry out")
        bot.send_signal(signal.SIGTERM)
        await asyncio.sleep(1)
        assert bot.poll() is None  # still finishing the confirmation
        emulator.release("sendMessage")
        assert await asyncio.to_thread(bot.wait, 15) == 0
    (receipt,) = receipts(emulator)
    assert "1.250.000 lượt" in receipt
    assert await rows(database, "SELECT state FROM outbox WHERE text LIKE '✅%'") == [("sent",)]


REMINDED_UNITS = ["phuong-sa-pa", "xa-y-ty", "xa-bat-xat", "phuong-lao-cai", "xa-bac-ha"]


async def join_reporter(session: AsyncSession, unit: Unit, user: int) -> int:
    """Telegram user `user` joined as a reporter of the unit, by invite, at REMINDER_MOMENT."""
    (code,) = await repo.create_invites(
        session, unit, "reporter", 1, timedelta(days=1), REMINDER_MOMENT
    )
    invite = await repo.invite(session, code)
    assert invite is not None
    await repo.join(
        session, invite, "telegram", str(user), str(user), "Cán bộ", "vi", REMINDER_MOMENT
    )
    return user


async def reporters_who_never_wrote(database: str) -> list[int]:
    """One reporter of each unit, joined (as by a code) but silent since: Telegram user ids."""
    app = await prepare(settings_for(database), FakeClock(REMINDER_MOMENT))
    users = []
    async with app.writing() as session:
        for number, code in enumerate(REMINDED_UNITS):
            unit = await session.scalar(select(Unit).where(Unit.code == code))
            assert unit is not None
            users.append(await join_reporter(session, unit, 7000 + number))
    await app.engine.dispose()
    return users


async def test_a_reminder_run_killed_halfway_reaches_everyone_once(
    env: dict[str, str], emulator: BotApiEmulator, database: str, tmp_path: Path
) -> None:
    users = await reporters_who_never_wrote(database)
    env = {**env, "THIDUA_CLOCK": REMINDER_MOMENT.isoformat()}
    log = tmp_path / "bot.log"
    emulator.hold("sendMessage", then="drop")
    with bot_process(env, log) as bot:
        await emulator.wait_for_call("sendMessage", 2, timeout=30)  # reminders on their way
        bot.send_signal(signal.SIGKILL)
        await asyncio.to_thread(bot.wait, 30)
    assert all(emulator.sent(user) == [] for user in users)
    emulator.release("sendMessage")
    with bot_process(env, log):
        for user in users:
            await emulator.wait_for_sent(user, 1, timeout=30)
        await asyncio.sleep(2)  # time enough for a second copy, had one been sent
    for user in users:
        (reminder,) = [m["text"] for m in emulator.sent(user)]
        assert reminder.startswith("⏰ Nhắc báo cáo số liệu tháng 9/2025")
    states = await rows(database, "SELECT state, count(*) FROM outbox GROUP BY state")
    assert states == [("sent", len(users))]
