"""The commendation candidates over a large campaign: the standings benchmark's 10.000 units in
200 clusters, with 100.000 report rows (``--rows`` for more), timing
``storage.commendations.commendations`` (the whole province's standings, every cluster ranked,
the approved counts, the rules applied) on SQLite or PostgreSQL. It prints; nothing is asserted.

    .venv/bin/python -m bench.commendations_bench [--database sqlite|postgres] [--rows 100000]
"""

import argparse
import asyncio
import time

from sqlalchemy.ext.asyncio import AsyncSession

from bench.standings_bench import (
    NOW,
    REVISED,
    build_campaign,
    fill,
    percentile,
    scratch_engine,
    slots,
    timed,
)
from storage.commendations import commendations

CALLS = 5


async def run(database: str, rows: int) -> None:
    async with scratch_engine(database) as engine:
        catalog = await build_campaign(engine)
        inserted = await fill(engine, catalog, slots(catalog)[: round(rows / (1 + REVISED))])
        if database == "postgres":
            async with engine.connect() as connection:
                await connection.exec_driver_sql("ANALYZE")
        found = []

        async def candidates(session: AsyncSession) -> object:
            result = await commendations(session, catalog, NOW)
            found.append(len(result.candidates) + len(result.revenue))
            return result

        started = time.perf_counter()
        timings, _cpu = await timed(CALLS, candidates, engine)
        print(
            f"{database}: {inserted:,} report rows, {found[-1]} candidates;"
            f" commendations p50 {percentile(timings, 0.5):.0f} ms, max {max(timings):.0f} ms"
            f" ({CALLS} calls in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(run(args.database, args.rows))


if __name__ == "__main__":
    main()
