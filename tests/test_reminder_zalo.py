"""A reminder reaches a Zalo user as numbered text, and its numbers work."""

from bot.app import App
from domain.clock import FakeClock
from schedules.reminders import run_reminders
from tests.fake_zalo import FakeZalo
from tests.test_reminder_job import local
from tests.test_zalo_channel import (  # noqa: F401  (fixtures)
    Chat,
    channel,
    invite,
    polling,
    zalo,
)


async def test_a_zalo_user_answers_a_reminder_by_number(
    app: App,
    zalo: FakeZalo,  # noqa: F811
    polling: object,  # noqa: F811
    clock: FakeClock,
) -> None:
    clock.set(local("28/08", "10:00"))
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app, "xa-y-ty"))
    clock.set(local("03/09", "08:00"))
    assert await run_reminders(app, clock.now()) == 1
    await app.delivery.run_once()
    (reminder,) = await chat.answer()
    assert "Nhắc báo cáo số liệu tháng 8/2025 của Xã Y Tý" in reminder
    assert reminder.endswith("1. Báo cáo ngay\n2. Nhắc lại sau 2 giờ\n3. Ngày mai")
    (snoozed,) = await chat.say("2")
    assert snoozed == "Sẽ nhắc lại lúc 10:00."
    clock.set(local("03/09", "10:00"))
    assert await run_reminders(app, clock.now()) == 1
    await app.delivery.run_once()
    (again,) = await chat.answer()
    assert "Nhắc báo cáo số liệu tháng 8/2025" in again and "1. Báo cáo ngay" in again
    (form,) = await chat.say("1")
    assert "Báo cáo tháng 8/2025" in form and "Chọn chỉ tiêu" in form
