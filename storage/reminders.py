"""Queries the reminders need: who may be reminded, who is away, what was snoozed or queued.
What each unit still owes is the read model's (storage/owed.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import insert_with_conflicts, upsert
from storage.models import Away, Membership, Outbox, Person, Snooze


@dataclass(frozen=True)
class Recipient:
    person_id: int
    unit_id: int
    role: str
    language: str
    away_until: date | None

    def away_on(self, day: date) -> bool:
        return self.away_until is not None and day <= self.away_until


async def recipients(session: AsyncSession) -> list[Recipient]:
    """Every member who may get reminders or the late list, with the date they are away until."""
    rows = await session.execute(
        select(
            Membership.person_id, Membership.unit_id, Membership.role, Person.language, Away.until
        )
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Away, Away.person_id == Membership.person_id)
        .where(Membership.role.in_(("reporter", "head", "admin")))
        .order_by(Membership.person_id)
    )
    return [Recipient(*row) for row in rows]


async def set_away(session: AsyncSession, person_id: int, until: date, now: datetime) -> None:
    statement = upsert(cast(Table, Away.__table__), session.get_bind().dialect.name, ("person_id",))
    await session.execute(statement, [{"person_id": person_id, "until": until, "set_at": now}])


async def clear_away(session: AsyncSession, person_id: int) -> bool:
    """Whether the person was marked away."""
    result = await session.execute(delete(Away).where(Away.person_id == person_id))
    return bool(getattr(result, "rowcount", 0))


async def queued_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these keys the outbox already holds (queued before, by any process)."""
    if not keys:
        return set()
    found = await session.scalars(select(Outbox.key).where(Outbox.key.in_(list(keys))))
    return {key for key in found if key is not None}


async def add_snooze(
    session: AsyncSession, key: str, person_id: int, scope: str, rule: str, due_at: datetime
) -> None:
    """Ask for a reminder again; pressing the same snooze twice in a minute asks once."""
    await session.execute(
        insert_with_conflicts(session.get_bind().dialect.name)(Snooze)
        .values(key=key, person_id=person_id, scope=scope, rule=rule, due_at=due_at)
        .on_conflict_do_nothing(index_elements=["key"])
    )


async def due_snoozes(session: AsyncSession, after: datetime, until: datetime) -> list[Snooze]:
    """Snoozed reminders due in (after, until]."""
    return list(
        await session.scalars(
            select(Snooze).where(Snooze.due_at > after, Snooze.due_at <= until).order_by(Snooze.key)
        )
    )
