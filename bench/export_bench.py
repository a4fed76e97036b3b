"""The XLSX export's time and memory at 100.000 and 1.000.000 report rows, SQLite and PostgreSQL.

A large campaign is built straight into the database: the bundled campaign's 37 indicators
over 12 monthly periods (its window widened to the whole of 2025), units of every kind in
clusters of 100, one person each; every indicator assigned to a unit is reported for every
period until the rows are reached, one figure in five revised with a reason, one in ten first
sent after its deadline. Then `thidua export` is run in a fresh process, twice: once for the
time and the process's peak RSS, once under tracemalloc for the peak of Python allocations
(tracemalloc slows it down, so its time is not the one printed). Memory must not grow with
the rows.

    .venv/bin/python -m bench.export_bench [--rows 100000 1000000] [--databases sqlite postgresql]
        [--traced-rows 100000]   # the traced run takes about three times as long

PostgreSQL: THIDUA_TEST_POSTGRES_URL or the local server; a scratch database is made and dropped.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import BUNDLED_CAMPAIGN
from domain.campaign import load_campaign
from domain.periods import deadline, periods_between, started_periods
from handlers.export import write_export
from storage.campaigns import read_catalog, save_campaign
from storage.db import make_engine, make_sessions, migrate
from storage.models import Person, Report, Unit, UnitGroup

POSTGRES = os.environ.get(
    "THIDUA_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
KINDS = ("commune", "ward", "department", "agency", "enterprise")
NOW = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)  # every period of 2025 has begun
BATCH = 20_000
BEFORE_READ_MODEL = "0008"


async def build(url: str, rows: int) -> None:
    """The campaign, units and people, and `rows` report rows, written as a database from
    before the read model (migration 0008) that is then upgraded: migration 0009 fills the
    figures' current values and the units' spells, as it did for databases in use."""
    engine = make_engine(url)
    await migrate(engine, BEFORE_READ_MODEL)
    sessions = make_sessions(engine)
    spec = load_campaign(BUNDLED_CAMPAIGN).model_copy(update={"starts": date(2025, 1, 1)})
    async with sessions.begin() as session:
        await save_campaign(session, spec, NOW)
    async with sessions() as session:
        catalog = await read_catalog(session)
    assert catalog is not None
    periods = periods_between(spec.starts, spec.ends, spec.reporting.frequency)
    random.seed(8)
    written = units = 0
    async with sessions.begin() as session:
        while written < rows:
            if units % 100 == 0:
                group = await session.scalar(
                    insert(UnitGroup)
                    .values(
                        code=f"cum-{units // 100}", kind="cluster", name=f"Cụm số {units // 100}"
                    )
                    .returning(UnitGroup.id)
                )
            kind = KINDS[units % len(KINDS)]
            code = f"don-vi-{units}"
            unit_id = await session.scalar(
                insert(Unit)
                .values(code=code, kind=kind, name=f"Đơn vị {units}", group_id=group)
                .returning(Unit.id)
            )
            person_id = await session.scalar(
                insert(Person)
                .values(display_name=f"Cán bộ {units}", language="vi", created_at=NOW)
                .returning(Person.id)
            )
            units += 1
            batch = []
            for period in periods:
                due = datetime.combine(deadline(period, spec.reporting), datetime.min.time(), UTC)
                for indicator in catalog.assigned(code, kind):
                    first = (
                        due - timedelta(days=2)
                        if random.random() > 0.1
                        else due + timedelta(days=3)
                    )
                    revisions = 2 if random.random() < 0.2 else 1
                    for revision in range(1, revisions + 1):
                        batch.append(
                            {
                                "indicator_id": catalog.indicator_ids[indicator.code],
                                "unit_id": unit_id,
                                "period": period.code,
                                "revision": revision,
                                "value": Decimal(random.randint(0, 10**7)) / 10,
                                "note": None,
                                "reason": "Số liệu chính thức" if revision > 1 else None,
                                "evidence": None,
                                "person_id": person_id,
                                "channel": "telegram" if units % 3 else "zalo",
                                "created_at": first + timedelta(days=revision - 1),
                            }
                        )
            batch = batch[: rows - written]
            if batch:  # a unit may have nothing assigned
                await session.execute(insert(Report), batch)
                written += len(batch)
    await migrate(engine)
    await engine.dispose()
    print(f"  built: {number(units)} units, {number(written)} report rows", flush=True)


async def longest_stall(stop: asyncio.Event) -> float:
    """The longest the event loop was kept from a 10 ms timer, in milliseconds: how long a
    person's message would wait on the export."""
    longest = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        longest = max(longest, time.perf_counter() - started - 0.01)
    return longest * 1000


async def measure(url: str, trace: bool) -> dict[str, float]:
    """One export in this process: seconds, peak RSS and (traced) peak Python memory in MiB,
    and the event loop's longest stall meanwhile."""
    engine = make_engine(url)
    sessions = make_sessions(engine)
    async with sessions() as session:
        catalog = await read_catalog(session)
    assert catalog is not None
    periods = started_periods(NOW, catalog.campaign)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        stop = asyncio.Event()
        stall = asyncio.create_task(longest_stall(stop))
        started = time.perf_counter()
        async with sessions() as session:
            written = await write_export(session, catalog, path, periods, NOW)
        seconds = time.perf_counter() - started
        stop.set()
        size = path.stat().st_size / 2**20
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
    await engine.dispose()
    return {
        "seconds": seconds,
        "rss_before": before,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "traced": traced,
        "rows": sum(written.values()),
        "mib": size,
        "stall": await stall,
    }


def in_child(url: str, trace: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.export_bench", "--measure", url]
    output = subprocess.run(
        command + (["--trace"] if trace else []), check=True, capture_output=True, text=True
    ).stdout
    result: dict[str, float] = json.loads(output)
    return result


SCRATCH = f"thidua_export_bench_{os.getpid()}"


async def scratch_postgres(create: bool) -> str:
    base, _, _ = POSTGRES.rpartition("/")
    engine = create_async_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)'))
        if create:
            await connection.execute(text(f'CREATE DATABASE "{SCRATCH}"'))
    await engine.dispose()
    return f"{base}/{SCRATCH}"


def number(value: float, decimals: int = 0) -> str:
    text_ = f"{value:,.{decimals}f}"
    return text_.replace(",", " ").replace(".", ",").replace(" ", ".")


async def main(row_counts: list[int], databases: list[str], traced_rows: list[int] | None) -> None:
    print(
        "| database | report rows | sheet rows | time | rows/s | peak RSS (before) | traced peak"
        " | longest loop stall | file |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for database in databases:
        for rows in row_counts:
            with tempfile.TemporaryDirectory() as folder:
                if database == "sqlite":
                    url = f"sqlite+aiosqlite:///{folder}/bench.db"
                else:
                    url = await scratch_postgres(create=True)
                await build(url, rows)
                timed = in_child(url, trace=False)
                traced = (
                    in_child(url, trace=True)
                    if traced_rows is None or rows in traced_rows
                    else None
                )
                if database != "sqlite":
                    await scratch_postgres(create=False)
            print(
                f"| {database} | {number(rows)} | {number(timed['rows'])}"
                f" | {number(timed['seconds'], 1)} s | {number(timed['rows'] / timed['seconds'])}"
                f" | {number(timed['rss'])} MiB ({number(timed['rss_before'])})"
                f" | {number(traced['traced'], 1) + ' MiB' if traced else '—'}"
                f" | {number(timed['stall'])} ms"
                f" | {number(timed['mib'], 1)} MiB |",
                flush=True,
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--traced-rows", type=int, nargs="+", help="trace only these sizes (default: all)"
    )
    parser.add_argument("--measure", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure, args.trace))))
    else:
        asyncio.run(main(args.rows, args.databases, args.traced_rows))
