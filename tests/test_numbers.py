from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.numbers import (
    FigureError,
    ParsedFigure,
    format_number,
    parse_figure,
    round_to,
    storage_problem,
    to_indicator_units,
    unit_scale,
)
from domain.text import fold

D = Decimal
THOUSAND, MILLION, BILLION = D(10**3), D(10**6), D(10**9)


def fig(
    *candidates: str,
    scale: Decimal | None = None,
    percent: bool = False,
    currency: str | None = None,
) -> ParsedFigure:
    return ParsedFigure(tuple(D(c) for c in candidates), scale, percent, currency)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8,5", fig("8.5")),
        ("8,5%", fig("8.5", percent=True)),
        ("8.5", fig("8.5")),
        ("8.52", fig("8.52")),
        ("8.5234", fig("8.5234")),
        ("21.000 tỷ", fig("21000", "21", scale=BILLION)),
        ("21 nghìn tỷ", fig("21", scale=D(10**12))),
        ("10,26 triệu", fig("10.26", scale=MILLION)),
        ("4 tỷ USD", fig("4", scale=BILLION, currency="USD")),
        ("10.255.000 lượt", fig("10255000")),
        ("1.234.567", fig("1234567")),
        ("1,234,567", fig("1234567")),
        ("1,234,567.89", fig("1234567.89")),
        ("1,234.5", fig("1234.5")),
        ("1.234,5", fig("1234.5")),
        ("1.500,5", fig("1500.5")),
        ("1,500.5", fig("1500.5")),
        ("1 234 567", fig("1234567")),
        ("1\u00a0234\u202f567", fig("1234567")),
        ("1\u2009234,5", fig("1234.5")),
        ("-3,2", fig("-3.2")),
        ("−3,2", fig("-3.2")),
        ("+5", fig("5")),
        ("đạt 73,5%", fig("73.5", percent=True)),
        ("khoảng 21 nghìn tỷ đồng", fig("21", scale=D(10**12), currency="VND")),
        ("TH 8,5 %", fig("8.5", percent=True)),
        ("  5 ty  ", fig("5", scale=BILLION)),
        ("5 TỶ", fig("5", scale=BILLION)),
        ("5 tỉ", fig("5", scale=BILLION)),
        ("3 trieu", fig("3", scale=MILLION)),
        ("3 tr", fig("3", scale=MILLION)),
        ("3tr", fig("3", scale=MILLION)),
        ("10 tr. đồng", fig("10", scale=MILLION, currency="VND")),
        ("85 trđ", fig("85", scale=MILLION)),
        ("2 nghin", fig("2", scale=THOUSAND)),
        ("2 ngàn", fig("2", scale=THOUSAND)),
        ("21k", fig("21", scale=THOUSAND)),
        ("73 phần trăm", fig("73", percent=True)),
        ("73 phan tram", fig("73", percent=True)),
        ("46.455 tỷ đ", fig("46455", "46.455", scale=BILLION, currency="VND")),
        ("500 vnđ", fig("500", currency="VND")),
        ("4 đô la", fig("4", currency="USD")),
        ("$4 tỷ", fig("4", scale=BILLION, currency="USD")),
        ("USD 4 tỷ", fig("4", scale=BILLION, currency="USD")),
        ("0,500", fig("0.5")),
        ("0.500", fig("0.5")),
        ("1234.567", fig("1234.567")),
        ("0", fig("0")),
        ("-0", fig("0")),
        ("8,5.", fig("8.5")),
        ("123456789012345678", fig("123456789012345678")),
        ("đạt 41 xã", fig("41")),
        ("Tuổi thọ 71,7 tuổi", fig("71.7")),
        ("2286 căn hộ", fig("2286")),
        # Words that look like scale or currency words only count right after the number.
        ("Tỷ trọng dịch vụ 39,16%", fig("39.16", percent=True)),
        ("Tỷ lệ lao động qua đào tạo 70%", fig("70", percent=True)),
        ("công ty đạt 8,5", fig("8.5")),
        ("8,5 KH", fig("8.5")),
        ("tăng 5% do giá", fig("5", percent=True)),
    ],
)
def test_parse_figure(text: str, expected: ParsedFigure) -> None:
    assert parse_figure(text) == expected


@pytest.mark.parametrize(
    ("text", "thousands", "decimal"),
    [
        ("1.500", "1500", "1.5"),
        ("1,500", "1500", "1.5"),
        ("21.000", "21000", "21"),
        ("-1.500", "-1500", "-1.5"),
        ("Số lao động 30.000 người", "30000", "30"),
    ],
)
def test_ambiguous(text: str, thousands: str, decimal: str) -> None:
    parsed = parse_figure(text)
    assert parsed.ambiguous
    assert parsed.candidates == (D(thousands), D(decimal))


@pytest.mark.parametrize("text", ["8,5", "0,500", "1.234.567", "1,500.5", "1234.567", "7"])
def test_not_ambiguous(text: str) -> None:
    assert not parse_figure(text).ambiguous


def test_candidates_are_tidy() -> None:
    assert [str(c) for c in parse_figure("1.500").candidates] == ["1500", "1.5"]
    assert str(parse_figure("8,50").candidates[0]) == "8.5"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("1" * 201, "too_long"),
        ("đạt " * 60 + "8,5", "too_long"),
        ("abc", "no_number"),
        ("NaN", "no_number"),
        ("Infinity", "no_number"),
        ("😀", "no_number"),
        ("8,5 và 9", "several_numbers"),
        ("đạt 73% dự toán 21.000", "several_numbers"),
        ("'; DROP TABLE figures; -- 1 2", "several_numbers"),
        ("1.50.0", "bad_format"),
        ("1..5", "bad_format"),
        ("1,5.3", "bad_format"),
        ("1.234,5,6", "bad_format"),
        ("1234,567.8", "bad_format"),
        ("1 234.567.890", "bad_format"),
        (",5", "bad_format"),
        ("1e400", "bad_format"),
        ("1.5E+12", "bad_format"),
        ("1234567890123456789", "bad_format"),
        ("1.000.000.000.000.000.000", "bad_format"),
        ("8a", "bad_format"),
        ("20b", "bad_format"),
    ],
)
def test_errors(text: str, reason: str) -> None:
    with pytest.raises(FigureError) as caught:
        parse_figure(text)
    assert caught.value.reason == reason


def test_longest_allowed_input() -> None:
    assert parse_figure("a" * 199 + "5").candidates == (D(5),)


@pytest.mark.parametrize(("text", "value"), [("120ha", D(120)), ("8 a", D(8)), ("15nguoi", D(15))])
def test_words_after_a_number_are_not_an_indicator_number(text: str, value: D) -> None:
    assert parse_figure(text).candidates == (value,)


def test_several_numbers_message_quotes_them() -> None:
    with pytest.raises(FigureError, match=r"8,5 và 9"):
        parse_figure("8,5 và 9")


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (D(21000), "21.000", "21,000"),
        (D("8.5"), "8,5", "8.5"),
        (D(10255000), "10.255.000", "10,255,000"),
        (D("0.5"), "0,5", "0.5"),
        (D("8.50"), "8,5", "8.5"),
        (D("2.675"), "2,68", "2.68"),
        (D("1.005"), "1,01", "1.01"),
        (D("-1234567.891"), "-1.234.567,89", "-1,234,567.89"),
        (D("-0.001"), "0", "0"),
        (D("1E+12"), "1.000.000.000.000", "1,000,000,000,000"),
        (D("1E-7"), "0", "0"),
    ],
)
def test_format_number(value: Decimal, vi: str, en: str) -> None:
    assert format_number(value) == vi
    assert format_number(value, locale="en") == en


def test_format_number_max_decimals() -> None:
    assert format_number(D("2.5"), max_decimals=0) == "3"
    assert format_number(D("1.23456"), max_decimals=4) == "1,2346"
    with pytest.raises(ValueError):
        format_number(D("NaN"))


@pytest.mark.parametrize(
    ("unit", "scale"),
    [
        ("tỷ đồng", BILLION),
        ("triệu USD", MILLION),
        ("triệu đồng/người/năm", MILLION),
        ("nghìn tỷ", D(10**12)),
        ("%", 1),
        ("điểm %", 1),
        ("lượt", 1),
        ("xã", 1),
        ("người", 1),
        ("căn hộ", 1),
        ("tuổi", 1),
        ("bác sĩ/vạn dân", 1),
    ],
)
def test_unit_scale(unit: str, scale: Decimal) -> None:
    assert unit_scale(unit) == scale


@pytest.mark.parametrize(
    ("value", "scale", "unit", "expected"),
    [
        ("21", D(10**12), "tỷ đồng", "21000"),
        ("21000", BILLION, "tỷ đồng", "21000"),
        ("10.26", MILLION, "lượt", "10260000"),
        ("4", BILLION, "triệu USD", "4000"),
        ("500", MILLION, "tỷ đồng", "0.5"),
        ("85", MILLION, "triệu đồng/người/năm", "85"),
        ("8.5", None, "%", "8.5"),
        ("21000", None, "tỷ đồng", "21000"),
    ],
)
def test_to_indicator_units(value: str, scale: Decimal | None, unit: str, expected: str) -> None:
    assert to_indicator_units(D(value), scale, unit) == D(expected)


@pytest.mark.parametrize(
    ("text", "multiplier"),
    [
        ("8,5", None),
        ("21 nghìn tỷ", D(10**12)),
        ("15.200.000.000.000 đồng", 1),  # a bare currency: the amount is in đồng
        ("3.120.000.000 USD", 1),
        ("4 tỷ USD", BILLION),
    ],
)
def test_multiplier(text: str, multiplier: Decimal | None) -> None:
    assert parse_figure(text).multiplier == multiplier


def test_to_indicator_units_is_exact_at_any_size() -> None:
    assert to_indicator_units(D(1), D("1E36"), "lượt") == D(10**36)  # "1 tỷ tỷ tỷ tỷ"
    assert str(to_indicator_units(D(5), D("1E27"), "lượt")) == "5" + "0" * 27
    assert to_indicator_units(D("1.1234567"), BILLION, "tỷ đồng") == D("1.1234567")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (D(10**22 - 1), None),
        (D("-9999999999999999999999.999999"), None),
        (D(10**22), "too_large"),
        (D("-1E22"), "too_large"),
        (D("1E40"), "too_large"),
        (D("0.000001"), None),
        (D("0.0000001"), "too_precise"),
        (D("1.1234567"), "too_precise"),
        (D(0), None),
    ],
)
def test_storage_problem(value: Decimal, problem: str | None) -> None:
    assert storage_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [("1250.75", 1, "1250.8"), ("1.5", 0, "2"), ("0.01026", 1, "0"), ("-0.04", 1, "0")],
)
def test_round_to(value: str, places: int, rounded: str) -> None:
    assert str(round_to(D(value), places)) == rounded


realistic = st.decimals(
    min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False
)


@given(realistic, st.sampled_from(["vi", "en"]))
def test_formatted_numbers_parse_back(value: Decimal, locale: str) -> None:
    assert value in parse_figure(format_number(value, locale=locale)).candidates


@given(realistic)
def test_unambiguous_formatted_numbers_parse_to_one_value(value: Decimal) -> None:
    parsed = parse_figure(format_number(value, locale="en"))
    if not parsed.ambiguous:
        assert parsed.candidates == (value,)


figure_like = st.text(alphabet="0123456789.,  \u00a0-−+%$eE kđtrỷyiêunghìTỶ")


@given(st.one_of(st.text(), figure_like))
def test_parse_figure_only_raises_figure_error(text: str) -> None:
    try:
        parsed = parse_figure(text)
    except FigureError as error:
        message = str(error)
        assert message
        assert fold(message) != message.lower()  # written with Vietnamese diacritics
    else:
        assert parsed.candidates
        assert all(c.is_finite() for c in parsed.candidates)
