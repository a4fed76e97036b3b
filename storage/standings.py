"""The read model's queries: standings, leaderboards, province progress, completeness.

They read the current value of each figure (`current_values`, kept in the report's
transaction, so never a scan of revisions), the units, their own targets and their spells in
groups, and hand them to the pure functions of ``domain.progress`` and ``domain.standings``.
The chat commands, the receipt, charts, exports, digests and bench/ all call these:

- ``unit_standing(session, catalog, unit_id, now) -> UnitStanding | None``: the unit's score,
  its rank in its block or cluster (overall when it is in none), each assigned indicator's
  progress, the due periods still missing figures, and the same one period earlier.
- ``leaderboard(session, catalog, now, group_id=None) -> Leaderboard``: a block's or
  cluster's table, ranked with ties; without ``group_id``, every unit of the province.
- ``province_progress(session, catalog, now) -> list[ProvinceFigure]``: each indicator rolled
  up by its aggregation rule, in the directive's order.
- ``reporting_rates(session, catalog, now) -> RatesReport``: completeness and timeliness per
  unit, per group (the group each unit was in for each period) and for the province.
- ``figure_so_far(session, catalog, unit_id, indicator, period)``: the unit's figure up
  to a period (the receipt's progress line).
- ``unit_by_code(session, code)``, ``group_by_code(session, code)``: a unit or group named by code.
"""

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import IndicatorSpec
from domain.periods import Period, is_on_time, on_time_until, periods_between
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
    """Due periods (deadline passed) with no figure."""


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
    group_id = found[0]
    board = await leaderboard(session, catalog, now, group_id)
    ranked = next(row for row in board.rows if row.result.unit.id == unit_id)
    return UnitStanding(ranked, board)


async def leaderboard(
    session: AsyncSession, catalog: Catalog, now: datetime, group_id: int | None = None
) -> Leaderboard:
    units = await _units(session, group_id)
    periods = standing_periods(now, catalog.campaign)
    results = await _results(session, catalog, units, periods)
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
) -> list[UnitResult]:
    ids = [unit.id for unit in units]
    if not ids:
        return []
    targets = await _targets(session, ids)
    spells = await _spells(session, ids)
    figures = await _figures(session, catalog, ids, [p.code for p in periods.counted])
    earlier = periods.previous
    results = []
    for unit in units:
        mine = figures.get(unit.id, {})
        now_slots = expected_slots(spells.get(unit.id, ()), periods.due)
        before_slots = expected_slots(spells.get(unit.id, ()), earlier.due)
        lines, now_items, before_items = [], [], []
        for indicator in catalog.assigned(unit.code, unit.kind):
            target = unit_target(indicator, targets.get((unit.id, indicator.code)), unit.code)
            reported = mine.get(indicator.code, {})
            now = _progress(indicator, reported, target, None)
            before = _progress(indicator, reported, target, earlier.counted)
            missing = tuple(period for period, _ in now_slots if period.code not in reported)
            lines.append(IndicatorStanding(indicator, target, now, before, missing))
            now_items.append((indicator, now or unreported(indicator, target)))
            before_items.append((indicator, before or unreported(indicator, target)))
        assigned = [line.indicator for line in lines]
        scoring = catalog.campaign.scoring
        rates = _unit_rates(catalog, assigned, mine, [p for p, _ in now_slots])
        score = unit_score(now_items, rates, scoring)
        previous = None
        if earlier.counted:
            before_rates = _unit_rates(catalog, assigned, mine, [p for p, _ in before_slots])
            previous = unit_score(before_items, before_rates, scoring)
        results.append(UnitResult(unit, tuple(lines), rates, score, previous))
    return results


Figures = dict[str, dict[str, tuple[Decimal, datetime]]]
"""Indicator code → period code → (current value, first arrival)."""


async def _figures(
    session: AsyncSession, catalog: Catalog, unit_ids: Collection[int], period_codes: list[str]
) -> dict[int, Figures]:
    codes = {indicator_id: code for code, indicator_id in catalog.indicator_ids.items()}
    rows = await session.execute(
        select(
            _CURRENT.c.unit_id,
            _CURRENT.c.indicator_id,
            _CURRENT.c.period,
            _CURRENT.c.value,
            _CURRENT.c.first_at,
        ).where(_CURRENT.c.unit_id.in_(unit_ids), _CURRENT.c.period.in_(period_codes))
    )
    found: dict[int, Figures] = defaultdict(lambda: defaultdict(dict))
    for unit_id, indicator_id, period, value, first_at in rows:
        code = codes.get(indicator_id)
        if code is not None:  # an indicator dropped from the campaign
            found[unit_id][code][period] = (value, first_at)
    return found


def _progress(
    indicator: IndicatorSpec,
    reported: dict[str, tuple[Decimal, datetime]],
    target: Decimal | None,
    within: Sequence[Period] | None,
) -> Progress | None:
    """Progress from the figures of the counted periods (or only those `within`)."""
    allowed = None if within is None else {p.code for p in within}
    values = {p: v for p, (v, _) in reported.items() if allowed is None or p in allowed}
    achieved = achieved_so_far(indicator, values)
    return progress(indicator, achieved, target) if achieved is not None else None


def _unit_rates(
    catalog: Catalog, assigned: Sequence[IndicatorSpec], mine: Figures, due: Sequence[Period]
) -> Rates:
    received = on_time = 0
    for period in due:
        for indicator in assigned:
            figure = mine.get(indicator.code, {}).get(period.code)
            if figure is not None:
                received += 1
                on_time += is_on_time(period, figure[1], catalog.campaign)
    return Rates(len(due) * len(assigned), received, on_time)


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
    periods = standing_periods(now, catalog.campaign)
    codes = [p.code for p in periods.counted]
    units = {unit.id: unit for unit in await _units(session)}
    indicator_codes = {indicator_id: code for code, indicator_id in catalog.indicator_ids.items()}
    summed = [
        catalog.indicator_ids[i.code]
        for i in catalog.campaign.indicators
        if i.accumulation == "period" and is_total(i) and i.code in catalog.indicator_ids
    ]
    so_far: dict[str, dict[int, Decimal]] = defaultdict(dict)
    if codes:
        newest = (
            select(
                _CURRENT.c.unit_id,
                _CURRENT.c.indicator_id,
                _CURRENT.c.value,
                func.row_number()
                .over(
                    partition_by=(_CURRENT.c.unit_id, _CURRENT.c.indicator_id),
                    order_by=_CURRENT.c.period.desc(),
                )
                .label("n"),
            )
            .where(_CURRENT.c.period.in_(codes), _CURRENT.c.indicator_id.not_in(summed))
            .subquery()
        )
        rows = await session.execute(
            select(newest.c.unit_id, newest.c.indicator_id, newest.c.value).where(newest.c.n == 1)
        )
        for unit_id, indicator_id, value in rows:
            if indicator_id in indicator_codes:
                so_far[indicator_codes[indicator_id]][unit_id] = value
        if summed:
            rows = await session.execute(
                select(_CURRENT.c.unit_id, _CURRENT.c.indicator_id, _CURRENT.c.value).where(
                    _CURRENT.c.period.in_(codes), _CURRENT.c.indicator_id.in_(summed)
                )
            )
            for unit_id, indicator_id, value in rows:
                figures = so_far[indicator_codes[indicator_id]]
                figures[unit_id] = figures.get(unit_id, Decimal(0)) + value
    figures_out = []
    for indicator in catalog.campaign.indicators:
        found = so_far.get(indicator.code, {})
        weights = so_far.get(indicator.weighted_by, {}) if indicator.weighted_by else {}
        unit_figures = [
            UnitFigure(units[unit_id].code, value, weights.get(unit_id))
            for unit_id, value in found.items()
            if unit_id in units
        ]
        reporters = indicator.reporters
        expected = sum(
            1 for u in units.values() if u.kind in reporters.kinds or u.code in reporters.units
        )
        figures_out.append(roll_up(indicator, unit_figures, expected))
    return figures_out


async def reporting_rates(session: AsyncSession, catalog: Catalog, now: datetime) -> RatesReport:
    """Completeness and timeliness of every unit's figures for the due periods, counted by
    the group each unit was in for each period: a unit that joins, leaves or moves counts
    where and while it was there."""
    campaign = catalog.campaign
    due = standing_periods(now, campaign).due
    by_unit: dict[int, Rates] = {}
    by_group: dict[int | None, Rates] = defaultdict(lambda: NO_RATES)
    if not due:
        return RatesReport({}, {}, NO_RATES)
    deadline = case(
        *[
            (_CURRENT.c.period == p.code, literal(on_time_until(p, campaign), UtcDateTime()))
            for p in due
        ]
    )
    rows = await session.execute(
        select(
            _CURRENT.c.unit_id,
            _CURRENT.c.period,
            func.count(),
            func.sum(case((_CURRENT.c.first_at < deadline, 1), else_=0)),
        )
        .where(_CURRENT.c.period.in_([p.code for p in due]))
        .group_by(_CURRENT.c.unit_id, _CURRENT.c.period)
    )
    counts = {(unit_id, period): (int(n), int(ok or 0)) for unit_id, period, n, ok in rows}
    spells = await _spells(session)
    for unit in await _units(session):
        assigned = len(catalog.assigned(unit.code, unit.kind))
        total = NO_RATES
        for period, group in expected_slots(spells.get(unit.id, ()), due):
            received, on_time = counts.get((unit.id, period.code), (0, 0))
            slot = Rates(assigned, min(received, assigned), min(on_time, assigned))
            total += slot
            by_group[group] += slot
        by_unit[unit.id] = total
    province = sum(by_unit.values(), NO_RATES)
    return RatesReport(by_unit, dict(by_group), province)


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
