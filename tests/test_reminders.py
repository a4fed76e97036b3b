"""When reminders, escalations, the late list, recurring updates and snoozes go out.

The hand-worked examples use the bundled campaign (Vietnam's time zone, quiet 21:00–07:00,
weekends and the 2025 holidays off); the properties vary the quiet hours, weekend and holidays.
"""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.campaign import (
    WEEKDAYS,
    CampaignSpec,
    DigestSpec,
    HolidaySpec,
    MonthlyDigestSpec,
    ReportingSpec,
    Weekday,
    WeeklyDigestSpec,
    load_campaign,
)
from domain.periods import lock_date, period_containing
from domain.reminders import (
    MISSED_AFTER,
    Digest,
    Occasion,
    Snooze,
    digest_occasions,
    due_occasion,
    escalation_occasions,
    is_allowed,
    late_list_occasions,
    next_allowed,
    occasions_between,
    reminder_occasions,
    shifted,
    snooze_until,
    update_occasions,
)

CAMPAIGN = load_campaign(Path(__file__).resolve().parents[1] / "campaigns" / "lao-cai-2025.yaml")
ZONE = CAMPAIGN.zone
UPDATE = CAMPAIGN.reminders.updates[0]
AUGUST, SEPTEMBER, OCTOBER = (period_containing(date(2025, m, 1), "monthly") for m in (8, 9, 10))


def _vn(day: str, at: str = "08:00") -> datetime:
    """ "03/10/2025", "08:00" as a moment on Vietnam's wall clock."""
    return datetime.strptime(f"{day} {at}", "%d/%m/%Y %H:%M").replace(tzinfo=ZONE)


def _shown(occasions: list[Occasion]) -> list[tuple[str, str]]:
    return [(o.rule, f"{o.moment:%a %d/%m %H:%M}") for o in occasions]


# --- Allowed moments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (_vn("01/10/2025", "20:59"), _vn("01/10/2025", "20:59")),  # Wednesday evening: allowed
        (_vn("01/10/2025", "21:00"), _vn("02/10/2025", "07:00")),  # quiet hours start
        (_vn("02/10/2025", "03:00"), _vn("02/10/2025", "07:00")),
        (_vn("02/10/2025", "07:00"), _vn("02/10/2025", "07:00")),
        (_vn("03/10/2025", "22:00"), _vn("06/10/2025", "07:00")),  # Friday night → Monday
        (_vn("04/10/2025", "10:00"), _vn("06/10/2025", "07:00")),  # Saturday
        (_vn("31/08/2025", "12:00"), _vn("03/09/2025", "07:00")),  # Sunday, then Quốc khánh
        (_vn("24/01/2025", "21:30"), _vn("03/02/2025", "07:00")),  # Friday before Tết
        (datetime(2025, 10, 1, 14, 30, tzinfo=UTC), _vn("02/10/2025", "07:00")),  # 21:30 in VN
    ],
)
def test_next_allowed(moment: datetime, allowed: datetime) -> None:
    assert next_allowed(moment, CAMPAIGN) == allowed
    assert next_allowed(moment, CAMPAIGN).tzinfo == ZONE


def test_quiet_hours_within_a_day() -> None:
    """Quiet hours need not run past midnight: a lunch break of 11:30–13:30."""
    lunch = CAMPAIGN.reminders.model_copy(
        update={"quiet_start": time(11, 30), "quiet_end": time(13, 30)}
    )
    campaign = CAMPAIGN.model_copy(update={"reminders": lunch})
    assert next_allowed(_vn("01/10/2025", "12:00"), campaign) == _vn("01/10/2025", "13:30")
    assert next_allowed(_vn("01/10/2025", "23:00"), campaign) == _vn("01/10/2025", "23:00")
    assert next_allowed(_vn("03/10/2025", "11:30"), campaign) == _vn("03/10/2025", "13:30")


def test_shifted_keeps_the_time_of_day() -> None:
    assert shifted(_vn("04/10/2025"), CAMPAIGN) == _vn("06/10/2025")  # Saturday → Monday 08:00
    assert shifted(_vn("02/09/2025"), CAMPAIGN) == _vn("03/09/2025")  # Quốc khánh → Wednesday
    assert shifted(_vn("02/10/2025"), CAMPAIGN) == _vn("02/10/2025")


# --- A period's reminders --------------------------------------------------------------------


def test_september_with_a_sunday_deadline() -> None:
    """Due Sunday 05/10: Saturday's and Sunday's reminders fold into Monday's "1 day late"."""
    assert _shown(reminder_occasions(SEPTEMBER, CAMPAIGN)) == [
        ("before-3", "Thu 02/10 08:00"),
        ("after-1", "Mon 06/10 08:00"),
        ("after-3", "Wed 08/10 08:00"),
    ]
    assert _shown(escalation_occasions(SEPTEMBER, CAMPAIGN)) == [("head-5", "Fri 10/10 08:00")]


def test_august_with_a_holiday() -> None:
    """Due Friday 05/09: 3 days before is Quốc khánh (02/09), 1 day after is a Saturday."""
    occasions = reminder_occasions(AUGUST, CAMPAIGN)
    assert _shown(occasions) == [
        ("before-3", "Wed 03/09 08:00"),
        ("before-1", "Thu 04/09 08:00"),
        ("deadline", "Fri 05/09 08:00"),
        ("after-3", "Mon 08/09 08:00"),
    ]
    assert occasions[0].planned == _vn("02/09/2025")
    assert [o.key(42) for o in occasions] == [
        "42:2025-08:before-3",
        "42:2025-08:before-1",
        "42:2025-08:deadline",
        "42:2025-08:after-3",
    ]


def test_rules_from_the_file() -> None:
    rules = CAMPAIGN.reminders.model_copy(
        update={"days_before_deadline": [7], "on_deadline": False, "days_after_deadline": [2]}
    )
    campaign = CAMPAIGN.model_copy(update={"reminders": rules})
    assert _shown(reminder_occasions(OCTOBER, campaign)) == [
        ("before-7", "Wed 29/10 08:00"),
        ("after-2", "Fri 07/11 08:00"),
    ]


def test_nothing_after_the_lock() -> None:
    """Locked at the end of Saturday 08/11: "3 days late" would go on Monday, too late."""
    reporting = ReportingSpec(deadline_days=5, lock_days=3)
    campaign = CAMPAIGN.model_copy(update={"reporting": reporting})
    assert _shown(reminder_occasions(OCTOBER, campaign))[-2:] == [
        ("deadline", "Wed 05/11 08:00"),
        ("after-1", "Thu 06/11 08:00"),
    ]
    assert escalation_occasions(OCTOBER, campaign) == []


# --- What a job sends when it runs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "rule"),
    [
        (_vn("02/10/2025", "07:59"), None),
        (_vn("02/10/2025", "08:00"), "before-3"),
        (_vn("02/10/2025", "20:59"), "before-3"),
        (_vn("02/10/2025", "21:00"), None),  # quiet hours: wait for the morning
        (_vn("03/10/2025", "07:00"), "before-3"),  # the bot was down all evening: still sent
        (_vn("03/10/2025", "08:00"), None),  # a day late: skipped
        (_vn("06/10/2025", "07:30"), None),  # Monday before its reminder
        (_vn("06/10/2025", "10:00"), "after-1"),  # down all weekend: Monday's reminder only
        (_vn("05/10/2025", "10:00"), None),  # Sunday
    ],
)
def test_due_occasion(now: datetime, rule: str | None) -> None:
    due = due_occasion(reminder_occasions(SEPTEMBER, CAMPAIGN), now, CAMPAIGN)
    assert (due.rule if due else None) == rule


def test_the_latest_due_occasion_supersedes_earlier_ones() -> None:
    """A reminder snoozed to 10:00 and another at 12:00, the bot down until 13:00: one message."""
    [reminder] = [o for o in reminder_occasions(SEPTEMBER, CAMPAIGN) if o.rule == "after-3"]
    snoozed = reminder.snoozed(_vn("08/10/2025", "10:00"))
    later = reminder.snoozed(_vn("08/10/2025", "12:00"))
    assert due_occasion([later, snoozed], _vn("08/10/2025", "13:00"), CAMPAIGN) == later
    assert snoozed.key(7) == "7:2025-09:after-3~202510081000"
    assert snoozed.planned == snoozed.moment == _vn("08/10/2025", "10:00")


def test_a_snoozed_key_is_on_the_campaign_clock_and_does_not_grow() -> None:
    [reminder] = [o for o in reminder_occasions(SEPTEMBER, CAMPAIGN) if o.rule == "after-3"]
    in_utc = reminder.snoozed(datetime(2025, 10, 8, 3, tzinfo=UTC))  # 10:00 in Vietnam
    assert in_utc.key(7) == "7:2025-09:after-3~202510081000"
    again = in_utc.snoozed(_vn("09/10/2025"))
    assert again.key(7) == "7:2025-09:after-3~202510090800"
    assert again.moment.tzinfo == ZONE


# --- Snooze ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choice", "now", "until"),
    [
        ("later", _vn("01/10/2025", "10:00"), _vn("01/10/2025", "12:00")),
        ("later", _vn("01/10/2025", "18:59"), _vn("01/10/2025", "20:59")),
        ("later", _vn("01/10/2025", "19:30"), _vn("02/10/2025", "07:00")),  # 21:30 is quiet
        ("later", _vn("03/10/2025", "19:30"), _vn("06/10/2025", "07:00")),  # Friday evening
        ("tomorrow", _vn("01/10/2025", "10:00"), _vn("02/10/2025", "08:00")),
        ("tomorrow", _vn("03/10/2025", "10:00"), _vn("06/10/2025", "08:00")),  # Friday → Monday
        ("tomorrow", _vn("29/08/2025", "10:00"), _vn("03/09/2025", "08:00")),  # over Quốc khánh
        ("tomorrow", _vn("05/10/2025", "23:30"), _vn("06/10/2025", "08:00")),
    ],
)
def test_snooze(choice: Snooze, now: datetime, until: datetime) -> None:
    assert snooze_until(choice, now, CAMPAIGN) == until


# --- The admins' daily list and recurring updates ----------------------------------------------


def test_late_list_on_working_days() -> None:
    occasions = late_list_occasions(
        CAMPAIGN, _vn("29/08/2025", "00:00"), _vn("05/09/2025", "09:00")
    )
    assert [(o.scope, o.moment) for o in occasions] == [
        (day, _vn(f"{day[8:]}/{day[5:7]}/2025", "08:30"))
        for day in ("2025-08-29", "2025-09-03", "2025-09-04", "2025-09-05")
    ]
    assert occasions[0].key(3) == "3:2025-08-29:late-list"


def test_weekly_update_over_a_holiday() -> None:
    """Monday 01/09 is Quốc khánh (and 02/09): that week's update goes on Wednesday."""
    occasions = update_occasions(UPDATE, CAMPAIGN, _vn("25/08/2025", "00:00"), _vn("09/09/2025"))
    assert [(o.scope, f"{o.moment:%a %d/%m %H:%M}") for o in occasions] == [
        ("2025-08-25", "Mon 25/08 08:00"),
        ("2025-09-01", "Wed 03/09 08:00"),
        ("2025-09-08", "Mon 08/09 08:00"),
    ]
    assert occasions[1].key(5) == "5:2025-09-01:update-tuan-moi"


def test_weekly_update_over_tet() -> None:
    """Tết 25/01–02/02/2025: the update of Monday 27/01 would land on 03/02, with that week's."""
    campaign = CAMPAIGN.model_copy(update={"starts": date(2025, 1, 1), "ends": date(2025, 2, 28)})
    occasions = update_occasions(UPDATE, campaign, _vn("01/01/2025", "00:00"), _vn("12/02/2025"))
    assert [o.scope for o in occasions] == [
        "2025-01-06",
        "2025-01-13",
        "2025-01-20",
        "2025-02-03",
        "2025-02-10",
    ]
    assert occasions[3].moment == _vn("03/02/2025")


def test_updates_only_within_the_campaign() -> None:
    occasions = update_occasions(UPDATE, CAMPAIGN, _vn("01/07/2025"), _vn("31/01/2026"))
    assert (occasions[0].scope, occasions[-1].scope) == ("2025-08-04", "2025-12-29")


# --- Properties ------------------------------------------------------------------------------

_MOMENTS = st.datetimes(datetime(2025, 1, 1), datetime(2026, 3, 1), timezones=st.just(UTC))
_MINUTES = st.integers(min_value=0, max_value=24 * 60 - 1).map(
    lambda minute: time(minute // 60, minute % 60)
)


@st.composite
def _campaigns(draw: st.DrawFn) -> CampaignSpec:
    """The bundled campaign with other quiet hours, weekend, holidays, deadline rules and zones.

    Zones with daylight saving time included: a wall time skipped in spring moves past the gap.
    """
    quiet_start, quiet_end = draw(st.lists(_MINUTES, min_size=2, max_size=2, unique=True))
    weekend = draw(st.lists(st.sampled_from(WEEKDAYS), max_size=6, unique=True))
    days = draw(st.lists(st.dates(date(2025, 7, 1), date(2026, 2, 28)), max_size=30, unique=True))
    reminders = CAMPAIGN.reminders.model_copy(
        update={
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "weekend": weekend,
            "holidays": [HolidaySpec(day=day, name="Nghỉ") for day in days],
            "send_at": draw(_MINUTES),
            "days_before_deadline": draw(st.lists(st.integers(1, 10), max_size=4, unique=True)),
            "days_after_deadline": draw(st.lists(st.integers(1, 10), max_size=4, unique=True)),
        }
    )
    reporting = ReportingSpec(deadline_days=draw(st.integers(0, 20)), lock_days=10)
    timezone = draw(st.sampled_from(["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/New_York"]))
    return CAMPAIGN.model_copy(
        update={"reminders": reminders, "reporting": reporting, "timezone": timezone}
    )


@given(_campaigns(), _MOMENTS)
def test_next_allowed_is_the_earliest_allowed_moment(
    campaign: CampaignSpec, moment: datetime
) -> None:
    allowed = next_allowed(moment, campaign)
    assert allowed >= moment
    assert is_allowed(allowed, campaign)
    assert next_allowed(allowed, campaign) == allowed
    assert (allowed == moment) == is_allowed(moment, campaign)
    just_before = allowed - timedelta(microseconds=1)
    if just_before >= moment:
        assert not is_allowed(just_before, campaign)


@given(_campaigns(), _MOMENTS)
def test_shifted_is_allowed_later_and_idempotent(campaign: CampaignSpec, planned: datetime) -> None:
    moment = shifted(planned, campaign)
    assert moment >= planned
    assert is_allowed(moment, campaign)
    assert shifted(moment, campaign) == moment
    wall = moment.astimezone(campaign.zone)
    assert not campaign.reminders.is_quiet(wall.time())
    assert WEEKDAYS[wall.weekday()] not in campaign.reminders.weekend
    assert wall.date() not in campaign.reminders.holiday_dates()


@given(_campaigns(), st.dates(date(2025, 8, 1), date(2025, 12, 31)))
def test_reminder_occasions_are_allowed_ordered_and_before_the_lock(
    campaign: CampaignSpec, day: date
) -> None:
    period = period_containing(day, "monthly")
    occasions = reminder_occasions(period, campaign) + escalation_occasions(period, campaign)
    reminders = reminder_occasions(period, campaign)
    assert [o.moment for o in reminders] == sorted({o.moment for o in reminders})
    for occasion in occasions:
        assert occasion.moment >= occasion.planned
        assert is_allowed(occasion.moment, campaign)
        assert occasion.moment.date() <= lock_date(period, campaign.reporting)
        assert occasion.scope == period.code


@given(_campaigns(), st.lists(_MOMENTS, min_size=3, max_size=3))
def test_windows_add_up(campaign: CampaignSpec, moments: list[datetime]) -> None:
    """Due between a and b, then b and c, is due between a and c: no gap, no repeat."""
    a, b, c = sorted(moments)
    assume(c - a < timedelta(days=120))
    everything = [
        *reminder_occasions(SEPTEMBER, campaign),
        *escalation_occasions(SEPTEMBER, campaign),
    ]
    assert occasions_between(everything, a, b) + occasions_between(everything, b, c) == (
        occasions_between(everything, a, c)
    )
    for listed in (late_list_occasions, lambda *args: update_occasions(UPDATE, *args)):
        assert listed(campaign, a, b) + listed(campaign, b, c) == listed(campaign, a, c)


@given(_campaigns(), _MOMENTS)
def test_due_occasion_is_recent_and_sent_at_an_allowed_moment(
    campaign: CampaignSpec, now: datetime
) -> None:
    occasions = reminder_occasions(period_containing(now.date(), "monthly"), campaign)
    due = due_occasion(occasions, now, campaign)
    if due is not None:
        assert is_allowed(now, campaign)
        assert now - MISSED_AFTER < due.moment <= now
        assert all(o.moment <= due.moment for o in occasions if o.moment <= now)


@given(_campaigns(), _MOMENTS, st.sampled_from(["later", "tomorrow"]))
def test_snooze_is_allowed_and_in_the_future(
    campaign: CampaignSpec, now: datetime, choice: Snooze
) -> None:
    until = snooze_until(choice, now, campaign)
    assert is_allowed(until, campaign)
    if choice == "later":
        assert until >= now + timedelta(hours=campaign.reminders.snooze.later_hours)
    else:
        assert until.date() > now.astimezone(campaign.zone).date()


@given(
    _campaigns(),
    st.sampled_from(WEEKDAYS),
    st.integers(1, 28),
    _MINUTES,
    st.sampled_from(["weekly", "monthly"]),
)
def test_digests_go_at_allowed_moments_once_each_week_or_month(
    campaign: CampaignSpec, weekday: Weekday, day: int, at: time, digest: Digest
) -> None:
    digests = DigestSpec(
        weekly=WeeklyDigestSpec(weekday=weekday, at=at), monthly=MonthlyDigestSpec(day=day, at=at)
    )
    campaign = campaign.model_copy(update={"digests": digests})
    occasions = digest_occasions(digest, campaign, _vn("01/07/2025"), _vn("01/03/2026"))
    assert occasions
    scopes = [occasion.scope for occasion in occasions]
    assert len(set(scopes)) == len(scopes)  # one key a week or a month
    assert [o.moment for o in occasions] == sorted({o.moment for o in occasions})
    for occasion in occasions:
        assert occasion.moment >= occasion.planned
        assert is_allowed(occasion.moment, campaign)
        assert occasion.rule == f"digest-{digest}"
