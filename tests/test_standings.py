"""The read model's pure half: progress by kind and direction, scores, ranks, completeness,
the province roll-up and group spells, on hand-worked examples and hypothesis properties."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.settings import LOCAL_ZONE
from domain.campaign import CampaignSpec, IndicatorSpec, load_campaign
from domain.numbers import round_to
from domain.periods import Period, find_period
from domain.progress import Progress, achieved_so_far, progress, unit_target
from domain.standings import (
    Rates,
    Spell,
    UnitFigure,
    expected_slots,
    ranks,
    roll_up,
    standing_periods,
    unit_score,
    unreported,
)

CAMPAIGN: CampaignSpec = load_campaign(Path("campaigns/lao-cai-2025.yaml"))
SCORING = CAMPAIGN.scoring
D = Decimal


def indicator(code: str) -> IndicatorSpec:
    return CAMPAIGN.indicator(code)


def period(code: str) -> Period:
    found = find_period(code, CAMPAIGN)
    assert found is not None
    return found


# Progress on one indicator, by kind and direction


def test_higher_is_figure_over_target() -> None:
    result = progress(indicator("state_budget_revenue"), D(15750), D(21000))
    assert (result.percent, result.attainment, result.met) == (D(75), D(75), False)


def test_higher_above_target_is_met_and_over_100() -> None:
    result = progress(indicator("health_insurance_coverage"), D("98.5"), D("96.5"))
    assert result.met is True
    assert result.attainment is not None and D("102.07") < result.attainment < D("102.08")


def test_lower_is_target_over_figure() -> None:
    lower = indicator("state_budget_revenue").model_copy(update={"direction": "lower"})
    assert progress(lower, D(4), D(5)).attainment == D(125)
    assert progress(lower, D(10), D(5)).attainment == D(50)
    assert progress(lower, D(0), D(5)).attainment == D("Infinity")  # nothing at all: best


def test_a_share_of_grdp_is_measured_by_its_distance() -> None:
    agri = indicator("econ_share_agri")  # target 16%
    near = progress(agri, D("16.4"), D(16))
    assert near.met is True and near.percent is None
    far = progress(agri, D(17), D(16))
    assert far.met is False and far.attainment == D("93.75")  # 1 point off a 16% share
    assert progress(agri, D(15), D(16)).attainment == D("93.75")  # below as above


def test_yes_no_and_maintain_are_met_or_not() -> None:
    education = indicator("universal_education_maintained")
    assert progress(education, D(1), D(1)).attainment == D(100)
    assert progress(education, D(0), D(1)).attainment == D(0)


def test_a_milestone_is_done_out_of_planned() -> None:
    result = progress(indicator("key_projects_site_clearance"), D(2), D(3))
    assert result.attainment is not None and round(result.attainment, 2) == D("66.67")
    assert result.met is False


def test_the_poverty_reduction_in_points() -> None:
    poverty = indicator("multidim_poverty_rate_reduction")  # 2,68 points
    result = progress(poverty, D(2), D("2.68"))
    assert result.attainment is not None and round(result.attainment, 2) == D("74.63")
    assert progress(poverty, D("-0.5"), D("2.68")).attainment == D(0)  # poverty rose


def test_cumulative_takes_the_latest_and_per_period_totals_add_up() -> None:
    values = {"2025-08": D(100), "2025-09": D(250)}
    assert achieved_so_far(indicator("state_budget_revenue"), values) == D(250)  # ytd
    assert achieved_so_far(indicator("ntm_communes_cumulative"), values) == D(250)  # level
    assert achieved_so_far(indicator("health_insurance_coverage"), values) == D(250)  # a rate
    monthly = indicator("state_budget_revenue").model_copy(update={"accumulation": "period"})
    assert achieved_so_far(monthly, values) == D(350)
    assert achieved_so_far(monthly, {}) is None


def test_no_own_target_is_said_not_invented() -> None:
    budget = indicator("state_budget_revenue")
    assert unit_target(budget, None, "xa-y-ty") is None  # a commune's share is not given
    assert unit_target(budget, D(120), "xa-y-ty") == D(120)
    assert unit_target(budget, None, "so-tai-chinh") == D(21000)  # reports the province's
    coverage = indicator("health_insurance_coverage")
    assert unit_target(coverage, None, "xa-y-ty") == D("96.5")  # a rate applies as it is


# Scores


def test_score_on_a_hand_worked_example() -> None:
    budget = progress(indicator("state_budget_revenue"), D(150), D(200))  # 75%, weight 2
    coverage = Progress(D(110), D(100), D(110), True, D(110))  # 110%, weight 1
    score = unit_score(
        [
            (indicator("state_budget_revenue"), budget),
            (indicator("health_insurance_coverage"), coverage),
        ],
        Rates(expected=10, received=8, on_time=6),
        SCORING,
    )
    # targets: 80 × (2 × 75 + 1 × 100) / 3 / 100; bonus: 5 × 10 / (3 × 20); organising 20 × 0,7
    assert score.targets == D("66.666667")
    assert score.bonus == D("0.833333")
    assert score.organising == D(14)
    assert score.total == D("81.5")
    assert score.on_targets is True


def test_over_achievement_is_capped() -> None:
    coverage = indicator("health_insurance_coverage")
    far = Progress(D(300), D(100), D(300), True, D(300))
    score = unit_score([(coverage, far)], Rates(1, 1, 1), SCORING)
    assert (score.targets, score.bonus, score.total) == (D(80), D(5), D(105))


def test_an_unreported_indicator_with_a_target_counts_zero() -> None:
    budget = indicator("state_budget_revenue")
    items = [(budget, unreported(budget, D(200))), (budget, progress(budget, D(200), D(200)))]
    assert unit_score(items, Rates(0, 0, 0), SCORING).targets == D(40)
    assert unreported(budget, None) is None


def test_a_unit_without_own_targets_is_scored_on_its_reports() -> None:
    budget = indicator("state_budget_revenue")
    score = unit_score([(budget, None)], Rates(expected=10, received=10, on_time=5), SCORING)
    assert score.on_targets is False
    assert score.total == D(75)  # 100 × (50% × 100% complete + 50% × 50% on time)


def test_nothing_due_yet_gives_no_organising_points() -> None:
    assert unit_score([], Rates(0, 0, 0), SCORING).total == D(0)


def _better(direction: str, target: Decimal, a: Decimal, b: Decimal) -> bool:
    """Whether b is at least as good as a for this direction."""
    if direction == "higher":
        return b >= a
    if direction == "lower":
        return b <= a
    return abs(b - target) <= abs(a - target)


figures = st.decimals(min_value=-50, max_value=500, places=2, allow_nan=False)
scored = [i for i in CAMPAIGN.indicators if not i.options] + [
    indicator("state_budget_revenue").model_copy(update={"direction": "lower"})
]


@given(
    st.sampled_from(scored), figures, figures, st.decimals(min_value="0.5", max_value=400, places=1)
)
def test_a_better_figure_never_lowers_the_score(
    spec: IndicatorSpec, a: Decimal, b: Decimal, target: Decimal
) -> None:
    if not _better(spec.direction, target, a, b):
        a, b = b, a
    rates = Rates(4, 3, 2)
    worse = unit_score([(spec, progress(spec, a, target))], rates, SCORING)
    better = unit_score([(spec, progress(spec, b, target))], rates, SCORING)
    assert better.total >= worse.total


@given(
    st.sampled_from(["universal_education_maintained", "key_projects_site_clearance"]), st.data()
)
def test_a_better_answer_never_lowers_the_score(code: str, data: st.DataObject) -> None:
    spec = indicator(code)
    a, b = sorted(
        data.draw(
            st.lists(st.sampled_from([o.value for o in spec.options]), min_size=2, max_size=2)
        )
    )
    low = unit_score([(spec, progress(spec, a, spec.target))], Rates(1, 1, 1), SCORING)
    high = unit_score([(spec, progress(spec, b, spec.target))], Rates(1, 1, 1), SCORING)
    assert high.total >= low.total


# Ranks


def test_ties_share_a_rank_and_the_next_is_skipped() -> None:
    scores = {"a": D(90), "b": D("85.5"), "c": D("85.5"), "d": D(70)}
    assert ranks(scores) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_scores_equal_as_shown_are_tied() -> None:
    assert ranks({"a": D("85.501"), "b": D("85.499")}) == {"a": 1, "b": 1}


@given(
    st.dictionaries(st.integers(), st.decimals(min_value=0, max_value=105, places=3), max_size=40)
)
def test_ranks_are_a_permutation_with_ties(scores: dict[int, Decimal]) -> None:
    ranked = ranks(scores)
    assert ranked.keys() == scores.keys()
    shown = {key: round_to(score, 2) for key, score in scores.items()}
    for key, rank in ranked.items():
        assert rank == 1 + sum(1 for other in shown.values() if other > shown[key])
    ordered = sorted(ranked.values())
    # positions 1..n with each tie holding its places: a permutation once ties are undone
    assert all(rank <= position for position, rank in enumerate(ordered, start=1))
    assert len(set(ranked.values())) == len(set(shown.values()))


# Completeness and timeliness


def test_completeness_and_timeliness_as_dhis2_defines_them() -> None:
    rates = Rates(expected=16, received=12, on_time=8)
    assert (rates.completeness, rates.timeliness) == (D(75), D(50))
    assert Rates(0, 0, 0).completeness is None  # nothing expected: not 0%, not 100%
    assert Rates(10, 12, 12).completeness == D(100)  # capped


@given(st.integers(0, 10_000), st.integers(0, 20_000), st.integers(0, 20_000))
def test_completeness_is_between_0_and_100(expected: int, received: int, on_time: int) -> None:
    rates = Rates(expected, received, min(on_time, received))
    for share in (rates.completeness, rates.timeliness):
        assert share is None or D(0) <= share <= D(100)


def test_periods_that_count_and_those_due() -> None:
    morning = datetime(2025, 10, 3, 8, tzinfo=LOCAL_ZONE)  # September due on the 5th
    periods = standing_periods(morning, CAMPAIGN)
    assert [p.code for p in periods.counted] == ["2025-08", "2025-09"]
    assert [p.code for p in periods.due] == ["2025-08"]
    assert [p.code for p in periods.previous.counted] == ["2025-08"]
    before = standing_periods(datetime(2025, 7, 20, tzinfo=LOCAL_ZONE), CAMPAIGN)
    assert before.counted == () and before.due == ()


def test_a_unit_counts_in_the_group_it_was_in_for_each_period() -> None:
    months = [period(code) for code in ("2025-08", "2025-09", "2025-10")]
    moved = [Spell(1, 10, None, date(2025, 10, 14)), Spell(1, 20, date(2025, 10, 15), None)]
    assert [(p.code, g) for p, g in expected_slots(moved, months)] == [
        ("2025-08", 10),
        ("2025-09", 10),
        ("2025-10", 20),
    ]
    joined = [Spell(2, 10, date(2025, 9, 10), None)]
    assert [p.code for p, _ in expected_slots(joined, months)] == ["2025-09", "2025-10"]
    left = [Spell(3, 10, None, date(2025, 9, 20))]
    assert [p.code for p, _ in expected_slots(left, months)] == ["2025-08"]


# The province roll-up


def test_the_department_total_counts_and_the_parts_are_a_check() -> None:
    budget = indicator("state_budget_revenue")  # total: so-tai-chinh
    figures = [
        UnitFigure("so-tai-chinh", D(15000)),
        UnitFigure("xa-y-ty", D(100)),
        UnitFigure("phuong-sa-pa", D(200)),
    ]
    province = roll_up(budget, figures, expected=101)
    assert province.progress is not None and province.progress.achieved == D(15000)
    assert (province.check, province.check_is_parts) == (D(300), True)
    assert (province.reporting, province.expected) == (3, 101)
    assert province.progress.attainment is not None
    assert round(province.progress.attainment, 2) == D("71.43")  # never 15.300 / 21.000


def test_the_parts_count_when_the_campaign_file_says_so() -> None:
    budget = indicator("state_budget_revenue")
    assert budget.total is not None
    parts = budget.model_copy(update={"total": budget.total.model_copy(update={"counts": "parts"})})
    figures = [UnitFigure("so-tai-chinh", D(15000)), UnitFigure("xa-y-ty", D(100))]
    province = roll_up(parts, figures, expected=2)
    assert province.progress is not None and province.progress.achieved == D(100)
    assert (province.check, province.check_is_parts) == (D(15000), False)


def test_without_the_department_the_total_waits_and_the_parts_show() -> None:
    figures = [UnitFigure("xa-y-ty", D(100)), UnitFigure("phuong-sa-pa", D(50))]
    province = roll_up(indicator("state_budget_revenue"), figures, expected=101)
    assert province.progress is None and province.check == D(150)


def test_a_weighted_average() -> None:
    coverage = indicator("rural_hygienic_water_rate").model_copy(update={"total": None})
    alike = [UnitFigure("xa-a", D(90)), UnitFigure("xa-b", D(100))]
    result = roll_up(coverage, alike, expected=2).progress
    assert result is not None and result.achieved == D(95)
    weighted = coverage.model_copy(update={"weighted_by": "new_jobs"})
    by_weight = [UnitFigure("xa-a", D(90), D(3)), UnitFigure("xa-b", D(100), D(1))]
    result = roll_up(weighted, by_weight, expected=2).progress
    assert result is not None and result.achieved == D("92.5")


def test_a_province_only_figure_is_the_first_listed_department() -> None:
    growth = indicator("grdp_growth")  # so-tai-chinh, thong-ke-tinh
    figures = [UnitFigure("thong-ke-tinh", D("8.1")), UnitFigure("so-tai-chinh", D("8.3"))]
    result = roll_up(growth, figures, expected=2).progress
    assert result is not None and result.achieved == D("8.3")


def test_all_units_must_maintain() -> None:
    education = indicator("universal_education_maintained")
    figures = [UnitFigure(f"xa-{n}", D(1)) for n in range(3)] + [UnitFigure("xa-x", D(0))]
    result = roll_up(education, figures, expected=4).progress
    assert result is not None and (result.achieved, result.met) == (D(3), False)
