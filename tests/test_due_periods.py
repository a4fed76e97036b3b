"""Which periods a unit may report for: open until locked, up to today's period, reopened ones."""

from datetime import date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.settings import BUNDLED_CAMPAIGN, LOCAL_ZONE
from domain.campaign import load_campaign
from domain.periods import (
    find_period,
    lock_date,
    periods_to_report,
    reporting_period,
)

CAMPAIGN = load_campaign(
    BUNDLED_CAMPAIGN
)  # monthly from 01/08/2025, due the 5th, locked 30 days on


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_ZONE)


def codes(day: date, reopened: dict[str, date] | None = None) -> list[str]:
    return [p.code for p in periods_to_report(at(day), CAMPAIGN, reopened or {})]


def test_earlier_periods_stay_open_until_their_lock() -> None:
    assert codes(date(2025, 10, 3)) == ["2025-08", "2025-09"]  # August locks at the end of 05/10
    assert codes(date(2025, 10, 5)) == ["2025-08", "2025-09"]
    assert codes(date(2025, 10, 6)) == ["2025-09", "2025-10"]
    assert codes(date(2025, 11, 4)) == ["2025-09", "2025-10"]  # October is due on 05/11
    assert codes(date(2025, 11, 5)) == ["2025-10"]
    assert codes(date(2025, 11, 6)) == ["2025-10", "2025-11"]


def test_before_the_campaign_nothing_and_after_it_until_the_last_lock() -> None:
    assert codes(date(2025, 7, 31)) == []
    assert codes(date(2025, 8, 1)) == ["2025-08"]
    assert codes(date(2026, 1, 6)) == ["2025-12"]  # deadline passed, not locked: late figures
    assert codes(date(2026, 2, 4)) == ["2025-12"]
    assert codes(date(2026, 2, 5)) == []


def test_a_reopened_period_takes_figures_until_the_end_of_its_day() -> None:
    reopened = {"2025-08": date(2025, 11, 10)}
    assert codes(date(2025, 11, 10), reopened) == ["2025-08", "2025-10", "2025-11"]
    assert codes(date(2025, 11, 11), reopened) == ["2025-10", "2025-11"]


def test_a_period_is_found_by_its_code_only_inside_the_campaign() -> None:
    september = find_period("2025-09", CAMPAIGN)
    assert september is not None and september.start == date(2025, 9, 1)
    assert find_period("2025-07", CAMPAIGN) is None
    assert find_period("2025-13", CAMPAIGN) is None


@given(
    st.dates(date(2025, 7, 1), date(2026, 3, 31)),
    st.dictionaries(
        st.sampled_from(["2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]),
        st.dates(date(2025, 8, 1), date(2026, 3, 31)),
    ),
)
def test_every_period_offered_takes_figures_and_today_s_period_is_the_newest(
    day: date, reopened: dict[str, date]
) -> None:
    periods = periods_to_report(at(day), CAMPAIGN, reopened)
    assert periods == sorted(periods)
    for period in periods:
        assert day <= lock_date(period, CAMPAIGN.reporting) or day <= reopened[period.code]
        assert period.start <= day
    current = reporting_period(day, CAMPAIGN)
    if current is not None:
        assert periods[-1] == current
        assert all(p.start <= current.start for p in periods)
    reopened_only = {
        code for code, until in reopened.items() if until >= day and find_period(code, CAMPAIGN)
    }
    closed = {p.code for p in periods_to_report(at(day), CAMPAIGN, {})}
    assert {p.code for p in periods} - closed <= reopened_only


def test_the_end_of_the_lock_day_is_local_time() -> None:
    # 05/10 23:30 in Vietnam is 16:30 UTC: August still open; 00:30 on 06/10 it is locked.
    evening = at(date(2025, 10, 5), 23) + timedelta(minutes=30)
    assert periods_to_report(evening, CAMPAIGN, {})[0].code == "2025-08"
    after = evening + timedelta(hours=1)
    assert periods_to_report(after, CAMPAIGN, {})[0].code == "2025-09"
