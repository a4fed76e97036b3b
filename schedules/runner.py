"""The scheduler: APScheduler runs the reminder job every minute while the bot runs.

Its job is built at start-up (kept in memory, never pickled) and reads the campaign and the
database afresh at every run, on the app's clock (a fake or shifted clock works). Nothing is
decided by the scheduler itself: a run that is missed, doubled or cut short changes nothing,
since what goes out, and that it goes once, is decided by the outbox keys.
"""

import asyncio
import logging
from datetime import UTC, datetime
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from domain.clock import Clock
from schedules.reminders import AppLike, run_reminders

log = logging.getLogger(__name__)
EVERY_SECONDS = 60


class Clocked(AppLike, Protocol):
    """An app with its clock (bot.app.App)."""

    @property
    def clock(self) -> Clock: ...


async def tick(app: Clocked) -> None:
    """One run of the reminder job; a failure is logged and the next run tries again."""
    try:
        queued = await run_reminders(app, app.clock.now())
    except asyncio.CancelledError:  # the bot stops: its transaction rolls back, a start redoes it
        log.info("Reminder run stopped by shutdown")
        return
    except Exception:
        log.exception("Reminder run failed; the next one tries again")
        return
    if queued:
        log.info("Reminders queued: %d", queued)


def start(app: Clocked) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop: a first run now, then every minute.
    Stop it with `scheduler.shutdown(wait=False)`, which cancels a run in progress."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
        IntervalTrigger(seconds=EVERY_SECONDS, timezone=UTC),
        args=[app],
        id="reminders",
        next_run_time=datetime.now(UTC),
        coalesce=True,
        max_instances=1,
        misfire_grace_time=EVERY_SECONDS,
    )
    scheduler.start()
    return scheduler
