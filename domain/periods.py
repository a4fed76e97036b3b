"""Reporting periods (ISO weeks, months, quarters), deadlines, locks and timeliness.

Moments are aware datetimes; a day is a local date in the campaign's time zone, and a
deadline or lock day lasts until the end of that local day.
"""

import calendar
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import assert_never
from zoneinfo import ZoneInfo

from domain.campaign import CampaignSpec, Frequency, ReportingSpec

_ROMAN = ("I", "II", "III", "IV")
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    """Inclusive."""
    code: str
    """Month "2025-09", ISO week "2025-W38" or quarter "2025-Q3"."""

    def label(self, lang: str = "vi") -> str:
        """Vietnamese "tháng 9/2025", "quý III/2025", "tuần 38/2025 (15/09–21/09)".

        English ("September 2025", "Q3 2025", "week 38 of 2025 (15/09–21/09)") for "en";
        any other language gets the Vietnamese label.
        """
        year, _, rest = self.code.partition("-")
        english = lang == "en"
        if rest.startswith("W"):
            span = f"{self.start:%d/%m}–{self.end:%d/%m}"
            week = int(rest[1:])
            return f"week {week} of {year} ({span})" if english else f"tuần {week}/{year} ({span})"
        if rest.startswith("Q"):
            quarter = int(rest[1:])
            return f"Q{quarter} {year}" if english else f"quý {_ROMAN[quarter - 1]}/{year}"
        month = int(rest)
        return f"{_MONTHS_EN[month - 1]} {year}" if english else f"tháng {month}/{year}"


def period_containing(day: date, frequency: Frequency) -> Period:
    if frequency == "weekly":
        iso = day.isocalendar()
        start = day - timedelta(days=iso.weekday - 1)
        return Period(start, start + timedelta(days=6), f"{iso.year}-W{iso.week:02d}")
    if frequency == "monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), f"{day.year}-{day.month:02d}")
    if frequency == "quarterly":
        quarter = (day.month - 1) // 3 + 1
        end_month = quarter * 3
        end = date(day.year, end_month, calendar.monthrange(day.year, end_month)[1])
        return Period(date(day.year, end_month - 2, 1), end, f"{day.year}-Q{quarter}")
    assert_never(frequency)


@functools.lru_cache(maxsize=64)
def periods_between(start: date, end: date, frequency: Frequency) -> tuple[Period, ...]:
    """Every period overlapping [start, end], in order; empty when end is before start.
    Kept: every step of a report form asks for the campaign's periods."""
    periods: list[Period] = []
    day = start
    while day <= end:
        period = period_containing(day, frequency)
        periods.append(period)
        day = period.end + _DAY
    return tuple(periods)


def deadline(period: Period, reporting: ReportingSpec) -> date:
    """The last day a report for the period is due."""
    return period.end + timedelta(days=reporting.deadline_days)


def lock_date(period: Period, reporting: ReportingSpec) -> date:
    """The last day the period takes figures; after it the period is closed."""
    return deadline(period, reporting) + timedelta(days=reporting.lock_days)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment on the campaign's wall clock; a naive datetime is refused, not guessed."""
    if moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: give its time zone")
    return moment.astimezone(zone)


def is_on_time(period: Period, first_value_at: datetime, campaign: CampaignSpec) -> bool:
    """Whether the first value for an indicator and period arrived in time.

    In time means by the end of the deadline day plus the campaign's grace days, local time.
    """
    local(first_value_at, campaign.zone)  # a naive moment is refused
    return first_value_at < on_time_until(period, campaign)


def on_time_until(period: Period, campaign: CampaignSpec) -> datetime:
    """The moment from which a first value for the period is late: the start of the local day
    after the deadline and grace days."""
    reporting = campaign.reporting
    last_day = deadline(period, reporting) + timedelta(days=reporting.grace_days + 1)
    return datetime.combine(last_day, time(), campaign.zone)


def days_left(period: Period, now: datetime, campaign: CampaignSpec) -> int:
    """Whole local days from today to the deadline: 0 on the deadline day, -2 two days late."""
    today = local(now, campaign.zone).date()
    return (deadline(period, campaign.reporting) - today).days


def is_locked(period: Period, now: datetime, campaign: CampaignSpec) -> bool:
    return local(now, campaign.zone).date() > lock_date(period, campaign.reporting)


def open_periods(now: datetime, campaign: CampaignSpec) -> list[Period]:
    """The campaign's periods that take figures now, oldest first.

    A period is open from its first day (and the campaign's) until its lock day is over; late
    figures are taken until then (and marked late by ``is_on_time``).
    """
    today = local(now, campaign.zone).date()
    if today < campaign.starts:
        return []
    reporting = campaign.reporting
    return [
        period
        for period in periods_between(campaign.starts, campaign.ends, reporting.frequency)
        if period.start <= today <= lock_date(period, reporting)
    ]


def started_periods(now: datetime, campaign: CampaignSpec) -> list[Period]:
    """The campaign's periods that have begun by now, oldest first (what an export covers)."""
    today = local(now, campaign.zone).date()
    every = periods_between(campaign.starts, campaign.ends, campaign.reporting.frequency)
    return [period for period in every if period.start <= today]


def periods_to_report(
    now: datetime, campaign: CampaignSpec, reopened: Mapping[str, date]
) -> list[Period]:
    """The periods a unit may report for now, oldest first.

    Every period up to the one officials report for today (``reporting_period``) whose lock
    has not passed, or that an admin reopened for the unit until a day not yet over
    (``reopened``: period code → last day). After the campaign, its periods still open.
    """
    today = local(now, campaign.zone).date()
    current = reporting_period(today, campaign)
    reporting = campaign.reporting
    every = periods_between(campaign.starts, campaign.ends, reporting.frequency)
    return [
        period
        for period in every
        if (current is None or period.start <= current.start)
        and period.start <= today
        and (today <= lock_date(period, reporting) or today <= reopened.get(period.code, date.min))
    ]


def find_period(code: str, campaign: CampaignSpec) -> Period | None:
    """The campaign's period with this code ("2025-09"), or None."""
    every = periods_between(campaign.starts, campaign.ends, campaign.reporting.frequency)
    return next((period for period in every if period.code == code), None)


def reporting_period(today: date, campaign: CampaignSpec) -> Period | None:
    """The period an official reports for today, or None while reporting is not open.

    The previous period while its deadline has not passed, otherwise the period containing
    today; only periods overlapping the campaign window. After the window, the last period
    stays open until its deadline.
    """
    reporting = campaign.reporting
    if today < campaign.starts:
        return None
    last = period_containing(campaign.ends, reporting.frequency)
    if today > deadline(last, reporting):
        return None
    current = period_containing(today, reporting.frequency)
    if current.start > campaign.ends:
        return last
    previous = period_containing(current.start - _DAY, reporting.frequency)
    if previous.end >= campaign.starts and today <= deadline(previous, reporting):
        return previous
    return current


def year_fraction(period: Period) -> Decimal:
    """Share of the calendar year elapsed at the period's last day, for year-to-date targets.

    Counted in the year of ``period.end``: ISO week 1 of 2026 (29/12/2025–04/01/2026) gives 4/365.
    """
    end = period.end
    elapsed = end.toordinal() - date(end.year, 1, 1).toordinal() + 1
    return Decimal(elapsed) / Decimal(366 if calendar.isleap(end.year) else 365)
