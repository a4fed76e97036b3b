"""The scheduler runs the reminder job on the app's clock, as the bot starts it."""

import asyncio

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from domain.clock import FakeClock
from schedules import runner
from storage.models import Outbox
from tests.conftest import TelegramBot
from tests.test_reminder_job import Y_TY, join, local


async def reminder_keys(telegram: TelegramBot) -> list[str | None]:
    async with telegram.app.sessions() as session:
        return list(await session.scalars(select(Outbox.key).where(Outbox.kind == "reminder")))


async def test_the_scheduler_runs_the_job_at_start_then_every_minute(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("28/08", "10:00"))
    await join(telegram, Y_TY, "xa-y-ty", "reporter")
    await telegram.app.delivery.drain()
    clock.set(local("03/09", "08:00"))  # the fake clock, not the machine's, says when
    await telegram.app.leases.join()  # the one process: it holds the scheduler
    scheduler = runner.start(telegram.app)
    try:
        job = scheduler.get_job("reminders")
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval.total_seconds() == 60
        for _ in range(200):  # the first run is at once
            if keys := await reminder_keys(telegram):
                break
            await asyncio.sleep(0.05)
        assert [key.rsplit(":", 2)[1:] for key in keys if key] == [["2025-08", "before-3"]]
    finally:
        scheduler.shutdown(wait=False)
