"""How far a unit is against its target, and whether a typed figure is plausible.

The indicator-level half of the read model (``domain.standings`` builds scores on it):
``progress`` by kind and direction, ``achieved_so_far`` from the figures by period,
``unit_target`` (a unit's own target, or none said rather than invented).
"""

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.campaign import IndicatorSpec
from domain.periods import Period, year_fraction

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_BAND = Decimal("0.5")  # a share within half a point of its target meets it
_FAR = Decimal(10)  # more than ten times the period's share of the target is questioned


_INFINITE = Decimal("Infinity")


@dataclass(frozen=True)
class Progress:
    achieved: Decimal
    target: Decimal | None
    percent: Decimal | None  # share of the target reached, direction-aware, for display
    met: bool | None
    attainment: Decimal | None = None
    """Percent of the target reached as the score counts it: never below 0, above 100 only
    where exceeding means something (higher, lower; Infinity for "lower" at zero)."""


def progress(indicator: IndicatorSpec, achieved: Decimal, target: Decimal | None) -> Progress:
    """How far a figure is against a target, by the indicator's kind and direction.

    - higher: figure over target (a growth rate or a reduction in points, target 18, alike);
    - lower: target over figure;
    - target_band (the shares of GRDP, target 2): met within half a point; attainment falls
      with the distance from the share, relative to it, and never exceeds 100;
    - maintain and yes/no: met or not (100 or 0);
    - milestone: done out of planned, at most 100.
    """
    if target is None:
        return Progress(achieved, None, None, None)
    direction = indicator.direction
    if indicator.kind == "milestone":
        percent = achieved / target * _HUNDRED if target else None
        attainment = min(percent, _HUNDRED) if percent is not None else _HUNDRED
        return Progress(achieved, target, percent, achieved >= target, max(attainment, _ZERO))
    if direction == "maintain" or indicator.kind == "yes_no":
        percent = achieved / target * _HUNDRED if target else None
        met = achieved >= target
        return Progress(achieved, target, percent, met, _HUNDRED if met else _ZERO)
    if direction == "target_band":
        gap = abs(achieved - target)
        if target > 0:
            attainment = max(_ZERO, _HUNDRED - gap / target * _HUNDRED)
        else:
            attainment = _HUNDRED if gap == 0 else _ZERO
        return Progress(achieved, target, None, gap <= _BAND, attainment)
    if direction == "lower":
        percent = target / achieved * _HUNDRED if achieved > 0 else None
        attainment = _INFINITE if achieved <= 0 else max(_ZERO, percent or _ZERO)
        return Progress(achieved, target, percent, achieved <= target, attainment)
    percent = achieved / target * _HUNDRED if target > 0 else None
    if percent is not None:
        attainment = max(_ZERO, percent)
    else:  # a target of zero or below: a ratio would mean nothing
        attainment = _HUNDRED if achieved >= target else _ZERO
    return Progress(achieved, target, percent, achieved >= target, attainment)


def achieved_so_far(indicator: IndicatorSpec, values: Mapping[str, Decimal]) -> Decimal | None:
    """A unit's figure so far from its figures by period code (the periods up to now): the
    latest for a cumulative (ytd), level, rate or growth figure; the sum of the periods for a
    total reported period by period. None when nothing was reported."""
    if not values:
        return None
    if indicator.accumulation == "period" and is_total(indicator):
        return sum(values.values(), _ZERO)
    return values[max(values)]


def unit_target(indicator: IndicatorSpec, own: Decimal | None, unit_code: str) -> Decimal | None:
    """The unit's own target, else the province's where it applies to the unit as it is: a
    rate or level, or a total the unit reports for the whole province. None: the unit has no
    target of its own for a total, and none is invented."""
    if own is not None:
        return own
    if not is_total(indicator) or unit_code in indicator.reporters.units:
        return indicator.target
    return None


def is_total(indicator: IndicatorSpec) -> bool:
    """A quantity that adds up over the year (money, arrivals), not a rate or a level."""
    return indicator.aggregation in ("sum", "count_done") and indicator.kind in ("amount", "count")


@dataclass(frozen=True)
class Expectation:
    """What a unit's figure for a period is measured against, to question its size."""

    expected: Decimal | None = None
    """The figure if the unit were exactly on track with its target (`expected_for`)."""
    province_target: Decimal | None = None
    """For a summed indicator the unit has no target of its own for: the whole province's."""


def expectation(indicator: IndicatorSpec, target: Decimal | None, period: Period) -> Expectation:
    """What to measure a figure against, given the unit's target (None when it has none)."""
    if target is None and is_total(indicator):
        return Expectation(province_target=indicator.target)
    return Expectation(expected=expected_for(indicator, target, period))


def expected_for(
    indicator: IndicatorSpec, target: Decimal | None, period: Period
) -> Decimal | None:
    """What a figure for this period would be if the unit were exactly on track."""
    if target is None or target <= 0:
        return None
    if not is_total(indicator) or indicator.accumulation == "level":
        return target
    if indicator.accumulation == "ytd":
        return target * year_fraction(period)
    days_in_year = 366 if calendar.isleap(period.end.year) else 365
    return target * Decimal((period.end - period.start).days + 1) / Decimal(days_in_year)


def _distance(value: Decimal, expected: Decimal) -> float:
    if value <= 0:
        return math.inf
    return abs(math.log10(float(value / expected)))


def resolve_ambiguous(
    indicator: IndicatorSpec, candidates: tuple[Decimal, ...], expected: Decimal | None
) -> Decimal | None:
    """Pick between the thousands and the decimal reading of "1.500" by size; None means ask.

    A reading is ruled out when it is impossible (a fraction of a count, outside minimum–
    maximum), then when it is outside the usual range, then when the other is at least ten
    times closer to what the unit is expected to report.
    """
    if len(candidates) == 1:
        return candidates[0]
    for keep in (_possible, _usual):
        kept = [c for c in candidates if keep(indicator, c)]
        if len(kept) == 1:
            return kept[0]
        if not kept:
            return None
        candidates = tuple(kept)
    if expected is None:
        return None
    ranked = sorted(candidates, key=lambda c: _distance(c, expected))
    if _distance(ranked[1], expected) - _distance(ranked[0], expected) >= 1:
        return ranked[0]
    return None


def _possible(indicator: IndicatorSpec, value: Decimal) -> bool:
    if indicator.kind == "count" and value != value.to_integral_value():
        return False
    if indicator.minimum is not None and value < indicator.minimum:
        return False
    return indicator.maximum is None or value <= indicator.maximum


def _usual(indicator: IndicatorSpec, value: Decimal) -> bool:
    if indicator.plausible is None:
        return True
    low, high = indicator.plausible
    return low <= value <= high


def doubts(indicator: IndicatorSpec, value: Decimal, expectation: Expectation) -> list[str]:
    """Reasons to question a figure before storing it (empty when it looks plausible)."""
    found = []
    if indicator.minimum is not None and value < indicator.minimum:
        found.append("negative" if value < 0 <= indicator.minimum else "below_minimum")
    elif indicator.maximum is not None and value > indicator.maximum:
        found.append("above_maximum")
    elif not _usual(indicator, value):
        found.append("unusual")
    expected, province = expectation.expected, expectation.province_target
    if expected is not None and value > expected * _FAR:
        found.append("far_above_expected")
    if province is not None and province > 0 and value >= province:
        found.append("province_target")
    return found
