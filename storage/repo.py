"""Small queries the conversations need, each taking the update's session."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, distinct, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.invites import new_code
from storage import review
from storage.db import insert_ignoring, insert_with_conflicts, upsert
from storage.models import (
    Conversation,
    CurrentValue,
    FailedJoin,
    Identity,
    Invite,
    InviteGuardTrip,
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


# The statements every update runs are built once: building and hashing a statement costs
# SQLAlchemy more than SQLite needs to run it (bench/).
_FIND_MEMBER = (
    select(
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
    .join(Identity, Identity.person_id == Person.id)
    .join(Membership, Membership.person_id == Person.id)
    .join(Unit, Unit.id == Membership.unit_id)
    .outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
    .where(Identity.channel == bindparam("channel"), Identity.user_id == bindparam("user_id"))
    .order_by(Membership.id.desc())
    .limit(1)
)


async def find_member(session: AsyncSession, channel: str, user_id: str) -> Member | None:
    row = (await session.execute(_FIND_MEMBER, {"channel": channel, "user_id": user_id})).first()
    return Member(*list(row)) if row is not None else None


@dataclass(frozen=True)
class SavedChat:
    """A chat's row in `conversations`."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    choices: list[list[str]] = field(default_factory=list)
    recent_updates: tuple[str, ...] = ()
    updated_at: datetime | None = None


_CHATS = cast(Table, Conversation.__table__)
_LOAD_CHAT = select(
    _CHATS.c.flow,
    _CHATS.c.step,
    _CHATS.c.data,
    _CHATS.c.choices,
    _CHATS.c.recent_updates,
    _CHATS.c.updated_at,
).where(_CHATS.c.channel == bindparam("channel"), _CHATS.c.chat_id == bindparam("chat_id"))


_HOLD_CHAT = _LOAD_CHAT.with_for_update()


async def load_chat(session: AsyncSession, channel: str, chat_id: str) -> SavedChat | None:
    row = (await session.execute(_LOAD_CHAT, {"channel": channel, "chat_id": chat_id})).first()
    return _saved_chat(row) if row is not None else None


async def hold_chat(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> SavedChat:
    """The chat's row, locked until the transaction ends, so that an event of the same chat
    handled by another process waits for this one and then sees what it wrote (PostgreSQL;
    SQLite has one writer at a time and ignores the lock). A chat seen for the first time
    gets an empty row first: there must be a row to lock."""
    keys = {"channel": channel, "chat_id": chat_id}
    row = (await session.execute(_HOLD_CHAT, keys)).first()
    if row is None:
        dialect = session.get_bind().dialect.name
        empty = {**keys, "data": {}, "choices": [], "recent_updates": [], "updated_at": now}
        await session.execute(
            insert_ignoring(_CHATS, dialect, ("channel", "chat_id"), "channel"), [empty]
        )
        row = (await session.execute(_HOLD_CHAT, keys)).one()
    return _saved_chat(row)


def _saved_chat(row: Sequence[Any]) -> SavedChat:
    flow, step, data, choices, recent, updated_at = row
    return SavedChat(flow, step, data or {}, choices or [], tuple(recent or ()), updated_at)


async def save_chats(session: AsyncSession, chats: dict[tuple[str, str], SavedChat]) -> None:
    """Upsert the rows of these chats, in one statement."""
    if not chats:
        return
    statement = upsert(_CHATS, session.get_bind().dialect.name, ("channel", "chat_id"))
    rows = [
        {
            "channel": channel,
            "chat_id": chat_id,
            "flow": chat.flow,
            "step": chat.step,
            "data": chat.data,
            "choices": chat.choices,
            "recent_updates": list(chat.recent_updates),
            "updated_at": chat.updated_at,
        }
        for (channel, chat_id), chat in chats.items()
    ]
    await session.execute(statement, rows)


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
    """Use an invite: a new person with a membership and this chat account, or, for a link
    code, this chat account added to the person who asked for the code."""
    person_id = invite.person_id
    if person_id is None:
        person = Person(display_name=display_name or "", language=language, created_at=now)
        session.add(person)
        await session.flush()
        person_id = person.id
        session.add(
            Membership(
                person_id=person_id, unit_id=invite.unit_id, role=invite.role, created_at=now
            )
        )
    session.add(
        Identity(
            channel=channel, user_id=user_id, person_id=person_id, chat_id=chat_id, last_seen_at=now
        )
    )
    invite.used_at = now
    invite.used_by = person_id


async def has_account_on(session: AsyncSession, person_id: int, channel: str) -> bool:
    found = await session.scalar(
        select(Identity.user_id)
        .where(Identity.person_id == person_id, Identity.channel == channel)
        .limit(1)
    )
    return found is not None


async def create_link_code(
    session: AsyncSession, member: Member, valid_for: timedelta, now: datetime
) -> str:
    """A code that, sent from another chat account, joins that account to this person."""
    code = new_code()
    session.add(
        Invite(
            code=code,
            unit_id=member.unit_id,
            role=member.role,
            person_id=member.person_id,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    await session.flush()
    return code


_CHATS_OF_PERSON = (
    select(_CHATS.c.channel, _CHATS.c.chat_id)
    .join(
        Identity,
        (Identity.channel == _CHATS.c.channel) & (Identity.chat_id == _CHATS.c.chat_id),
    )
    .where(
        Identity.person_id == bindparam("person_id"),
        # A chat that blocked the bot is reachable again once the person writes in it.
        Identity.blocked_at.is_(None) | (_CHATS.c.updated_at > Identity.blocked_at),
    )
    .order_by(_CHATS.c.updated_at.desc())
    .limit(1)
)


_ACCOUNTS_OF_PERSON = (
    select(Identity.channel, Identity.chat_id)
    .where(Identity.person_id == bindparam("person_id"), Identity.blocked_at.is_(None))
    .order_by(Identity.last_seen_at.desc())
    .limit(1)
)


async def last_chat(session: AsyncSession, person_id: int) -> tuple[str, str] | None:
    """Where messages for the person go: the chat where they last wrote, or the other app's
    if that one blocked the bot."""
    row = (await session.execute(_CHATS_OF_PERSON, {"person_id": person_id})).first()
    if row is None:  # joined without writing since (the console's demo person)
        row = (await session.execute(_ACCOUNTS_OF_PERSON, {"person_id": person_id})).first()
    return (row[0], row[1]) if row is not None else None


async def offer_choices(
    session: AsyncSession, channel: str, chat_id: str, choices: list[list[str]], now: datetime
) -> None:
    """Make these the choices a typed number refers to in the chat, keeping its form."""
    changed = await session.execute(
        update(_CHATS)
        .where(_CHATS.c.channel == channel, _CHATS.c.chat_id == chat_id)
        .values(choices=choices)
    )
    if not getattr(changed, "rowcount", 0):
        await session.execute(
            insert(_CHATS).values(
                channel=channel,
                chat_id=chat_id,
                data={},
                choices=choices,
                recent_updates=[],
                updated_at=now,
            )
        )


class LastReport(NamedTuple):
    value: Decimal
    revision: int
    created_at: datetime


_REPORTS = cast(Table, Report.__table__)
_LATEST_REPORT = (
    select(_REPORTS.c.value, _REPORTS.c.revision, _REPORTS.c.created_at)
    .where(
        _REPORTS.c.unit_id == bindparam("unit_id"),
        _REPORTS.c.indicator_id == bindparam("indicator_id"),
        _REPORTS.c.period == bindparam("period"),
    )
    .order_by(_REPORTS.c.revision.desc())
    .limit(1)
)
_REPORTED_INDICATORS = (
    select(_REPORTS.c.indicator_id)
    .where(_REPORTS.c.unit_id == bindparam("unit_id"), _REPORTS.c.period == bindparam("period"))
    .distinct()
)


async def latest_report(
    session: AsyncSession, unit_id: int, indicator_id: int, period: str
) -> LastReport | None:
    parameters = {"unit_id": unit_id, "indicator_id": indicator_id, "period": period}
    row = (await session.execute(_LATEST_REPORT, parameters)).first()
    return LastReport(*tuple(row)) if row is not None else None


async def reported_indicators(session: AsyncSession, unit_id: int, period: str) -> set[int]:
    rows = await session.execute(_REPORTED_INDICATORS, {"unit_id": unit_id, "period": period})
    return {indicator_id for (indicator_id,) in rows}


_UNIT_TARGET = select(UnitTarget.__table__.c.target).where(
    UnitTarget.__table__.c.unit_id == bindparam("unit_id"),
    UnitTarget.__table__.c.indicator_code == bindparam("code"),
)


async def unit_target(session: AsyncSession, unit_id: int, indicator_code: str) -> Decimal | None:
    target = await session.scalar(_UNIT_TARGET, {"unit_id": unit_id, "code": indicator_code})
    return Decimal(target) if target is not None else None


_INSERT_REPORT = insert(_REPORTS).returning(_REPORTS.c.id)
_CURRENT = cast(Table, CurrentValue.__table__)
_CURRENT_KEY = ("unit_id", "indicator_id", "period")


async def add_report(session: AsyncSession, **values: Any) -> None:
    """Store a value as a new row, logged and put in review; `values` names its revision.
    Two people storing the same revision at once collide on the unique constraint
    (IntegrityError), never overwrite.

    The figure's current value (`current_values`, what the standings read) changes in the
    same transaction; its first arrival is kept.
    """
    report_id: int = (await session.execute(_INSERT_REPORT, values)).scalar_one()
    await review.submitted(
        session,
        report_id,
        values["unit_id"],
        values["indicator_id"],
        values["period"],
        values["revision"],
        values["person_id"],
        values["channel"],
        values["reason"],
        values["created_at"],
    )
    statement = upsert(_CURRENT, session.get_bind().dialect.name, _CURRENT_KEY, ("first_at",))
    current = {key: values[key] for key in (*_CURRENT_KEY, "value", "revision")}
    moment = values["created_at"]
    await session.execute(statement, {**current, "first_at": moment, "updated_at": moment})


async def remember_failed_join(
    session: AsyncSession, channel: str, user_id: str, now: datetime, window: timedelta
) -> None:
    """Count a wrong invite code, dropping ones too old to matter."""
    session.add(FailedJoin(channel=channel, user_id=user_id, at=now))
    await session.execute(delete(FailedJoin).where(FailedJoin.at < now - window))


class WrongCodes(NamedTuple):
    codes: int
    accounts: int


async def wrong_codes_since(session: AsyncSession, since: datetime) -> WrongCodes:
    """Wrong invite codes from all accounts together since then, and how many accounts."""
    account = FailedJoin.channel + ":" + FailedJoin.user_id
    row = (
        await session.execute(
            select(func.count(), func.count(distinct(account))).where(FailedJoin.at >= since)
        )
    ).one()
    return WrongCodes(int(row[0]), int(row[1]))


async def invite_guard_until(session: AsyncSession) -> datetime | None:
    """When the latest trip of the invite guard ends (or ended)."""
    return await session.scalar(
        select(InviteGuardTrip.until).order_by(InviteGuardTrip.number.desc()).limit(1)
    )


async def invite_guard_trips_since(session: AsyncSession, since: datetime) -> int:
    count = await session.scalar(
        select(func.count()).select_from(InviteGuardTrip).where(InviteGuardTrip.started_at >= since)
    )
    return int(count or 0)


async def record_invite_guard_trip(
    session: AsyncSession, now: datetime, until: datetime, wrong: WrongCodes
) -> bool:
    """Store the next trip of the invite guard, unless the latest one still guards. False
    when nothing was stored, also when a transaction running at the same time stored the
    trip first: trips are numbered, and the second of two with one number is dropped (on
    PostgreSQL it waits for the first to commit), so that a trip is told once."""
    latest = (
        await session.execute(
            select(InviteGuardTrip.number, InviteGuardTrip.until)
            .order_by(InviteGuardTrip.number.desc())
            .limit(1)
        )
    ).first()
    if latest is not None and latest.until > now:
        return False
    statement = (
        insert_with_conflicts(session.get_bind().dialect.name)(InviteGuardTrip)
        .values(
            number=(latest.number if latest else 0) + 1,
            started_at=now,
            until=until,
            wrong_codes=wrong.codes,
            accounts=wrong.accounts,
        )
        .on_conflict_do_nothing(index_elements=["number"])
        .returning(InviteGuardTrip.number)
    )
    return (await session.execute(statement)).first() is not None


async def take_invite_guard_trips(session: AsyncSession, now: datetime) -> list[InviteGuardTrip]:
    """The trips of the invite guard admins have not been told of, marked as told now. Call
    it in the transaction that queues the notice, so that each trip is told once."""
    trips = list(
        await session.scalars(
            select(InviteGuardTrip)
            .where(InviteGuardTrip.reported_at.is_(None))
            .order_by(InviteGuardTrip.number)
            .with_for_update()
        )
    )
    for trip in trips:
        trip.reported_at = now
    await session.flush()
    return trips


async def people_with_role(session: AsyncSession, role: str) -> list[tuple[int, str]]:
    """Everyone holding this role in some unit ("admin": the secretariat), with the language
    they read."""
    found = await session.execute(
        select(Person.id, Person.language)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.role == role)
        .distinct()
        .order_by(Person.id)
    )
    return [(person_id, language) for person_id, language in found]


async def language_of(session: AsyncSession, person_id: int) -> str:
    """The language the person reads ("vi" for someone unknown)."""
    language = await session.scalar(select(Person.language).where(Person.id == person_id))
    return language or "vi"


async def unit_id(session: AsyncSession, code: str) -> int | None:
    return await session.scalar(select(Unit.id).where(Unit.code == code))


async def unit_name(session: AsyncSession, unit_id: int) -> str:
    return await session.scalar(select(Unit.name).where(Unit.id == unit_id)) or "—"
