"""Reading figures as officials type them on a phone, and writing them back.

Vietnamese convention (CLDR vi) is "." for thousands and "," for decimals, but many
people type US style out of Excel habit. A single separator followed by exactly three
digits ("1.500", "1,500") can be read both ways, so `parse_figure` returns both
readings and lets the caller check them against the indicator's expected size.
"""

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from domain.text import fold

MAX_INPUT_CHARS = 200
MAX_DIGITS = 18
STORED_DECIMALS = 6
"""Decimal places a stored figure keeps: the column is NUMERIC(28, 6) (storage.models)."""
STORED_INTEGER_DIGITS = 22
"""Digits before the decimal point a stored figure may have: 28 in all, less the 6 decimals."""

FigureReason = Literal["empty", "too_long", "no_number", "several_numbers", "bad_format"]
StorageProblem = Literal["too_large", "too_precise"]

# Powers of ten with a one-digit coefficient, so that "tỷ tỷ tỷ" multiplies exactly.
_THOUSAND = Decimal("1E3")
_MILLION = Decimal("1E6")
_BILLION = Decimal("1E9")
_STORED_STEP = Decimal(1).scaleb(-STORED_DECIMALS)
_SCALES: dict[str, Decimal] = {
    "nghin": _THOUSAND,
    "ngan": _THOUSAND,
    "k": _THOUSAND,
    "trieu": _MILLION,
    "trd": _MILLION,
    "tr": _MILLION,
    "ty": _BILLION,
    "ti": _BILLION,
}
_CURRENCIES: dict[str, str] = {
    "vnd": "VND",
    "dong": "VND",
    "d": "VND",
    "usd": "USD",
    "do la": "USD",
    "$": "USD",
}

# Matched against fold()ed text: lower case, no diacritics, single spaces.
_NUMBER = re.compile(
    r"""
    (?:(?P<prefix>\$|(?<!\w)(?:usd|vnd)(?=\ ))\ ?)?
    (?:(?<!\w)(?P<sign>[-−–+]))?
    (?P<body>
        [0-9]{1,3}(?:\ [0-9]{3})+(?![0-9])(?:[0-9.,]*[0-9])?  # "1 234 567" (spaces group)
      | [.,]*[0-9](?:[0-9.,]*[0-9])?                          # everything else, checked later
    )
    (?P<exponent>e[-+]?[0-9]+)?
    """,
    re.VERBOSE,
)
# One word directly after the number (or after the previous such word).
_SUFFIX = re.compile(
    r"""
    \ ?(?:
        (?P<scale>(?:trd|tr)\.?|nghin|ngan|k|trieu|ty|ti)(?!\w)  # "10 tr." too
      | (?P<currency>(?:vnd|dong|d|usd|do\ la)(?!\w)|\$)
      | (?P<percent>%|phan\ tram(?!\w))
    )
    """,
    re.VERBOSE,
)
# One letter stuck to the number, as in "8a": an indicator's number, not a figure with a unit
# ("120ha" and "15nguoi" keep their words).
_GLUED_LETTER = re.compile(r"[a-z](?![a-z])")
_SCALE_WORD = re.compile(r"(?<!\w)(?:nghin|ngan|k|trieu|trd|tr|ty|ti)(?!\w)")
_SPACE_GROUPED = re.compile(r"(?P<int>[0-9]{1,3}(?: [0-9]{3})+)(?:[.,](?P<frac>[0-9]+))?")
_SEPARATOR = re.compile(r"[.,]")

_EXAMPLE = "ví dụ 8,5 hoặc 21.000"


class FigureError(ValueError):
    """A figure that cannot be read; str() is a Vietnamese sentence to show the user."""

    def __init__(self, reason: FigureReason, message: str) -> None:
        super().__init__(message)
        self.reason: FigureReason = reason


@dataclass(frozen=True)
class ParsedFigure:
    """A typed figure: the bare number (one or two readings) plus the words around it."""

    candidates: tuple[Decimal, ...]
    scale: Decimal | None
    percent: bool
    currency: str | None

    @property
    def ambiguous(self) -> bool:
        """True for "1.500"-like input: candidates are (thousands reading, decimal reading)."""
        return len(self.candidates) > 1

    @property
    def multiplier(self) -> Decimal | None:
        """What the words after the number multiply it by: a scale word's factor, 1 for a bare
        currency ("15.200.000.000.000 đồng" is in đồng), None without such words (the number is
        then in the indicator's own unit)."""
        if self.scale is None and self.currency is not None:
            return Decimal(1)
        return self.scale


def parse_figure(text: str) -> ParsedFigure:
    """Read one figure from a message such as "đạt 73,5%" or "khoảng 21 nghìn tỷ đồng".

    Raises FigureError (and nothing else) when there is no single readable number.
    """
    if len(text) > MAX_INPUT_CHARS:
        raise FigureError(
            "too_long",
            f"Tin nhắn quá dài (tối đa {MAX_INPUT_CHARS} ký tự). Hãy chỉ nhập con số, {_EXAMPLE}.",
        )
    folded = fold(text)
    if not folded:
        raise FigureError("empty", f"Tin nhắn đang trống. Hãy nhập một số, {_EXAMPLE}.")
    matches = list(_NUMBER.finditer(folded))
    if not matches:
        raise FigureError("no_number", f"Chưa thấy con số nào. Hãy nhập một số, {_EXAMPLE}.")
    if len(matches) > 1:
        first, second = (_shown(m) for m in matches[:2])
        raise FigureError(
            "several_numbers",
            f"Thấy nhiều hơn một con số ({first} và {second}). "
            f"Mỗi lần chỉ nhập một số, {_EXAMPLE}.",
        )
    match = matches[0]
    if match["exponent"]:
        raise FigureError(
            "bad_format",
            f"Chưa đọc được số dạng lũy thừa «{_shown(match)}». "
            "Hãy viết đầy đủ, ví dụ 1.500.000.000.",
        )
    readings = _read_body(match["body"])
    if match["sign"] in ("-", "−", "–"):
        readings = tuple(_tidy(-r) for r in readings)

    scale: Decimal | None = None
    percent = False
    currency = _CURRENCIES[match["prefix"]] if match["prefix"] else None
    pos = match.end()
    while suffix := _SUFFIX.match(folded, pos):
        if suffix["scale"]:
            scale = _SCALES[suffix["scale"].rstrip(".")] * (scale or 1)
        elif suffix["percent"]:
            percent = True
        elif currency is None:
            currency = _CURRENCIES[suffix["currency"]]
        else:  # a second currency word belongs to the surrounding text, not to the figure
            break
        pos = suffix.end()
    if glued := _GLUED_LETTER.match(folded, pos):
        raise FigureError(
            "bad_format",
            f"«{_shown(match)}{glued[0]}» giống số hiệu một chỉ tiêu, không phải một con số. "
            f"Hãy chỉ nhập con số, {_EXAMPLE}.",
        )
    return ParsedFigure(candidates=readings, scale=scale, percent=percent, currency=currency)


def _shown(match: re.Match[str]) -> str:
    """The number as matched, for quoting back in an error message."""
    return (match["sign"] or "") + match["body"] + (match["exponent"] or "")


def _bad_format(body: str) -> FigureError:
    return FigureError(
        "bad_format",
        f"Chưa đọc được số «{body}». Dấu chấm để tách hàng nghìn, dấu phẩy để ghi phần "
        "thập phân, ví dụ 1.234.567 hoặc 8,5.",
    )


def _read_body(body: str) -> tuple[Decimal, ...]:
    """The reading(s) of an unsigned number made of digits, ".", "," and grouping spaces."""
    digits = re.sub(r"[^0-9]", "", body)
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise FigureError(
            "bad_format",
            f"Số «{body}» có quá nhiều chữ số (tối đa {MAX_DIGITS}). "
            "Hãy kiểm tra lại, ví dụ 21.000 tỷ.",
        )
    if body[0] in ".,":
        raise FigureError(
            "bad_format",
            f"Số «{body}» thiếu phần nguyên. Hãy viết thêm số 0 phía trước, ví dụ 0,5.",
        )
    if " " in body:
        spaced = _SPACE_GROUPED.fullmatch(body)
        if spaced is None:
            raise _bad_format(body)
        return (_number(spaced["int"].replace(" ", ""), spaced["frac"]),)

    groups = _SEPARATOR.split(body)
    separators = _SEPARATOR.findall(body)
    if "" in groups:
        raise _bad_format(body)
    if not separators:
        return (_number(body),)
    if len(set(separators)) == 2:
        # Both kinds: the last one is the decimal mark and may appear only once.
        if separators.count(separators[-1]) != 1 or not _is_grouping(groups[:-1]):
            raise _bad_format(body)
        return (_number("".join(groups[:-1]), groups[-1]),)
    if len(separators) > 1:
        if not _is_grouping(groups):
            raise _bad_format(body)
        return (_number("".join(groups)),)
    whole, fraction = groups
    if len(fraction) == 3 and _is_grouping(groups):
        return (_number(whole + fraction), _number(whole, fraction))
    return (_number(whole, fraction),)


def _is_grouping(groups: list[str]) -> bool:
    """Whether digit groups read as thousands grouping: "1", "234", "567"."""
    head, *rest = groups
    return 1 <= len(head) <= 3 and not head.startswith("0") and all(len(g) == 3 for g in rest)


def _number(whole: str, fraction: str | None = None) -> Decimal:
    return _tidy(Decimal(f"{whole}.{fraction}" if fraction else whole))


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent form: 1500 stays 1500, 8.50 is 8.5.

    Exact at any size ("1 tỷ tỷ tỷ tỷ" too): whether it can be stored is decided later.
    """
    if value == 0:
        return Decimal(0)
    normal = value.normalize()
    return Decimal(int(normal)) if normal == normal.to_integral_value() else normal


def format_number(value: Decimal, max_decimals: int = 2, locale: str = "vi") -> str:
    """Write a number the local way ("10.255.000", "8,5"), rounded half-up, never 1E+6."""
    if not value.is_finite():
        raise ValueError(f"cannot format {value}")
    if max_decimals < 0:
        raise ValueError("max_decimals must not be negative")
    pattern, where = _number_pattern(max_decimals, locale)
    written: str = pattern.apply(round_to(value, max_decimals), where)
    return written


@functools.cache
def _number_pattern(max_decimals: int, locale: str) -> tuple[NumberPattern, Locale]:
    """Parsed once: babel's format_decimal parses both on every call, three times the cost
    of writing the number (bench/report_bench.py)."""
    decimals = "." + "#" * max_decimals if max_decimals else ""
    return parse_pattern("#,##0" + decimals), Locale.parse(locale)


def round_to(value: Decimal, places: int) -> Decimal:
    """Round half-up to `places` decimals, tidily: 1.25 → 1.3, 2.50 → 2.5, -0.001 → 0."""
    with localcontext() as context:
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return _tidy(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def unit_scale(unit: str) -> Decimal:
    """Multiplier in an indicator's unit of measure: "tỷ đồng" → 1e9, "lượt" → 1.

    Only the part before "/" counts: "triệu đồng/người/năm" is millions, "bác sĩ/vạn dân" is 1.
    """
    numerator = fold(unit).split("/", 1)[0]
    scale = Decimal(1)
    for word in _SCALE_WORD.findall(numerator):
        scale *= _SCALES[word]
    return scale


def to_indicator_units(value: Decimal, multiplier: Decimal | None, indicator_unit: str) -> Decimal:
    """Convert a typed value into the indicator's unit (`ParsedFigure.multiplier`).

    "21 nghìn tỷ" for a "tỷ đồng" indicator is 21000, "15.200.000.000.000 đồng" is 15200.
    Without a multiplier the user is taken to have typed in the indicator's own unit, so the
    value is returned unchanged. Exact at any size, as the scales are powers of ten written
    with a one-digit coefficient (1E9), so no product or quotient needs rounding.
    """
    if multiplier is None:
        return value
    return _tidy(value * multiplier / unit_scale(indicator_unit))


def storage_problem(value: Decimal) -> StorageProblem | None:
    """Why the database could not keep this value exactly, or None when it can."""
    if value.adjusted() >= STORED_INTEGER_DIGITS:
        return "too_large"
    if value.quantize(_STORED_STEP) != value:
        return "too_precise"
    return None
