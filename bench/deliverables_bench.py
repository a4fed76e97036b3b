"""Deliverables at scale: taking in a file, and the read model over many units.

1. A file arriving: its type read from the content and its checksum (`domain.uploads.facts`),
   then written under its checksum's name (`storage.uploads.keep_file`), for a 1 MB and a
   20 MB PDF and a 20 MB photo: milliseconds each (median of 5), while the event's
   transaction is open.
2. The read model with `--units` units (10.000 by default) in 100 blocks, each of which has
   handed in the plan (every third one a second version, every tenth returned): whether one
   unit owes it (asked by every /han and /nopbai), the units not delivered (the reminder
   job), completeness and the export rows. Median and slowest of several calls, in
   milliseconds.

    .venv/bin/python -m bench.deliverables_bench [--units 10000] [--database-url URL]
"""

import argparse
import asyncio
import hashlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.app import prepare
from bot.settings import Settings
from domain.clock import FakeClock
from domain.uploads import facts
from storage import deliverables
from storage.models import DeliverableVersion, Person, Unit, UnitGroup, Upload
from storage.uploads import keep_file
from tests.conftest import CAMPAIGN_MORNING
from tests.files import jpeg, pdf


def intake(folder: Path) -> None:
    print("A file arriving (median of 5):")
    for label, data in (
        ("PDF 1 MB", pdf() + b"0" * 1024 * 1024),
        ("PDF 20 MB", pdf() + b"1" * 20 * 1024 * 1024),
        ("photo 20 MB", jpeg() + b"2" * 20 * 1024 * 1024),
    ):
        read, written = [], []
        for round_ in range(5):
            sample = data + str(round_).encode()  # a new file each time: written, not found
            started = time.perf_counter()
            found = facts(sample)
            read.append(time.perf_counter() - started)
            assert found is not None
            started = time.perf_counter()
            keep_file(folder, found, sample)
            written.append(time.perf_counter() - started)
        print(
            f"  {label}: type and checksum {statistics.median(read) * 1000:.1f} ms,"
            f" written {statistics.median(written) * 1000:.1f} ms"
        )


async def timed(label: str, calls: int, step: Callable[[], Awaitable[Any]]) -> None:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        await step()
        times.append(time.perf_counter() - started)
    print(
        f"  {label}: median {statistics.median(times) * 1000:.1f} ms,"
        f" slowest {max(times) * 1000:.1f} ms ({calls} calls)"
    )


async def read_model(database_url: str, units: int) -> None:
    clock = FakeClock(CAMPAIGN_MORNING)
    settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
    app = await prepare(settings, clock)
    now = clock.now()
    async with app.writing() as session:
        groups = (
            (
                await session.execute(
                    insert(UnitGroup).returning(UnitGroup.id),
                    [
                        {"code": f"bench-{n}", "kind": "block", "name": f"Khối {n}"}
                        for n in range(100)
                    ],
                )
            )
            .scalars()
            .all()
        )
        unit_ids = (
            await session.execute(
                insert(Unit).returning(Unit.id),
                [
                    {"code": f"bench-unit-{n}", "kind": "agency", "name": f"Đơn vị {n}",
                     "group_id": groups[n % 100]}
                    for n in range(units)
                ],
            )
        ).scalars().all()  # fmt: skip
        person = Person(display_name="Bench", language="vi", created_at=now)
        session.add(person)
        await session.flush()
        rows = []
        for n, unit_id in enumerate(unit_ids):
            for version in range(1, 3 if n % 3 == 0 else 2):
                rows.append((n, unit_id, version))
        upload_ids = (
            await session.execute(
                insert(Upload).returning(Upload.id),
                [
                    {"sha256": hashlib.sha256(f"{n}:{v}".encode()).hexdigest(), "size": 1000,
                     "file_type": "pdf", "path": f"x/{n}-{v}.pdf", "created_at": now}
                    for n, _, v in rows
                ],
            )
        ).scalars().all()  # fmt: skip
        await session.execute(
            insert(DeliverableVersion),
            [
                {"deliverable": "ke_hoach", "unit_id": unit_id, "version": version,
                 "upload_id": upload_id, "file_name": "kh.pdf", "text": None,
                 "person_id": person.id, "channel": "telegram",
                 "created_at": now - timedelta(days=50 - version),
                 "status": "returned" if n % 10 == 0 and version == 1 else "submitted"}
                for (n, unit_id, version), upload_id in zip(rows, upload_ids, strict=True)
            ],
        )  # fmt: skip
    catalog = app.conversations.catalog
    assert catalog is not None
    campaign = catalog.campaign
    plan = campaign.deliverables[0]
    async with app.sessions() as session:
        one = unit_ids[len(unit_ids) // 2]
        print(
            f"Read model, {units:_} units (+126 bundled), {len(rows):_} versions:".replace("_", ".")
        )
        await timed("owes(one unit)", 200, lambda: deliverables.owes(session, plan, one))
        await timed("undelivered", 10, lambda: deliverables.undelivered(session, plan))
        await timed("completeness", 10, lambda: deliverables.completeness(session, campaign, plan))
        await timed("export_rows", 5, lambda: deliverables.export_rows(session, campaign))
    await app.engine.dispose()


async def main(units: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        intake(Path(folder))
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await read_model(url, units)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument(
        "--database-url", help="an empty database (SQLite in a temporary folder by default)"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.units, arguments.database_url))
