"""The digest job at scale: the weekly digest to 10.000 units' focal points and the monthly
summary to the admins, on the read model's large campaign (bench/standings_bench.py: 10.000
units in 200 clusters of 50, 100.000 report rows), on SQLite and on PostgreSQL.

Each unit gets one reporter (a console identity), the province five admins. It times one run
of the job at Monday 05/01/2026 08:00 (a digest for each of the 10.000 focal points: 200
cluster leaderboards), the run a minute later (everything already queued: no standings
read), and the monthly run at 06/01/2026 08:00 (five admins). Prints seconds and how many
messages each run queued.

    .venv/bin/python -m bench.digest_bench [--database sqlite|postgres|both] [--rows 100000]
"""

import argparse
import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.standings_bench import (
    NOW,
    REVISED,
    UNITS,
    _table,
    build_campaign,
    fill,
    scratch_engine,
    slots,
)
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from handlers.types import Capabilities
from schedules.digests import run_digests
from storage.campaigns import Catalog
from storage.db import make_sessions
from storage.models import Identity, Membership, Person

ADMINS = 5
CONSOLE = Capabilities(
    numbered=True, evidence=frozenset(), linkable=False, documents=False, text_limit=4000
)


@dataclass
class Conversations:
    catalog: Catalog | None
    capabilities: Mapping[str, Capabilities]


class Idle:
    def wake(self) -> None:
        """Nothing is sent: the bench times the queueing."""


@dataclass
class Bot:
    """What the job needs of the running bot (schedules.Running)."""

    clock: FakeClock
    conversations: Conversations
    delivery: Idle
    sessions: async_sessionmaker[AsyncSession]
    holds_scheduler: bool = True  # the only process

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions.begin() as session:
            yield session


async def add_people(bot: Bot) -> None:
    """A reporter for each unit and the admins (of unit 1), each with a console chat."""
    people = [(n, n - 1 if n > 1 else 1, "reporter") for n in range(2, UNITS + 2)]
    people += [(UNITS + 1 + n, 1, "admin") for n in range(1, ADMINS + 1)]
    async with bot.writing() as session:
        for table, made in (
            (
                Person,
                [{"id": i, "display_name": f"Người {i}", "created_at": NOW} for i, _, _ in people],
            ),
            (
                Identity,
                [
                    {
                        "channel": "console",
                        "user_id": str(i),
                        "person_id": i,
                        "chat_id": str(i),
                        "last_seen_at": NOW,
                    }
                    for i, _, _ in people
                ],
            ),
            (
                Membership,
                [
                    {"person_id": i, "unit_id": unit, "role": role, "created_at": NOW}
                    for i, unit, role in people
                ],
            ),
        ):
            await session.execute(insert(_table(table)), made)


async def timed_run(bot: Bot, at: datetime) -> tuple[float, int]:
    bot.clock.set(at)
    started = time.perf_counter()
    queued = await run_digests(bot, at)
    return time.perf_counter() - started, queued


async def run(database: str, rows: int) -> None:
    async with scratch_engine(database) as engine:
        catalog = await build_campaign(engine)
        await fill(engine, catalog, slots(catalog)[: round(rows / (1 + REVISED))])
        if database == "postgres":
            async with engine.connect() as connection:
                await connection.exec_driver_sql("ANALYZE")
        bot = Bot(
            FakeClock(NOW),
            Conversations(catalog, {"console": CONSOLE}),
            Idle(),
            make_sessions(engine),
        )
        await add_people(bot)
        monday = datetime(2026, 1, 5, 8, tzinfo=LOCAL_ZONE)
        for what, at in (
            ("weekly", monday),
            ("weekly again", monday.replace(minute=1)),
            ("monthly", datetime(2026, 1, 6, 8, tzinfo=LOCAL_ZONE)),
        ):
            seconds, queued = await timed_run(bot, at)
            print(f"{database:8} {what:13} {seconds:7.2f} s, {queued:6,} queued", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
        asyncio.run(run(database, args.rows))


if __name__ == "__main__":
    main()
