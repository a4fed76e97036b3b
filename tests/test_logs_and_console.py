"""Secrets never reach a log line; the console chat runs the same conversation as Telegram."""

import asyncio
import io
import logging
import socket
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web

from bot.app import App
from bot.channels.console import ConsoleChannel, chat
from bot.cli import DEMO_UNIT, _demo_person
from bot.logs import Redact
from bot.settings import LOCAL_ZONE, Settings
from domain.clock import FakeClock
from schedules.reminders import run_reminders
from tests.test_cli import thidua_command

SECRET = "123456:AAH-very-secret-token"


def test_a_token_in_a_log_message_or_traceback_is_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact([SECRET]))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("GET https://api.telegram.org/bot%s/getMe failed", SECRET)
        try:
            raise ConnectionError(f"cannot reach /bot{SECRET}/getUpdates")
        except ConnectionError:
            logger.exception("polling failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert SECRET not in output and "AAH-very-secret" not in output
    assert output.count("***") == 2 and "polling failed" in output


def test_the_database_password_is_masked_as_typed_and_in_its_url() -> None:
    url = "postgresql+asyncpg://thidua:mat-khau%40bi-mat@db.example:5432/thidua"
    settings = Settings(database_url=url, _env_file=None)  # type: ignore[call-arg]
    scrubbed = Redact(settings.secrets()).scrub(f"{url} failed; password mat-khau@bi-mat")
    assert scrubbed == "postgresql+asyncpg://thidua:***@db.example:5432/thidua failed; password ***"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_console_runs_a_report_with_numbered_choices(app: App) -> None:
    unit_name = await _demo_person(app, "demo")
    typed = iter(["/baocao", "2", "1", "8a", "1.250.000", "bo qua", "xac nhan", "/thoat"])

    async def read_line() -> str:
        return next(typed)

    out = io.StringIO()
    app.delivery.register(ConsoleChannel(out))
    await chat(app.conversations, "banner", read_line, out=out)
    screen = out.getvalue()
    assert unit_name == "Phường Sa Pa" and DEMO_UNIT == "phuong-sa-pa"
    # Listed by the directive's number: "1" is target 1 (not the ward's), not the first line.
    assert "1. Tháng 8/2025 (quá hạn 28 ngày)\n2. Tháng 9/2025 (còn 2 ngày)" in screen
    listed = screen.split("Chọn chỉ tiêu")[1].split("Bỏ qua")[0]
    assert "\n8a. Số lượt khách du lịch\n" in listed and "\n1. " not in listed
    assert "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) (chỉ tiêu 1): không được giao" in screen
    assert "1. Bỏ qua" in screen and "1. ✅ Xác nhận" in screen
    assert "✅ Đã ghi nhận: Số lượt khách du lịch – 1.250.000 lượt, tháng 9/2025." in screen


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def redirect_loop() -> AsyncIterator[str]:
    """A Bot API address that answers every request by sending it to itself again."""

    async def again(request: web.Request) -> web.Response:
        raise web.HTTPFound(location=str(request.rel_url))

    app = web.Application()
    app.router.add_route("*", "/{path:.*}", again)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def run_bot(tmp_path: Path, channel: str, api_url: str, **env: str) -> tuple[int, str]:
    prefix = channel.upper()
    command, environment = thidua_command(
        tmp_path / "bot.db", **{f"{prefix}_BOT_TOKEN": SECRET, f"{prefix}_API_URL": api_url}, **env
    )
    process = await asyncio.create_subprocess_exec(
        *command,
        "run",
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode is not None
    return process.returncode, output.decode()


@pytest.mark.parametrize(
    ("channel", "api", "debug"),
    [
        ("telegram", "closed-port", False),
        ("telegram", "redirect-loop", False),
        ("telegram", "redirect-loop", True),
        ("zalo", "redirect-loop", True),
    ],
    ids=["closed-port", "redirect-loop", "redirect-loop-debug", "zalo-redirect-loop-debug"],
)
async def test_a_dead_bot_api_ends_the_bot_in_one_line_without_the_token(
    tmp_path: Path, redirect_loop: str, channel: str, api: str, debug: bool
) -> None:
    api_url = f"http://127.0.0.1:{closed_port()}" if api == "closed-port" else redirect_loop
    code, output = await run_bot(tmp_path, channel, api_url, LOG_LEVEL="DEBUG" if debug else "INFO")
    assert code == 1, output
    assert SECRET not in output and quote(SECRET) not in output and "AAH-very-secret" not in output
    last = output.strip().splitlines()[-1]
    assert last.startswith(f"thidua: {channel.capitalize()}"), output
    assert ("Traceback" in output) is debug


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_console_person_is_reminded_before_writing_anything(
    app: App, clock: FakeClock
) -> None:
    await _demo_person(app, "demo")
    out = io.StringIO()
    app.delivery.register(ConsoleChannel(out))
    clock.advance(datetime(2025, 10, 2, 8, 0, tzinfo=LOCAL_ZONE) - clock.now())
    assert await run_reminders(app, clock.now()) == 1
    await app.delivery.run_once()
    assert "⏰ Nhắc báo cáo số liệu tháng 9/2025 của Phường Sa Pa" in out.getvalue()
    assert "1. Báo cáo ngay" in out.getvalue()
