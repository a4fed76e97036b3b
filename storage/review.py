"""Review by the secretariat: the state of each current value and the log of every step.

A report revision is never changed. What happens to it is a row of `review_events`
(submitted, revised, approved, returned: who, when, channel, why), and where the review of
a unit's current value for an indicator and period stands is one row of `review_states`,
written in the same transaction as the report or the decision. A new revision, also of an
approved value, makes the state pending again: an approved value never changes silently.

For others: `statuses` (the export's "review status" column, the read model),
`pending_count`, `pending` (the /duyet list), `history` (/lichsu).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.db import upsert
from storage.models import (
    Indicator,
    Membership,
    Person,
    Report,
    ReviewEvent,
    ReviewState,
    Unit,
)

PENDING, APPROVED, RETURNED = "pending", "approved", "returned"
DECISIONS = (APPROVED, RETURNED)

_STATES = cast(Table, ReviewState.__table__)
_EVENTS = cast(Table, ReviewEvent.__table__)
_INSERT_EVENT = insert(_EVENTS)


async def submitted(
    session: AsyncSession,
    report_id: int,
    unit_id: int,
    indicator_id: int,
    period: str,
    revision: int,
    person_id: int,
    channel: str,
    reason: str | None,
    now: datetime,
) -> None:
    """A new revision was stored: log it and put the value (back) in review."""
    action = "submitted" if revision == 1 else "revised"
    event = {
        "report_id": report_id,
        "action": action,
        "person_id": person_id,
        "channel": channel,
        "comment": reason,
        "at": now,
    }
    await session.execute(_INSERT_EVENT, event)
    state = {
        "unit_id": unit_id,
        "indicator_id": indicator_id,
        "period": period,
        "report_id": report_id,
        "status": PENDING,
        "since": now,
    }
    statement = upsert(
        _STATES, session.get_bind().dialect.name, ("unit_id", "indicator_id", "period")
    )
    await session.execute(statement, state)


_CURRENT = cast(Table, Report.__table__).alias("current")
_DECIDABLE = (
    select(ReviewState)
    .join(
        _CURRENT,
        and_(
            _CURRENT.c.unit_id == ReviewState.unit_id,
            _CURRENT.c.indicator_id == ReviewState.indicator_id,
            _CURRENT.c.period == ReviewState.period,
            _CURRENT.c.id == ReviewState.report_id,
        ),
    )
    .where(_CURRENT.c.id.in_(bindparam("ids", expanding=True)), ReviewState.status == PENDING)
    .with_for_update(of=ReviewState)
)


async def decide(
    session: AsyncSession,
    report_ids: Collection[int],
    decision: str,
    person_id: int,
    channel: str,
    comment: str | None,
    now: datetime,
) -> list[int]:
    """Approve or return these revisions; only those still current and pending are decided
    (another admin may have been first, or a correction arrived). The ids decided."""
    assert decision in DECISIONS
    states = list(await session.scalars(_DECIDABLE, {"ids": list(report_ids)}))
    for state in states:
        state.status, state.since = decision, now
        session.add(
            ReviewEvent(
                report_id=state.report_id,
                action=decision,
                person_id=person_id,
                channel=channel,
                comment=comment,
                at=now,
            )
        )
    await session.flush()
    return [state.report_id for state in states]


_STATUS = select(_STATES.c.status).where(
    _STATES.c.unit_id == bindparam("unit_id"),
    _STATES.c.indicator_id == bindparam("indicator_id"),
    _STATES.c.period == bindparam("period"),
)


async def status(session: AsyncSession, unit_id: int, indicator_id: int, period: str) -> str | None:
    """Where the review of the unit's current value stands; None when nothing was reported."""
    parameters = {"unit_id": unit_id, "indicator_id": indicator_id, "period": period}
    return await session.scalar(_STATUS, parameters)


async def statuses(
    session: AsyncSession,
    periods: Sequence[str] | None = None,
    unit_ids: Collection[int] | None = None,
) -> dict[tuple[int, int, str], str]:
    """(unit id, indicator id, period) → pending, approved or returned, for every current
    value (of these periods and units, when given)."""
    query = select(
        ReviewState.unit_id, ReviewState.indicator_id, ReviewState.period, ReviewState.status
    )
    if periods is not None:
        query = query.where(ReviewState.period.in_(list(periods)))
    if unit_ids is not None:
        query = query.where(ReviewState.unit_id.in_(list(unit_ids)))
    rows = await session.execute(query)
    return {(unit_id, indicator_id, period): state for unit_id, indicator_id, period, state in rows}


async def pending_count(session: AsyncSession) -> int:
    count = await session.scalar(
        select(func.count()).select_from(ReviewState).where(ReviewState.status == PENDING)
    )
    return int(count or 0)


@dataclass(frozen=True)
class Pending:
    """A current value awaiting review, with what the reviewer needs to judge it."""

    report_id: int
    unit_id: int
    unit_name: str
    indicator_code: str
    period: str
    value: Decimal
    revision: int
    reason: str | None
    note: str | None
    submitted_by: str
    submitted_by_id: int
    channel: str
    submitted_at: datetime
    first_at: datetime
    """When the unit's first value for the indicator and period arrived (for timeliness)."""
    earlier_decision: str | None
    """approved or returned: what was decided on an earlier revision, which this corrects."""


def _pending_query() -> Select[*tuple[Any, ...]]:
    """Values awaiting review with what a reviewer needs, the longest waiting first. Built
    once: building an aliased statement costs more than running it."""
    first = aliased(Report)
    earlier = aliased(Report)
    decided = (
        select(ReviewEvent.action)
        .join(earlier, earlier.id == ReviewEvent.report_id)
        .where(
            earlier.unit_id == ReviewState.unit_id,
            earlier.indicator_id == ReviewState.indicator_id,
            earlier.period == ReviewState.period,
            ReviewEvent.action.in_(DECISIONS),
        )
        .order_by(ReviewEvent.id.desc())
        .limit(1)
        .correlate(ReviewState)
        .scalar_subquery()
    )
    return (
        select(
            Report.id,
            Unit.id,
            Unit.name,
            Indicator.code,
            Report.period,
            Report.value,
            Report.revision,
            Report.reason,
            Report.note,
            Person.display_name,
            Person.id,
            Report.channel,
            Report.created_at,
            first.created_at,
            decided,
        )
        .select_from(ReviewState)
        .join(Report, Report.id == ReviewState.report_id)
        .join(Unit, Unit.id == ReviewState.unit_id)
        .join(Indicator, Indicator.id == ReviewState.indicator_id)
        .join(Person, Person.id == Report.person_id)
        .join(
            first,
            and_(
                first.unit_id == ReviewState.unit_id,
                first.indicator_id == ReviewState.indicator_id,
                first.period == ReviewState.period,
                first.revision == 1,
            ),
        )
        .where(ReviewState.status == PENDING)
        .order_by(ReviewState.since, ReviewState.report_id)
    )


_PENDING_PAGE = _pending_query().limit(bindparam("limit")).offset(bindparam("offset"))
_PENDING_OF = _pending_query().where(ReviewState.report_id.in_(bindparam("ids", expanding=True)))


async def pending(session: AsyncSession, limit: int, offset: int = 0) -> list[Pending]:
    """Values awaiting review, the longest waiting first: `limit` of them from `offset`."""
    rows = await session.execute(_PENDING_PAGE, {"limit": limit, "offset": offset})
    return [Pending(*tuple(row)) for row in rows]


async def pending_of(session: AsyncSession, report_ids: Collection[int]) -> list[Pending]:
    """Those of these revisions that still await review (current and pending)."""
    rows = await session.execute(_PENDING_OF, {"ids": list(report_ids)})
    return [Pending(*tuple(row)) for row in rows]


async def people_to_tell(
    session: AsyncSession, unit_id: int, submitter_id: int
) -> list[tuple[int, str]]:
    """Who hears of a decision on the unit's value: its reporters and whoever submitted it,
    with the language each reads."""
    rows = await session.execute(
        select(Person.id, Person.language)
        .join(Membership, Membership.person_id == Person.id)
        .where(
            (Person.id == submitter_id)
            | ((Membership.unit_id == unit_id) & (Membership.role == "reporter"))
        )
        .distinct()
        .order_by(Person.id)
    )
    return [(person_id, language) for person_id, language in rows]


@dataclass(frozen=True)
class Step:
    """One change in a value's history, as /lichsu shows it."""

    at: datetime
    action: str  # submitted, revised, approved, returned
    period: str
    revision: int
    value: Decimal
    who: str
    channel: str
    comment: str | None
    status: str
    """For a submission or revision: what became of that revision (pending, approved,
    returned, or replaced by a later one); for a decision, the decision."""


_HISTORY = (
    select(
        ReviewEvent.at,
        ReviewEvent.action,
        Report.period,
        Report.revision,
        Report.value,
        Person.display_name,
        ReviewEvent.channel,
        ReviewEvent.comment,
        ReviewEvent.report_id,
    )
    .join(Report, Report.id == ReviewEvent.report_id)
    .join(Person, Person.id == ReviewEvent.person_id)
    .where(Report.unit_id == bindparam("unit_id"), Report.indicator_id == bindparam("indicator_id"))
    .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
    .limit(bindparam("limit"))
)


async def history(
    session: AsyncSession, unit_id: int, indicator_id: int, limit: int = 100
) -> list[Step]:
    """Every change of the unit's values for the indicator, newest first (at most `limit`)."""
    parameters = {"unit_id": unit_id, "indicator_id": indicator_id, "limit": limit}
    rows = (await session.execute(_HISTORY, parameters)).all()
    decided: dict[int, str] = {}
    newest: dict[str, int] = {}
    for row in rows:  # newest first: the first decision seen on a revision is its last
        if row.action in DECISIONS:
            decided.setdefault(row.report_id, row.action)
        newest[row.period] = max(newest.get(row.period, 0), row.revision)
    steps = []
    for row in rows:
        if row.action in DECISIONS:
            state = row.action
        elif row.report_id in decided:
            state = decided[row.report_id]
        else:
            state = "replaced" if row.revision < newest[row.period] else PENDING
        steps.append(
            Step(
                row.at,
                row.action,
                row.period,
                row.revision,
                row.value,
                row.display_name,
                row.channel,
                row.comment,
                state,
            )
        )
    return steps


async def report_statuses(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, str]:
    """Report id → pending, approved or returned for a current value, replaced for an
    earlier revision (the export's review column)."""
    current = await session.execute(
        select(ReviewState.report_id, ReviewState.status).where(
            ReviewState.report_id.in_(list(report_ids))
        )
    )
    found: dict[int, str] = {report_id: status for report_id, status in current.all()}
    return {report_id: found.get(report_id, "replaced") for report_id in report_ids}
