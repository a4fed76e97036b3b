"""Review at scale: what /duyet, /lichsu and the read model ask of storage/review.py, timed
over a campaign of many report rows, so that the growth from 100.000 to 1.000.000 rows shows.

Each size gets a fresh database, migrated, with the bundled campaign and units plus as many
extra communes as it takes (37 indicators × 12 periods each, 1,5 revisions a value on
average: a third corrected once, a sixth twice). Every revision is logged as submitted or
revised; of the current values 88% are approved, 2% returned and 10% pending. Then, over
`--calls` calls each: one page of the list awaiting review (at one of its first ten pages),
the pending count (the admins' menu), one unit's history of one indicator, one unit's review
statuses for a period (the read model), and approving one figure (a write, committed).
Prints p50 and p95 in milliseconds.

    .venv/bin/python -m bench.review_bench [--rows 100000 1000000] [--calls 200] [--postgres URL]
"""

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bot.app import App, prepare
from bot.settings import Settings
from domain.clock import FakeClock
from storage import review
from storage.models import Indicator, Person, Report, ReviewEvent, ReviewState, Unit
from tests.conftest import CAMPAIGN_MORNING, _create_database, _drop_database

PERIODS = [f"2025-{month:02d}" for month in range(1, 13)]
CHUNK = 20_000  # rows a statement


async def build(app: App, rows: int, seed: int) -> None:
    """Units, reports, their log and their states, in chunks."""
    rng = random.Random(seed)
    now = app.clock.now()
    async with app.writing() as session:
        indicator_ids = list(await session.scalars(select(Indicator.id).order_by(Indicator.id)))
        person = Person(display_name="Cán bộ thử", language="vi", created_at=now)
        session.add(person)
        await session.flush()
        per_unit = len(indicator_ids) * len(PERIODS) * 1.5
        extra = max(0, round(rows / per_unit) - 126)
        if extra:
            await session.execute(
                insert(Unit),
                [
                    {"code": f"bench-{n}", "kind": "commune", "name": f"Xã Thử {n}"}
                    for n in range(extra)
                ],
            )
        unit_ids = list(await session.scalars(select(Unit.id).order_by(Unit.id)))
        admin_id = person.id
    reports: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    states: list[dict[str, Any]] = []
    report_id = 0
    written = 0

    async def flush() -> None:
        async with app.writing() as session:
            for table, batch in ((Report, reports), (ReviewEvent, events), (ReviewState, states)):
                for start in range(0, len(batch), CHUNK):
                    await session.execute(insert(table), batch[start : start + CHUNK])
                batch.clear()

    for unit_id in unit_ids:
        for indicator_id in indicator_ids:
            for period in PERIODS:
                if written >= rows:
                    break
                revisions = rng.choice((1, 1, 1, 2, 2, 3))
                for revision in range(1, revisions + 1):
                    report_id += 1
                    at = now - timedelta(minutes=rng.randrange(1, 500_000))
                    reports.append(
                        {
                            "id": report_id,
                            "indicator_id": indicator_id,
                            "unit_id": unit_id,
                            "period": period,
                            "revision": revision,
                            "value": Decimal(rng.randrange(1, 10**6)),
                            "note": None,
                            "reason": "Số liệu chính thức" if revision > 1 else None,
                            "evidence": None,
                            "person_id": admin_id,
                            "channel": "telegram",
                            "created_at": at,
                        }
                    )
                    action = "submitted" if revision == 1 else "revised"
                    events.append(
                        {
                            "report_id": report_id,
                            "action": action,
                            "person_id": admin_id,
                            "channel": "telegram",
                            "comment": None,
                            "at": at,
                        }
                    )
                written += revisions
                draw = rng.random()
                status = "pending" if draw < 0.10 else "returned" if draw < 0.12 else "approved"
                if status != "pending":
                    events.append(
                        {
                            "report_id": report_id,
                            "action": status,
                            "person_id": admin_id,
                            "channel": "zalo",
                            "comment": "Kiểm tra lại" if status == "returned" else None,
                            "at": now,
                        }
                    )
                states.append(
                    {
                        "unit_id": unit_id,
                        "indicator_id": indicator_id,
                        "period": period,
                        "report_id": report_id,
                        "status": status,
                        "since": now - timedelta(minutes=rng.randrange(1, 500_000)),
                    }
                )
            if len(reports) >= CHUNK * 5:
                await flush()
    await flush()
    if app.engine.dialect.name == "postgresql":
        async with app.engine.connect() as connection:
            await connection.exec_driver_sql("COMMIT")
            await connection.exec_driver_sql("ANALYZE")


async def timed(calls: int, step: Callable[[int], Awaitable[object]]) -> tuple[float, float]:
    timings = []
    for n in range(calls):
        started = time.perf_counter()
        await step(n)
        timings.append((time.perf_counter() - started) * 1000)
    quantiles = statistics.quantiles(timings, n=20)
    return statistics.median(timings), quantiles[18]


async def measure(app: App, calls: int, seed: int) -> None:
    rng = random.Random(seed)
    async with app.sessions() as session:
        rows = await session.scalar(select(func.count()).select_from(Report))
        unit_ids = list(await session.scalars(select(Unit.id)))
        indicator_ids = list(await session.scalars(select(Indicator.id)))
        admin = await session.scalar(select(Person.id).limit(1))
    assert admin is not None
    print(f"  {rows:>9,} report rows".replace(",", "."))

    async def page(_: int) -> None:
        async with app.sessions() as session:
            await review.pending(session, 4, offset=4 * rng.randrange(10))

    async def count(_: int) -> None:
        async with app.sessions() as session:
            await review.pending_count(session)

    async def history(_: int) -> None:
        async with app.sessions() as session:
            unit, indicator = rng.choice(unit_ids), rng.choice(indicator_ids)
            await review.history(session, unit, indicator)

    async def statuses(_: int) -> None:
        async with app.sessions() as session:
            await review.statuses(session, [rng.choice(PERIODS)], [rng.choice(unit_ids)])

    async def approve(_: int) -> None:
        async with app.writing() as session:
            (item,) = await review.pending(session, 1)
            decided = await review.decide(
                session, [item.report_id], review.APPROVED, admin, "telegram", None, app.clock.now()
            )
            assert decided == [item.report_id]

    for name, step in (
        ("/duyet: a page of 4 awaiting review", page),
        ("pending count (the admins' menu)", count),
        ("/lichsu: one unit and indicator", history),
        ("review statuses of one unit, one period", statuses),
        ("approve one (read the first, write)", approve),
    ):
        p50, p95 = await timed(calls, step)
        print(f"    {name:<42} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms")


async def run(url: str, rows: int, calls: int) -> None:
    clock = FakeClock(CAMPAIGN_MORNING)
    app = await prepare(Settings(database_url=url, _env_file=None), clock)  # type: ignore[call-arg]
    try:
        started = time.perf_counter()
        await build(app, rows, seed=rows)
        print(f"  built in {time.perf_counter() - started:.0f} s")
        await measure(app, calls, seed=rows)
    finally:
        await app.engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (…/postgres) to run on too")
    arguments = parser.parse_args()
    for rows in arguments.rows:
        with tempfile.TemporaryDirectory() as folder:
            print(f"SQLite, {rows:,} rows wanted".replace(",", "."))
            await run(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", rows, arguments.calls)
        if arguments.postgres:
            server = arguments.postgres
            name = f"thidua_bench_{uuid.uuid4().hex[:8]}"
            await _create_database(server, name)
            try:
                print(f"PostgreSQL, {rows:,} rows wanted".replace(",", "."))
                await run(f"{server.rpartition('/')[0]}/{name}", rows, arguments.calls)
            finally:
                await _drop_database(server, name)


if __name__ == "__main__":
    asyncio.run(main())
