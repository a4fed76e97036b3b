"""Report conversations against a bare echo bot, both through aiogram's Dispatcher.

Many users at once, officials of the 99 communes and wards, each send a complete report (start
to receipt: /baocao, pick the indicator, type the figure, skip the note, confirm, and a reason
when a colleague of the same unit reported first) on SQLite, through the production router with a
recording Bot API session; then the same number of updates go to an echo handler fed the
same way. Prints updates per second for both, their ratio, p50/p99 handling time and peak
memory. Target: the report conversations run at no less than half the echo rate. The
recording session keeps no rate and neither does the echo: the bot's send rates are lifted,
so that both are measured by the work they do, not by Telegram's 30 messages a second.

Then one official types a long message at the indicator list (Telegram's longest, 4.096
characters, and 100.000 on the console, which has no limit), as text and as a batch of figures:
each must be answered within a few milliseconds, since every chat waits while it is handled.

    .venv/bin/python -m bench.report_bench [--users 200] [--rounds 3]
"""

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message
from sqlalchemy import select

from bot.app import prepare, settle
from bot.channels.telegram import TelegramChannel, make_dispatcher
from bot.cli import _demo_person
from bot.settings import Settings
from domain.clock import FakeClock
from domain.invites import display_code
from handlers.types import Inbound
from storage.models import Unit
from storage.repo import create_invites
from tests.conftest import CAMPAIGN_MORNING
from tests.recording import RecordingSession, TelegramChat, shown_text

Timings = list[float]
UNLIMITED = 1_000_000  # messages a second


async def timed(timings: Timings, step: Callable[[], Awaitable[object]]) -> None:
    started = time.perf_counter()
    await step()
    timings.append(time.perf_counter() - started)


async def one_report(chat: TelegramChat, timings: Timings) -> None:
    """Start to receipt; a colleague of the same unit may have reported first, which asks
    for a reason, at the figure or at the confirmation."""
    await timed(timings, lambda: chat.say("/baocao 2025-09"))
    await timed(timings, lambda: chat.press("lượt khách"))
    await timed(timings, lambda: chat.say("1.250.000"))
    while True:
        last = chat.last_sent()
        if last is not None and "Vì sao sửa" in shown_text(last):
            await timed(timings, lambda: chat.say("Số liệu chính thức"))
        await timed(timings, lambda: chat.press("Bỏ qua"))
        await timed(timings, lambda: chat.press("Xác nhận"))
        last = chat.last_sent()
        if last is None or "Vì sao sửa" not in shown_text(last):
            return


async def run_reports(users: int, folder: Path) -> tuple[Timings, float]:
    clock = FakeClock(CAMPAIGN_MORNING)
    settings = Settings(  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        telegram_rate=UNLIMITED,
        telegram_chat_rate=UNLIMITED,
        _env_file=None,
    )
    app = await prepare(settings, clock)
    session = RecordingSession()
    bot = Bot("42:BENCH", session=session)
    app.delivery.register(TelegramChannel(bot))
    dispatcher = make_dispatcher(app.conversations)
    async with app.writing() as db:
        # Officials of every commune and ward, a few to a unit, as on a deadline day.
        units = list(await db.scalars(select(Unit).where(Unit.kind.in_(["commune", "ward"]))))
        codes = [
            code
            for n in range(users)
            for code in await create_invites(
                db, units[n % len(units)], "reporter", 1, timedelta(days=1), clock.now()
            )
        ]
    chats = [TelegramChat(dispatcher, bot, session, 10_000 + n) for n in range(users)]
    await asyncio.gather(
        *(chat.say("/start " + display_code(code)) for chat, code in zip(chats, codes, strict=True))
    )
    settle()  # as `thidua run` does once started
    timings: Timings = []
    started = time.perf_counter()
    await asyncio.gather(*(one_report(chat, timings) for chat in chats))
    elapsed = time.perf_counter() - started
    receipts = sum(
        1 for m in session.requests if str(getattr(m, "text", "")).startswith("✅ Đã ghi nhận")
    )
    assert receipts == users, f"{receipts} receipts for {users} users"
    await app.delivery.drain()
    await app.engine.dispose()
    return timings, elapsed


async def run_echo(updates: int) -> tuple[Timings, float]:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    session = RecordingSession()
    bot = Bot("42:BENCH", session=session)
    users = max(1, updates // 5)
    chats = [TelegramChat(dispatcher, bot, session, 10_000 + n) for n in range(users)]
    settle()
    timings: Timings = []

    async def five(chat: TelegramChat) -> None:
        for text in ("/baocao 2025-09", "1", "1.250.000", "bỏ qua", "xác nhận"):
            await timed(timings, lambda text=text: chat.say(text))  # type: ignore[misc]

    started = time.perf_counter()
    await asyncio.gather(*(five(chat) for chat in chats))
    return timings, time.perf_counter() - started


LONG_MESSAGES = {
    "4.096 characters of words": ("thu ngan sach nha nuoc " * 200)[:4096],
    "100.000 characters of words": ("thu ngan sach nha nuoc " * 5000)[:100_000],
    "100.000 characters, one word": "a" * 100_000,
    "4.096 characters of figures": ("ngân sách 15.200 tỷ; " * 200)[:4096],
    "100.000 characters of figures": ("ngân sách 15.200 tỷ; " * 5000)[:100_000],
}


async def run_long_messages(folder: Path) -> dict[str, float]:
    """The slowest of 5 answers to each long message typed at the console's indicator list."""
    settings = Settings(database_url=f"sqlite+aiosqlite:///{folder / 'long.db'}", _env_file=None)  # type: ignore[call-arg]
    app = await prepare(settings, FakeClock(CAMPAIGN_MORNING))
    await _demo_person(app, "demo")
    slowest: dict[str, float] = {}
    for name, text in LONG_MESSAGES.items():
        timings: Timings = []
        for _ in range(5):
            await app.conversations.handle(
                Inbound("console", "demo", "demo", text="/baocao 2025-09")
            )
            event = Inbound("console", "demo", "demo", text=text)
            await timed(timings, lambda event=event: app.conversations.handle(event))  # type: ignore[misc]
        slowest[name] = max(timings)
    await app.delivery.drain()
    await app.engine.dispose()
    return slowest


def describe(name: str, timings: Timings, elapsed: float) -> float:
    rate = len(timings) / elapsed
    cuts = statistics.quantiles(timings, n=100)
    print(
        f"{name:>8}: {len(timings):6d} updates in {elapsed:6.2f} s = {rate:8.0f} updates/s;"
        f" handling p50 {cuts[49] * 1000:6.2f} ms, p99 {cuts[98] * 1000:7.2f} ms"
    )
    return rate


async def main(users: int, rounds: int) -> None:
    best_report = best_echo = 0.0
    for round_number in range(1, rounds + 1):
        with tempfile.TemporaryDirectory() as folder:
            timings, elapsed = await run_reports(users, Path(folder))
        print(f"round {round_number}")
        best_report = max(best_report, describe("reports", timings, elapsed))
        echo_timings, echo_elapsed = await run_echo(len(timings))
        best_echo = max(best_echo, describe("echo", echo_timings, echo_elapsed))
    print(
        f"best of {rounds}: reports {best_report:.0f}/s, echo {best_echo:.0f}/s, ratio {best_report / best_echo:.3f} (target ≥ 0.5)"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, seconds in (await run_long_messages(Path(folder))).items():
            print(
                f"long message at the indicator list, {name}: answered in {seconds * 1000:.1f} ms"
            )
    # Memory in a round of its own: tracing allocations slows everything it watches.
    tracemalloc.start()
    with tempfile.TemporaryDirectory() as folder:
        await run_reports(users, Path(folder))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak traced memory during {users} reports {peak / 2**20:.1f} MiB; process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.users, arguments.rounds))
