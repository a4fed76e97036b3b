"""One campaign update to 10.000 recipients through the real delivery engine.

A local HTTP server plays the Telegram Bot API and enforces a rate limit (a token bucket of
`--rate` messages a second, a fifth of a second's worth at once), answering 429 with
retry_after when it is exceeded. The engine is configured at the same rate. The bot runs on
SQLite, with the bundled campaign; 10.000 officials who have written to the bot before are
added straight to the database. Printed: the achieved rate over the configured one (target
≥ 0,95), 429 answers (target 0), duplicates and messages never sent (target 0 and 0).

Meanwhile 20 officials of communes report through the Dispatcher (start to receipt, one
after another with a short pause); their answer times p50/p95 are printed next to the same
officials' (20 others of the same units) without a broadcast running (target: within 1,5×).

    .venv/bin/python -m bench.broadcast_bench [--recipients 10000] [--rate 300]
"""

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup, Update
from aiohttp import web
from sqlalchemy import insert, select

from bench.report_bench import Timings, timed
from bot.app import App, prepare, settle
from bot.channels.telegram import TelegramChannel, make_dispatcher
from bot.settings import Settings
from domain.broadcasts import Audience
from domain.clock import ShiftedClock
from domain.invites import display_code
from schedules.broadcasts import run_broadcasts
from storage import broadcasts
from storage.models import Conversation, Identity, Membership, Person, Unit
from storage.repo import create_invites
from tests.conftest import CAMPAIGN_MORNING
from tests.recording import RecordingSession, Sent, TelegramChat, shown_text

TOKEN = "42:BENCH"
FIRST_RECIPIENT = 1_000_000
OFFICIALS = int(__import__("os").environ.get("OFFICIALS", "20"))
THINK = (0.5, 1.5)  # seconds an official takes to read an answer and type the next step


class RateLimitedApi:
    """sendMessage and answerCallbackQuery, under one token bucket, as Telegram limits a bot."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.capacity = rate / 5
        self.tokens = self.capacity
        self.refilled = time.monotonic()
        self.sent: dict[int, list[dict[str, Any]]] = {}
        self.broadcast_times: list[float] = []
        self.all_times: list[float] = []  # every message sent, answers too
        self.too_many = 0
        self._message_id = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._method)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def _take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params = dict(await request.post())
        if method == "answercallbackquery":
            return web.json_response({"ok": True, "result": True})
        if method == "editmessagetext":  # the question whose button was pressed, marked
            return web.json_response({"ok": True, "result": self._message(params)})
        if method != "sendmessage":
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"})
        if not self._take():
            self.too_many += 1
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            return web.json_response(body, status=429)
        chat_id = int(str(params["chat_id"]))
        self.sent.setdefault(chat_id, []).append(params)
        self.all_times.append(time.monotonic())
        if chat_id >= FIRST_RECIPIENT:
            self.broadcast_times.append(time.monotonic())
        return web.json_response({"ok": True, "result": self._message(params)})

    def _message(self, params: dict[str, Any]) -> dict[str, Any]:
        self._message_id += 1
        return {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": {"id": int(str(params["chat_id"])), "type": "private"},
            "text": params.get("text", ""),
        }


class ServedChat(TelegramChat):
    """An official whose answers go through the local API server: read back from there."""

    def __init__(self, api: RateLimitedApi, *args: Any) -> None:
        super().__init__(*args)
        self.api = api

    def _as_method(self, params: dict[str, Any]) -> SendMessage:
        markup = params.get("reply_markup")
        keyboard = InlineKeyboardMarkup.model_validate_json(markup) if markup else None
        return SendMessage(chat_id=self.chat.id, text=params["text"], reply_markup=keyboard)

    def _answers(self) -> list[dict[str, Any]]:
        """What the bot said in this chat, but for the update (officials get it too)."""
        sent = self.api.sent.get(self.chat.id, [])
        return [params for params in sent if not str(params["text"]).startswith("📢")]

    async def feed(self, update: Update) -> list[Sent]:
        before = len(self._answers())
        await self.dispatcher.feed_update(self.bot, update)
        deadline = time.monotonic() + 60
        while len(self._answers()) == before and time.monotonic() < deadline:
            await asyncio.sleep(0.005)  # an answer held back (a 429's pause) comes from the outbox
        return [self._as_method(params) for params in self._answers()[before:]]

    def last_sent(self) -> SendMessage | None:
        answers = self._answers()
        return self._as_method(answers[-1]) if answers else None


async def add_recipients(
    app: App, count: int, first: int = FIRST_RECIPIENT, kinds: tuple[str, ...] = ()
) -> None:
    """Officials who have written to the bot before, straight into the database: Telegram
    users `first`, `first` + 1, …, spread over the units (of these kinds, or every unit)."""
    now = app.clock.now()
    async with app.writing() as session:
        query = select(Unit.id).order_by(Unit.id)
        units = list(await session.scalars(query.where(Unit.kind.in_(kinds)) if kinds else query))
        ids = range(first, first + count)
        await session.execute(
            insert(Person),
            [
                {"id": n, "display_name": f"Cán bộ {n}", "language": "vi", "created_at": now}
                for n in ids
            ],
        )
        await session.execute(
            insert(Membership),
            [
                {
                    "person_id": n,
                    "unit_id": units[n % len(units)],
                    "role": "reporter",
                    "created_at": now,
                }
                for n in ids
            ],
        )
        await session.execute(
            insert(Identity),
            [
                {
                    "channel": "telegram",
                    "user_id": str(n),
                    "person_id": n,
                    "chat_id": str(n),
                    "last_seen_at": now,
                }
                for n in ids
            ],
        )
        await session.execute(
            insert(Conversation),
            [
                {
                    "channel": "telegram",
                    "chat_id": str(n),
                    "data": {},
                    "choices": [],
                    "recent_updates": [],
                    "updated_at": now,
                }
                for n in ids
            ],
        )


async def join_officials(
    app: App, api: RateLimitedApi, bot: Bot, first_id: int, first_unit: int
) -> list[ServedChat]:
    """Officials of communes, one to a unit, so that nobody is asked why a figure changed."""
    dispatcher = make_dispatcher(app.conversations)
    async with app.writing() as session:
        units = list(
            await session.scalars(select(Unit).where(Unit.kind == "commune").order_by(Unit.id))
        )
        codes = [
            code
            for n in range(OFFICIALS)
            for code in await create_invites(
                session, units[first_unit + n], "reporter", 1, timedelta(days=1), app.clock.now()
            )
        ]
    chats = [
        ServedChat(api, dispatcher, bot, RecordingSession(), first_id + n) for n in range(OFFICIALS)
    ]
    for chat, code in zip(chats, codes, strict=True):
        await chat.say("/start " + display_code(code))
    return chats


async def one_report(chat: ServedChat, timings: Timings) -> None:
    """Start to receipt, reading and typing between steps; a second report of the same
    figure asks why it changed."""
    steps: list[Callable[[], Awaitable[object]]] = [
        lambda: chat.say("/baocao 2025-09"),
        lambda: chat.press("lượt khách"),
        lambda: chat.say("1.250.000"),
    ]
    for step in steps:
        await asyncio.sleep(random.uniform(*THINK))
        await timed(timings, step)
    last = chat.last_sent()
    if last is not None and "Vì sao sửa" in shown_text(last):
        await asyncio.sleep(random.uniform(*THINK))
        await timed(timings, lambda: chat.say("Số liệu chính thức"))
    for label in ("Bỏ qua", "Xác nhận"):
        await asyncio.sleep(random.uniform(*THINK))
        await timed(timings, partial(chat.press, label))


async def keep_reporting(chats: list[ServedChat], until: asyncio.Event) -> Timings:
    """Each official reports again and again until told to stop."""
    timings: Timings = []

    async def official(chat: ServedChat) -> None:
        while not until.is_set():
            await one_report(chat, timings)

    await asyncio.gather(*(official(chat) for chat in chats))
    return timings


def quantiles(timings: Timings) -> tuple[float, float]:
    cuts = statistics.quantiles(timings, n=100)
    return cuts[49] * 1000, cuts[94] * 1000


async def main(recipients: int, rate: float, quiet_seconds: float) -> None:
    api = RateLimitedApi(rate)
    await api.start()
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        app = await prepare(_settings(database_url, rate), ShiftedClock(CAMPAIGN_MORNING))
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))
        app.delivery.register(TelegramChannel(bot))
        await add_recipients(app, recipients)
        quiet_officials = await join_officials(app, api, bot, 10_000, 0)
        busy_officials = await join_officials(app, api, bot, 20_000, OFFICIALS)
        await app.delivery.drain()
        stop_delivery = asyncio.Event()
        delivery = asyncio.create_task(app.delivery.run(stop_delivery))
        settle()

        done = asyncio.Event()
        asyncio.get_running_loop().call_later(quiet_seconds, done.set)
        quiet = await keep_reporting(quiet_officials, done)

        async with app.writing() as session:
            number = await broadcasts.add(
                session,
                "Hội nghị sơ kết phong trào thi đua.",
                Audience("everyone"),
                "everyone",
                app.clock.now(),
                app.clock.now(),
            )
        done = asyncio.Event()
        reporting = asyncio.create_task(keep_reporting(busy_officials, done))
        started = time.monotonic()
        queued = await run_broadcasts(app, app.clock.now())
        queued_in = time.monotonic() - started
        while (
            len(api.broadcast_times) < recipients
            and time.monotonic() - started < recipients / rate * 3 + 60
        ):
            await asyncio.sleep(0.2)
        done.set()
        busy = await reporting
        await run_broadcasts(app, app.clock.now())  # the sender's report
        stop_delivery.set()
        await delivery
        async with app.sessions() as session:
            counted = await broadcasts.delivered(session, number or 0)
        await bot.session.close()
        await app.engine.dispose()
    await api.stop()

    per_chat = Counter(
        chat_id for chat_id, sent in api.sent.items() if chat_id >= FIRST_RECIPIENT for _ in sent
    )
    duplicates = sum(count - 1 for count in per_chat.values())
    never = recipients - len(per_chat)
    times = api.broadcast_times
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    print(f"broadcast #{number}: {queued} recipients queued in {queued_in:.2f} s (one transaction)")
    print(
        f"sent {len(times)} in {times[-1] - times[0]:.1f} s = {achieved:.0f}/s;"
        f" configured {rate:.0f}/s; achieved/configured {achieved / rate:.3f} (target ≥ 0.95)"
    )
    during = [t for t in api.all_times if times[0] <= t <= times[-1]]
    print(
        f"every message in that time, the officials' answers too: {len(during) / (times[-1] - times[0]):.0f}/s"
        f" = {len(during) / (times[-1] - times[0]) / rate:.3f} of the limit"
    )
    print(f"429 answers: {api.too_many} (target 0); duplicates: {duplicates}; never sent: {never}")
    print(f"outbox: {counted.states}")
    if not quiet:
        return
    quiet_p50, quiet_p95 = quantiles(quiet)
    busy_p50, busy_p95 = quantiles(busy)
    print(
        f"officials' answers without a broadcast: {len(quiet)} updates, p50 {quiet_p50:.1f} ms,"
        f" p95 {quiet_p95:.1f} ms"
    )
    print(
        f"officials' answers during the broadcast: {len(busy)} updates, p50 {busy_p50:.1f} ms,"
        f" p95 {busy_p95:.1f} ms; ratio p50 {busy_p50 / quiet_p50:.2f}, p95"
        f" {busy_p95 / quiet_p95:.2f} (target ≤ 1.5)"
    )


def _settings(database_url: str, rate: float) -> Settings:
    return Settings(database_url=database_url, telegram_rate=rate, _env_file=None)  # type: ignore[call-arg]


async def send_forever(database_url: str, api_url: str, rate: float) -> None:
    """The sending half of the bot, as its own process: the delivery engine, until killed."""
    app = await prepare(_settings(database_url, rate), ShiftedClock(CAMPAIGN_MORNING))
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    app.delivery.register(TelegramChannel(bot))
    await app.delivery.run(asyncio.Event())


async def kill_halfway(recipients: int, rate: float) -> None:
    """The update queued, a sender process killed (SIGKILL) when half of it is out, a new one
    started: who got it twice, who never."""
    api = RateLimitedApi(rate)
    await api.start()
    with tempfile.TemporaryDirectory() as folder:
        database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        app = await prepare(_settings(database_url, rate), ShiftedClock(CAMPAIGN_MORNING))
        await add_recipients(app, recipients)
        async with app.writing() as session:
            now = app.clock.now()
            await broadcasts.add(session, "Bản tin", Audience("everyone"), "everyone", now, now)
        await run_broadcasts(app, app.clock.now())
        await app.engine.dispose()
        command = [
            sys.executable,
            "-m",
            "bench.broadcast_bench",
            "--send",
            database_url,
            api.base_url,
        ]
        command += ["--rate", str(rate)]
        sender = await asyncio.create_subprocess_exec(*command)
        while len(api.broadcast_times) < recipients // 2:
            await asyncio.sleep(0.01)
        sender.kill()
        await sender.wait()
        at_kill = len(api.broadcast_times)
        sender = await asyncio.create_subprocess_exec(*command)
        last, quiet_since = -1, time.monotonic()
        while time.monotonic() - quiet_since < 30 and len(api.sent) < recipients:
            await asyncio.sleep(0.2)
            if len(api.broadcast_times) != last:
                last, quiet_since = len(api.broadcast_times), time.monotonic()
        await asyncio.sleep(2)  # anything still coming
        sender.kill()
        await sender.wait()
    await api.stop()
    twice = sum(len(sent) - 1 for sent in api.sent.values())
    never = recipients - len(api.sent)
    print(
        f"killed after {at_kill} of {recipients} sent, restarted: {len(api.broadcast_times)} sent,"
        f" {twice} twice, {never} never (targets 0 and 0)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--quiet-seconds", type=float, default=15.0)
    parser.add_argument("--kill", action="store_true", help="kill the sender halfway instead")
    parser.add_argument(
        "--send", nargs=2, metavar=("DATABASE_URL", "API_URL"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.send:
        database_url, api_url = arguments.send
        asyncio.run(send_forever(database_url, api_url, arguments.rate))
    elif arguments.kill:
        asyncio.run(kill_halfway(arguments.recipients, arguments.rate))
    else:
        asyncio.run(main(arguments.recipients, arguments.rate, arguments.quiet_seconds))
