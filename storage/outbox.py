"""The outbox: queue messages, claim the ones due, record what became of them.

A row is `queued` until a sender claims it (`sending`, with the claimer's name), then ends
`sent`, `blocked` or `failed`, or goes back to `queued` for a later try. Rows that must go
exactly once carry a unique `key`: queuing one again is a no-op.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import leases
from storage.db import insert_ignoring
from storage.models import Identity, Outbox

_OUTBOX = cast(Table, Outbox.__table__)
FINAL_STATES = ("sent", "blocked", "failed")
File = tuple[str, str, str]  # kind ("photo" or "document"), path on disk, name shown


@dataclass(frozen=True)
class Message:
    """One message for one chat: the text, its choices as (id, label, key), perhaps a file."""

    channel: str
    chat_id: str
    text: str
    choices: tuple[tuple[str, str, str], ...] = ()
    person_id: int | None = None
    key: str | None = None
    file: File | None = None


@dataclass(frozen=True)
class Claimed:
    """A row a sender has taken on."""

    id: int
    channel: str
    kind: str
    chat_id: str
    text: str
    choices: tuple[tuple[str, str, str], ...]
    attempts: int
    pieces_sent: int
    file: File | None = None


@dataclass(frozen=True)
class Result:
    """What to write back for one row: its next state, and when to try again if queued."""

    id: int
    state: str
    pieces_sent: int
    attempts: int
    not_before: datetime
    reason: str | None = None


def _row(message: Message, kind: str, state: str, now: datetime, **extra: Any) -> dict[str, Any]:
    file_kind, file_path, file_name = message.file or (None, None, None)
    return {
        "channel": message.channel,
        "chat_id": message.chat_id,
        "person_id": message.person_id,
        "kind": kind,
        "key": message.key,
        "text": message.text,
        "choices": [list(choice) for choice in message.choices],
        "file_kind": file_kind,
        "file_path": file_path,
        "file_name": file_name,
        "state": state,
        "attempts": 0,
        "pieces_sent": 0,
        "created_at": now,
        **extra,
    }


_INSERT_CLAIMED = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)


async def add_answers(
    session: AsyncSession, messages: list[Message], now: datetime, owner: str
) -> list[int]:
    """Answers to people's own messages, claimed at once by `owner`, who sends them right
    after the commit; their ids, in order."""
    if not messages:
        return []
    rows = [
        _row(message, "answer", "sending", now, claimed_by=owner, not_before=now)
        for message in messages
    ]
    result = await session.execute(_INSERT_CLAIMED, rows)
    return list(result.scalars())


async def enqueue(
    session: AsyncSession, messages: list[Message], kind: str, now: datetime, not_before: datetime
) -> int:
    """Queue messages for the delivery engine; those whose key is already there are skipped.
    Returns how many were queued."""
    if not messages:
        return 0
    statement = insert_ignoring(_OUTBOX, session.get_bind().dialect.name, ("key",))
    rows = [_row(m, kind, "queued", now, claimed_by=None, not_before=not_before) for m in messages]
    result = await session.execute(statement, rows)
    return len(result.all())


async def claim_due(
    session: AsyncSession, now: datetime, owner: str, channels: list[str], limit: int
) -> list[Claimed]:
    """Take up to `limit` queued rows that are due, oldest first, for `owner`.

    On PostgreSQL rows another sender is claiming are skipped (SKIP LOCKED); SQLite has one
    writer at a time and needs nothing.
    """
    due = (
        select(
            _OUTBOX.c.id,
            _OUTBOX.c.channel,
            _OUTBOX.c.kind,
            _OUTBOX.c.chat_id,
            _OUTBOX.c.text,
            _OUTBOX.c.choices,
            _OUTBOX.c.attempts,
            _OUTBOX.c.pieces_sent,
            _OUTBOX.c.file_kind,
            _OUTBOX.c.file_path,
            _OUTBOX.c.file_name,
        )
        .where(
            _OUTBOX.c.state == "queued",
            _OUTBOX.c.not_before <= now,
            _OUTBOX.c.channel.in_(channels),
        )
        # An answer held back (a 429's pause) goes before the rows of a broadcast queued earlier.
        .order_by(case((_OUTBOX.c.kind == "answer", 0), else_=1), _OUTBOX.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.execute(due)).all()
    if not rows:
        return []
    await session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id.in_([row.id for row in rows]))
        .values(state="sending", claimed_by=owner)
    )
    return [
        Claimed(
            row.id,
            row.channel,
            row.kind,
            row.chat_id,
            row.text,
            tuple((choice_id, label, key) for choice_id, label, key in row.choices),
            row.attempts,
            row.pieces_sent,
            (row.file_kind, row.file_path, row.file_name) if row.file_kind else None,
        )
        for row in rows
    ]


_RECORD = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id == bindparam("row_id"))
    .values(
        state=bindparam("new_state"),
        pieces_sent=bindparam("new_pieces"),
        attempts=bindparam("new_attempts"),
        not_before=bindparam("new_not_before"),
        reason=bindparam("new_reason"),
        sent_at=bindparam("new_sent_at"),
        claimed_by=None,
    )
)
_IDENTITIES = cast(Table, Identity.__table__)
_BLOCK_CHAT = (  # on the table: an ORM update cannot run for many rows with a WHERE
    update(_IDENTITIES)
    .where(
        _IDENTITIES.c.channel == bindparam("blocked_channel"),
        _IDENTITIES.c.chat_id == bindparam("blocked_chat"),
    )
    .values(blocked_at=bindparam("blocked_at"))
)


async def record(session: AsyncSession, results: list[Result], now: datetime) -> None:
    """Write back what became of these rows, in one statement; a blocked chat is marked on
    its account too, so that nothing more is queued for it."""
    if not results:
        return
    await session.execute(
        _RECORD,
        [
            {
                "row_id": r.id,
                "new_state": r.state,
                "new_pieces": r.pieces_sent,
                "new_attempts": r.attempts,
                "new_not_before": r.not_before,
                "new_reason": r.reason,
                "new_sent_at": now if r.state == "sent" else None,
            }
            for r in results
        ],
    )
    blocked = [r.id for r in results if r.state == "blocked"]
    if blocked:
        chats = await session.execute(
            select(_OUTBOX.c.channel, _OUTBOX.c.chat_id).where(_OUTBOX.c.id.in_(blocked))
        )
        await session.execute(
            _BLOCK_CHAT,
            [
                {"blocked_channel": channel, "blocked_chat": chat_id, "blocked_at": now}
                for channel, chat_id in {tuple(row) for row in chats}
            ],
        )


async def release_abandoned(session: AsyncSession, now: datetime, lease_now: datetime) -> int:
    """Rows that a process whose lease has lapsed (it died) was sending go back to the
    queue, due at once (`now` is the app's clock: a clock started again at the same moment
    must not make them wait). A live process's rows are never touched.

    The message may have reached the chat just before that process died: the one case where
    a person can get it twice.
    """
    result = await session.execute(
        update(_OUTBOX)
        .where(
            _OUTBOX.c.state == "sending",
            or_(
                _OUTBOX.c.claimed_by.is_(None),
                _OUTBOX.c.claimed_by.not_in(leases.live_holders(lease_now)),
            ),
        )
        .values(state="queued", claimed_by=None, not_before=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def depth(session: AsyncSession) -> int:
    """Messages waiting to go or on their way."""
    count = await session.scalar(
        select(func.count()).where(_OUTBOX.c.state.in_(("queued", "sending")))
    )
    return int(count or 0)


async def states(session: AsyncSession, key_prefix: str) -> dict[str, int]:
    """How many rows whose key starts with this prefix are in each state."""
    rows = await session.execute(
        select(_OUTBOX.c.state, func.count())
        .where(_OUTBOX.c.key.startswith(key_prefix, autoescape=True))
        .group_by(_OUTBOX.c.state)
    )
    return {state: int(count) for state, count in rows}
