"""Several bot processes behind the webhooks on one PostgreSQL, each its own `thidua run`, with
the Bot API emulator playing Telegram (and the proxy) in front of them: officials report while
a campaign update and a reminder run go out; one process is killed and started again."""

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import prepare
from domain.broadcasts import Audience, read_audience
from domain.clock import FakeClock
from handlers.broadcast import audience_label
from storage import broadcasts
from storage.db import head_revision
from storage.models import Unit
from tests.botapi_emulator import BotApiEmulator
from tests.conftest import _create_database, _drop_database, _empty_postgres, settings_for
from tests.test_end_to_end import CLI, ROOT, TOKEN, bot_env
from tests.test_restarts import REMINDER_MOMENT, join_reporter, rows

SECRET = "webhook-secret-never-logged"
RATE = 60  # TELEGRAM_RATE of every process: together they send no more in any second
UPDATE_TEXT = "Họp giao ban thi đua lúc 14:00 thứ Sáu."
UPDATE = "📢 " + UPDATE_TEXT  # as the bot sends it
RECEIPT = "✅ Đã ghi nhận"
REMINDER = "⏰ Nhắc báo cáo"
WAIT = 90.0  # seconds an official waits for an answer at most (a dead process's answer included)
JsonDict = dict[str, Any]


@pytest.fixture
def database(postgres_url: str) -> str:
    asyncio.run(_empty_postgres(postgres_url))
    return postgres_url


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as server:
        yield server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Processes:
    """`thidua run` processes on webhooks, one port each; logs in `folder`."""

    env: dict[str, str]
    folder: Path
    ports: list[int]
    running: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def url(self, number: int, path: str = "/telegram/webhook") -> str:
        return f"http://127.0.0.1:{self.ports[number]}{path}"

    def start(self, number: int) -> None:
        env = {**self.env, "WEB_PORT": str(self.ports[number])}
        with (self.folder / f"bot-{number}.log").open("a") as log:
            self.running[number] = subprocess.Popen(
                [*CLI, "run"], env=env, cwd=ROOT, stdout=log, stderr=log
            )

    async def kill(self, number: int) -> None:
        process = self.running.pop(number)
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait, 30)

    async def ready(self, number: int, timeout: float = 180) -> None:
        async with asyncio.timeout(timeout):
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    if (await get(self.url(number, "/readyz")))[0] == 200:
                        return
                await asyncio.sleep(0.2)

    def logs(self) -> str:
        return "".join(path.read_text() for path in self.folder.glob("bot-*.log"))


@contextlib.contextmanager
def processes(
    count: int, emulator: BotApiEmulator, database: str, folder: Path
) -> Iterator[Processes]:
    env = bot_env(
        folder,
        DATABASE_URL=database,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        WEBHOOK_BASE_URL="https://thidua.example.org",
        TELEGRAM_RATE=str(RATE),
        THIDUA_CLOCK=REMINDER_MOMENT.isoformat(),
    )
    group = Processes(env, folder, [free_port() for _ in range(count)])
    try:
        for number in range(count):
            group.start(number)
        emulator.send_to_webhooks([group.url(n) for n in range(count)], SECRET)
        yield group
    finally:
        for process in group.running.values():
            process.terminate()
        for process in group.running.values():
            process.wait(30)


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def metric(exposition: str, name: str, **labels: str) -> float:
    """One sample of the Prometheus text format (0 when absent)."""
    wanted = name + (
        "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else ""
    )
    for line in exposition.splitlines():
        sample, _, value = line.rpartition(" ")
        if sample == wanted:
            return float(value)
    return 0.0


async def officials(database: str, count: int) -> list[int]:
    """`count` reporters of the communes and wards (a few to a unit), joined as by their codes;
    their Telegram user ids."""
    app = await prepare(settings_for(database), FakeClock(REMINDER_MOMENT))
    users = []
    async with app.writing() as session:
        units = list(await session.scalars(select(Unit).where(Unit.kind.in_(["commune", "ward"]))))
        for number in range(count):
            users.append(await join_reporter(session, units[number % len(units)], 20_000 + number))
    await app.engine.dispose()
    return users


async def update_to_everyone(database: str) -> None:
    """A campaign update to everyone, due at once (as `thidua broadcast --to everyone`)."""
    app = await prepare(settings_for(database), FakeClock(REMINDER_MOMENT))
    async with app.writing() as session:
        everyone = read_audience("everyone", await broadcasts.directory(session))
        assert isinstance(everyone, Audience)
        labelled = Audience(everyone.kind, everyone.codes, audience_label("vi", everyone))
        moment = REMINDER_MOMENT
        await broadcasts.add(session, UPDATE_TEXT, labelled, "everyone", moment, moment)
    await app.engine.dispose()


IN_FLIGHT = 3.0  # seconds around the kill: what the emulator was still taking from the process


def once(copies: list[JsonDict], killed_at: float) -> bool:
    """One copy; or two, the first on its way at the kill: the process died between the
    send and the outbox recording it, and no process can tell that message from one never
    sent (the one case where a person gets a message twice)."""
    if len(copies) == 2:
        return bool(abs(copies[0]["at"] - killed_at) <= IN_FLIGHT)
    return len(copies) == 1


def unasked(message: JsonDict) -> bool:
    text: str = message["text"]
    return text == UPDATE or text.startswith(REMINDER)


def answers(emulator: BotApiEmulator, user: int) -> list[JsonDict]:
    """What the bot sent the user in answer to them: not edits, reminders or updates."""
    return [m for m in emulator.sent(user) if m["method"] == "sendMessage" and not unasked(m)]


def buttons(message: JsonDict) -> list[JsonDict]:
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def has_button(label: str) -> Callable[[JsonDict], bool]:
    return lambda message: any(label in button["text"] for button in buttons(message))


class Official:
    """One official at their phone: acts, then waits for the answer that acting calls for."""

    def __init__(self, emulator: BotApiEmulator, user: int) -> None:
        self.emulator, self.user = emulator, user
        self.updates: list[int] = []  # the ids of the updates they made, to follow in the logs

    async def act(self, act: Callable[[], int], wanted: Callable[[JsonDict], bool]) -> JsonDict:
        seen = len(answers(self.emulator, self.user))
        self.updates.append(act())

        def found() -> JsonDict | None:
            return next((m for m in answers(self.emulator, self.user)[seen:] if wanted(m)), None)

        await self.emulator._wait_until(lambda: found() is not None, WAIT)
        message = found()
        if message is None:
            sent = "\n".join(
                f"{m['method']} {m['message_id']}: {m['text'][:150]}"
                for m in self.emulator.sent(self.user)
            )
            raise AssertionError(
                f"{self.user} (updates {self.updates}) got no answer; sent:\n{sent}"
            )
        return message

    def say(self, text: str, wanted: Callable[[JsonDict], bool]) -> Any:
        return self.act(lambda: self.emulator.push_message(self.user, text), wanted)

    def press(self, on: JsonDict, label: str, wanted: Callable[[JsonDict], bool]) -> Any:
        (button,) = [b for b in buttons(on) if label in b["text"]]
        data = button["callback_data"]
        return self.act(
            lambda: self.emulator.push_callback(self.user, on["message_id"], data), wanted
        )

    async def report(self) -> None:
        """/baocao to the receipt; a reason when a colleague of the unit reported first."""
        listed = await self.say("/baocao 2025-09", has_button("lượt khách"))
        await self.press(listed, "lượt khách", lambda _m: True)
        asked = await self.say(
            "1.250.000", lambda m: has_button("Bỏ qua")(m) or "Vì sao" in m["text"]
        )
        while True:
            if "Vì sao" in asked["text"]:
                asked = await self.say("Số liệu chính thức", has_button("Bỏ qua"))
            summary = await self.press(asked, "Bỏ qua", has_button("Xác nhận"))
            asked = await self.press(
                summary,
                "Xác nhận",
                lambda m: m["text"].startswith(RECEIPT) or "Vì sao" in m["text"],
            )
            if asked["text"].startswith(RECEIPT):
                return


async def scheduler_holders(group: Processes) -> list[int]:
    holders = []
    for number in group.running:
        status, body = await get(group.url(number, "/healthz"))
        assert status == 200 and json.loads(body)["database"] is True
        if json.loads(body)["scheduler"]:
            holders.append(number)
    return holders


async def test_three_processes_lose_nothing_when_one_is_killed(
    emulator: BotApiEmulator, database: str, tmp_path: Path
) -> None:
    users = await officials(database, 200)
    with processes(3, emulator, database, tmp_path) as group:
        await asyncio.gather(*(group.ready(n) for n in range(3)))
        (holder,) = await scheduler_holders(group)
        reports = [asyncio.create_task(Official(emulator, user).report()) for user in users]
        # Once everyone has written (an update goes to the chat where each last wrote):
        await emulator._wait_until(lambda: all(answers(emulator, u) for u in users), WAIT)
        await update_to_everyone(database)
        await emulator._wait_until(
            lambda: sum(1 for r in reports if r.done()) >= len(users) // 3, WAIT * 2
        )
        killed_at = time.monotonic()
        await group.kill(holder)  # the scheduler's holder, while everything is under way
        async with asyncio.timeout(30):  # its lease lapses and another takes the scheduler
            while not await scheduler_holders(group):
                await asyncio.sleep(0.5)
        group.start(holder)
        await group.ready(holder)
        await asyncio.gather(*reports)
        await emulator._wait_until(  # the update and the reminder reach everyone in the end
            lambda: all(sum(map(unasked, emulator.sent(user))) >= 2 for user in users), WAIT
        )
        await asyncio.sleep(2)  # time enough for a second copy, had one been sent
        (holders,) = [await scheduler_holders(group)]
        logs = group.logs()
    assert len(holders) == 1
    for user in users:
        sent = [m for m in emulator.sent(user) if m["method"] == "sendMessage"]
        for kind in (RECEIPT, UPDATE, REMINDER):
            copies = [m for m in sent if m["text"].startswith(kind)]
            seen = [(m["text"][:80], round(m["at"] - killed_at, 2)) for m in copies]
            assert once(copies, killed_at), (user, "seconds after the kill:", seen)
    # Every confirmation stored once: one row per official, however often its update came.
    stored = await rows(
        database,
        "SELECT person_id, count(*) FROM reports GROUP BY person_id HAVING count(*) <> 1",
    )
    assert stored == []
    assert await rows(database, "SELECT count(*) FROM reports") == [(len(users),)]
    per_second = Counter(int(moment - killed_at) for moment in emulator.send_times)
    busiest = emulator.busiest_second()
    by_second = sorted(per_second.items())
    assert busiest <= RATE, f"{busiest} in a second; by second from the kill: {by_second}"
    assert TOKEN not in logs and TOKEN.split(":")[1] not in logs and SECRET not in logs
    assert all(json.loads(line) for line in logs.splitlines() if line.startswith("{"))


async def post_update(url: str, body: JsonDict, secret: str | None) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as response,
    ):
        return response.status


async def test_two_updates_of_a_chat_at_two_processes_are_handled_in_turn(
    emulator: BotApiEmulator, database: str, tmp_path: Path
) -> None:
    users = await officials(database, 10)
    with processes(2, emulator, database, tmp_path) as group:
        await asyncio.gather(*(group.ready(n) for n in range(2)))
        _, before = await get(group.url(0, "/metrics"))
        # Someone without the secret: refused, and nothing is stored or sent.
        stranger = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1759370400,
                "chat": {"id": 999, "type": "private"},
                "text": "/start AAAA-BBBB",
                "from": {"id": 999, "is_bot": False, "first_name": "X"},
            },
        }
        for secret in ("wrong", None):
            assert await post_update(group.url(0), stranger, secret) == 403
        people = [Official(emulator, user) for user in users]
        for official in people:  # each at the figure's question
            listed = await official.say("/baocao 2025-09", has_button("lượt khách"))
            await official.press(listed, "lượt khách", lambda _m: True)
        # The figure and a note typed at once: consecutive updates, so each goes to the other
        # process; whichever takes the chat first, the other waits and sees what it wrote.
        pairs = [
            (
                emulator.push_message(o.user, "1.250.000"),
                emulator.push_message(o.user, "Số liệu quý"),
            )
            for o in people
        ]
        await emulator._wait_until(
            lambda: all(len(answers(emulator, o.user)) >= 4 for o in people), WAIT
        )
        _, after = await get(group.url(0, "/metrics"))
        health = [json.loads((await get(group.url(n, "/healthz")))[1]) for n in range(2)]
    assert [h["scheduler"] for h in health].count(True) == 1
    assert all(h["database"] for h in health)
    for official, pair in zip(people, pairs, strict=True):
        (chat,) = await rows(
            database,
            f"SELECT step, recent_updates FROM conversations WHERE chat_id = '{official.user}'",
        )
        step, recent = chat
        recent = json.loads(recent) if isinstance(recent, str) else recent
        assert {str(update) for update in pair} <= set(recent)  # each saw the other's write
        # Both answers arrive; each process sends its own after its commit, so the two may
        # cross on the way (README, "Several processes"): the order of handling is the form's.
        last_two = [m["text"] for m in answers(emulator, official.user)[-2:]]
        if recent.index(str(pair[0])) < recent.index(str(pair[1])):  # figure, then the note
            assert step == "confirm", (step, last_two)
            assert any("Số liệu quý" in text for text in last_two), last_two
        else:  # the note first (not a figure: asked again), then the figure
            assert step == "note", (step, last_two)
            assert any(text.startswith("Thêm ghi chú") for text in last_two), last_two
    assert await rows(database, "SELECT count(*) FROM conversations WHERE chat_id = '999'") == [
        (0,)
    ]
    assert emulator.sent(999) == []
    handled = {"channel": "telegram", "outcome": "handled"}
    assert metric(after, "thidua_updates_total", **handled) > metric(
        before, "thidua_updates_total", **handled
    )
    sent = {"channel": "telegram", "kind": "answer", "status": "sent"}
    assert metric(after, "thidua_deliveries_total", **sent) > metric(
        before, "thidua_deliveries_total", **sent
    )
    assert metric(after, "thidua_update_seconds_count", channel="telegram") > 0


async def test_a_process_started_before_the_migrations_waits_for_them_unready(
    emulator: BotApiEmulator, postgres_url: str, tmp_path: Path
) -> None:
    """`thidua run` on a PostgreSQL database nobody has migrated yet (the compose file's bots
    starting beside their migration step): /readyz answers 503, so the proxy sends it nothing,
    and no webhook is set, until `thidua db upgrade`; then it serves."""
    server, _, _ = postgres_url.rpartition("/")
    name = f"thidua_unmigrated_{uuid.uuid4().hex[:8]}"
    await _create_database(postgres_url, name)
    try:
        with processes(1, emulator, f"{server}/{name}", tmp_path) as group:
            async with asyncio.timeout(60):
                while True:
                    with contextlib.suppress(aiohttp.ClientError):
                        status, body = await get(group.url(0, "/readyz"))
                        break
                    await asyncio.sleep(0.2)
            assert status == 503
            assert json.loads(body) == {"ok": False, "schema": None, "needed": head_revision()}
            assert (await get(group.url(0, "/healthz")))[0] == 200
            assert "setWebhook" not in [method for method, _ in emulator.calls]
            upgrade = [*CLI, "db", "upgrade"]
            await asyncio.to_thread(
                subprocess.run, upgrade, env=group.env, cwd=ROOT, check=True, timeout=120
            )
            await group.ready(0)
            await emulator.wait_for_call("setWebhook", 1, 60)
            assert "Waiting for the migrations (thidua db upgrade)" in group.logs()
    finally:
        await _drop_database(postgres_url, name)
