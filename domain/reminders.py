"""When reminders, escalations, the admins' late list and recurring updates go out.

Pure timing: who owes what is decided elsewhere. Every function works on the campaign's wall
clock (its time zone) with aware datetimes and returns moments in that zone.

A message is sent only at an allowed moment: outside the quiet hours, on a working day (not a
weekend day, not a listed holiday). Something planned at a forbidden moment is shifted
forward: to the same time on the next working day, then out of the quiet hours.

Exactly once: each planned message is an ``Occasion`` with a ``key(person_id)``,
``"<person id>:<scope>:<rule>"``, that the database keeps unique. The scope is the period code
for a period's reminders ("2025-09", "2025-W38", "2025-Q3"), "dl-<code>" for a deliverable's
("dl-ke_hoach"), and the planned local date for daily and weekly messages ("2025-10-06");
rules are "before-3", "deadline", "after-1",
"head-5" (the unit's head, 5 days late), "late-list" (the admins' daily list),
"update-<code>" (a recurring update), and any of them with "~YYYYMMDDHHMM" when snoozed to
that local minute. Examples: "42:2025-09:before-3", "42:2025-09:before-3~202510021000".

Missed occasions: a job asks ``due_occasion`` whenever it runs. It answers with the latest
occasion planned in the last ``MISSED_AFTER`` (a day), and only at an allowed moment; one
missed by more than a day (the bot was down) is skipped, and when several are due after a
downtime only the latest goes, since it says the same with fresher numbers.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from domain.campaign import WEEKDAYS, CampaignSpec, DeliverableSpec, UpdateSpec
from domain.periods import Period, deadline, local, lock_date

MISSED_AFTER = timedelta(days=1)
"""An occasion not sent within this long after its moment is skipped."""

Snooze = Literal["later", "tomorrow"]
DELIVERABLE_SCOPE = "dl-"
"""The scope of a deliverable's reminders: "dl-ke_hoach"."""
_DAY = timedelta(days=1)


@dataclass(frozen=True, order=True)
class Occasion:
    """One planned message: when it may go out, when it was meant for, and what it is."""

    moment: datetime
    """The allowed moment it goes out (``planned`` shifted)."""
    planned: datetime
    scope: str
    rule: str

    def key(self, person_id: int) -> str:
        return f"{person_id}:{self.scope}:{self.rule}"

    def snoozed(self, until: datetime) -> "Occasion":
        """The same message again at ``until``, keyed by its rule and that minute.

        The minute is on the campaign's wall clock, the zone this occasion's moment is in.
        """
        rule = self.rule.partition("~")[0]
        wall = until.astimezone(self.moment.tzinfo)
        return replace(self, moment=wall, planned=wall, rule=f"{rule}~{wall:%Y%m%d%H%M}")


def is_working_day(day: date, campaign: CampaignSpec) -> bool:
    rules = campaign.reminders
    return WEEKDAYS[day.weekday()] not in rules.weekend and day not in rules.holiday_dates()


def is_allowed(moment: datetime, campaign: CampaignSpec) -> bool:
    wall = local(moment, campaign.zone)
    return is_working_day(wall.date(), campaign) and not campaign.reminders.is_quiet(wall.time())


def next_allowed(moment: datetime, campaign: CampaignSpec) -> datetime:
    """The earliest allowed moment at or after ``moment``."""
    rules = campaign.reminders
    wall = local(moment, campaign.zone)
    while not is_allowed(wall, campaign):
        day = wall.date()
        if is_working_day(day, campaign) and wall.time() < rules.quiet_end:
            wall = _at(day, rules.quiet_end, campaign)
        else:
            wall = _at(day + _DAY, rules.quiet_end, campaign)
    return wall


def shifted(planned: datetime, campaign: CampaignSpec) -> datetime:
    """Where a planned message goes: the same time on the next working day, out of quiet hours.

    Unlike ``next_allowed`` this keeps the planned time of day: a reminder planned for Saturday
    08:00 goes on Monday at 08:00, not at the end of Monday's quiet hours.
    """
    wall = local(planned, campaign.zone)
    day = wall.date()
    while not is_working_day(day, campaign):
        day += _DAY
    return next_allowed(_at(day, wall.time(), campaign), campaign)


def reminder_occasions(period: Period, campaign: CampaignSpec) -> list[Occasion]:
    """The reminders to focal points for a period, in order, up to the period's lock.

    Reminders shifted onto the same moment (the day before a Sunday deadline, the deadline and
    the day after all land on Monday) go out once, as the latest rule.
    """
    return _deadline_occasions(period, _named_offsets(campaign), campaign)


def _named_offsets(campaign: CampaignSpec) -> list[tuple[int, str]]:
    """The reminders' days from a deadline (negative before it) and their rules, in order."""
    rules = campaign.reminders
    offsets = [-days for days in rules.days_before_deadline]
    offsets += [0] if rules.on_deadline else []
    offsets += rules.days_after_deadline
    return [(offset, _rule(offset)) for offset in sorted(offsets)]


def escalation_occasions(period: Period, campaign: CampaignSpec) -> list[Occasion]:
    """The message to the unit's head once the unit is the campaign's number of days late."""
    days = campaign.reminders.escalation.head_after_days
    return _deadline_occasions(period, [(days, f"head-{days}")], campaign)


def deliverable_occasions(deliverable: DeliverableSpec, campaign: CampaignSpec) -> list[Occasion]:
    """The reminders of a deliverable: the same days before and after its due date as a
    period's, within the campaign; scoped "dl-<code>" so that no period's key can equal one."""
    due = deliverable.due
    scope = DELIVERABLE_SCOPE + deliverable.code
    return _dated_occasions(due, campaign.ends, scope, _named_offsets(campaign), campaign)


def occasions_between(
    occasions: Iterable[Occasion], after: datetime, until: datetime
) -> list[Occasion]:
    """The occasions whose moment is after ``after`` and at or before ``until``, in order.

    Half-open, so consecutive windows neither miss nor repeat an occasion.
    """
    return sorted(o for o in occasions if after < o.moment <= until)


def due_occasion(
    occasions: Iterable[Occasion], now: datetime, campaign: CampaignSpec
) -> Occasion | None:
    """What to send now: the latest occasion of the last ``MISSED_AFTER``, if now is allowed."""
    if not is_allowed(now, campaign):
        return None
    recent = occasions_between(occasions, now - MISSED_AFTER, now)
    return recent[-1] if recent else None


def late_list_occasions(campaign: CampaignSpec, after: datetime, until: datetime) -> list[Occasion]:
    """The admins' daily list of late units, at its time on working days only (not shifted).

    Whether anyone is late that day, and so whether the list goes, is for the caller to say.
    """
    at = campaign.reminders.escalation.admin_list_at
    moments = [_at(day, at, campaign) for day in _days(after, until, campaign)]
    return occasions_between(
        (
            Occasion(moment, moment, moment.date().isoformat(), "late-list")
            for moment in moments
            if is_working_day(moment.date(), campaign)
        ),
        after,
        until,
    )


def update_occasions(
    update: UpdateSpec, campaign: CampaignSpec, after: datetime, until: datetime
) -> list[Occasion]:
    """A recurring update's sendings, planned within the campaign's dates, shifted like reminders.

    An update shifted onto the next one's moment (a holiday week) goes out once.
    """
    days = (
        campaign.starts + timedelta(days=n)
        for n in range((campaign.ends - campaign.starts).days + 1)
    )
    planned = [
        _at(day, update.at, campaign) for day in days if WEEKDAYS[day.weekday()] == update.weekday
    ]
    rule = f"update-{update.code}"
    occasions = (Occasion(shifted(p, campaign), p, p.date().isoformat(), rule) for p in planned)
    return occasions_between(_collapse(occasions), after, until)


def snooze_until(choice: Snooze, now: datetime, campaign: CampaignSpec) -> datetime:
    """When a snoozed reminder comes back.

    "later" ("Nhắc lại sau 2 giờ"): the campaign's hours later, or the next allowed moment;
    "tomorrow" ("Ngày mai"): the next working day after today at the campaign's morning time.
    """
    snooze = campaign.reminders.snooze
    if choice == "later":
        return next_allowed(now + timedelta(hours=snooze.later_hours), campaign)
    tomorrow = local(now, campaign.zone).date() + _DAY
    return shifted(_at(tomorrow, snooze.tomorrow_at, campaign), campaign)


def _at(day: date, at: time, campaign: CampaignSpec) -> datetime:
    """A local date and time as a real moment (a wall time skipped by DST moves past the gap)."""
    return local(datetime.combine(day, at, tzinfo=campaign.zone), campaign.zone)


def _days(after: datetime, until: datetime, campaign: CampaignSpec) -> list[date]:
    """The local dates from ``after``'s to ``until``'s."""
    first = local(after, campaign.zone).date()
    last = local(until, campaign.zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _rule(offset: int) -> str:
    if offset == 0:
        return "deadline"
    return f"before-{-offset}" if offset < 0 else f"after-{offset}"


def _deadline_occasions(
    period: Period, named_offsets: list[tuple[int, str]], campaign: CampaignSpec
) -> list[Occasion]:
    """Occasions at the sending time, the given days from the deadline, up to the lock.

    ``named_offsets``: (days from the deadline, negative before it; rule), in order.
    """
    due = deadline(period, campaign.reporting)
    lock = lock_date(period, campaign.reporting)
    return _dated_occasions(due, lock, period.code, named_offsets, campaign)


def _dated_occasions(
    due: date,
    last_day: date,
    scope: str,
    named_offsets: list[tuple[int, str]],
    campaign: CampaignSpec,
) -> list[Occasion]:
    """Occasions at the sending time, the given days from ``due``, up to ``last_day``."""
    planned = [
        (_at(due + timedelta(days=offset), campaign.reminders.send_at, campaign), rule)
        for offset, rule in named_offsets
    ]
    occasions = (Occasion(shifted(p, campaign), p, scope, rule) for p, rule in planned)
    return _collapse(o for o in occasions if o.moment.date() <= last_day)


def _collapse(occasions: Iterable[Occasion]) -> list[Occasion]:
    """Occasions in planned order, keeping only the last of those shifted onto one moment.

    Planned at one time of day, their shifted moments keep the planned order, so the ones
    that meet are neighbours.
    """
    kept: list[Occasion] = []
    for occasion in occasions:
        if kept and kept[-1].moment == occasion.moment:
            kept.pop()
        kept.append(occasion)
    return kept
