"""Reminders over a fake-clock month, through the real Dispatcher and the delivery engine, on
SQLite and PostgreSQL: who is reminded of what, when, and only once."""

import asyncio
from datetime import datetime

from sqlalchemy import func, select

from bot.app import App
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from schedules.reminders import run_reminders
from storage.models import Away, Membership, Outbox, Report, Snooze, Unit
from tests.conftest import TelegramBot
from tests.recording import TelegramChat

REPORTER, COLLEAGUE, HEAD, Y_TY, ADMIN = 1001, 1002, 1003, 1004, 1005


def local(day: str, hour_minute: str = "08:00") -> datetime:
    """ "03/09", "08:30" → that moment in 2025, Vietnam time."""
    return datetime.strptime(f"{day}/2025 {hour_minute}", "%d/%m/%Y %H:%M").replace(
        tzinfo=LOCAL_ZONE
    )


class Month:
    """The reminder job and the delivery engine, run at chosen moments of a fake clock."""

    def __init__(self, telegram: TelegramBot, clock: FakeClock) -> None:
        self.telegram, self.app, self.clock = telegram, telegram.app, clock

    async def run(self, day: str, hour_minute: str = "08:00") -> dict[int, list[str]]:
        """Run the job at that moment and send what it queued: the texts each chat got."""
        self.clock.set(local(day, hour_minute))
        before = len(self.telegram.session.requests)
        await run_reminders(self.app, self.clock.now())
        await self.app.delivery.run_once()
        sent: dict[int, list[str]] = {}
        for request in self.telegram.session.requests[before:]:
            sent.setdefault(int(getattr(request, "chat_id", 0)), []).append(
                getattr(request, "text", "")
            )
        return sent


async def join(telegram: TelegramBot, user_id: int, unit: str, role: str) -> TelegramChat:
    await telegram.app.delivery.drain()  # SQLite: no write of ours beside the engine's
    chat = telegram.user(user_id)
    await chat.say("/start " + await telegram.invite(unit, role))
    return chat


async def report_half(app: App, unit_code: str, period: str) -> list[str]:
    """Store a figure for the first half of the unit's indicators; the names of the others."""
    catalog = app.conversations.catalog
    assert catalog is not None
    await app.delivery.drain()
    async with app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        person = await session.scalar(
            select(Membership.person_id).where(Membership.unit_id == unit.id)
        )
        assigned = catalog.assigned(unit.code, unit.kind)
        half = len(assigned) // 2
        for indicator in assigned[:half]:
            session.add(
                Report(
                    indicator_id=catalog.indicator_ids[indicator.code],
                    unit_id=unit.id,
                    period=period,
                    revision=1,
                    value=1,
                    person_id=person,
                    channel="telegram",
                    created_at=app.clock.now(),
                )
            )
    return [indicator.name for indicator in assigned[half:]]


def assigned_names(app: App, unit_code: str, kind: str) -> list[str]:
    catalog = app.conversations.catalog
    assert catalog is not None
    return [indicator.name for indicator in catalog.assigned(unit_code, kind)]


async def test_a_month_of_reminders(telegram: TelegramBot, clock: FakeClock) -> None:
    app = telegram.app
    clock.set(local("28/08", "10:00"))
    reporter = await join(telegram, REPORTER, "phuong-sa-pa", "reporter")
    colleague = await join(telegram, COLLEAGUE, "phuong-sa-pa", "reporter")
    await join(telegram, HEAD, "phuong-sa-pa", "head")
    y_ty = await join(telegram, Y_TY, "xa-y-ty", "reporter")
    await join(telegram, ADMIN, "so-noi-vu", "admin")
    y_ty_missing = await report_half(app, "xa-y-ty", "2025-08")
    sa_pa = assigned_names(app, "phuong-sa-pa", "ward")
    (away,) = await colleague.say("/vang 05/09")
    assert "đến hết ngày 05/09/2025" in away
    month = Month(telegram, clock)

    # 02/09 is Quốc khánh: the reminder 3 days before the 05/09 deadline waits for 03/09.
    assert await month.run("02/09") == {}
    assert await month.run("03/09", "06:59") == {}  # quiet hours
    sent = await month.run("03/09")
    assert set(sent) == {REPORTER, Y_TY}  # the colleague is away; the head is not needed
    (reminder,) = sent[REPORTER]
    assert "tháng 8/2025" in reminder and "05/09/2025" in reminder and "còn 2 ngày" in reminder
    assert all(name in reminder for name in sa_pa)
    (half,) = sent[Y_TY]
    assert f"Còn thiếu {len(y_ty_missing)} chỉ tiêu" in half
    assert all(name in half for name in y_ty_missing)
    assert [label for label, _ in reporter.last_buttons()] == [
        "Báo cáo ngay",
        "Nhắc lại sau 2 giờ",
        "Ngày mai",
    ]
    assert await month.run("03/09", "08:01") == {}  # the job runs every minute: once only

    # Snoozed for 2 hours, and to the next working day.
    (later,) = await reporter.press("Nhắc lại sau 2 giờ")
    assert later == "Sẽ nhắc lại lúc 10:01."
    (tomorrow,) = await y_ty.press("Ngày mai")
    assert tomorrow == "Sẽ nhắc lại lúc 08:00 ngày 04/09/2025."
    assert await month.run("03/09", "10:00") == {}
    sent = await month.run("03/09", "10:01")
    assert set(sent) == {REPORTER} and "Còn thiếu" in sent[REPORTER][0]
    assert await month.run("03/09", "10:02") == {}

    # Both focal points away on 04/09: the head is reminded in their place.
    clock.set(local("04/09", "07:30"))
    await reporter.say("/vang 4/9")
    sent = await month.run("04/09")
    assert set(sent) == {HEAD, Y_TY}  # Y Tý: its own 1-day reminder (its snooze says the same)
    assert "còn 1 ngày" in sent[HEAD][0]
    clock.set(local("04/09", "17:00"))
    (back,) = await reporter.say("/vang huy")
    assert "như thường" in back

    # A form in progress is not interrupted: the reminder waits until it is idle 30 minutes.
    clock.set(local("05/09", "07:50"))
    await reporter.say("/baocao")
    sent = await month.run("05/09")
    assert REPORTER not in sent and "hôm nay là hạn cuối" in sent[Y_TY][0]
    assert REPORTER not in await month.run("05/09", "08:19")
    sent = await month.run("05/09", "08:20")
    assert "hôm nay là hạn cuối" in sent[REPORTER][0]
    await reporter.say("/huy")

    # Weekend: the reminder 1 day after the deadline (Saturday) and 3 days after (Monday) go
    # once, on Monday; the colleague is back.
    assert await month.run("06/09") == {}
    sent = await month.run("08/09")
    assert {REPORTER, COLLEAGUE, Y_TY} <= set(sent)
    assert "đã quá hạn 3 ngày" in sent[COLLEAGUE][0]

    # The admins' daily list of late units, grouped by block and cluster, once a day.
    sent = await month.run("08/09", "08:30")
    (late_list, *_rest) = sent[ADMIN]
    assert "Đơn vị chậm nộp số liệu, ngày 08/09/2025" in late_list
    assert "Cụm thi đua: Cụm các phường" in late_list
    assert f"• Phường Sa Pa: tháng 8/2025 thiếu {len(sa_pa)} chỉ tiêu" in "\n".join(sent[ADMIN])
    assert set(sent) == {ADMIN}
    assert await month.run("08/09", "12:00") == {}

    # Five days overdue: the head is told which indicators are late.
    sent = await month.run("10/09")
    # Only heads (Y Tý's has not joined); the admin's list is yesterday's, missed until now.
    assert set(sent) == {HEAD, ADMIN}
    assert "đã quá hạn 5 ngày" in sent[HEAD][0] and all(n in sent[HEAD][0] for n in sa_pa)
    assert await month.run("10/09") == {}

    async with app.sessions() as session:
        keys = list(await session.scalars(select(Outbox.key).where(Outbox.kind == "reminder")))
        states = set(await session.scalars(select(Outbox.state).where(Outbox.kind == "reminder")))
    assert len(keys) == len(set(keys)) and states == {"sent"}


async def test_reporting_everything_ends_the_reminders_and_a_snooze_of_it(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("28/08", "10:00"))
    y_ty = await join(telegram, Y_TY, "xa-y-ty", "reporter")
    month = Month(telegram, clock)
    assert Y_TY in await month.run("03/09")
    buttons = dict(y_ty.last_buttons())
    (later,) = await y_ty.press_data(buttons["Nhắc lại sau 2 giờ"])
    assert "10:00" in later
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    async with telegram.app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "xa-y-ty"))
        assert unit is not None
        person = await session.scalar(select(Membership.person_id))
        for indicator in catalog.assigned(unit.code, unit.kind):
            session.add(
                Report(
                    indicator_id=catalog.indicator_ids[indicator.code],
                    unit_id=unit.id,
                    period="2025-08",
                    revision=2,
                    value=2,
                    person_id=person,
                    channel="telegram",
                    created_at=clock.now(),
                )
            )
    assert await month.run("03/09", "10:00") == {}
    assert await month.run("04/09") == {}
    (done,) = await y_ty.press_data(buttons["Nhắc lại sau 2 giờ"])
    assert "đã báo cáo đủ" in done


async def test_snooze_of_a_closed_period_and_bad_away_dates(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("28/08", "10:00"))
    chat = await join(telegram, Y_TY, "xa-y-ty", "reporter")
    month = Month(telegram, clock)
    await month.run("03/09")
    clock.set(local("06/10", "09:00"))  # August's lock (30 days after 05/09) has passed
    (closed,) = await chat.press("Ngày mai")
    assert "tháng 8/2025 đã khóa" in closed
    assert (await chat.say("/vang"))[0].startswith("Để tạm dừng nhắc việc")
    assert "Không đọc được ngày “mai”" in (await chat.say("/vang mai"))[0]
    assert "05/10/2025 đã qua" in (await chat.say("/vang 05/10/2025"))[0]
    assert "31/02" in (await chat.say("/away 31/02"))[0]
    assert (await chat.say("/vang huy"))[0] == "Bạn chưa báo vắng."
    (someone_else,) = await chat.press_data("cmd:snooze 999:2025-09:before-3 2h")
    assert "không còn dùng được" in someone_else
    async with telegram.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Away)) == 0
        assert await session.scalar(select(func.count()).select_from(Snooze)) == 0


async def test_two_runs_at_once_queue_each_reminder_once(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    """Two processes running the job together (on PostgreSQL truly at once): the outbox's
    unique key lets one reminder through."""
    clock.set(local("28/08", "10:00"))
    await join(telegram, REPORTER, "phuong-sa-pa", "reporter")
    await join(telegram, Y_TY, "xa-y-ty", "reporter")
    await telegram.app.delivery.drain()
    clock.set(local("03/09"))
    first, second = await asyncio.gather(
        run_reminders(telegram.app, clock.now()), run_reminders(telegram.app, clock.now())
    )
    assert first + second == 2
    async with telegram.app.sessions() as session:
        assert await session.scalar(select(func.count()).where(Outbox.kind == "reminder")) == 2


async def test_in_english_and_snoozed_from_inside_a_form(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("28/08", "10:00"))
    await telegram.app.delivery.drain()
    chat = telegram.user(Y_TY, language="en")
    await chat.say("/start " + await telegram.invite("xa-y-ty", "reporter"))
    month = Month(telegram, clock)
    (reminder,) = (await month.run("03/09"))[Y_TY]
    assert reminder.startswith("⏰ Reminder: Xã Y Tý's figures for August 2025 are due 05/09/2025")
    assert "(2 days left)" in reminder
    buttons = dict(chat.last_buttons())
    assert list(buttons) == ["Report now", "Remind me in 2 hours", "Tomorrow"]
    await chat.say("/report")  # a form is open when the button is pressed
    replies = await chat.press_data(buttons["Tomorrow"])
    assert replies[0].startswith("I will remind you again at 08:00 on 04/09/2025.")
    assert "indicator" in replies[-1]  # and the form's question again
