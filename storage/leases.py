"""Leases: each running process keeps its own alive, one process at a time holds the
scheduler's, and what a process whose lease lapsed was doing is taken over by the others.

A lease is renewed by its holder every few seconds; one not renewed for its whole term
belongs to a process that died (or hung), and anyone may take it. Works alike on SQLite and
PostgreSQL: a row per lease, taken by a conditional UPDATE.
"""

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from storage.db import insert_ignoring
from storage.models import Lease

PROCESS = "process:"  # + the process's name: renewed while it runs
SCHEDULER = "scheduler"
FORGET_AFTER = timedelta(hours=1)  # a lapsed process's row is deleted after this
_LEASES = cast(Table, Lease.__table__)


async def take(
    session: AsyncSession, name: str, holder: str, now: datetime, term: timedelta
) -> bool:
    """Renew the lease if `holder` has it, take it if it has lapsed or never existed; whether
    `holder` has it now."""
    renewed = await session.execute(
        update(_LEASES)
        .where(
            _LEASES.c.name == name,
            or_(_LEASES.c.holder == holder, _LEASES.c.expires_at < now),
        )
        .values(holder=holder, expires_at=now + term)
    )
    if getattr(renewed, "rowcount", 0):
        return True
    statement = insert_ignoring(_LEASES, session.get_bind().dialect.name, ("name",), "name")
    created = await session.execute(
        statement, [{"name": name, "holder": holder, "expires_at": now + term}]
    )
    return bool(created.all())


def live_holders(now: datetime) -> Select[tuple[str]]:
    """The names of the processes whose lease has not lapsed (a subquery for other tables)."""
    return select(_LEASES.c.holder).where(
        _LEASES.c.name.startswith(PROCESS), _LEASES.c.expires_at >= now
    )


async def live_processes(session: AsyncSession, now: datetime) -> int:
    """How many processes are running."""
    return len((await session.execute(live_holders(now))).all())


async def give_up(session: AsyncSession, holder: str) -> None:
    """A process that stops cleanly hands its leases back: the scheduler is taken over at once."""
    await session.execute(delete(_LEASES).where(_LEASES.c.holder == holder))


async def forget_lapsed(session: AsyncSession, now: datetime) -> None:
    """Drop the rows of processes that died long ago."""
    await session.execute(
        delete(_LEASES).where(
            _LEASES.c.name.startswith(PROCESS), _LEASES.c.expires_at < now - FORGET_AFTER
        )
    )
