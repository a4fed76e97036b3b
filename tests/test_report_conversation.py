"""The report conversation through the real aiogram Dispatcher, checked in the database."""

from decimal import Decimal

from sqlalchemy import select

from storage.models import Report
from tests.conftest import TelegramBot


async def reports(telegram: TelegramBot) -> list[Report]:
    async with telegram.app.sessions() as session:
        return list(await session.scalars(select(Report).order_by(Report.id)))


async def test_a_full_report_is_stored_and_acknowledged(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await chat.say("/baocao")
    assert "tháng 9/2025" in replies[-1] and "05/10/2025" in replies[-1]
    await chat.press("lượt khách")
    replies = await chat.say("1.250.000 lượt")
    assert "ghi chú" in replies[-1].lower()
    replies = await chat.press("Bỏ qua")
    assert "1.250.000 lượt" in replies[-1]
    replies = await chat.press("Xác nhận")
    assert "Đã ghi nhận" in replies[0] and "1.250.000 lượt" in replies[0]
    (report,) = await reports(telegram)
    assert report.value == Decimal(1250000)
    assert (report.period, report.revision, report.channel) == ("2025-09", 1, "telegram")
