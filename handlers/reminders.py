"""Reminders as people read them, and what they answer: snooze a reminder, say they are away.

The reminder job (schedules/reminders.py) decides who gets which reminder when; the texts and
choices are made here, so that a snoozed reminder reads like the first.
"""

from collections import defaultdict
from datetime import datetime

from domain.campaign import CampaignSpec, DeliverableSpec
from domain.dates import parse_day
from domain.deliverables import days_left as days_to_due
from domain.periods import Period, days_left, deadline, find_period, is_locked, local
from domain.reminders import Occasion, Snooze, snooze_until
from handlers.context import Ctx
from handlers.texts import t
from handlers.types import Choice, Reply
from storage import reminders
from storage.owed import Owed, owed

SNOOZES: dict[str, Snooze] = {"2h": "later", "tomorrow": "tomorrow"}
AWAY_CANCEL = ("huy", "hủy", "cancel")


def reminder_reply(
    lang: str, gap: Owed, period: Period, rule: str, key: str, at: datetime, campaign: CampaignSpec
) -> Reply:
    """A reminder of what the unit still owes for the period, as of `at`; the head's message
    when the rule is an escalation. `key` (without a snooze suffix) is what snoozing names."""
    left = days_left(period, at, campaign)
    values = {
        "unit": gap.unit.name,
        "period": period.label(lang),
        "deadline": f"{deadline(period, campaign.reporting):%d/%m/%Y}",
        "count": len(gap.missing),
        "items": "\n".join(f"• {i.number}. {i.name}" for i in gap.missing),
    }
    if rule.startswith("head-"):
        text = t(lang, "escalate", days=-left, **values)
    else:
        if left > 0:
            when = t(lang, "remind_days_left", days=left)
        else:
            when = t(lang, "remind_overdue", days=-left) if left else t(lang, "remind_due_today")
        text = t(lang, "remind", when=when, **values)
    later = campaign.reminders.snooze.later_hours
    return Reply(
        text,
        (
            Choice(f"cmd:report {period.code}", t(lang, "remind_report_now")),
            Choice(f"cmd:snooze {key} 2h", t(lang, "remind_later", hours=later)),
            Choice(f"cmd:snooze {key} tomorrow", t(lang, "remind_tomorrow")),
        ),
    )


def deliverable_reminder_reply(
    lang: str, deliverable: DeliverableSpec, unit_name: str, at: datetime
) -> Reply:
    """A reminder to hand in a deliverable, as of `at` (on the campaign's wall clock)."""
    left = days_to_due(deliverable, at.date())
    if left > 0:
        when = t(lang, "remind_days_left", days=left)
    else:
        when = t(lang, "remind_overdue", days=-left) if left else t(lang, "remind_due_today")
    text = t(
        lang,
        "remind_deliverable",
        name=deliverable.name,
        unit=unit_name,
        date=f"{deliverable.due:%d/%m/%Y}",
        when=when,
    )
    label = t(lang, "deliver_now", name=deliverable.name)
    return Reply(text, (Choice(f"cmd:deliver {deliverable.code}", label),))


def late_list_reply(lang: str, late: list[Owed], day: str) -> Reply:
    """The admins' daily list: late units grouped by block and cluster, with counts."""
    groups: dict[str, dict[str, list[Owed]]] = defaultdict(lambda: defaultdict(list))
    for gap in late:
        unit = gap.unit
        group = (
            f"{t(lang, 'group_' + unit.group_kind)}: {unit.group_name}"
            if unit.group_name and unit.group_kind
            else t(lang, "no_group")
        )
        groups[group][unit.name].append(gap)
    lines = [t(lang, "late_list", date=day, count=sum(len(units) for units in groups.values()))]
    for group, units in sorted(groups.items()):
        lines.append("\n" + t(lang, "late_list_group", group=group, count=len(units)))
        for unit_name, gaps in units.items():
            owed = "; ".join(
                t(
                    lang,
                    "late_list_period",
                    period=g.period.label(lang),
                    count=len(g.missing),
                )
                for g in gaps
            )
            lines.append(f"• {unit_name}: {owed}")
    return Reply("\n".join(lines))


async def snooze(ctx: Ctx, argument: str) -> None:
    """ "<person id>:<period>:<rule> 2h|tomorrow", from a reminder's buttons: ask for it again."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    key, _, when = argument.rpartition(" ")
    person, _, rest = key.partition(":")
    scope, _, rule = rest.partition(":")
    campaign = catalog.campaign if catalog else None
    period = find_period(scope, campaign) if campaign else None
    if (
        campaign is None
        or period is None
        or when not in SNOOZES
        or person != str(member.person_id)
        or not rule
    ):
        ctx.say(ctx.t("snooze_invalid"))
        return
    if is_locked(period, ctx.now, campaign):
        ctx.say(ctx.t("snooze_closed", period=period.label(ctx.lang)))
        return
    assert catalog is not None
    if not await owed(ctx.session, catalog, [period], [member.unit_id]):
        ctx.say(ctx.t("snooze_done", unit=member.unit_name, period=period.label(ctx.lang)))
        return
    until = snooze_until(SNOOZES[when], ctx.now, campaign)
    wall = local(ctx.now, campaign.zone)
    again = Occasion(wall, wall, scope, rule).snoozed(until)
    await reminders.add_snooze(
        ctx.session, again.key(member.person_id), member.person_id, scope, again.rule, until
    )
    at = f"{again.moment:%H:%M}"
    if again.moment.date() != wall.date():
        at = ctx.t("snoozed_day", time=at, date=f"{again.moment:%d/%m/%Y}")
    ctx.say(ctx.t("snoozed", time=at))


async def away(ctx: Ctx, argument: str) -> None:
    """ "/vang 20/10/2025": not reminded until the end of that day; "/vang huy" undoes it."""
    member = ctx.member
    assert member is not None
    text = argument.strip()
    if not text:
        ctx.say(ctx.t("away_usage"))
    elif text.lower() in AWAY_CANCEL:
        cleared = await reminders.clear_away(ctx.session, member.person_id)
        ctx.say(ctx.t("away_cleared" if cleared else "away_none"))
    elif (until := parse_day(text, ctx.today)) is None:
        ctx.say(ctx.t("away_bad_date", text=text[:40]))
    elif until < ctx.today:
        ctx.say(ctx.t("away_past", date=f"{until:%d/%m/%Y}"))
    else:
        await reminders.set_away(ctx.session, member.person_id, until, ctx.now)
        ctx.say(ctx.t("away_set", date=f"{until:%d/%m/%Y}"))
