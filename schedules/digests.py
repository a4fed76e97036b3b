"""The digest job: each unit's standing to its focal points weekly, the province summary to
the admins monthly, at the campaign file's moments (domain/reminders.py: shifted off weekends,
holidays and quiet hours; one missed by more than a day is skipped).

Keyed like reminders ("42:2025-W41:digest-weekly", "42:2025-10:digest-monthly"), by the
planned day's week or month, so a second run, a restart or a shifted clock sends nothing twice.
Who is still owed one is asked first: a run that finds everyone served reads no standings.
Each unit's standing is computed once a run, from one leaderboard per block or cluster, each
group in a transaction of its own; a key queued meanwhile by another process is skipped.
"""

from collections import defaultdict
from datetime import datetime
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from domain.periods import local
from domain.reminders import MISSED_AFTER, Digest, Occasion, digest_occasions, due_occasion
from handlers.digests import Summary, monthly_reply, weekly_reply
from handlers.outgoing import queue
from schedules import Running
from schedules.reminders import Planned, addressed
from storage import reminders, review, standings
from storage.campaigns import Catalog
from storage.reminders import Recipient

FOCAL_ROLES = ("reporter", "head")


async def run_digests(app: Running, now: datetime) -> int:
    """Queue the weekly digests and monthly summaries due now; how many."""
    catalog = app.conversations.catalog
    if catalog is None:
        return 0
    queued = 0
    weekly = _due("weekly", catalog, now)
    if weekly is not None:
        queued += await _weekly(app, catalog, weekly, now)
    monthly = _due("monthly", catalog, now)
    if monthly is not None:
        async with app.writing() as session:
            admins = await _not_yet_told(session, monthly, ("admin",), now, catalog)
            planned = await _monthly(session, catalog, monthly, admins, now)
            queued += await _queue(session, app, planned, admins, now)
    if queued:
        app.delivery.wake()
    return queued


def _due(digest: Digest, catalog: Catalog, now: datetime) -> Occasion | None:
    campaign = catalog.campaign
    return due_occasion(digest_occasions(digest, campaign, now - MISSED_AFTER, now), now, campaign)


async def _not_yet_told(
    session: AsyncSession,
    occasion: Occasion,
    roles: tuple[str, ...],
    now: datetime,
    catalog: Catalog,
) -> list[Recipient]:
    """The people in these roles, not away, whose digest is not in the outbox yet, each once
    (a person in two units gets the first unit's)."""
    today = local(now, catalog.campaign.zone).date()
    first: dict[int, Recipient] = {}
    for person in await reminders.recipients(session):
        if person.role in roles and not person.away_on(today):
            first.setdefault(person.person_id, person)
    sent = await reminders.queued_keys(session, [occasion.key(p) for p in first])
    return [person for person in first.values() if occasion.key(person.person_id) not in sent]


async def _queue(
    session: AsyncSession,
    app: Running,
    planned: list[Planned],
    people: list[Recipient],
    now: datetime,
) -> int:
    languages = {person.person_id: person.language for person in people}
    messages = [
        message
        for p in planned
        if (message := await addressed(session, p, languages[p.person_id], now))
    ]
    return await queue(session, app.conversations.capabilities, messages, "digest", now)


async def _weekly(app: Running, catalog: Catalog, occasion: Occasion, now: datetime) -> int:
    """For each block or cluster with a unit to tell, in a transaction of its own (on SQLite
    the bot's conversations write in between): its leaderboard, with those units' missing
    figures, and the digest of each of their focal points. The first groups' digests go out
    while the others are read."""
    async with app.writing() as session:
        focal = await _not_yet_told(session, occasion, FOCAL_ROLES, now, catalog)
        group_of = await standings.group_of_units(session)
    by_group: dict[int | None, list[Recipient]] = defaultdict(list)
    for person in focal:
        by_group[group_of.get(person.unit_id)].append(person)
    day = local(now, catalog.campaign.zone).date()
    queued = 0
    for group_id, people in by_group.items():
        unit_ids = {person.unit_id for person in people}
        async with app.writing() as session:
            board = await standings.leaderboard(session, catalog, now, group_id, detail=unit_ids)
            if not board.periods.counted:  # before the first period: nothing to say yet
                return queued
            by_unit = {
                row.result.unit.id: standings.UnitStanding(row, board)
                for row in board.rows
                if row.result.unit.id in unit_ids
            }
            planned = [
                Planned(
                    person.person_id,
                    occasion.key(person.person_id),
                    partial(
                        weekly_reply,
                        campaign=catalog.campaign,
                        standing=by_unit[person.unit_id],
                        day=day,
                    ),
                )
                for person in people
                if person.unit_id in by_unit
            ]
            queued += await _queue(session, app, planned, people, now)
        if queued:
            app.delivery.wake()
    return queued


async def _monthly(
    session: AsyncSession,
    catalog: Catalog,
    occasion: Occasion,
    admins: list[Recipient],
    now: datetime,
) -> list[Planned]:
    if not admins:
        return []
    board = await standings.leaderboard(session, catalog, now)
    if not board.periods.counted:
        return []
    summary = Summary(
        board,
        await standings.reporting_rates(session, catalog, now),
        await standings.group_labels(session),
        await review.pending_count(session),
    )
    day = local(now, catalog.campaign.zone).date()
    return [
        Planned(
            admin.person_id,
            occasion.key(admin.person_id),
            partial(monthly_reply, summary=summary, day=day),
        )
        for admin in admins
    ]
