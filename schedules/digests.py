"""The digest job: each unit's standing to its focal points weekly, the province summary to
the admins monthly, at the campaign file's moments (domain/reminders.py: shifted off weekends,
holidays and quiet hours; one missed by more than a day is skipped).

Keyed like reminders ("42:2025-W41:digest-weekly", "42:2025-10:digest-monthly"), by the
planned day's week or month, so a second run, a restart or a shifted clock sends nothing twice.
Who is still owed one is asked first: a run that finds everyone served reads no standings.
Each unit's standing is computed once a run, from one leaderboard per block or cluster.
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
    conversations = app.conversations
    catalog = conversations.catalog
    if catalog is None:
        return 0
    campaign = catalog.campaign
    weekly, monthly = (_due(digest, catalog, now) for digest in ("weekly", "monthly"))
    if weekly is None and monthly is None:
        return 0
    async with app.writing() as session:
        today = local(now, campaign.zone).date()
        people = [p for p in await reminders.recipients(session) if not p.away_on(today)]
        planned: list[Planned] = []
        if weekly is not None:
            focal = await _not_yet_told(session, weekly, people, FOCAL_ROLES)
            planned += await _weekly(session, catalog, weekly, focal, now)
        if monthly is not None:
            admins = await _not_yet_told(session, monthly, people, ("admin",))
            planned += await _monthly(session, catalog, monthly, admins, now)
        languages = {person.person_id: person.language for person in people}
        messages = [
            message
            for p in planned
            if (message := await addressed(session, p, languages[p.person_id], now))
        ]
        queued = await queue(session, conversations.capabilities, messages, "digest", now)
    if queued:
        app.delivery.wake()
    return queued


def _due(digest: Digest, catalog: Catalog, now: datetime) -> Occasion | None:
    campaign = catalog.campaign
    return due_occasion(digest_occasions(digest, campaign, now - MISSED_AFTER, now), now, campaign)


async def _not_yet_told(
    session: AsyncSession, occasion: Occasion, people: list[Recipient], roles: tuple[str, ...]
) -> list[Recipient]:
    """The people in these roles whose digest is not in the outbox yet, each once (a person
    in two units gets the first unit's)."""
    first: dict[int, Recipient] = {}
    for person in people:
        if person.role in roles:
            first.setdefault(person.person_id, person)
    sent = await reminders.queued_keys(session, [occasion.key(p) for p in first])
    return [person for person in first.values() if occasion.key(person.person_id) not in sent]


async def _weekly(
    session: AsyncSession,
    catalog: Catalog,
    occasion: Occasion,
    focal: list[Recipient],
    now: datetime,
) -> list[Planned]:
    """One leaderboard per block or cluster that has a unit to tell, with those units' missing
    figures; a unit's standing is then read from it for each of its focal points."""
    group_of = await standings.group_of_units(session)
    units_by_group: dict[int | None, set[int]] = defaultdict(set)
    for person in focal:
        units_by_group[group_of.get(person.unit_id)].add(person.unit_id)
    by_unit: dict[int, standings.UnitStanding] = {}
    for group_id, unit_ids in units_by_group.items():
        board = await standings.leaderboard(session, catalog, now, group_id, detail=unit_ids)
        if not board.periods.counted:  # before the first period: nothing to say yet
            return []
        for row in board.rows:
            if row.result.unit.id in unit_ids:
                by_unit[row.result.unit.id] = standings.UnitStanding(row, board)
    day = local(now, catalog.campaign.zone).date()
    return [
        Planned(
            person.person_id,
            occasion.key(person.person_id),
            partial(
                weekly_reply, campaign=catalog.campaign, standing=by_unit[person.unit_id], day=day
            ),
        )
        for person in focal
        if person.unit_id in by_unit
    ]


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
