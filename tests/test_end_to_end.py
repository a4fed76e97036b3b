"""The bot as its own process, long polling a local Bot API server emulator over HTTP."""

import asyncio
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
ROOT = Path(__file__).resolve().parent.parent


def bot_env(tmp_path: Path, api_url: str = "") -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "ZALO_", "WEBHOOK_", "THIDUA_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
        THIDUA_CLOCK="2025-10-03T08:00:00",
        PYTHONUNBUFFERED="1",
    )
    if api_url:
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api_url)
    return env


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    server = BotApiEmulator(TOKEN)
    await server.start()
    yield server
    await server.stop()


async def latest_with_buttons(emulator: BotApiEmulator) -> dict[str, Any]:
    return next(m for m in reversed(emulator.sent(USER)) if m.get("reply_markup"))


async def press(emulator: BotApiEmulator, label_part: str, expect: int) -> list[dict[str, Any]]:
    message = await latest_with_buttons(emulator)
    buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
    (button,) = [b for b in buttons if label_part in b["text"]]
    emulator.push_callback(USER, message["message_id"], button["callback_data"])
    return await emulator.wait_for_sent(USER, expect)


async def test_a_registered_user_reports_through_a_separate_bot_process(
    emulator: BotApiEmulator, tmp_path: Path
) -> None:
    cli = [sys.executable, "-m", "bot.cli"]
    invite = subprocess.run(
        [*cli, "invite", "create", "--unit", "phuong-sa-pa", "--role", "reporter"],
        env=bot_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    code = invite.stdout.strip().splitlines()[-1]
    log_file = (tmp_path / "bot.log").open("w")
    bot = subprocess.Popen(
        [*cli, "run"],
        env=bot_env(tmp_path, emulator.base_url),
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    try:
        await emulator.wait_for_call("getUpdates", timeout=30)
        emulator.push_message(USER, "/start " + code)
        sent = await emulator.wait_for_sent(USER, 1)  # the welcome and the menu, in one message
        assert "Phường Sa Pa" in sent[0]["text"]
        emulator.push_message(USER, "/baocao")
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
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 30)
        log_file.close()
    with sqlite3.connect(tmp_path / "e2e.db") as db:
        rows = db.execute("SELECT value, period, channel, revision FROM reports").fetchall()
    assert rows == [("1250000", "2025-09", "telegram", 1)]
    log = (tmp_path / "bot.log").read_text()
    assert "Start polling" in log or "Run polling" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


ZALO_TOKEN = "98765:zalo-E2E-secret-never-logged"
ZALO_USER = "zalo-e2e-user"


async def test_a_user_joins_and_reports_on_zalo_through_a_separate_bot_process(
    tmp_path: Path,
) -> None:
    zalo = FakeZalo(ZALO_TOKEN)
    await zalo.start()
    cli = [sys.executable, "-m", "bot.cli"]
    invite = subprocess.run(
        [*cli, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter"],
        env=bot_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    code = invite.stdout.strip().splitlines()[-1]
    env = {**bot_env(tmp_path), "ZALO_BOT_TOKEN": ZALO_TOKEN, "ZALO_API_URL": zalo.base_url}
    log_file = (tmp_path / "zalo-bot.log").open("w")
    bot = subprocess.Popen(
        [*cli, "run"], env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT
    )
    try:
        steps = [
            ("/start " + code, "Xã Y Tý"),
            ("/baocao", "1. ["),
            ("thu ngan sach", "tỷ đồng"),
            ("2,5 ty", "1. Bỏ qua"),
            ("1", "1. ✅ Xác nhận"),
            ("xac nhan", "✅ Đã ghi nhận"),
        ]
        for answers, (typed, expected) in enumerate(steps, start=1):
            zalo.push_text(ZALO_USER, typed)
            sent = await zalo.wait_for_sent(ZALO_USER, answers, timeout=20)
            assert expected in sent[-1]["text"]
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 30)
        log_file.close()
        await zalo.stop()
    with sqlite3.connect(tmp_path / "e2e.db") as db:
        rows = db.execute("SELECT value, channel FROM reports").fetchall()
    assert rows == [("2.5", "zalo")]
    log = (tmp_path / "zalo-bot.log").read_text()
    assert ZALO_TOKEN not in log and ZALO_TOKEN.split(":")[1] not in log
