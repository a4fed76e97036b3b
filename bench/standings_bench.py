"""The read model at scale: one unit's standing, a block's leaderboard, the province overview.

Builds a large campaign on SQLite and on PostgreSQL: 10.000 units in 200 clusters of 50, the
bundled campaign's indicators over 12 monthly periods (January to December 2025), first with
100.000 report rows and then with 1.000.000 (about one figure in ten revised), inserted in
bulk with their current values. At each size it times, each call in its own session as a
handler makes it, `storage.standings.unit_standing` for random units, `leaderboard` for
random clusters and `province_progress`, and prints p50 and p95 and the growth from 100.000 to
1.000.000 rows. Targets: p95 ≤ 20 ms for one unit's standing at a million rows on
PostgreSQL, growth at most 2×.

    .venv/bin/python -m bench.standings_bench [--database sqlite|postgres|both] [--calls 200]

PostgreSQL: the server of THIDUA_TEST_POSTGRES_URL (default 127.0.0.1:5432); a fresh database
is made and dropped.
"""

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.settings import LOCAL_ZONE
from domain.campaign import load_campaign
from domain.periods import deadline, periods_between
from storage import standings
from storage.campaigns import Catalog, read_catalog, save_campaign
from storage.db import make_engine, make_sessions, migrate
from storage.models import (
    CurrentValue,
    Identity,
    Person,
    Report,
    Unit,
    UnitGroup,
    UnitSpell,
)
from tests.conftest import DEFAULT_POSTGRES, _create_database, _drop_database

UNITS = 10_000
GROUP_SIZE = 50
SIZES = (100_000, 1_000_000)
REVISED = 0.1  # share of figures sent again
LATE = 0.2  # share of first figures after the deadline
BATCH = 20_000
NOW = datetime(2026, 1, 10, 9, tzinfo=LOCAL_ZONE)  # every month of 2025 due
KINDS = ("commune",) * 9 + ("ward",)  # nine communes to a ward, as in Lào Cai


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


async def build_campaign(engine: AsyncEngine) -> Catalog:
    """The bundled campaign over the whole of 2025; 10.000 units in clusters; one reporter."""
    spec = load_campaign(Path("campaigns/lao-cai-2025.yaml")).model_copy(
        update={"starts": datetime(2025, 1, 1).date()}
    )
    sessions = make_sessions(engine)
    async with sessions.begin() as session:
        await save_campaign(session, spec, NOW)
        groups = [
            {"id": n + 1, "code": f"cum-{n + 1}", "kind": "cluster", "name": f"Cụm {n + 1}"}
            for n in range(UNITS // GROUP_SIZE)
        ]
        await session.execute(insert(_table(UnitGroup)), groups)
        units = [
            {
                "id": n + 1,
                "code": f"xa-{n + 1}",
                "kind": KINDS[n % len(KINDS)],
                "name": f"Xã {n + 1}",
                "group_id": n // GROUP_SIZE + 1,
            }
            for n in range(UNITS)
        ]
        await session.execute(insert(_table(Unit)), units)
        spells = [{"unit_id": n + 1, "group_id": n // GROUP_SIZE + 1} for n in range(UNITS)]
        await session.execute(insert(_table(UnitSpell)), spells)
        session.add(Person(id=1, display_name="Bench", created_at=NOW))
        await session.flush()
        session.add(
            Identity(channel="console", user_id="1", person_id=1, chat_id="1", last_seen_at=NOW)
        )
    async with sessions() as session:
        catalog = await read_catalog(session)
    assert catalog is not None
    return catalog


def slots(catalog: Catalog) -> list[tuple[int, int, str]]:
    """Every (unit, indicator, period) a unit reports, in random order."""
    campaign = catalog.campaign
    periods = periods_between(campaign.starts, campaign.ends, campaign.reporting.frequency)
    every = []
    for unit in range(1, UNITS + 1):
        kind = KINDS[(unit - 1) % len(KINDS)]
        for indicator in catalog.assigned(f"xa-{unit}", kind):
            indicator_id = catalog.indicator_ids[indicator.code]
            every += [(unit, indicator_id, period.code) for period in periods]
    random.Random(7).shuffle(every)
    return every


def rows(
    catalog: Catalog, chosen: list[tuple[int, int, str]]
) -> Iterator[tuple[dict[str, Any], ...]]:
    """Report rows (one or two revisions) and the current value of each chosen figure."""
    campaign = catalog.campaign
    due = {
        period.code: datetime.combine(
            deadline(period, campaign.reporting), datetime.min.time(), LOCAL_ZONE
        )
        for period in periods_between(campaign.starts, campaign.ends, campaign.reporting.frequency)
    }
    draw = random.Random(11)
    for unit, indicator_id, period in chosen:
        first = due[period] + timedelta(hours=draw.uniform(-240, 8) if draw.random() > LATE else 48)
        value = Decimal(draw.randint(1, 2000))
        revisions = [value] + ([value + 1] if draw.random() < REVISED else [])
        reports = tuple(
            {
                "indicator_id": indicator_id,
                "unit_id": unit,
                "period": period,
                "revision": n,
                "value": v,
                "person_id": 1,
                "channel": "console",
                "created_at": (first + timedelta(days=n - 1)).astimezone(UTC),
            }
            for n, v in enumerate(revisions, start=1)
        )
        current = {
            "unit_id": unit,
            "indicator_id": indicator_id,
            "period": period,
            "value": revisions[-1],
            "revision": len(revisions),
            "first_at": first.astimezone(UTC),
            "updated_at": reports[-1]["created_at"],
        }
        yield (*reports, current)


async def fill(engine: AsyncEngine, catalog: Catalog, chosen: list[tuple[int, int, str]]) -> int:
    """Insert the reports and current values of these figures in bulk; the report rows added."""
    sessions = make_sessions(engine)
    added = 0
    reports: list[dict[str, Any]] = []
    currents: list[dict[str, Any]] = []

    async def flush(session: AsyncSession) -> None:
        if reports:
            await session.execute(insert(_table(Report)), reports)
            await session.execute(insert(_table(CurrentValue)), currents)
            reports.clear()
            currents.clear()

    async with sessions.begin() as session:
        for *made, current in rows(catalog, chosen):
            reports.extend(made)
            currents.append(current)
            added += len(made)
            if len(reports) >= BATCH:
                await flush(session)
        await flush(session)
    return added


async def timed(
    calls: int, call: Callable[[AsyncSession], Awaitable[object]], engine: AsyncEngine
) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds of each call: on a machine shared with
    other work the first waits for a core, the second does not (the database server's own
    time, on PostgreSQL, is in the first only)."""
    sessions = make_sessions(engine)
    wall, cpu = [], []
    for _ in range(calls):
        async with sessions() as session:
            started, used = time.perf_counter(), time.process_time()
            await call(session)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return wall, cpu


def percentile(timings: list[float], share: float) -> float:
    if len(timings) == 1:
        return timings[0]
    return statistics.quantiles(timings, n=100, method="inclusive")[int(share * 100) - 1]


async def measure(
    engine: AsyncEngine, catalog: Catalog, calls: int
) -> dict[str, tuple[float, float, float]]:
    draw = random.Random(3)
    groups = UNITS // GROUP_SIZE

    async def one_standing(session: AsyncSession) -> object:
        return await standings.unit_standing(session, catalog, draw.randint(1, UNITS), NOW)

    async def one_board(session: AsyncSession) -> object:
        return await standings.leaderboard(session, catalog, NOW, draw.randint(1, groups))

    async def overview(session: AsyncSession) -> object:
        return await standings.province_progress(session, catalog, NOW)

    await timed(5, one_standing, engine)  # warm the caches
    results = {}
    for name, call, n in (
        ("standing", one_standing, calls),
        ("leaderboard", one_board, max(calls // 4, 2)),
        ("province", overview, 3),
    ):
        wall, cpu = await timed(n, call, engine)
        results[name] = (percentile(wall, 0.5), percentile(wall, 0.95), percentile(cpu, 0.5))
    return results


@asynccontextmanager
async def scratch_engine(database: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database of its own, "sqlite" (a file in a temporary folder) or "postgres"
    (THIDUA_TEST_POSTGRES_URL's server, or the local one), dropped afterwards."""
    name = f"thidua_bench_{uuid.uuid4().hex[:8]}"
    server = os.environ.get("THIDUA_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    with tempfile.TemporaryDirectory() as folder:
        if database == "postgres":
            await _create_database(server, name)
            url = f"{server.rpartition('/')[0]}/{name}"
        else:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        try:
            await migrate(engine)
            yield engine
        finally:
            await engine.dispose()
            if database == "postgres":
                await _drop_database(server, name)


async def run(database: str, calls: int) -> None:
    async with scratch_engine(database) as engine:
        catalog = await build_campaign(engine)
        every = slots(catalog)
        results = {}
        taken = 0
        for size in SIZES:
            wanted = round(size / (1 + REVISED))
            started = time.perf_counter()
            inserted = await fill(engine, catalog, every[taken:wanted])
            taken = wanted
            if database == "postgres":  # what autovacuum does on a live database
                async with engine.connect() as connection:
                    await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await connection.exec_driver_sql("VACUUM ANALYZE")
            print(
                f"{database}: +{inserted:,} report rows in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            results[size] = await measure(engine, catalog, calls)
        small, large = results[SIZES[0]], results[SIZES[1]]
        for what in small:
            (p50a, p95a, cpu_a), (p50b, p95b, cpu_b) = small[what], large[what]
            print(
                f"{database:8} {what:11} 100k p50 {p50a:8.1f} ms p95 {p95a:8.1f} ms"
                f" (cpu p50 {cpu_a:7.1f} ms) | 1M p50 {p50b:8.1f} ms p95 {p95b:8.1f} ms"
                f" (cpu p50 {cpu_b:7.1f} ms) | growth p95 {p95b / p95a:4.2f}×"
                f" | load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    for database in ("sqlite", "postgres") if args.database == "both" else (args.database,):
        asyncio.run(run(database, args.calls))


if __name__ == "__main__":
    main()
