"""Several processes on one database: each renews its lease every BEAT seconds, one holds the
scheduler, and a process that died is noticed when its lease lapses (TERM).

At each beat this process also
- takes the scheduler's lease when it has lapsed (its holder died) or was given back;
- queues again the outbox rows a dead process was sending (never a live one's);
- shares each channel's rate among the processes alive;
- reads the outbox depth for /metrics.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import metrics
from bot.delivery.engine import Delivery
from bot.delivery.throttle import MARGIN
from domain.clock import Clock, SystemClock
from storage import leases, outbox

BEAT = 2.0  # seconds between renewals
TERM = timedelta(seconds=8)  # a lease not renewed for this long belongs to a dead process
log = logging.getLogger(__name__)


def join_hold(beat: float = BEAT) -> float:
    """Seconds a process joining others sends nothing: by then each has renewed and seen it."""
    return beat * 1.5 + MARGIN


class Leases:
    """This process's leases. Their times are the machine's real clock (`real`), never a
    demo's shifted clock, so that processes started at different moments agree."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_guard: AbstractAsyncContextManager[object],
        clock: Clock,
        delivery: Delivery,
        real: Clock | None = None,
        beat: float = BEAT,
        term: timedelta = TERM,
        own_engine: AsyncEngine | None = None,
    ) -> None:
        self.sessions = sessions
        self.own_engine = own_engine  # its connection, closed by `close`
        self.write_guard = write_guard
        self.clock = clock
        self.delivery = delivery
        self.real = real or SystemClock()
        self.beat_seconds = beat
        self.term = term
        self.name = delivery.owner  # the outbox rows this process sends carry it
        self.holds_scheduler = False
        self.on_scheduler: Callable[[], None] | None = None  # called when it is taken over

    async def join(self) -> None:
        """The first beat, before any update is taken. When other processes run, send nothing
        until each has seen this one and lowered its share of the rate."""
        processes = await self.beat()
        if processes > 1:
            self.delivery.hold(join_hold(self.beat_seconds))

    async def run(self, stop: asyncio.Event) -> None:
        """Beat until `stop` is set; then give the leases back."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self.beat_seconds)
            except TimeoutError:
                try:
                    await self.beat()
                except Exception:
                    log.exception(
                        "Leases: could not renew; trying again in %.0f s", self.beat_seconds
                    )
        async with self.write_guard, self.sessions.begin() as session:
            await leases.give_up(session, self.name)
        self.holds_scheduler = False
        metrics.SCHEDULER.set(0)
        await self.close()

    async def close(self) -> None:
        if self.own_engine is not None:
            await self.own_engine.dispose()

    async def beat(self) -> int:
        """Renew, take over what the dead left; how many processes are alive. Sending stops
        a beat before this renewal would lapse, should the next one be late: by then the
        others may take this process for dead and send its share."""
        started, now = time.monotonic(), self.real.now()
        async with self.write_guard, self.sessions.begin() as session:
            await leases.take(session, leases.PROCESS + self.name, self.name, now, self.term)
            scheduler = await leases.take(session, leases.SCHEDULER, self.name, now, self.term)
            processes = await leases.live_processes(session, now)
            released = await outbox.release_abandoned(session, self.clock.now(), now)
            await leases.forget_lapsed(session, now)
            depth = await outbox.depth(session)
        if released:
            log.info(
                "Delivery: %d messages a stopped process left unsent are queued again", released
            )
            self.delivery.wake()
        self.delivery.share(processes)
        self.delivery.fence(started + self.term.total_seconds() - self.beat_seconds)
        metrics.PROCESSES.set(processes)
        metrics.OUTBOX_DEPTH.set(depth)
        metrics.SCHEDULER.set(int(scheduler))
        taken = scheduler and not self.holds_scheduler
        self.holds_scheduler = scheduler
        if taken:
            log.info("Scheduler: this process runs it now")
            if self.on_scheduler is not None:
                self.on_scheduler()
        return processes
