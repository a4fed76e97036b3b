"""Campaign updates in the database: who an audience holds, the updates due, their delivery."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts import Audience, Directory, Named
from storage import outbox
from storage.db import insert_ignoring
from storage.models import (
    Broadcast,
    Conversation,
    Identity,
    Membership,
    Outbox,
    Person,
    Unit,
    UnitGroup,
)

GAVE_UP = "gave up after"  # bot.delivery's reason for a message it retried to the end


def recipients_key(broadcast_id: int) -> str:
    """The prefix of the outbox keys of one update's recipients: "bc:12:"."""
    return f"bc:{broadcast_id}:"


async def directory(session: AsyncSession, with_units: bool = True) -> Directory:
    """The names an audience is matched against; without the units when it names none."""
    groups = (await session.execute(select(UnitGroup.kind, UnitGroup.code, UnitGroup.name))).all()
    units: tuple[Named, ...] = ()
    if with_units:
        rows = await session.execute(select(Unit.code, Unit.name).order_by(Unit.id))
        units = tuple(Named(code, name) for code, name in rows)
    return Directory(
        blocks=tuple(Named(code, name) for kind, code, name in groups if kind == "block"),
        clusters=tuple(Named(code, name) for kind, code, name in groups if kind == "cluster"),
        units=units,
    )


def of_units(query: Select[Any], audience: Audience) -> Select[Any]:
    """A query over `units` narrowed to the units an audience names (all for everyone or a
    role, which is about people)."""
    if audience.kind in ("block", "cluster"):
        return query.join(UnitGroup, UnitGroup.id == Unit.group_id).where(
            UnitGroup.code.in_(audience.codes), UnitGroup.kind == audience.kind
        )
    if audience.kind == "kind":
        return query.where(Unit.kind.in_(audience.codes))
    if audience.kind == "units":
        return query.where(Unit.code.in_(audience.codes))
    return query


def _people(audience: Audience) -> Select[Any]:
    query = select(Membership.person_id).join(Unit, Unit.id == Membership.unit_id).distinct()
    query = of_units(query, audience)
    if audience.kind == "role":
        query = query.where(Membership.role.in_(audience.codes))
    return query.order_by(Membership.person_id)


async def people(session: AsyncSession, audience: Audience) -> list[int]:
    """The people an audience holds now, by id."""
    return list(await session.scalars(_people(audience)))


_CHATS = (
    select(Identity.person_id, Conversation.channel, Conversation.chat_id)
    .join(
        Conversation,
        (Identity.channel == Conversation.channel) & (Identity.chat_id == Conversation.chat_id),
    )
    # As storage.repo.last_chat, for many people at once: the chat where each last wrote,
    # unless it blocked the bot since.
    .where(Identity.blocked_at.is_(None) | (Conversation.updated_at > Identity.blocked_at))
    .order_by(Identity.person_id, Conversation.updated_at.desc())
)


async def chats(
    session: AsyncSession, audience: Audience
) -> tuple[dict[int, tuple[str, str]], int]:
    """Where each person of the audience is written to, and how many have no chat to use."""
    wanted = _people(audience).subquery()
    found: dict[int, tuple[str, str]] = {}
    rows = await session.execute(_CHATS.where(Identity.person_id.in_(select(wanted))))
    for person_id, channel, chat_id in rows:
        found.setdefault(person_id, (channel, chat_id))
    everyone = await session.scalar(select(func.count()).select_from(wanted))
    return found, int(everyone or 0) - len(found)


async def add(
    session: AsyncSession,
    text: str,
    audience: Audience,
    typed: str,
    at: datetime,
    now: datetime,
    sender_id: int | None = None,
    recurring: str | None = None,
) -> int | None:
    """Store an update to go out at `at`; its id, or None for a recurring sending stored before."""
    table = cast(Table, Broadcast.__table__)
    statement = insert_ignoring(table, session.get_bind().dialect.name, ("recurring",))
    row = {
        "sender_id": sender_id,
        "text": text,
        "audience_typed": typed,
        "audience": audience.spec,
        "audience_label": audience.label,
        "scheduled_at": at,
        "created_at": now,
        "state": "scheduled",
        "recurring": recurring,
        "recipients": None,
        "no_chat": None,
    }
    return (await session.execute(statement, [row])).scalar()


async def due(session: AsyncSession, now: datetime) -> list[Broadcast]:
    """Updates whose moment has come and whose recipients are not queued yet, taken for this
    transaction (another sender skips them on PostgreSQL)."""
    return list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.state == "scheduled", Broadcast.scheduled_at <= now)
            .order_by(Broadcast.id)
            .with_for_update(skip_locked=True)
        )
    )


async def sending(session: AsyncSession) -> list[Broadcast]:
    return list(
        await session.scalars(
            select(Broadcast)
            .where(Broadcast.state == "sending")
            .order_by(Broadcast.id)
            .with_for_update(skip_locked=True)
        )
    )


async def get(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def recent(session: AsyncSession, limit: int) -> list[Broadcast]:
    return list(await session.scalars(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)))


@dataclass(frozen=True)
class Delivered:
    """What became of one update's messages, counted from the outbox."""

    states: dict[str, int]
    failed_by_network: int  # given up after retries (timeouts, server errors, rate limits)

    @property
    def total(self) -> int:
        return sum(self.states.values())

    @property
    def finished(self) -> bool:
        return all(state in outbox.FINAL_STATES for state in self.states)


async def delivered(session: AsyncSession, broadcast_id: int) -> Delivered:
    states = await outbox.states(session, recipients_key(broadcast_id))
    reasons = await session.scalars(
        select(Outbox.reason).where(
            Outbox.key.startswith(recipients_key(broadcast_id)), Outbox.state == "failed"
        )
    )
    network = sum(1 for reason in reasons if (reason or "").startswith(GAVE_UP))
    return Delivered(states, network)


@dataclass(frozen=True)
class Unreached:
    name: str
    unit: str
    state: str  # blocked or failed
    reason: str


async def unreached(session: AsyncSession, broadcast_id: int) -> list[Unreached]:
    """The recipients the update did not reach, with their unit."""
    rows = await session.execute(
        select(Person.display_name, Unit.name, Outbox.state, Outbox.reason)
        .join(Person, Person.id == Outbox.person_id)
        .join(Membership, Membership.person_id == Person.id)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(
            Outbox.key.startswith(recipients_key(broadcast_id)),
            Outbox.state.in_(("blocked", "failed")),
        )
        .order_by(Unit.name, Person.display_name)
    )
    # One line a person, even with two memberships.
    return list(dict.fromkeys(Unreached(n or "—", u, s, r or "") for n, u, s, r in rows))
