"""The scheduler: APScheduler runs the jobs (reminders, campaign updates, notices, digests), each at its
own interval, while the bot runs.

Its job is built at start-up (kept in memory, never pickled) and reads the campaign and the
database afresh at every run, on the app's clock (a fake or shifted clock works). Nothing is
decided by the scheduler itself: a run that is missed, doubled or cut short changes nothing,
since what goes out, and that it goes once, is decided by the outbox keys.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from schedules import Running
from schedules.broadcasts import run_broadcasts
from schedules.digests import run_digests
from schedules.notices import tell_admins_of_guessing
from schedules.reminders import run_reminders

log = logging.getLogger(__name__)


async def run_notices(app: Running, now: datetime) -> int:
    """Tell the admins of invite guessing, once per trip."""
    catalog = app.conversations.catalog
    zone = catalog.campaign.zone if catalog else ZoneInfo("UTC")
    async with app.writing() as session:
        queued = await tell_admins_of_guessing(session, app.conversations.capabilities, now, zone)
    if queued:
        app.delivery.wake()
    return queued


@dataclass(frozen=True)
class Job:
    run: Callable[[Running, datetime], Awaitable[int]]
    every: int  # seconds


JOBS: dict[str, Job] = {
    "reminders": Job(run_reminders, 60),  # a scan of every unit: reminders are set to minutes
    "campaign updates": Job(run_broadcasts, 15),  # an update "sent now" waits for it
    "notices": Job(run_notices, 60),
    "digests": Job(run_digests, 60),  # a run that finds everyone served reads no standings
}


async def tick(app: Running, name: str) -> None:
    """One run of a job, in the process that holds the scheduler; a failure is logged and the
    next run tries again."""
    if not app.holds_scheduler:
        return
    try:
        queued = await JOBS[name].run(app, app.clock.now())
    except asyncio.CancelledError:  # the bot stops: the transaction rolls back, a start redoes it
        log.info("%s: run stopped by shutdown", name.capitalize())
        return
    except Exception:
        log.exception("%s: run failed; the next one tries again", name.capitalize())
        return
    if queued:
        log.info("%s queued: %d", name.capitalize(), queued)


def start(app: Running) -> AsyncIOScheduler:
    """Start the scheduler on the running event loop: each job runs now, then at its interval,
    whenever this process holds the scheduler (`run_all_now` when it takes it over). Stop it
    with `scheduler.shutdown(wait=False)`, which cancels a run in progress."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    for name, job in JOBS.items():
        scheduler.add_job(
            tick,
            IntervalTrigger(seconds=job.every, timezone=UTC),
            args=[app, name],
            id=name,
            next_run_time=datetime.now(UTC),
            coalesce=True,
            max_instances=1,
            misfire_grace_time=job.every,
        )
    scheduler.start()
    return scheduler


def run_all_now(scheduler: AsyncIOScheduler) -> None:
    """Run every job at once (this process has just taken the scheduler over)."""
    for job in scheduler.get_jobs():
        job.modify(next_run_time=datetime.now(UTC))
