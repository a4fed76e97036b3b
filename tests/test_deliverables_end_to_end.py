"""A deliverable handed in to the bot running as its own process: the file travels from the
Bot API emulator by getFile and the file path, and is kept under FILES_DIR by its checksum."""

import hashlib
import sqlite3
from pathlib import Path

from tests.botapi_emulator import BotApiEmulator
from tests.files import pdf
from tests.test_end_to_end import (  # noqa: F401  (emulator: a fixture)
    TOKEN,
    USER,
    bot_env,
    emulator,
    invite_code,
    press,
    running_bot,
)


async def test_a_plan_handed_in_on_telegram_reaches_the_files_folder(
    emulator: BotApiEmulator,  # noqa: F811
    tmp_path: Path,
) -> None:
    code = invite_code(tmp_path, "phuong-sa-pa")
    files = tmp_path / "files"
    env = bot_env(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=emulator.base_url,
        FILES_DIR=str(files),
    )
    plan = pdf("Kế hoạch của Phường Sa Pa")
    async with running_bot(env, tmp_path / "bot.log"):
        await emulator.wait_for_call("getUpdates", timeout=30)
        emulator.push_message(USER, "/start " + code)
        await emulator.wait_for_sent(USER, 1)
        emulator.push_message(USER, "/nopbai")
        sent = await emulator.wait_for_sent(USER, 2)
        assert "Gửi vào đây" in sent[-1]["text"]
        emulator.push_document(USER, plan, "../Kế hoạch.pdf", "application/pdf")
        sent = await emulator.wait_for_sent(USER, 3)
        assert "Thêm vài dòng" in sent[-1]["text"]
        sent = await press(emulator, "Bỏ qua", 5)
        receipt = next(m["text"] for m in sent if m["text"].startswith("✅ Đã nhận"))
        assert "phiên bản 1" in receipt and "(nộp muộn 49 ngày)" in receipt
    checksum = hashlib.sha256(plan).hexdigest()
    assert (files / "uploads" / checksum[:2] / f"{checksum}.pdf").read_bytes() == plan
    with sqlite3.connect(tmp_path / "e2e.db") as db:
        rows = db.execute("SELECT version, file_name, channel FROM deliverable_versions").fetchall()
    assert rows == [(1, "Kế hoạch.pdf", "telegram")]
    log = (tmp_path / "bot.log").read_text()
    assert "Traceback" not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
