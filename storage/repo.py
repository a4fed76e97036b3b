"""Small queries the conversations need, each taking the update's session."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.invites import new_code
from storage.db import upsert
from storage.models import (
    Conversation,
    FailedJoin,
    Identity,
    Invite,
    Membership,
    Person,
    Report,
    Unit,
    UnitGroup,
    UnitTarget,
)


@dataclass(frozen=True)
class Member:
    """A person as the conversations see them: who, in which unit, with which role."""

    person_id: int
    display_name: str
    language: str
    role: str
    unit_id: int
    unit_code: str
    unit_kind: str
    unit_name: str
    group_name: str | None
    group_kind: str | None


_MEMBER_COLUMNS = (
    Person.id,
    Person.display_name,
    Person.language,
    Membership.role,
    Unit.id,
    Unit.code,
    Unit.kind,
    Unit.name,
    UnitGroup.name,
    UnitGroup.kind,
)


async def find_member(session: AsyncSession, channel: str, user_id: str) -> Member | None:
    row = (
        await session.execute(
            select(*_MEMBER_COLUMNS)
            .join(Identity, Identity.person_id == Person.id)
            .join(Membership, Membership.person_id == Person.id)
            .join(Unit, Unit.id == Membership.unit_id)
            .outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
            .where(Identity.channel == channel, Identity.user_id == user_id)
            .order_by(Membership.id.desc())
            .limit(1)
        )
    ).first()
    return Member(*tuple(row)) if row is not None else None


@dataclass(frozen=True)
class SavedChat:
    """A chat's row in `conversations`."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    choices: list[list[str]] = field(default_factory=list)
    recent_updates: tuple[str, ...] = ()
    updated_at: datetime | None = None


_CHAT_COLUMNS = (
    Conversation.flow,
    Conversation.step,
    Conversation.data,
    Conversation.choices,
    Conversation.recent_updates,
    Conversation.updated_at,
)


async def load_chat(session: AsyncSession, channel: str, chat_id: str) -> SavedChat | None:
    row = (
        await session.execute(
            select(*_CHAT_COLUMNS).where(
                Conversation.channel == channel, Conversation.chat_id == chat_id
            )
        )
    ).first()
    if row is None:
        return None
    flow, step, data, choices, recent, updated_at = row
    return SavedChat(flow, step, data or {}, choices or [], tuple(recent or ()), updated_at)


async def save_chat(session: AsyncSession, channel: str, chat_id: str, chat: SavedChat) -> None:
    values = {
        "channel": channel,
        "chat_id": chat_id,
        "flow": chat.flow,
        "step": chat.step,
        "data": chat.data,
        "choices": chat.choices,
        "recent_updates": list(chat.recent_updates),
        "updated_at": chat.updated_at,
    }
    dialect = session.get_bind().dialect.name
    await session.execute(upsert(Conversation, dialect, ["channel", "chat_id"], values))


async def recent_failed_joins(
    session: AsyncSession, channel: str, user_id: str, since: datetime
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(FailedJoin)
        .where(FailedJoin.channel == channel, FailedJoin.user_id == user_id, FailedJoin.at >= since)
    )
    return int(count or 0)


async def invite(session: AsyncSession, code: str) -> Invite | None:
    return await session.get(Invite, code, with_for_update=True)


async def create_invites(
    session: AsyncSession, unit: Unit, role: str, count: int, valid_for: timedelta, now: datetime
) -> list[str]:
    codes = [new_code() for _ in range(count)]
    for code in codes:
        session.add(
            Invite(
                code=code, unit_id=unit.id, role=role, created_at=now, expires_at=now + valid_for
            )
        )
    await session.flush()
    return codes


async def join(
    session: AsyncSession,
    invite: Invite,
    channel: str,
    user_id: str,
    chat_id: str,
    display_name: str,
    language: str,
    now: datetime,
) -> None:
    """Use an invite: a new person with a membership and this chat account."""
    person = Person(display_name=display_name or "", language=language, created_at=now)
    session.add(person)
    await session.flush()
    session.add(
        Membership(person_id=person.id, unit_id=invite.unit_id, role=invite.role, created_at=now)
    )
    session.add(
        Identity(
            channel=channel, user_id=user_id, person_id=person.id, chat_id=chat_id, last_seen_at=now
        )
    )
    invite.used_at = now
    invite.used_by = person.id


async def latest_report(
    session: AsyncSession, unit_id: int, indicator_id: int, period: str
) -> Report | None:
    return await session.scalar(
        select(Report)
        .where(
            Report.unit_id == unit_id, Report.indicator_id == indicator_id, Report.period == period
        )
        .order_by(Report.revision.desc())
        .limit(1)
    )


async def reported_indicators(session: AsyncSession, unit_id: int, period: str) -> set[int]:
    rows = await session.scalars(
        select(Report.indicator_id)
        .where(Report.unit_id == unit_id, Report.period == period)
        .distinct()
    )
    return set(rows)


async def current_values(
    session: AsyncSession, unit_id: int, indicator_id: int, periods: list[str]
) -> dict[str, Decimal]:
    """The newest revision's value for each of these periods that has a report."""
    newest = (
        select(Report.period, func.max(Report.revision).label("revision"))
        .where(
            Report.unit_id == unit_id,
            Report.indicator_id == indicator_id,
            Report.period.in_(periods),
        )
        .group_by(Report.period)
        .subquery()
    )
    rows = await session.execute(
        select(Report.period, Report.value)
        .join(newest, (Report.period == newest.c.period) & (Report.revision == newest.c.revision))
        .where(Report.unit_id == unit_id, Report.indicator_id == indicator_id)
    )
    return {period: value for period, value in rows}


async def unit_target(session: AsyncSession, unit_id: int, indicator_code: str) -> Decimal | None:
    target = await session.get(UnitTarget, (unit_id, indicator_code))
    return target.target if target else None


async def add_report(session: AsyncSession, report: Report) -> Report:
    """Store a value as the next revision for its unit, indicator and period."""
    current = await session.scalar(
        select(func.max(Report.revision)).where(
            Report.unit_id == report.unit_id,
            Report.indicator_id == report.indicator_id,
            Report.period == report.period,
        )
    )
    report.revision = int(current or 0) + 1
    session.add(report)
    await session.flush()
    return report


async def remember_failed_join(
    session: AsyncSession, channel: str, user_id: str, now: datetime, window: timedelta
) -> None:
    """Count a wrong invite code, dropping ones too old to matter."""
    session.add(FailedJoin(channel=channel, user_id=user_id, at=now))
    await session.execute(delete(FailedJoin).where(FailedJoin.at < now - window))
