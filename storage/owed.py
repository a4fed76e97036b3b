"""Who owes what: the read model of missing figures, first submissions and late units.

One place for /baocao, /han, `thidua late` and the reminder job, so that they never disagree.

- ``owed(session, catalog, periods, unit_ids=None) -> list[Owed]``: for every unit (or only
  those in ``unit_ids``) and each of ``periods``, the indicators assigned to the unit that
  have no value yet. Only pairs (unit, period) missing something are returned, ordered by unit
  id, then period. Two queries whatever the number of units: the units, then the reported
  (unit, indicator, period) triples of those periods.
- ``owing_units(session, unit_ids=None)``: units with their block or cluster, by id.
- ``first_submissions(session, periods, unit_ids=None)``: when the first value of each
  (unit, indicator id, period) arrived, for timeliness (``domain.periods.is_on_time``).
- ``late(session, catalog, periods, now)``: what is owed for the periods whose deadline has
  passed; ``by_group`` sorts it by block and cluster.
- ``reopened(session, unit_id)`` and ``reopen(...)``: locked periods reopened for a unit.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import IndicatorSpec
from domain.periods import Period, days_left
from storage.campaigns import Catalog
from storage.db import upsert
from storage.models import PeriodReopening, Report, Unit, UnitGroup


@dataclass(frozen=True)
class OwingUnit:
    id: int
    code: str
    kind: str
    name: str
    group_name: str | None
    group_kind: str | None


@dataclass(frozen=True)
class Owed:
    """The indicators a unit still owes for a period, in the directive's order."""

    unit: OwingUnit
    period: Period
    missing: tuple[IndicatorSpec, ...]
    assigned: int
    """How many indicators the unit reports for a period."""


@dataclass(frozen=True)
class LateGroup:
    """The late units of one block or cluster (name None: units in none)."""

    name: str | None
    kind: str | None
    owed: tuple[Owed, ...]


async def owed(
    session: AsyncSession,
    catalog: Catalog,
    periods: Sequence[Period],
    unit_ids: Collection[int] | None = None,
) -> list[Owed]:
    reported_query = select(Report.unit_id, Report.indicator_id, Report.period).where(
        Report.period.in_([period.code for period in periods])
    )
    if unit_ids is not None:
        reported_query = reported_query.where(Report.unit_id.in_(unit_ids))
    units = await owing_units(session, unit_ids)
    reported = {tuple(row) for row in await session.execute(reported_query.distinct())}
    result = []
    for unit in units:
        assigned = catalog.assigned(unit.code, unit.kind)
        for period in sorted(periods):
            missing = tuple(
                indicator
                for indicator in assigned
                if (unit.id, catalog.indicator_ids[indicator.code], period.code) not in reported
            )
            if missing:
                result.append(Owed(unit, period, missing, len(assigned)))
    return result


async def owing_units(
    session: AsyncSession, unit_ids: Collection[int] | None = None
) -> list[OwingUnit]:
    """Every unit (or those in ``unit_ids``) with its block or cluster, by id."""
    query = select(Unit.id, Unit.code, Unit.kind, Unit.name, UnitGroup.name, UnitGroup.kind)
    query = query.outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    return [OwingUnit(*row) for row in await session.execute(query.order_by(Unit.id))]


async def first_submissions(
    session: AsyncSession, periods: Sequence[Period], unit_ids: Collection[int] | None = None
) -> dict[tuple[int, int, str], datetime]:
    """(unit id, indicator id, period code) → when its first value was stored."""
    query = (
        select(Report.unit_id, Report.indicator_id, Report.period, func.min(Report.created_at))
        .where(Report.period.in_([period.code for period in periods]))
        .group_by(Report.unit_id, Report.indicator_id, Report.period)
    )
    if unit_ids is not None:
        query = query.where(Report.unit_id.in_(unit_ids))
    return {
        (unit_id, indicator_id, period): first
        for unit_id, indicator_id, period, first in await session.execute(query)
    }


async def late(
    session: AsyncSession, catalog: Catalog, periods: Sequence[Period], now: datetime
) -> list[Owed]:
    """What is owed for those of the periods whose deadline has passed."""
    overdue = [p for p in periods if days_left(p, now, catalog.campaign) < 0]
    return await owed(session, catalog, overdue) if overdue else []


def by_group(items: Sequence[Owed]) -> list[LateGroup]:
    """Owed items by block or cluster, groups by name, units in none last."""
    groups: dict[tuple[str | None, str | None], list[Owed]] = defaultdict(list)
    for item in items:
        groups[item.unit.group_name, item.unit.group_kind].append(item)
    order = sorted(groups, key=lambda group: (group[0] is None, group[0] or ""))
    return [LateGroup(name, kind, tuple(groups[name, kind])) for name, kind in order]


_REOPENINGS = cast(Table, PeriodReopening.__table__)
# Built once: the report form asks at every step (bench/).
_REOPENED = select(_REOPENINGS.c.period, _REOPENINGS.c.until).where(
    _REOPENINGS.c.unit_id == bindparam("unit_id")
)


async def reopened(session: AsyncSession, unit_id: int) -> dict[str, date]:
    """Period code → the last day it takes the unit's figures again."""
    rows = await session.execute(_REOPENED, {"unit_id": unit_id})
    return {period: until for period, until in rows}


async def reopen(
    session: AsyncSession, unit_id: int, period: str, until: date, now: datetime
) -> None:
    """Reopen a period for a unit until the end of that day (replacing an earlier reopening)."""
    statement = upsert(_REOPENINGS, session.get_bind().dialect.name, ("unit_id", "period"))
    await session.execute(
        statement, {"unit_id": unit_id, "period": period, "until": until, "created_at": now}
    )
