"""Periods, labels, deadlines and the period an official reports for."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.campaign import CampaignSpec, Frequency, ReportingSpec, load_campaign
from domain.periods import (
    Period,
    days_left,
    deadline,
    is_locked,
    is_on_time,
    lock_date,
    open_periods,
    period_containing,
    periods_between,
    reporting_period,
    year_fraction,
)

FREQUENCIES: tuple[Frequency, ...] = ("weekly", "monthly", "quarterly")
CAMPAIGN = load_campaign(Path(__file__).resolve().parents[1] / "campaigns" / "lao-cai-2025.yaml")
ZONE = CAMPAIGN.zone
SEPTEMBER = period_containing(date(2025, 9, 1), "monthly")


def _vn(day: date, at: time = time(12)) -> datetime:
    """A moment on Vietnam's wall clock."""
    return datetime.combine(day, at, tzinfo=ZONE)


def _with_reporting(frequency: Frequency, deadline_days: int) -> CampaignSpec:
    reporting = ReportingSpec(frequency=frequency, deadline_days=deadline_days)
    return CAMPAIGN.model_copy(update={"reporting": reporting})


@pytest.mark.parametrize(
    ("day", "frequency", "start", "end", "code"),
    [
        (date(2025, 9, 17), "monthly", date(2025, 9, 1), date(2025, 9, 30), "2025-09"),
        (date(2024, 2, 29), "monthly", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        (date(2025, 2, 1), "monthly", date(2025, 2, 1), date(2025, 2, 28), "2025-02"),
        (date(2025, 12, 31), "monthly", date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
        (date(2025, 8, 15), "quarterly", date(2025, 7, 1), date(2025, 9, 30), "2025-Q3"),
        (date(2025, 1, 1), "quarterly", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1"),
        (date(2025, 12, 31), "quarterly", date(2025, 10, 1), date(2025, 12, 31), "2025-Q4"),
        (date(2025, 9, 17), "weekly", date(2025, 9, 15), date(2025, 9, 21), "2025-W38"),
        (date(2025, 9, 15), "weekly", date(2025, 9, 15), date(2025, 9, 21), "2025-W38"),
        (date(2025, 9, 21), "weekly", date(2025, 9, 15), date(2025, 9, 21), "2025-W38"),
        # ISO weeks belong to the year of their Thursday.
        (date(2025, 12, 31), "weekly", date(2025, 12, 29), date(2026, 1, 4), "2026-W01"),
        (date(2027, 1, 1), "weekly", date(2026, 12, 28), date(2027, 1, 3), "2026-W53"),
        (date(2025, 1, 1), "weekly", date(2024, 12, 30), date(2025, 1, 5), "2025-W01"),
    ],
)
def test_period_containing(
    day: date, frequency: Frequency, start: date, end: date, code: str
) -> None:
    assert period_containing(day, frequency) == Period(start, end, code)


@pytest.mark.parametrize(
    ("day", "frequency", "vi", "en"),
    [
        (date(2025, 9, 1), "monthly", "tháng 9/2025", "September 2025"),
        (date(2025, 12, 1), "monthly", "tháng 12/2025", "December 2025"),
        (date(2025, 9, 1), "quarterly", "quý III/2025", "Q3 2025"),
        (date(2025, 11, 1), "quarterly", "quý IV/2025", "Q4 2025"),
        (
            date(2025, 9, 17),
            "weekly",
            "tuần 38/2025 (15/09–21/09)",
            "week 38 of 2025 (15/09–21/09)",
        ),
        (date(2025, 12, 30), "weekly", "tuần 1/2026 (29/12–04/01)", "week 1 of 2026 (29/12–04/01)"),
    ],
)
def test_labels(day: date, frequency: Frequency, vi: str, en: str) -> None:
    period = period_containing(day, frequency)
    assert (period.label(), period.label("vi"), period.label("en")) == (vi, vi, en)


def test_periods_between() -> None:
    months = periods_between(CAMPAIGN.starts, CAMPAIGN.ends, "monthly")
    assert [p.code for p in months] == ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12"]
    quarters = periods_between(date(2025, 8, 15), date(2025, 10, 1), "quarterly")
    assert [p.code for p in quarters] == ["2025-Q3", "2025-Q4"]
    weeks = periods_between(date(2025, 8, 1), date(2025, 8, 11), "weekly")
    assert [p.code for p in weeks] == ["2025-W31", "2025-W32", "2025-W33"]
    assert periods_between(date(2025, 9, 2), date(2025, 9, 1), "monthly") == ()


@given(st.integers(min_value=1900, max_value=2200), st.sampled_from(FREQUENCIES))
def test_every_day_of_a_year_in_exactly_one_period(year: int, frequency: Frequency) -> None:
    first, last = date(year, 1, 1), date(year, 12, 31)
    periods = periods_between(first, last, frequency)
    assert list(periods) == sorted(periods)
    assert periods[0].start <= first and periods[-1].end >= last
    for before, after in pairwise(periods):
        assert after.start == before.end + timedelta(days=1)
    assert len({p.code for p in periods}) == len(periods)
    day = first
    while day <= last:
        holding = [p for p in periods if p.start <= day <= p.end]
        assert holding == [period_containing(day, frequency)]
        day += timedelta(days=1)


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)), st.sampled_from(FREQUENCIES))
def test_a_period_contains_its_day(day: date, frequency: Frequency) -> None:
    period = period_containing(day, frequency)
    assert period.start <= day <= period.end
    assert period_containing(period.start, frequency) == period
    assert period_containing(period.end, frequency) == period


def test_deadline() -> None:
    september = period_containing(date(2025, 9, 1), "monthly")
    assert deadline(september, CAMPAIGN.reporting) == date(2025, 10, 5)
    week = period_containing(date(2025, 9, 17), "weekly")
    assert deadline(week, ReportingSpec(deadline_days=0)) == date(2025, 9, 21)


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (date(2025, 7, 31), None),  # before launch
        (date(2025, 8, 1), "2025-08"),  # July is before the campaign, even within its deadline
        (date(2025, 9, 1), "2025-08"),
        (date(2025, 9, 5), "2025-08"),
        (date(2025, 9, 6), "2025-09"),
        (date(2025, 10, 5), "2025-09"),
        (date(2025, 10, 6), "2025-10"),
        (date(2025, 12, 31), "2025-12"),
        (date(2026, 1, 1), "2025-12"),
        (date(2026, 1, 5), "2025-12"),
        (date(2026, 1, 6), None),  # reporting closed
        (date(2026, 6, 1), None),
    ],
)
def test_reporting_period_monthly(today: date, code: str | None) -> None:
    period = reporting_period(today, CAMPAIGN)
    assert (period.code if period else None) == code


@pytest.mark.parametrize(
    ("frequency", "deadline_days", "today", "code"),
    [
        ("quarterly", 10, date(2025, 8, 1), "2025-Q3"),
        ("quarterly", 10, date(2025, 10, 10), "2025-Q3"),
        ("quarterly", 10, date(2025, 10, 11), "2025-Q4"),
        ("quarterly", 10, date(2026, 1, 10), "2025-Q4"),
        ("quarterly", 10, date(2026, 1, 11), None),
        ("weekly", 2, date(2025, 8, 1), "2025-W31"),  # Friday: the week overlaps the campaign
        ("weekly", 2, date(2025, 8, 5), "2025-W31"),
        ("weekly", 2, date(2025, 8, 6), "2025-W32"),
        # The last week runs past 31/12; it is still the campaign's last period.
        ("weekly", 2, date(2026, 1, 6), "2026-W01"),
        ("weekly", 2, date(2026, 1, 7), None),
        # A deadline longer than a week keeps the last week open after the next one started.
        ("weekly", 10, date(2026, 1, 14), "2026-W01"),
        ("weekly", 10, date(2026, 1, 15), None),
        ("monthly", 0, date(2025, 9, 1), "2025-09"),
        ("monthly", 0, date(2025, 12, 31), "2025-12"),
        ("monthly", 0, date(2026, 1, 1), None),
    ],
)
def test_reporting_period_other_settings(
    frequency: Frequency, deadline_days: int, today: date, code: str | None
) -> None:
    period = reporting_period(today, _with_reporting(frequency, deadline_days))
    assert (period.code if period else None) == code


def test_last_period_stays_open_after_the_window() -> None:
    """Campaign ending mid-month: after its end the last period is reported until the deadline."""
    campaign = CAMPAIGN.model_copy(update={"ends": date(2025, 11, 20)})
    period = reporting_period(date(2025, 12, 3), campaign)
    assert period is not None and period.code == "2025-11"
    assert reporting_period(date(2025, 12, 6), campaign) is None


@given(
    st.dates(date(2025, 6, 1), date(2026, 3, 31)),
    st.sampled_from(FREQUENCIES),
    st.integers(min_value=0, max_value=40),
)
def test_reporting_period_is_open_and_in_the_window(
    today: date, frequency: Frequency, deadline_days: int
) -> None:
    campaign = _with_reporting(frequency, deadline_days)
    period = reporting_period(today, campaign)
    window = periods_between(campaign.starts, campaign.ends, frequency)
    is_open = campaign.starts <= today <= deadline(window[-1], campaign.reporting)
    assert (period is not None) == is_open
    if period is not None:
        assert period in window
        assert period.start <= today <= period.end or (
            period.end < today <= deadline(period, campaign.reporting)
        )


@pytest.mark.parametrize(
    ("day", "frequency", "fraction"),
    [
        (date(2025, 1, 1), "monthly", Decimal(31) / 365),
        (date(2025, 9, 1), "monthly", Decimal(273) / 365),
        (date(2025, 12, 1), "monthly", Decimal(1)),
        (date(2024, 2, 1), "quarterly", Decimal(91) / 366),
        (date(2024, 12, 1), "quarterly", Decimal(1)),
        (date(2025, 12, 31), "weekly", Decimal(4) / 365),
    ],
)
def test_year_fraction(day: date, frequency: Frequency, fraction: Decimal) -> None:
    assert year_fraction(period_containing(day, frequency)) == fraction


def test_lock_date() -> None:
    assert lock_date(SEPTEMBER, CAMPAIGN.reporting) == date(2025, 11, 4)  # 30 days after 05/10
    assert lock_date(SEPTEMBER, ReportingSpec(deadline_days=5, lock_days=0)) == date(2025, 10, 5)


@pytest.mark.parametrize(
    ("submitted", "grace_days", "on_time"),
    [
        (_vn(date(2025, 9, 20)), 0, True),  # before the period ended: early is on time
        (_vn(date(2025, 10, 5), time(23, 59, 59)), 0, True),
        (_vn(date(2025, 10, 6), time(0)), 0, False),
        # 17:30 UTC on the 5th is already 00:30 on the 6th in Vietnam.
        (datetime(2025, 10, 5, 16, 59, tzinfo=UTC), 0, True),
        (datetime(2025, 10, 5, 17, 30, tzinfo=UTC), 0, False),
        (_vn(date(2025, 10, 7), time(9)), 2, True),
        (_vn(date(2025, 10, 8), time(9)), 2, False),
    ],
)
def test_is_on_time(submitted: datetime, grace_days: int, on_time: bool) -> None:
    reporting = ReportingSpec(deadline_days=5, grace_days=grace_days)
    campaign = CAMPAIGN.model_copy(update={"reporting": reporting})
    assert is_on_time(SEPTEMBER, submitted, campaign) is on_time


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="naive datetime 2025-10-05T12:00:00"):
        is_on_time(SEPTEMBER, datetime(2025, 10, 5, 12), CAMPAIGN)
    with pytest.raises(ValueError, match="naive"):
        open_periods(datetime(2025, 10, 5, 12), CAMPAIGN)


@given(
    st.datetimes(datetime(2025, 9, 1), datetime(2025, 12, 31), timezones=st.just(UTC)),
    st.datetimes(datetime(2025, 9, 1), datetime(2025, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=0, max_value=10),
)
def test_on_time_is_monotone_in_submission_time(
    first: datetime, second: datetime, grace_days: int
) -> None:
    """Submitting earlier never turns an on-time value late."""
    reporting = ReportingSpec(deadline_days=5, grace_days=grace_days)
    campaign = CAMPAIGN.model_copy(update={"reporting": reporting})
    earlier, later = sorted((first, second))
    if is_on_time(SEPTEMBER, later, campaign):
        assert is_on_time(SEPTEMBER, earlier, campaign)


@pytest.mark.parametrize(
    ("now", "left", "locked"),
    [
        (_vn(date(2025, 9, 15)), 20, False),
        (_vn(date(2025, 10, 2), time(8)), 3, False),
        (_vn(date(2025, 10, 5), time(0)), 0, False),
        (_vn(date(2025, 10, 5), time(23, 59)), 0, False),
        (_vn(date(2025, 10, 6), time(0, 1)), -1, False),
        (datetime(2025, 10, 5, 18, tzinfo=UTC), -1, False),  # 01:00 on the 6th in Vietnam
        (_vn(date(2025, 11, 4), time(23, 59)), -30, False),
        (_vn(date(2025, 11, 5), time(0)), -31, True),
    ],
)
def test_days_left_and_lock(now: datetime, left: int, locked: bool) -> None:
    assert days_left(SEPTEMBER, now, CAMPAIGN) == left
    assert is_locked(SEPTEMBER, now, CAMPAIGN) is locked


@pytest.mark.parametrize(
    ("now", "codes"),
    [
        (_vn(date(2025, 7, 31), time(23, 59)), []),
        (_vn(date(2025, 8, 1), time(0)), ["2025-08"]),
        (_vn(date(2025, 9, 3)), ["2025-08", "2025-09"]),
        # August locks at the end of 05/10 (deadline 05/09 + 30 days).
        (_vn(date(2025, 10, 5), time(23, 59)), ["2025-08", "2025-09", "2025-10"]),
        (_vn(date(2025, 10, 6), time(0)), ["2025-09", "2025-10"]),
        (_vn(date(2026, 1, 1)), ["2025-11", "2025-12"]),
        (_vn(date(2026, 2, 4), time(23, 59)), ["2025-12"]),
        (_vn(date(2026, 2, 5), time(0)), []),
    ],
)
def test_open_periods(now: datetime, codes: list[str]) -> None:
    assert [period.code for period in open_periods(now, CAMPAIGN)] == codes


@given(
    st.datetimes(datetime(2025, 6, 1), datetime(2026, 4, 1), timezones=st.just(UTC)),
    st.sampled_from(FREQUENCIES),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=60),
)
def test_open_periods_are_the_unlocked_started_ones(
    now: datetime, frequency: Frequency, deadline_days: int, lock_days: int
) -> None:
    reporting = ReportingSpec(frequency=frequency, deadline_days=deadline_days, lock_days=lock_days)
    campaign = CAMPAIGN.model_copy(update={"reporting": reporting})
    today = now.astimezone(ZONE).date()
    opened = open_periods(now, campaign)
    assert opened == sorted(opened)
    window = periods_between(campaign.starts, campaign.ends, frequency)
    for period in window:
        started = campaign.starts <= today and period.start <= today
        assert (period in opened) == (started and not is_locked(period, now, campaign))
    current = reporting_period(today, campaign)
    assert current is None or current in opened
