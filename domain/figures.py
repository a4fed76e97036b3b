"""One figure typed for one indicator: the value to store, a question, or a refusal.

`read_figure` is what a form calls with the official's text; it never raises. The value it
proposes is the value that will be stored and shown: converted to the indicator's unit,
rounded to the decimals the indicator keeps (and then `Reading.rounded` says so, for the
form to ask), and always within what the database column holds exactly.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from domain.campaign import IndicatorSpec
from domain.numbers import (
    FigureError,
    FigureReason,
    StorageProblem,
    parse_figure,
    round_to,
    storage_problem,
    to_indicator_units,
)
from domain.progress import Expectation, doubts, resolve_ambiguous
from domain.text import fold

Refusal = FigureReason | StorageProblem | Literal["percent_not_allowed", "currency_mismatch"]


@dataclass(frozen=True)
class Refused:
    """Text that gives no figure for this indicator; `message` is the parser's own Vietnamese
    explanation where it has one."""

    reason: Refusal
    message: str | None = None


@dataclass(frozen=True)
class Ambiguous:
    """ "1.500" where size cannot tell: the readings to offer, in the indicator's unit."""

    candidates: tuple[Decimal, ...]


@dataclass(frozen=True)
class Reading:
    """A figure for the indicator, and what to ask before storing it."""

    typed: Decimal
    """As typed, converted to the indicator's unit."""
    value: Decimal
    """What would be stored: `typed` rounded to the decimals the indicator keeps."""
    doubts: tuple[str, ...]
    """Why `value` looks implausible (`domain.progress.doubts`); empty when it does not."""

    @property
    def rounded(self) -> bool:
        return self.value != self.typed

    @property
    def questioned(self) -> bool:
        """Whether the official must confirm before the value is kept."""
        return self.rounded or bool(self.doubts)


def read_figure(
    text: str, indicator: IndicatorSpec, expectation: Expectation
) -> Refused | Ambiguous | Reading:
    """Read a typed figure for a numeric indicator (not a yes/no or milestone one)."""
    try:
        parsed = parse_figure(text)
    except FigureError as error:
        return Refused(error.reason, str(error))
    if parsed.percent and "%" not in indicator.unit:
        return Refused("percent_not_allowed")
    if parsed.currency and not _same_currency(parsed.currency, indicator.unit):
        return Refused("currency_mismatch")
    converted = [
        to_indicator_units(c, parsed.multiplier, indicator.unit) for c in parsed.candidates
    ]
    candidates = tuple(c for c in converted if storage_problem(c) is None)
    if not candidates:
        problem = storage_problem(converted[0])
        assert problem is not None
        return Refused(problem)
    value = resolve_ambiguous(indicator, candidates, expectation.expected)
    if value is None:
        return Ambiguous(candidates)
    return judge(indicator, value, expectation)


def judge(indicator: IndicatorSpec, typed: Decimal, expectation: Expectation) -> Reading:
    """A value already in the indicator's unit (a reading the official chose, say): what would
    be stored and what to question about it."""
    value = round_to(typed, kept_decimals(indicator))
    return Reading(typed, value, tuple(doubts(indicator, value, expectation)))


def kept_decimals(indicator: IndicatorSpec) -> int:
    """Decimal places the indicator's figures keep: none for a count, whatever the file says."""
    return 0 if indicator.kind == "count" else indicator.decimals


def _same_currency(currency: str, unit: str) -> bool:
    folded = fold(unit)
    if currency == "USD":
        return "usd" in folded
    return "dong" in folded or "usd" not in folded
