"""How far a unit is against its target, and whether a typed figure is plausible."""

import calendar
import math
from dataclasses import dataclass
from decimal import Decimal

from domain.campaign import IndicatorSpec
from domain.periods import Period, year_fraction

_HUNDRED = Decimal(100)
_FAR = Decimal(10)  # more than ten times the period's share of the target is questioned


@dataclass(frozen=True)
class Progress:
    achieved: Decimal
    target: Decimal | None
    percent: Decimal | None  # share of the target reached, direction-aware
    met: bool | None


def progress(indicator: IndicatorSpec, achieved: Decimal, target: Decimal | None) -> Progress:
    if target is None:
        return Progress(achieved, None, None, None)
    direction = indicator.direction
    if direction == "maintain" or indicator.kind in ("yes_no", "milestone"):
        percent = achieved / target * _HUNDRED if target else None
        return Progress(achieved, target, percent, achieved >= target)
    if direction == "target_band":
        return Progress(achieved, target, None, abs(achieved - target) <= Decimal("0.5"))
    if direction == "lower":
        percent = target / achieved * _HUNDRED if achieved > 0 else None
        return Progress(achieved, target, percent, achieved <= target)
    percent = achieved / target * _HUNDRED if target > 0 else None
    return Progress(achieved, target, percent, achieved >= target)


def is_total(indicator: IndicatorSpec) -> bool:
    """A quantity that adds up over the year (money, arrivals), not a rate or a level."""
    return indicator.aggregation in ("sum", "count_done") and indicator.kind in ("amount", "count")


def expected_for(
    indicator: IndicatorSpec, target: Decimal | None, period: Period
) -> Decimal | None:
    """What a figure for this period would be if the unit were exactly on track."""
    if target is None or target <= 0:
        return None
    if not is_total(indicator):
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
    """Pick between the thousands and the decimal reading of "1.500"; None means ask the user."""
    possible = [c for c in candidates if _possible(indicator, c)]
    if len(possible) == 1:
        return possible[0]
    if not possible or expected is None:
        return None if len(candidates) > 1 else candidates[0]
    ranked = sorted(possible, key=lambda c: _distance(c, expected))
    if _distance(ranked[1], expected) - _distance(ranked[0], expected) >= 1:
        return ranked[0]
    return None


def _possible(indicator: IndicatorSpec, value: Decimal) -> bool:
    if indicator.kind == "count" and value != value.to_integral_value():
        return False
    if indicator.minimum is not None and value < indicator.minimum:
        return False
    return indicator.maximum is None or value <= indicator.maximum


def doubts(indicator: IndicatorSpec, value: Decimal, expected: Decimal | None) -> list[str]:
    """Reasons to question a figure before storing it (empty when it looks plausible)."""
    found = []
    if indicator.minimum is not None and value < indicator.minimum:
        found.append("below_minimum")
    if indicator.maximum is not None and value > indicator.maximum:
        found.append("above_maximum")
    if indicator.kind == "count" and value != value.to_integral_value():
        found.append("fractional_count")
    if expected is not None and value > expected * _FAR:
        found.append("far_above_expected")
    return found
