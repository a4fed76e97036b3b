"""Scores, ranks, completeness, timeliness and the province roll-up: pure functions.

The read model is these functions fed by the queries of ``storage/standings.py``; the chat
commands, the receipt, charts, exports and digests all show what they return, so they can
never disagree. Percentages are Decimals from 0 to 100.

- ``standing_periods(now, campaign)``: the periods whose figures count now (up to the one
  officials report for today), and those already due (deadline passed).
- ``Rates(expected, received, on_time)``: completeness and timeliness as DHIS2 defines them:
  values received (on time) over values expected, capped at 100%.
- ``unit_score(progress, rates, scoring)``: the campaign file's ``scoring`` rule.
- ``ranks(scores)``: competition ranks (1, 2, 2, 4), ties as ties at the shown precision.
- ``roll_up(indicator, figures, expected)``: the province's figure on one indicator by its
  aggregation rule, with the check figure shown beside it.
- ``expected_slots(...)``: which (unit, period) pairs expect figures, and in which group, from
  each unit's spells in groups (joining, leaving and moving mid-campaign).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from domain.campaign import CampaignSpec, IndicatorSpec, ScoringSpec
from domain.numbers import round_to
from domain.periods import Period, days_left, local, periods_between, reporting_period
from domain.progress import Progress, progress

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_ONE = Decimal(1)
SHOWN_DECIMALS = 2  # scores are shown, and so compared, to two decimals
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class StandingPeriods:
    counted: tuple[Period, ...]
    """Periods whose figures count now, oldest first (the last is the current one)."""
    due: tuple[Period, ...]
    """Counted periods whose deadline has passed: figures for them are expected."""

    @property
    def previous(self) -> "StandingPeriods":
        """The standing one period earlier, for "the change since the last period"."""
        counted = self.counted[:-1]
        return StandingPeriods(counted, tuple(p for p in self.due if p in counted))


def standing_periods(now: datetime, campaign: CampaignSpec) -> StandingPeriods:
    today = local(now, campaign.zone).date()
    current = reporting_period(today, campaign)
    every = periods_between(campaign.starts, campaign.ends, campaign.reporting.frequency)
    counted = tuple(
        p
        for p in every
        if p.start <= today
        and (current is None or p.start <= current.start)
        and today >= campaign.starts
    )
    due = tuple(p for p in counted if days_left(p, now, campaign) < 0)
    return StandingPeriods(counted, due)


@dataclass(frozen=True)
class Rates:
    """Completeness and timeliness of figures: each assigned indicator of each due period."""

    expected: int
    received: int
    on_time: int

    @property
    def completeness(self) -> Decimal | None:
        return _share(self.received, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        return _share(self.on_time, self.expected)

    def __add__(self, other: "Rates") -> "Rates":
        return Rates(
            self.expected + other.expected,
            self.received + other.received,
            self.on_time + other.on_time,
        )


NO_RATES = Rates(0, 0, 0)


def _share(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return min(Decimal(part) / Decimal(whole) * _HUNDRED, _HUNDRED)


@dataclass(frozen=True)
class Spell:
    """A unit in a group (None: in none) from ``starts`` to ``ends``, both inclusive (None:
    open-ended). A unit without a spell covering a day was not in the campaign that day."""

    unit_id: int
    group_id: int | None
    starts: date | None
    ends: date | None

    def covers(self, day: date) -> bool:
        return (self.starts is None or self.starts <= day) and (
            self.ends is None or day <= self.ends
        )


def group_on(spells: Sequence[Spell], day: date) -> tuple[bool, int | None]:
    """Whether the unit was in the campaign on that day, and in which group."""
    for spell in spells:
        if spell.covers(day):
            return True, spell.group_id
    return False, None


def expected_slots(
    spells: Sequence[Spell], periods: Sequence[Period]
) -> list[tuple[Period, int | None]]:
    """The periods a unit owes figures for, each with the group it then counted in: those on
    whose last day it was in the campaign (a unit joining mid-period owes that period, one
    that left before its end does not)."""
    slots = []
    for period in periods:
        present, group = group_on(spells, period.end)
        if present:
            slots.append((period, group))
    return slots


@dataclass(frozen=True)
class Score:
    targets: Decimal
    """Points for the targets (0 to ``target_points``)."""
    organising: Decimal
    """Points for completeness and timeliness."""
    bonus: Decimal
    on_targets: bool
    """False: the unit has no target of its own, so every point comes from its reports'
    completeness and timeliness."""

    @property
    def total(self) -> Decimal:
        return self.targets + self.organising + self.bonus


def unit_score(
    items: Sequence[tuple[IndicatorSpec, Progress | None]], unit_rates: Rates, scoring: ScoringSpec
) -> Score:
    """A unit's score from each assigned indicator's progress (None: not reported yet).

    Targets: the weighted mean of attainment, each at most 100%, over the indicators with a
    target (not reported counts 0). Bonus: the weighted mean of what exceeds 100%, up to
    ``over_achievement_cap``, as a share of ``bonus_cap``. Organising: completeness and
    timeliness by ``completeness_share``; nothing expected yet counts as nothing done.
    """
    weights = scoring.weights
    cap = scoring.over_achievement_cap
    total_weight = reached = excess = _ZERO
    for indicator, item in items:
        if item is None or item.target is None or item.attainment is None:
            continue
        weight = weights.get(indicator.code, _ONE)
        attainment = item.attainment
        total_weight += weight
        if attainment > _HUNDRED:
            reached += weight * _HUNDRED
            excess += weight * (min(attainment, cap) - _HUNDRED)
        else:
            reached += weight * attainment
    organised = _organised(unit_rates, scoring)
    if not total_weight:
        points = (scoring.target_points + scoring.management_points) * organised
        return Score(_ZERO, _rounded(points), _ZERO, False)
    reached = reached / total_weight / _HUNDRED
    bonus = _ZERO
    if cap > _HUNDRED:
        bonus = scoring.bonus_cap * excess / (total_weight * (cap - _HUNDRED))
    return Score(
        _rounded(scoring.target_points * reached),
        _rounded(scoring.management_points * organised),
        _rounded(bonus),
        True,
    )


def unreported(indicator: IndicatorSpec, target: Decimal | None) -> Progress | None:
    """The progress of an indicator not reported yet: 0 against its target, if it has one."""
    if target is None:
        return None
    return Progress(_ZERO, target, None, False, _ZERO)


def _organised(unit_rates: Rates, scoring: ScoringSpec) -> Decimal:
    completeness, timeliness = unit_rates.completeness, unit_rates.timeliness
    if completeness is None or timeliness is None:
        return _ZERO
    share = scoring.completeness_share / _HUNDRED
    return (share * completeness + (1 - share) * timeliness) / _HUNDRED


def _rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"), ROUND_HALF_UP)


def ranks(scores: Mapping[K, Decimal]) -> dict[K, int]:
    """1 for the best; equal scores at two decimals share a rank and the next is skipped."""
    shown = {key: round_to(score, SHOWN_DECIMALS) for key, score in scores.items()}
    ordered = sorted(shown.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return {key: first[score] for key, score in shown.items()}


@dataclass(frozen=True)
class UnitFigure:
    """One unit's figure so far on an indicator, for the province roll-up."""

    unit_code: str
    value: Decimal
    weight: Decimal | None = None
    """Its weight in a weighted average (the ``weighted_by`` indicator's figure)."""


@dataclass(frozen=True)
class ProvinceFigure:
    indicator: IndicatorSpec
    progress: Progress | None
    """Against the province's target; None while nothing counts yet."""
    check: Decimal | None
    """The other figure (the units' parts, or the department's total), shown beside, never
    added to the province's."""
    check_is_parts: bool
    reporting: int
    """Units whose figures are in."""
    expected: int
    """Units that report the indicator."""


def roll_up(
    indicator: IndicatorSpec, figures: Sequence[UnitFigure], expected: int
) -> ProvinceFigure:
    """The province's figure by the indicator's aggregation rule.

    ``sum``: the units' figures added; ``weighted_average``: weighted by ``weighted_by`` (or
    alike); ``province_only``: the first of ``reporters.units`` that reported; ``all_units``
    (yes/no): met when every unit that reports it has met it, shown as units met out of
    expected. Where ``total`` names a department reporting the province total, its figure or
    the parts' (``counts``) is the province's and the other is the check.
    """
    listed = set(indicator.reporters.units)
    by_unit = {figure.unit_code: figure for figure in figures}
    if indicator.aggregation == "all_units":
        met = sum(1 for f in figures if f.value >= indicator.target)
        shown = Progress(
            Decimal(met), Decimal(expected), _share_decimal(met, expected), met == expected > 0
        )
        return ProvinceFigure(indicator, shown, None, False, len(figures), expected)
    if indicator.aggregation == "province_only":
        first = next((by_unit[code] for code in indicator.reporters.units if code in by_unit), None)
        figure = first or (figures[0] if figures else None)
        value = figure.value if figure else None
        return _province(indicator, value, None, False, len(figures), expected)
    total = indicator.total
    if total is None:
        return _province(
            indicator, _combine(indicator, figures), None, False, len(figures), expected
        )
    parts = [f for f in figures if f.unit_code not in listed]
    department = by_unit.get(total.unit)
    reported = (department.value if department else None), _combine(indicator, parts)
    value, check = reported if total.counts == "unit" else reported[::-1]
    return _province(indicator, value, check, total.counts == "unit", len(figures), expected)


def _share_decimal(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) * _HUNDRED if whole else None


def _combine(indicator: IndicatorSpec, figures: Sequence[UnitFigure]) -> Decimal | None:
    if not figures:
        return None
    if indicator.aggregation != "weighted_average":
        return sum((f.value for f in figures), _ZERO)
    if indicator.weighted_by is None:
        return sum((f.value for f in figures), _ZERO) / len(figures)
    weighted = [f for f in figures if f.weight is not None and f.weight > 0]
    total_weight = sum((f.weight or _ZERO for f in weighted), _ZERO)
    if not total_weight:
        return None
    return sum((f.value * (f.weight or _ZERO) for f in weighted), _ZERO) / total_weight


def _province(
    indicator: IndicatorSpec,
    value: Decimal | None,
    check: Decimal | None,
    check_is_parts: bool,
    reporting: int,
    expected: int,
) -> ProvinceFigure:
    shown = progress(indicator, value, indicator.target) if value is not None else None
    return ProvinceFigure(indicator, shown, check, check_is_parts, reporting, expected)
