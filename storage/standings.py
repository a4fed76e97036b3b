"""The read model's queries: standings, leaderboards, province progress, completeness.

They read the current value of each figure (`current_values`, kept in the report's
transaction, so never a scan of revisions), the units, their own targets and their spells in
groups, and hand them to the pure functions of ``domain.progress`` and ``domain.standings``.
The chat commands, the receipt, charts, exports, digests and bench/ all call these:

- ``unit_standing(session, catalog, unit_id, now) -> UnitStanding | None``: the unit's score,
  its rank in its block or cluster (overall when it is in none), each assigned indicator's
  progress, the due periods still missing figures, and the same one period earlier.
- ``leaderboard(session, catalog, now, group_id=None, detail=()) -> Leaderboard``: a
  block's or cluster's table, ranked with ties; without ``group_id``, every unit of the
  province; the units in ``detail`` with their missing figures (the digests ask for all).
- ``province_progress(session, catalog, now) -> list[ProvinceFigure]``: each indicator rolled
  up by its aggregation rule, in the directive's order.
- ``reporting_rates(session, catalog, now) -> RatesReport``: completeness and timeliness per
  unit, per group (the group each unit was in for each period) and for the province.
- ``figure_so_far(session, catalog, unit_id, indicator, period)``: the unit's figure up
  to a period (the receipt's progress line).
- ``unit_by_code(session, code)``, ``group_by_code(session, code)``: a unit or group named by code.
- ``group_of_units(session)``, ``group_labels(session)``: each unit's group, each group's kind
  and name (the digests).
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, TypeVar, cast

from sqlalchemy import Table, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import IndicatorSpec
from domain.periods import Period, on_time_until, periods_between
from domain.progress import Progress, achieved_so_far, is_total, progress, unit_target
from domain.standings import (
    NO_RATES,
    ProvinceFigure,
    Rates,
    Score,
    Spell,
    StandingPeriods,
    UnitFigure,
    expected_slots,
    ranks,
    roll_up,
    standing_periods,
    unit_score,
    unreported,
)
from storage.campaigns import Catalog
from storage.models import CurrentValue, Unit, UnitGroup, UnitSpell, UnitTarget, UtcDateTime

_CURRENT = cast(Table, CurrentValue.__table__)


@dataclass(frozen=True)
class StandingUnit:
    id: int
    code: str
    kind: str
    name: str
    group_id: int | None
    group_name: str | None
    group_kind: str | None


@dataclass(frozen=True)
class IndicatorStanding:
    indicator: IndicatorSpec
    target: Decimal | None
    """None: the unit has no target of its own (none is invented)."""
    progress: Progress | None
    """None: nothing reported yet."""
    previous: Progress | None
    """One period earlier."""
    missing: tuple[Period, ...]
    """Due periods (deadline passed) with no figure; listed for the unit whose standing was
    asked (``unit_standing``, ``leaderboard(detail=…)``), empty for the others."""


@dataclass(frozen=True)
class UnitResult:
    unit: StandingUnit
    indicators: tuple[IndicatorStanding, ...]
    rates: Rates
    score: Score
    previous_score: Score | None
    """One period earlier; None before there was one."""


@dataclass(frozen=True)
class Ranked:
    result: UnitResult
    rank: int
    previous_rank: int | None


@dataclass(frozen=True)
class Leaderboard:
    group_id: int | None
    """None: every unit of the province."""
    group_name: str | None
    group_kind: str | None
    periods: StandingPeriods
    rows: tuple[Ranked, ...]
    """Best first; ties share a rank and are ordered by name."""


@dataclass(frozen=True)
class UnitStanding:
    ranked: Ranked
    board: Leaderboard

    @property
    def result(self) -> UnitResult:
        return self.ranked.result


@dataclass(frozen=True)
class RatesReport:
    by_unit: dict[int, Rates]
    by_group: dict[int | None, Rates]
    """By the group each unit was in for each period (None: in none)."""
    province: Rates


_UNITS = select(
    Unit.id, Unit.code, Unit.kind, Unit.name, Unit.group_id, UnitGroup.name, UnitGroup.kind
).outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)


async def _units(session: AsyncSession, group_id: int | None = None) -> list[StandingUnit]:
    query = _UNITS if group_id is None else _UNITS.where(Unit.group_id == group_id)
    return [StandingUnit(*row) for row in await session.execute(query.order_by(Unit.name))]


async def group_of_units(session: AsyncSession) -> dict[int, int | None]:
    """Every unit's block or cluster (None: in none)."""
    rows = await session.execute(select(Unit.id, Unit.group_id))
    return {unit_id: group_id for unit_id, group_id in rows}


async def group_labels(session: AsyncSession) -> dict[int, tuple[str, str]]:
    """Every block's and cluster's kind and name, by id."""
    rows = await session.execute(select(UnitGroup.id, UnitGroup.kind, UnitGroup.name))
    return {group_id: (kind, name) for group_id, kind, name in rows}


async def unit_by_code(session: AsyncSession, code: str) -> int | None:
    return await session.scalar(select(Unit.id).where(Unit.code == code))


async def group_by_code(session: AsyncSession, code: str) -> int | None:
    return await session.scalar(select(UnitGroup.id).where(UnitGroup.code == code))


async def unit_standing(
    session: AsyncSession, catalog: Catalog, unit_id: int, now: datetime
) -> UnitStanding | None:
    found = (await session.execute(select(Unit.group_id).where(Unit.id == unit_id))).first()
    if found is None:
        return None
    board = await leaderboard(session, catalog, now, found[0], detail=(unit_id,))
    ranked = next(row for row in board.rows if row.result.unit.id == unit_id)
    return UnitStanding(ranked, board)


async def leaderboard(
    session: AsyncSession,
    catalog: Catalog,
    now: datetime,
    group_id: int | None = None,
    detail: Collection[int] = (),
) -> Leaderboard:
    """The table of a group (None: of the province); `detail` names the units whose missing
    figures are listed (the others' `missing` stay empty)."""
    units = await _units(session, group_id)
    periods = standing_periods(now, catalog.campaign)
    results = await _results(session, catalog, units, periods, detail)
    current = ranks({r.unit.id: r.score.total for r in results})
    earlier = {r.unit.id: r.previous_score.total for r in results if r.previous_score}
    before = ranks(earlier) if earlier else {}
    rows = sorted(
        (Ranked(r, current[r.unit.id], before.get(r.unit.id)) for r in results),
        key=lambda row: (row.rank, row.result.unit.name),
    )
    name = kind = None
    if group_id is not None and units:
        name, kind = units[0].group_name, units[0].group_kind
    return Leaderboard(group_id, name, kind, periods, tuple(rows))


async def _results(
    session: AsyncSession,
    catalog: Catalog,
    units: Sequence[StandingUnit],
    periods: StandingPeriods,
    detail: Collection[int],
) -> list[UnitResult]:
    ids = [unit.id for unit in units]
    if not ids or not periods.counted:
        return [_nothing_yet(catalog, unit) for unit in units]
    targets = await _targets(session, ids)
    spells = await _spells(session, ids)
    codes = [p.code for p in periods.counted]
    figures = await _newest(session, catalog, codes, ids, depth=2)
    counts = await _counts(session, catalog, periods.due, ids)
    present = await _present(session, detail, periods.due) if detail else set()
    earlier = periods.previous
    latest = periods.counted[-1].code
    earlier_codes = {p.code for p in earlier.counted}
    scoring = catalog.campaign.scoring
    results = []
    for unit in units:
        unit_spells = spells.get(unit.id, ())
        now_due = _owed(unit_spells, periods.due)
        lines, now_items, before_items = [], [], []
        for indicator in catalog.assigned(unit.code, unit.kind):
            target = unit_target(indicator, targets.get((unit.id, indicator.code)), unit.code)
            values = figures.get((unit.id, indicator.code), _NONE)
            now = before = _progress(indicator, values, target)
            if latest in values:  # a figure of the latest period: one period earlier differs
                earlier_values = {p: v for p, v in values.items() if p in earlier_codes}
                before = _progress(indicator, earlier_values, target)
            missing: tuple[Period, ...] = ()
            if unit.id in detail:
                indicator_id = catalog.indicator_ids[indicator.code]
                missing = tuple(
                    p for p in now_due if (unit.id, indicator_id, p.code) not in present
                )
            lines.append(IndicatorStanding(indicator, target, now, before, missing))
            nothing = unreported(indicator, target) if now is None or before is None else None
            now_items.append((indicator, now or nothing))
            before_items.append((indicator, before or nothing))
        rates = _rates(unit.id, now_due, counts, len(lines))
        score = unit_score(now_items, rates, scoring)
        previous = None
        if earlier.counted:
            before_due = _owed(unit_spells, earlier.due)
            previous = unit_score(
                before_items, _rates(unit.id, before_due, counts, len(lines)), scoring
            )
        results.append(UnitResult(unit, tuple(lines), rates, score, previous))
    return results


_NONE: dict[str, Decimal] = {}


def _owed(spells: Sequence[Spell], due: Sequence[Period]) -> Sequence[Period]:
    """The due periods a unit owes figures for: all of them for a unit that has been in the
    campaign throughout (the usual case, answered without looking at each period)."""
    if len(spells) == 1 and spells[0].starts is None and spells[0].ends is None:
        return due
    return [period for period, _ in expected_slots(spells, due)]


def _nothing_yet(catalog: Catalog, unit: StandingUnit) -> UnitResult:
    """Before the first period: every indicator unreported, nothing due, no score."""
    lines = tuple(
        IndicatorStanding(indicator, None, None, None, ())
        for indicator in catalog.assigned(unit.code, unit.kind)
    )
    return UnitResult(
        unit, lines, NO_RATES, unit_score([], NO_RATES, catalog.campaign.scoring), None
    )


def _summed(catalog: Catalog) -> list[int]:
    """The indicators whose figure so far adds up its periods' (a total reported per period)."""
    return [
        catalog.indicator_ids[i.code]
        for i in catalog.campaign.indicators
        if i.accumulation == "period" and is_total(i) and i.code in catalog.indicator_ids
    ]


async def _newest(
    session: AsyncSession,
    catalog: Catalog,
    period_codes: list[str],
    unit_ids: Collection[int] | None,
    depth: int,
) -> dict[tuple[int, str], dict[str, Decimal]]:
    """(unit id, indicator code) → period code → value: the newest `depth` periods' figures
    among these (enough for the figure so far, and one period earlier, of all but a total
    added up over periods), and every period's of such a total. The database picks them, so
    a unit's standing reads a few rows per indicator whatever the history."""
    summed = _summed(catalog)
    newest = select(
        _CURRENT.c.unit_id,
        _CURRENT.c.indicator_id,
        _CURRENT.c.period,
        _CURRENT.c.value,
        func.row_number()
        .over(
            partition_by=(_CURRENT.c.unit_id, _CURRENT.c.indicator_id),
            order_by=_CURRENT.c.period.desc(),
        )
        .label("n"),
    ).where(_CURRENT.c.period.in_(period_codes), _CURRENT.c.indicator_id.not_in(summed))
    every = select(_CURRENT.c.unit_id, _CURRENT.c.indicator_id, _CURRENT.c.period, _CURRENT.c.value)
    every = every.where(_CURRENT.c.period.in_(period_codes), _CURRENT.c.indicator_id.in_(summed))
    if unit_ids is not None:
        newest = newest.where(_CURRENT.c.unit_id.in_(unit_ids))
        every = every.where(_CURRENT.c.unit_id.in_(unit_ids))
    ranked = newest.subquery()
    queries = [
        select(ranked.c.unit_id, ranked.c.indicator_id, ranked.c.period, ranked.c.value).where(
            ranked.c.n <= depth
        )
    ]
    if summed:
        queries.append(every)
    codes = {indicator_id: code for code, indicator_id in catalog.indicator_ids.items()}
    found: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(dict)
    for query in queries:
        for unit_id, indicator_id, period, value in await session.execute(query):
            code = codes.get(indicator_id)
            if code is not None:  # not an indicator dropped from the campaign
                found[unit_id, code][period] = value
    return found


async def _counts(
    session: AsyncSession,
    catalog: Catalog,
    due: Sequence[Period],
    unit_ids: Collection[int] | None,
) -> dict[tuple[int, str], tuple[int, int]]:
    """(unit id, period code) → figures received for the period, and how many on time."""
    if not due:
        return {}
    campaign = catalog.campaign
    late_from = case(
        *[
            (_CURRENT.c.period == p.code, literal(on_time_until(p, campaign), UtcDateTime()))
            for p in due
        ]
    )
    query = (
        select(
            _CURRENT.c.unit_id,
            _CURRENT.c.period,
            func.count(),
            func.sum(case((_CURRENT.c.first_at < late_from, 1), else_=0)),
        )
        .where(_CURRENT.c.period.in_([p.code for p in due]))
        .group_by(_CURRENT.c.unit_id, _CURRENT.c.period)
    )
    if unit_ids is not None:
        query = query.where(_CURRENT.c.unit_id.in_(unit_ids))
    return {
        (unit_id, period): (int(n), int(ok or 0))
        for unit_id, period, n, ok in await session.execute(query)
    }


async def _present(
    session: AsyncSession, unit_ids: Collection[int], due: Sequence[Period]
) -> set[tuple[int, int, str]]:
    """(unit id, indicator id, period code) of the units' figures for these periods."""
    rows = await session.execute(
        select(_CURRENT.c.unit_id, _CURRENT.c.indicator_id, _CURRENT.c.period).where(
            _CURRENT.c.unit_id.in_(list(unit_ids)), _CURRENT.c.period.in_([p.code for p in due])
        )
    )
    return {(unit_id, indicator_id, period) for unit_id, indicator_id, period in rows}


def _progress(
    indicator: IndicatorSpec, values: dict[str, Decimal], target: Decimal | None
) -> Progress | None:
    achieved = achieved_so_far(indicator, values)
    return progress(indicator, achieved, target) if achieved is not None else None


def _rates(
    unit_id: int,
    due: Sequence[Period],
    counts: dict[tuple[int, str], tuple[int, int]],
    assigned: int,
) -> Rates:
    """A unit's rates over the periods it owed, each counting at most its assigned figures."""
    received = on_time = 0
    for period in due:
        found = counts.get((unit_id, period.code))
        if found is not None:
            received += min(found[0], assigned)
            on_time += min(found[1], assigned)
    return Rates(len(due) * assigned, received, on_time)


async def _targets(
    session: AsyncSession, unit_ids: Collection[int]
) -> dict[tuple[int, str], Decimal]:
    rows = await session.execute(
        select(UnitTarget.unit_id, UnitTarget.indicator_code, UnitTarget.target).where(
            UnitTarget.unit_id.in_(unit_ids)
        )
    )
    return {(unit_id, code): Decimal(target) for unit_id, code, target in rows}


async def _spells(
    session: AsyncSession, unit_ids: Collection[int] | None = None
) -> dict[int, list[Spell]]:
    query = select(UnitSpell.unit_id, UnitSpell.group_id, UnitSpell.starts, UnitSpell.ends)
    if unit_ids is not None:
        query = query.where(UnitSpell.unit_id.in_(unit_ids))
    found: dict[int, list[Spell]] = defaultdict(list)
    for row in await session.execute(query):
        found[row[0]].append(Spell(*row))
    return found


async def province_progress(
    session: AsyncSession, catalog: Catalog, now: datetime
) -> list[ProvinceFigure]:
    """Each indicator of the campaign rolled up from every unit's figure so far."""
    codes = [p.code for p in standing_periods(now, catalog.campaign).counted]
    units = {unit.id: unit for unit in await _units(session)}
    figures = await _newest(session, catalog, codes, None, depth=1) if codes else {}
    specs = {indicator.code: indicator for indicator in catalog.campaign.indicators}
    so_far: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for (unit_id, code), values in figures.items():
        if code not in specs or unit_id not in units:  # an indicator dropped from the file
            continue
        achieved = achieved_so_far(specs[code], values)
        if achieved is not None:
            so_far[code][unit_id] = achieved
    rolled = []
    for indicator in catalog.campaign.indicators:
        weights = so_far.get(indicator.weighted_by, {}) if indicator.weighted_by else {}
        unit_figures = [
            UnitFigure(units[unit_id].code, value, weights.get(unit_id))
            for unit_id, value in so_far.get(indicator.code, {}).items()
        ]
        reporters = indicator.reporters
        expected = sum(
            1 for u in units.values() if u.kind in reporters.kinds or u.code in reporters.units
        )
        rolled.append(roll_up(indicator, unit_figures, expected))
    return rolled


class ReportingUnit(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def code(self) -> str: ...

    @property
    def kind(self) -> str: ...


Unit_ = TypeVar("Unit_", bound=ReportingUnit)


async def slot_rates(
    session: AsyncSession,
    catalog: Catalog,
    units: Sequence[Unit_],
    periods: Sequence[Period],
    only_these: bool = True,
) -> list[tuple[Unit_, Period, int | None, Rates]]:
    """Completeness and timeliness of each unit for each of these periods it owed (those on
    whose last day it was in the campaign), with the group it then counted in. `only_these`
    False: the units are all there are, read without naming them."""
    unit_ids = [unit.id for unit in units] if only_these else None
    counts = await _counts(session, catalog, periods, unit_ids)
    spells = await _spells(session, unit_ids)
    slots = []
    for unit in units:
        assigned = len(catalog.assigned(unit.code, unit.kind))
        for period, group in expected_slots(spells.get(unit.id, ()), periods):
            slots.append((unit, period, group, _rates(unit.id, [period], counts, assigned)))
    return slots


async def reporting_rates(session: AsyncSession, catalog: Catalog, now: datetime) -> RatesReport:
    """Completeness and timeliness of every unit's figures for the due periods, counted by
    the group each unit was in for each period: a unit that joins, leaves or moves counts
    where and while it was there."""
    due = standing_periods(now, catalog.campaign).due
    units = await _units(session)
    by_unit: dict[int, Rates] = dict.fromkeys((unit.id for unit in units), NO_RATES)
    by_group: dict[int | None, Rates] = defaultdict(lambda: NO_RATES)
    for unit, _, group, rates in await slot_rates(session, catalog, units, due, only_these=False):
        by_unit[unit.id] += rates
        by_group[group] += rates
    return RatesReport(by_unit, dict(by_group), sum(by_unit.values(), NO_RATES))


async def figure_so_far(
    session: AsyncSession, catalog: Catalog, unit_id: int, indicator: IndicatorSpec, period: Period
) -> Decimal | None:
    """The unit's figure on an indicator up to a period, from the periods of its year."""
    frequency = catalog.campaign.reporting.frequency
    year = periods_between(date(period.end.year, 1, 1), period.end, frequency)
    indicator_id = catalog.indicator_ids[indicator.code]
    rows = await session.execute(
        select(_CURRENT.c.period, _CURRENT.c.value).where(
            _CURRENT.c.unit_id == unit_id,
            _CURRENT.c.indicator_id == indicator_id,
            _CURRENT.c.period.in_([p.code for p in year]),
        )
    )
    return achieved_so_far(indicator, {code: value for code, value in rows})
