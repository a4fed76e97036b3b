"""The bot as its own process, long polling a local Bot API server (Telegram emulator, fake
Zalo) over HTTP, driven as users would drive it."""

import asyncio
import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.botapi_emulator import BotApiEmulator
from tests.fake_zalo import FakeZalo

TOKEN = "123456:E2E-SECRET-token-never-logged"
USER = 5551234
ZALO_TOKEN = "98765:zalo-E2E-secret-never-logged"
ZALO_USER = "zalo-e2e-user"
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "bot.cli"]


def bot_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This machine's environment without any bot settings, plus the test's own."""
    prefixes = ("TELEGRAM_", "ZALO_", "WEBHOOK_", "THIDUA_", "DATABASE_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        THIDUA_CLOCK="2025-10-03T08:00:00",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings)
    return env


def invite_code(tmp_path: Path, unit: str) -> str:
    """`thidua invite create`, as the secretariat runs it; the last line is the code."""
    created = subprocess.run(
        [*CLI, "invite", "create", "--unit", unit, "--role", "reporter"],
        env=bot_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return created.stdout.strip().splitlines()[-1]


@contextlib.asynccontextmanager
async def running_bot(env: dict[str, str], log_path: Path) -> AsyncIterator[None]:
    """`thidua run` in its own process, stopped with SIGTERM at the end."""
    with log_path.open("w") as log_file:
        bot = subprocess.Popen(
            [*CLI, "run"], env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            yield
        finally:
            bot.terminate()
            await asyncio.to_thread(bot.wait, 30)


def stored_reports(tmp_path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(tmp_path / "e2e.db") as db:
        return db.execute("SELECT value, period, channel, revision FROM reports").fetchall()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as server:
        yield server


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(ZALO_TOKEN) as server:
        yield server


async def press(emulator: BotApiEmulator, label_part: str, expect: int) -> list[dict[str, Any]]:
    message = next(m for m in reversed(emulator.sent(USER)) if m.get("reply_markup"))
    buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
    (button,) = [b for b in buttons if label_part in b["text"]]
    emulator.push_callback(USER, message["message_id"], button["callback_data"])
    return await emulator.wait_for_sent(USER, expect)


async def test_a_registered_user_reports_on_telegram(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    code = invite_code(tmp_path, "phuong-sa-pa")
    env = bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=emulator.base_url)
    async with running_bot(env, tmp_path / "bot.log"):
        await emulator.wait_for_call("getUpdates", timeout=30)
        emulator.push_message(USER, "/start " + code)
        sent = await emulator.wait_for_sent(USER, 1)  # the welcome and the menu, in one message
        assert "Phường Sa Pa" in sent[0]["text"]
        emulator.push_message(USER, "/baocao 2025-09")
        sent = await emulator.wait_for_sent(USER, 2)
        assert "tháng 9/2025" in sent[-1]["text"]
        # Each press: the question edited to show the answer, then the next question.
        await press(emulator, "lượt khách", 4)
        emulator.push_message(USER, "1.250.000")
        await emulator.wait_for_sent(USER, 5)
        await press(emulator, "Bỏ qua", 7)
        sent = await press(emulator, "Xác nhận", 9)
        receipt = next(m["text"] for m in sent if m["text"].startswith("✅ Đã ghi nhận"))
        assert "1.250.000 lượt" in receipt and "tháng 9/2025" in receipt
    assert stored_reports(tmp_path) == [("1250000", "2025-09", "telegram", 1)]
    log = (tmp_path / "bot.log").read_text()
    assert "Telegram: long polling" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_a_user_joins_and_reports_on_zalo(zalo: FakeZalo, tmp_path: Path) -> None:
    code = invite_code(tmp_path, "xa-y-ty")
    env = bot_env(tmp_path, ZALO_BOT_TOKEN=ZALO_TOKEN, ZALO_API_URL=zalo.base_url)
    async with running_bot(env, tmp_path / "zalo-bot.log"):
        steps = [
            ("/start " + code, "Xã Y Tý"),
            ("/baocao 2025-09", "\n9. Thu ngân sách\n"),  # numbered by the directive
            ("thu ngan sach", "tỷ đồng"),
            ("2,5 ty", "1. Bỏ qua"),
            ("1", "1. ✅ Xác nhận"),
            ("xac nhan", "✅ Đã ghi nhận"),
        ]
        for answers, (typed, expected) in enumerate(steps, start=1):
            zalo.push_text(ZALO_USER, typed)
            sent = await zalo.wait_for_sent(ZALO_USER, answers, timeout=20)
            assert expected in sent[-1]["text"]
    assert stored_reports(tmp_path) == [("2.5", "2025-09", "zalo", 1)]
    log = (tmp_path / "zalo-bot.log").read_text()
    assert ZALO_TOKEN not in log and ZALO_TOKEN.split(":")[1] not in log


async def test_one_process_serves_telegram_and_zalo_side_by_side(
    emulator: BotApiEmulator, zalo: FakeZalo, tmp_path: Path
) -> None:
    env = bot_env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
        ZALO_BOT_TOKEN=ZALO_TOKEN,
        ZALO_API_URL=zalo.base_url,
    )
    async with running_bot(env, tmp_path / "both.log"):
        await emulator.wait_for_call("getUpdates", timeout=30)
        emulator.push_message(USER, "xin chào")
        zalo.push_text(ZALO_USER, "xin chào")
        (on_telegram,) = await emulator.wait_for_sent(USER, 1, timeout=20)
        (on_zalo,) = await zalo.wait_for_sent(ZALO_USER, 1, timeout=20)
    assert "mã mời" in on_telegram["text"] and "mã mời" in on_zalo["text"]
    log = (tmp_path / "both.log").read_text()
    assert "Traceback" not in log
    assert all(secret not in log for secret in (TOKEN, ZALO_TOKEN))
