"""The bot as its own process against the local Bot API emulator, next to a bare echo bot.

`thidua run` long polls the emulator (tests/botapi_emulator.py) over HTTP, as it would
Telegram; 20 and 100 officials of communes and wards, joined before, each make three reports
(start to receipt, with a reason when the figure was already reported), all at once, every
official waiting for the bot's answer before the next step. Then a bare aiogram echo bot
(bench/echo_bot.py), also its own process, gets the same number of messages from as many
users on the same emulator. Printed for each: exchanges a second, their ratio (targets ≥ 0,9
on SQLite and ≥ 0,75 on PostgreSQL), answer time p50/p95, and the CPU the process used.

Then memory: 10.000 members each write once to the bot (a report form opened), and 10.000
users once to the echo bot; the peak RSS of each process (target: the bot ≤ 1,15 × echo).

`--processes N` serves the bot by webhook from N processes (the emulator posts each update to
one of them in turn) instead of by long polling; several need the multi-process work.

    .venv/bin/python -m bench.e2e_bench [--officials 20 100] [--databases sqlite postgres]
        [--rounds 1] [--members 10000] [--processes 1]

PostgreSQL: a database of its own on the server of THIDUA_TEST_POSTGRES_URL (default
postgresql+asyncpg://postgres@127.0.0.1:5432/postgres), made afresh for each run.
"""

import argparse
import asyncio
import contextlib
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.broadcast_bench import add_recipients
from bot.app import make_clock, prepare
from bot.leases import join_hold
from bot.settings import Settings
from storage.db import make_engine, migrate
from tests.botapi_emulator import BotApiEmulator
from tests.local_api_server import JsonDict
from tests.test_end_to_end import CLI, ROOT, bot_env

TOKEN = "4242:E2E-BENCH-token"
MOMENT = "2025-10-03T08:00:00"  # September's figures are due
FIRST_OFFICIAL = 100_000
FIRST_MEMBER = 1_000_000
REPORTS = 3
UNLIMITED = 1_000_000  # messages a second
ANSWER_WAIT = 60.0  # seconds; longer means the bot is stuck, and the run fails
POSTGRES = os.environ.get(
    "THIDUA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
ECHO = [sys.executable, "-m", "bench.echo_bot"]
BENCH_DATABASE = f"thidua_bench_e2e_{os.getpid()}"
# BENCH_PROFILE=folder: each bot process runs under cProfile, its profile written there.
PROFILE = os.environ.get("BENCH_PROFILE")


class BenchEmulator(BotApiEmulator):
    """The emulator, telling each user's driver when the bot sent them a message (the
    emulator's own waits rescan everything sent on every call: too slow for 10.000 users);
    with webhook addresses, it posts each update to one of them in turn instead of
    keeping it for getUpdates."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.hooks: list[str] = []
        self.hook_secret = secrets.token_hex(16)
        self._waiting: dict[int, asyncio.Future[JsonDict]] = {}
        self._posts: set[asyncio.Task[None]] = set()
        self._client: aiohttp.ClientSession | None = None
        self._methods["setwebhook"] = ("setWebhook", self._set_webhook)

    async def _set_webhook(self, params: JsonDict) -> bool:
        return True

    async def exchange(self, user: int, send: Callable[[], object]) -> JsonDict:
        """Do what `send` does as `user` and wait for the bot's next message to them."""
        answer: asyncio.Future[JsonDict] = asyncio.get_running_loop().create_future()
        self._waiting[user] = answer
        send()
        return await asyncio.wait_for(answer, ANSWER_WAIT)

    def _record(self, method: str, stored: Any, markup: JsonDict | None, **extra: Any) -> None:
        super()._record(method, stored, markup, **extra)
        record = self._sent[-1]
        answer = self._waiting.pop(record["chat_id"], None) if method == "sendMessage" else None
        if answer is not None and not answer.done():
            answer.set_result(record)

    def _queue_update(self, payload: JsonDict) -> int:
        if not self.hooks:
            return super()._queue_update(payload)
        update_id = next(self._update_ids)
        post = asyncio.create_task(self._post(update_id, {"update_id": update_id, **payload}))
        self._posts.add(post)
        post.add_done_callback(self._posts.discard)
        return update_id

    async def _post(self, update_id: int, update: JsonDict) -> None:
        if self._client is None:
            self._client = aiohttp.ClientSession()
        hook = self.hooks[update_id % len(self.hooks)]
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.hook_secret}
        async with self._client.post(hook, json=update, headers=headers) as response:
            response.raise_for_status()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.close()
        await super().stop()


@dataclass(frozen=True)
class Run:
    """One process's share of a run: exchanges, how long they took, what the process used."""

    exchanges: int
    seconds: float
    answer_times: list[float]
    cpu_seconds: float
    peak_rss: int  # bytes
    start_rss: int  # bytes, once ready, before the first exchange
    machine_busy: float  # of all the machine's cores (the emulator and PostgreSQL too), 0–1

    @property
    def rate(self) -> float:
        return self.exchanges / self.seconds

    def describe(self, name: str) -> str:
        cuts = statistics.quantiles(self.answer_times, n=100)
        return (
            f"{name:>10}: {self.exchanges:6d} exchanges in {self.seconds:6.2f} s"
            f" = {self.rate:6.0f}/s; answer p50 {cuts[49] * 1000:6.1f} ms,"
            f" p95 {cuts[94] * 1000:6.1f} ms; CPU {self.cpu_seconds / self.seconds:4.0%} of a core,"
            f" {self.cpu_seconds / self.exchanges * 1000:.2f} ms an exchange;"
            f" RSS {self.start_rss / 2**20:.0f} MiB ready, {self.peak_rss / 2**20:.0f} MiB peak;"
            f" machine {self.machine_busy:.0%} busy"
        )


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def machine_times() -> tuple[int, int]:
    """The machine's busy and total CPU time so far, in clock ticks of all its cores."""
    fields = [int(field) for field in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return sum(fields) - idle, sum(fields)


def memory(pids: list[int], field: str) -> int:
    """The largest of the processes' VmRSS (now) or VmHWM (peak), in bytes."""
    sizes = []
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                sizes.append(int(line.split()[1]) * 1024)
    return max(sizes)


@contextlib.contextmanager
def processes(commands: list[tuple[list[str], dict[str, str]]], log: Path) -> Iterator[list[int]]:
    """Start the processes, and end them with SIGTERM (SIGKILL if one lingers)."""
    with log.open("a") as out:
        started = [
            subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=out)
            for command, env in commands
        ]
        try:
            yield [process.pid for process in started]
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(30)


async def measure(
    pids: list[int], drivers: list[Callable[[list[float]], Any]], concurrency: int
) -> Run:
    """Run the drivers (each one user's exchanges), at most `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)
    answer_times: list[float] = []

    async def gated(driver: Callable[[list[float]], Any]) -> int:
        async with gate:
            exchanges: int = await driver(answer_times)
            return exchanges

    start_rss = memory(pids, "VmRSS")
    cpu_before = cpu_seconds(pids)
    busy_before, total_before = machine_times()
    started = time.perf_counter()
    counts = await asyncio.gather(*(gated(driver) for driver in drivers))
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(pids) - cpu_before
    busy, total = machine_times()
    machine = (busy - busy_before) / max(1, total - total_before)
    return Run(sum(counts), seconds, answer_times, cpu, memory(pids, "VmHWM"), start_rss, machine)


class Official:
    """A user of the emulator, answering the bot's questions as an official would."""

    def __init__(self, emulator: BenchEmulator, user: int, answer_times: list[float]) -> None:
        self.emulator = emulator
        self.user = user
        self.answer_times = answer_times
        self.exchanges = 0
        self.last: JsonDict = {}

    async def _exchange(self, send: Callable[[], object]) -> JsonDict:
        started = time.perf_counter()
        self.last = await self.emulator.exchange(self.user, send)
        self.answer_times.append(time.perf_counter() - started)
        self.exchanges += 1
        return self.last

    async def say(self, words: str) -> JsonDict:
        return await self._exchange(lambda: self.emulator.push_message(self.user, words))

    async def press(self, label_part: str) -> JsonDict:
        markup = self.last.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        (button,) = [b for b in buttons if label_part in b["text"]]
        message_id = self.last["message_id"]
        return await self._exchange(
            lambda: self.emulator.push_callback(self.user, message_id, button["callback_data"])
        )

    async def report(self, figure: str) -> None:
        """Start to receipt, with a reason whenever the bot asks why a figure changed."""
        await self.say("/baocao 2025-09")
        await self.press("lượt khách")
        await self.say(figure)
        while True:
            if "Vì sao sửa" in self.last["text"]:
                await self.say("Số liệu chính thức")
            await self.press("Bỏ qua")
            await self.press("Xác nhận")
            if "Vì sao sửa" not in self.last["text"]:
                break
        if not self.last["text"].startswith("✅ Đã ghi nhận"):
            raise AssertionError(f"no receipt for {self.user}: {self.last['text']!r}")


def reporting(emulator: BenchEmulator, users: range) -> list[Callable[[list[float]], Any]]:
    async def three_reports(user: int, answer_times: list[float]) -> int:
        official = Official(emulator, user, answer_times)
        for number in range(REPORTS):
            await official.report(f"1.25{number}.000")
        return official.exchanges

    return [lambda times, user=user: three_reports(user, times) for user in users]  # type: ignore[misc]


def echoing(
    emulator: BenchEmulator, users: range, messages: int
) -> list[Callable[[list[float]], Any]]:
    """`messages` in all, shared among the users as evenly as they go."""
    words = itertools.cycle(["/baocao 2025-09", "1.250.000", "Bỏ qua", "Xác nhận"])
    shares = [messages // len(users) + (n < messages % len(users)) for n in range(len(users))]

    async def say(user: int, count: int, answer_times: list[float]) -> int:
        official = Official(emulator, user, answer_times)
        for _ in range(count):
            await official.say(next(words))
        return official.exchanges

    return [
        lambda times, user=user, count=count: say(user, count, times)  # type: ignore[misc]
        for user, count in zip(users, shares, strict=True)
    ]


async def fresh_database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        path = folder / "bench.db"
        path.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"
    server = make_url(POSTGRES)
    admin = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        await connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    await admin.dispose()
    return server.set(database=BENCH_DATABASE).render_as_string(hide_password=False)


async def drop_database() -> None:
    admin = create_async_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
    await admin.dispose()


async def prepare_database(url: str, users: int, first: int, kinds: tuple[str, ...]) -> None:
    """Campaign, units, and `users` officials who joined before (Telegram users `first`…)."""
    moment = datetime.fromisoformat(MOMENT)
    settings = Settings(database_url=url, thidua_clock=moment, _env_file=None)  # type: ignore[call-arg]
    engine = make_engine(url)
    await migrate(engine)  # as `thidua db upgrade` does: PostgreSQL is never migrated on start
    await engine.dispose()
    app = await prepare(settings, make_clock(settings))
    await add_recipients(app, users, first, kinds)
    await app.engine.dispose()


@contextlib.asynccontextmanager
async def serving_bot(
    emulator: BenchEmulator, url: str, folder: Path, count: int
) -> AsyncIterator[list[int]]:
    """`thidua run`: one process polling the emulator, or `count` serving its webhooks."""
    env = bot_env(
        folder,
        DATABASE_URL=url,
        THIDUA_CLOCK=MOMENT,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
        # The emulator keeps no rate and neither does the echo bot: the bot's is lifted so
        # that both are measured by the work they do, not by Telegram's 30 a second.
        TELEGRAM_RATE=str(UNLIMITED),
        TELEGRAM_CHAT_RATE=str(UNLIMITED),
    )
    run = [*CLI, "run"]
    if PROFILE:
        output = f"{PROFILE}/bot-{time.time_ns()}.prof"
        run = [sys.executable, "-m", "cProfile", "-o", output, *CLI[1:], "run"]
    commands = []
    ports = [free_port() for _ in range(count)] if count else []
    for port in ports:
        hook = {
            "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
            "WEB_PORT": str(port),
            "TELEGRAM_WEBHOOK_SECRET": emulator.hook_secret,
        }
        commands.append((run, {**env, **hook}))
    with processes(commands or [(run, env)], folder / "bot.log") as pids:
        await emulator.wait_for_call("setWebhook" if ports else "getUpdates", len(ports) or 1, 60)
        if len(ports) > 1:  # each process, joining the others, first sends nothing for a while
            await asyncio.sleep(join_hold())
        emulator.hooks = [f"http://127.0.0.1:{port}/telegram/webhook" for port in ports]
        try:
            yield pids
        finally:
            emulator.hooks = []


@contextlib.asynccontextmanager
async def serving_echo(emulator: BenchEmulator, folder: Path) -> AsyncIterator[list[int]]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": emulator.base_url}
    calls = sum(1 for name, _ in emulator.calls if name == "getUpdates")
    with processes([(ECHO, env)], folder / "echo.log") as pids:
        await emulator.wait_for_call("getUpdates", calls + 1, 60)
        yield pids


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def reports_round(kind: str, officials: int, count: int, folder: Path) -> tuple[Run, Run]:
    """The bot's run and the echo bot's, each against a fresh emulator."""
    url = await fresh_database(kind, folder)
    await prepare_database(url, officials, FIRST_OFFICIAL, ("commune", "ward"))
    users = range(FIRST_OFFICIAL, FIRST_OFFICIAL + officials)
    async with BenchEmulator(TOKEN) as emulator, serving_bot(emulator, url, folder, count) as pids:
        bot = await measure(pids, reporting(emulator, users), officials)
    async with BenchEmulator(TOKEN) as emulator, serving_echo(emulator, folder) as pids:
        echo = await measure(pids, echoing(emulator, users, bot.exchanges), officials)
    return bot, echo


async def memory_round(kind: str, members: int, folder: Path) -> tuple[Run, Run]:
    """Every member writes once: the bot opens a report form, the echo bot echoes."""
    url = await fresh_database(kind, folder)
    await prepare_database(url, members, FIRST_MEMBER, ())
    users = range(FIRST_MEMBER, FIRST_MEMBER + members)

    def once(emulator: BenchEmulator, words: str) -> list[Callable[[list[float]], Any]]:
        async def say(user: int, answer_times: list[float]) -> int:
            await Official(emulator, user, answer_times).say(words)
            return 1

        return [lambda times, user=user: say(user, times) for user in users]  # type: ignore[misc]

    async with BenchEmulator(TOKEN) as emulator, serving_bot(emulator, url, folder, 0) as pids:
        bot = await measure(pids, once(emulator, "/baocao 2025-09"), 200)
    async with BenchEmulator(TOKEN) as emulator, serving_echo(emulator, folder) as pids:
        echo = await measure(pids, once(emulator, "/baocao 2025-09"), 200)
    return bot, echo


async def main(arguments: argparse.Namespace) -> None:
    targets = {"sqlite": 0.9, "postgresql": 0.75}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for kind in arguments.databases:
            for officials in arguments.officials:
                best: tuple[Run, Run] | None = None
                for _ in range(arguments.rounds):
                    bot, echo = await reports_round(kind, officials, arguments.processes, folder)
                    print(f"{kind}, {officials} officials × {REPORTS} reports:")
                    print(bot.describe("bot"))
                    print(echo.describe("echo"))
                    if best is None or bot.rate / echo.rate > best[0].rate / best[1].rate:
                        best = (bot, echo)
                assert best is not None
                target = targets["postgresql" if kind == "postgres" else kind]
                print(
                    f"=> {kind}, {officials} officials: bot/echo {best[0].rate / best[1].rate:.2f}"
                    f" (target ≥ {target}); CPU an exchange bot/echo"
                    f" {best[0].cpu_seconds / best[0].exchanges / (best[1].cpu_seconds / best[1].exchanges):.2f}"
                )
        if arguments.members:
            bot, echo = await memory_round(arguments.databases[0], arguments.members, folder)
            print(f"{arguments.databases[0]}, {arguments.members} members writing once:")
            print(bot.describe("bot"))
            print(echo.describe("echo"))
            print(
                f"=> peak RSS bot/echo {bot.peak_rss / echo.peak_rss:.2f} (target ≤ 1.15):"
                f" {bot.peak_rss / 2**20:.0f} MiB against {echo.peak_rss / 2**20:.0f} MiB"
            )


async def run(arguments: argparse.Namespace) -> None:
    try:
        await main(arguments)
    finally:
        if "postgres" in arguments.databases:
            await drop_database()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, nargs="*", default=[20, 100])
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--members", type=int, default=10_000, help="0: no memory run")
    parser.add_argument(
        "--processes", type=int, default=0, help="bot processes behind the webhook; 0: polling"
    )
    asyncio.run(run(parser.parse_args()))
