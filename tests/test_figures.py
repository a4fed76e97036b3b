"""Reading one figure for one indicator: what is stored is what is shown, within the column."""

from decimal import Decimal
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.campaign import CampaignSpec, IndicatorSpec, load_campaign
from domain.figures import Ambiguous, Reading, Refusal, Refused, judge, read_figure
from domain.numbers import STORED_DECIMALS, STORED_INTEGER_DIGITS, format_number, storage_problem
from domain.progress import Expectation
from handlers.texts import t
from storage.models import ExactDecimal

D = Decimal
CAMPAIGN: CampaignSpec = load_campaign(
    Path(__file__).parent.parent / "campaigns" / "lao-cai-2025.yaml"
)
BUDGET = CAMPAIGN.indicator("state_budget_revenue")  # tỷ đồng, 1 decimal, target 21.000
EXPORTS = CAMPAIGN.indicator("export_value")  # triệu USD
ARRIVALS = CAMPAIGN.indicator("tourist_arrivals")  # lượt, a count
JOBS = CAMPAIGN.indicator("new_jobs")  # lao động, a count
GROWTH = CAMPAIGN.indicator("grdp_growth")  # %, may be negative, usually -10 to 20
COVERAGE = CAMPAIGN.indicator("health_insurance_coverage")  # %, 0 to 100
ON_TRACK = Expectation(expected=D(15750))  # September's share of the budget target
NO_TARGET = Expectation(province_target=D(21000))  # a ward without a budget target of its own


def reading(text: str, indicator: IndicatorSpec, expectation: Expectation) -> Reading:
    result = read_figure(text, indicator, expectation)
    assert isinstance(result, Reading), result
    return result


def refusal(text: str, indicator: IndicatorSpec) -> str:
    result = read_figure(text, indicator, Expectation())
    assert isinstance(result, Refused), result
    return result.reason


def test_the_storage_limits_are_the_columns() -> None:
    column = ExactDecimal().impl
    assert (column.precision, column.scale) == (
        STORED_INTEGER_DIGITS + STORED_DECIMALS,
        STORED_DECIMALS,
    )


@pytest.mark.parametrize(
    ("text", "indicator", "reason"),
    [
        ("1 tỷ tỷ tỷ tỷ", BUDGET, "too_large"),
        ("1 tỷ tỷ tỷ tỷ", ARRIVALS, "too_large"),
        ("tỷ " + "1 " + "tỷ " * 60, ARRIVALS, "too_large"),
        ("5 tỷ tỷ tỷ", ARRIVALS, "too_large"),  # 5·10²⁷: 28 digits before the point
        ("1,1234567 tỷ", BUDGET, "too_precise"),
        ("0,0000001", COVERAGE, "too_precise"),
        ("15.200 đồng", BUDGET, "too_precise"),  # both readings are under a millionth of a tỷ
        ("8,5%", BUDGET, "percent_not_allowed"),
        ("4 tỷ USD", BUDGET, "currency_mismatch"),
        ("8,5 và 9", BUDGET, "several_numbers"),
    ],
)
def test_refused(text: str, indicator: IndicatorSpec, reason: str) -> None:
    assert refusal(text, indicator) == reason


@pytest.mark.parametrize("reason", [r for group in get_args(Refusal) for r in get_args(group)])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_refusal_is_explained(reason: str, lang: str) -> None:
    text = t(lang, "figure_" + reason, unit="tỷ đồng", example="8,5", digits=22, decimals=6)
    assert "{" not in text


def test_the_largest_and_finest_figures_the_column_holds_are_read() -> None:
    largest = reading("9.999.999.999.999.999 triệu", ARRIVALS, Expectation())
    assert largest.value == D("9999999999999999000000")  # 22 digits
    finest = read_figure("0,000001 tỷ", BUDGET, ON_TRACK)
    assert isinstance(finest, Reading) and finest.typed == D("0.000001")


@pytest.mark.parametrize(
    ("text", "indicator", "value"),
    [
        ("15.200.000.000.000 đồng", BUDGET, "15200"),
        ("15.200.000.000.000 đ", BUDGET, "15200"),
        ("15.200.000.000.000 VND", BUDGET, "15200"),
        ("VND 15.200.000.000.000", BUDGET, "15200"),
        ("15.200 tỷ đồng", BUDGET, "15200"),
        ("3.120.000.000 USD", EXPORTS, "3120"),
        ("$3.120.000.000", EXPORTS, "3120"),
        ("3,12 tỷ USD", EXPORTS, "3120"),
        ("3.120", EXPORTS, "3120"),
    ],
)
def test_raw_base_currency_amounts_are_converted(
    text: str, indicator: IndicatorSpec, value: str
) -> None:
    result = reading(text, indicator, Expectation(expected=D(3000)))
    assert (result.value, result.rounded) == (D(value), False)


@pytest.mark.parametrize(
    ("text", "indicator", "typed", "stored"),
    [
        ("10,26 trieu", BUDGET, "0.01026", "0"),
        ("1.250,75", BUDGET, "1250.75", "1250.8"),
        ("1,5", JOBS, "1.5", "2"),
        ("0,5 nghìn", JOBS, "500", "500"),
        ("96,555%", COVERAGE, "96.555", "96.56"),
    ],
)
def test_more_decimals_than_the_indicator_keeps_is_rounded_for_the_form_to_ask(
    text: str, indicator: IndicatorSpec, typed: str, stored: str
) -> None:
    result = reading(text, indicator, Expectation(expected=indicator.target))
    assert (result.typed, result.value) == (D(typed), D(stored))
    assert result.questioned == result.rounded == (typed != stored)


@pytest.mark.parametrize(
    ("text", "indicator", "expectation", "doubts"),
    [
        ("-5", JOBS, Expectation(), ("negative",)),
        ("120%", COVERAGE, Expectation(), ("above_maximum",)),
        ("85%", GROWTH, Expectation(expected=GROWTH.target), ("unusual",)),
        ("-12", GROWTH, Expectation(expected=GROWTH.target), ("unusual",)),
        ("12,5", GROWTH, Expectation(expected=GROWTH.target), ()),
        ("21 nghìn tỷ", BUDGET, NO_TARGET, ("province_target",)),
        ("20 nghìn tỷ", BUDGET, NO_TARGET, ()),
        ("21 nghìn tỷ", BUDGET, ON_TRACK, ()),
        ("500 nghìn tỷ", BUDGET, ON_TRACK, ("far_above_expected",)),
    ],
)
def test_doubts(
    text: str, indicator: IndicatorSpec, expectation: Expectation, doubts: tuple[str, ...]
) -> None:
    assert reading(text, indicator, expectation).doubts == doubts


def test_size_decides_between_readings_and_only_asks_when_it_cannot() -> None:
    assert reading("21.000 tỷ", BUDGET, ON_TRACK).value == D(21000)
    assert reading("1.500", GROWTH, Expectation()).value == D("1.5")  # 1.500% is not usual
    assert reading("1.500", JOBS, Expectation()).value == D(1500)  # a count has no fraction
    assert read_figure("21.000 tỷ", BUDGET, NO_TARGET) == Ambiguous((D(21000), D(21)))


positive = st.decimals(min_value=D("0.000001"), max_value=D(10**11), places=6)


@given(positive, st.sampled_from([BUDGET, EXPORTS, ARRIVALS, JOBS]))
def test_a_value_shown_is_read_back_as_the_value_stored(
    value: Decimal, indicator: IndicatorSpec
) -> None:
    """What the summary shows, typed again, gives what is stored: nothing is hidden by rounding."""
    stored = judge(indicator, value, Expectation()).value
    shown = format_number(stored, STORED_DECIMALS)
    assert reading(shown, indicator, Expectation(expected=stored or None)).value == stored


figure_text = st.text(alphabet="0123456789.,  -%kđtrỷyiêunghìTỶUSD", max_size=60)
scaled = st.builds(
    lambda number, words: " ".join([format_number(number, STORED_DECIMALS), *words]),
    st.decimals(min_value=-(10**15), max_value=10**15, places=7),
    st.lists(st.sampled_from(["tỷ", "triệu", "nghìn", "k", "đồng", "USD", "%"]), max_size=12),
)


@given(st.one_of(st.text(max_size=80), figure_text, scaled), st.sampled_from(CAMPAIGN.indicators))
def test_reading_never_raises_and_proposes_only_what_the_column_holds(
    text: str, indicator: IndicatorSpec
) -> None:
    result = read_figure(text, indicator, Expectation(expected=indicator.target))
    values = (
        result.candidates
        if isinstance(result, Ambiguous)
        else (result.value,)
        if isinstance(result, Reading)
        else ()
    )
    assert all(storage_problem(v) is None for v in values)
