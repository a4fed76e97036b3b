"""Secrets never reach a log line; the console chat runs the same conversation as Telegram."""

import io
import logging

import pytest

from bot.app import App
from bot.channels.console import chat
from bot.cli import DEMO_UNIT, _demo_person
from bot.logs import Redact

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


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_console_runs_a_report_with_numbered_choices(app: App) -> None:
    unit_name = await _demo_person(app, "demo")
    typed = iter(["/baocao", "1", "8a", "1.250.000", "bo qua", "xac nhan", "/thoat"])
    out = io.StringIO()
    await chat(app.conversations, "banner", read_line=lambda: next(typed), out=out)
    screen = out.getvalue()
    assert unit_name == "Phường Sa Pa" and DEMO_UNIT == "phuong-sa-pa"
    # Listed by the directive's number: "1" is target 1 (not the ward's), not the first line.
    assert "\n8a. Số lượt khách du lịch\n" in screen and "\n1. " not in screen.split("Bỏ qua")[0]
    assert "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) (chỉ tiêu 1): không được giao" in screen
    assert "1. Bỏ qua" in screen and "1. ✅ Xác nhận" in screen
    assert "✅ Đã ghi nhận: Số lượt khách du lịch – 1.250.000 lượt, tháng 9/2025." in screen
