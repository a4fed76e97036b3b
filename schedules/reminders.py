"""The reminder job: who is reminded of what now, queued once through the outbox.

Every run looks at the whole picture (open periods, what each unit misses, who is away,
snoozed reminders) and queues what is due now under its key (domain/reminders.py). A key
already in the outbox is left alone, so running every minute, after a restart, or in a
second process sends each reminder once; the database's unique key settles a race.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import CampaignSpec, DeliverableSpec
from domain.periods import Period, days_left, local, open_periods
from domain.reminders import (
    MISSED_AFTER,
    Occasion,
    deliverable_occasions,
    due_occasion,
    escalation_occasions,
    late_list_occasions,
    reminder_occasions,
)
from handlers.outgoing import Outgoing, queue
from handlers.reminders import deliverable_reminder_reply, late_list_reply, reminder_reply
from handlers.types import Reply
from schedules import Running
from storage import deliverables, reminders, repo
from storage.campaigns import Catalog
from storage.owed import Owed, OwingUnit
from storage.owed import owed as owed_by_units
from storage.reminders import Recipient

FORM_IN_PROGRESS = timedelta(minutes=30)
"""A chat whose form moved this recently is not interrupted; a later run reminds it."""


@dataclass(frozen=True)
class Planned:
    """One message decided: for whom, under which key, and how to word it in their language."""

    person_id: int
    key: str
    reply: Callable[[str], Reply]


async def run_reminders(app: Running, now: datetime) -> int:
    """Queue the reminders, escalations, late lists and snoozed reminders due now; how many."""
    conversations = app.conversations
    catalog = conversations.catalog
    if catalog is None:
        return 0
    async with app.writing() as session:
        people = await reminders.recipients(session)
        planned: dict[str, Planned] = {}
        for plan in await _plan(session, catalog, people, now):
            planned.setdefault(plan.key, plan)  # a person in two late units: told once
        sent_before = await reminders.queued_keys(session, list(planned))
        languages = {person.person_id: person.language for person in people}
        messages = [
            message
            for p in planned.values()
            if p.key not in sent_before
            and (message := await _addressed(session, p, languages[p.person_id], now))
        ]
        queued = await queue(session, conversations.capabilities, messages, "reminder", now)
    if queued:
        app.delivery.wake()
    return queued


async def _plan(
    session: AsyncSession, catalog: Catalog, people: list[Recipient], now: datetime
) -> list[Planned]:
    campaign = catalog.campaign
    periods = {period.code: period for period in open_periods(now, campaign)}
    gaps = await owed_by_units(session, catalog, list(periods.values()))
    today = local(now, campaign.zone).date()
    present = [person for person in people if not person.away_on(today)]
    by_unit: dict[int, list[Recipient]] = defaultdict(list)
    for person in present:
        by_unit[person.unit_id].append(person)
    planned: list[Planned] = []
    for period in periods.values():
        for occasions in (reminder_occasions, escalation_occasions):
            occasion = due_occasion(occasions(period, campaign), now, campaign)
            if occasion is None:
                continue
            for gap in (g for g in gaps if g.period == period):
                for person in _to_remind(occasion, by_unit[gap.unit.id]):
                    planned.append(_reminder(person, occasion, gap, period, now, campaign))
    for deliverable in campaign.deliverables:
        occasion = due_occasion(deliverable_occasions(deliverable, campaign), now, campaign)
        if occasion is None:
            continue
        for unit in await deliverables.undelivered(session, deliverable):
            for person in _to_remind(occasion, by_unit[unit.id]):
                planned.append(_deliverable_reminder(person, occasion, deliverable, unit, now))
    late_list = due_occasion(late_list_occasions(campaign, now - MISSED_AFTER, now), now, campaign)
    late = [g for g in gaps if days_left(g.period, now, campaign) < 0]
    if late_list is not None and late:
        day = f"{late_list.moment:%d/%m/%Y}"
        planned += [
            Planned(
                admin.person_id,
                late_list.key(admin.person_id),
                lambda lang: late_list_reply(lang, late, day),
            )
            for admin in present
            if admin.role == "admin"
        ]
    owed = {(gap.unit.id, gap.period.code): gap for gap in gaps}
    for snoozed in await reminders.due_snoozes(session, now - MISSED_AFTER, now):
        occasion = Occasion(snoozed.due_at, snoozed.due_at, snoozed.scope, snoozed.rule)
        for person in (p for p in present if p.person_id == snoozed.person_id):
            still_owed = owed.get((person.unit_id, snoozed.scope))
            if still_owed is not None:
                planned.append(
                    _reminder(person, occasion, still_owed, still_owed.period, now, campaign)
                )
    return planned


def _to_remind(occasion: Occasion, of_unit: list[Recipient]) -> list[Recipient]:
    """Of a unit's members who are not away: its focal points (or, if none, its head); the
    head alone for an escalation."""
    heads = [person for person in of_unit if person.role == "head"]
    if occasion.rule.startswith("head-"):
        return heads
    return [person for person in of_unit if person.role == "reporter"] or heads


def _reminder(
    person: Recipient,
    occasion: Occasion,
    gap: Owed,
    period: Period,
    now: datetime,
    campaign: CampaignSpec,
) -> Planned:
    base = Occasion(
        occasion.moment, occasion.planned, occasion.scope, occasion.rule.partition("~")[0]
    )
    return Planned(
        person.person_id,
        occasion.key(person.person_id),
        lambda lang: reminder_reply(
            lang, gap, period, base.rule, base.key(person.person_id), now, campaign
        ),
    )


def _deliverable_reminder(
    person: Recipient,
    occasion: Occasion,
    deliverable: DeliverableSpec,
    unit: OwingUnit,
    now: datetime,
) -> Planned:
    return Planned(
        person.person_id,
        occasion.key(person.person_id),
        lambda lang: deliverable_reminder_reply(lang, deliverable, unit.name, occasion.moment),
    )


async def _addressed(
    session: AsyncSession, planned: Planned, language: str, now: datetime
) -> Outgoing | None:
    """The message in the chat where the person last wrote, unless a form is in progress
    there (then a later run sends it)."""
    chat = await repo.last_chat(session, planned.person_id)
    if chat is None:
        return None
    saved = await repo.load_chat(session, *chat)
    if saved and saved.flow and saved.updated_at and now - saved.updated_at < FORM_IN_PROGRESS:
        return None
    return Outgoing(chat[0], chat[1], planned.reply(language), planned.person_id, planned.key)
