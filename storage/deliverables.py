"""Deliverables in the database: who owes one, its versions, their review, and the read model
the reminders, `/duyet`, completeness and the export share.

- ``owing(session, deliverable)``: the units the campaign file's `owed_by` names, now.
- ``unit_versions(session, code, unit_id)``: one unit's versions, oldest first.
- ``undelivered(session, deliverable)``: the owing units whose latest version is missing or
  returned (the reminders' list).
- ``completeness(session, campaign, deliverable)``: delivered and on time over expected.
- ``export_rows(session, campaign)``: plain rows, one per version and one per unit that has
  sent nothing, for the export's sheet.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain import deliverables as rules
from domain.broadcasts import Audience, read_audience
from domain.campaign import CampaignSpec, DeliverableSpec
from storage.broadcasts import directory, of_units
from storage.models import DeliverableVersion, Person, Unit, UnitGroup, Upload
from storage.owed import OwingUnit

_UNIT_COLUMNS = (Unit.id, Unit.code, Unit.kind, Unit.name, UnitGroup.name, UnitGroup.kind)


async def _owing_ids(session: AsyncSession, deliverable: DeliverableSpec) -> Select[Any] | None:
    """The ids of the units `owed_by` names, as a subquery; None when it names nothing known."""
    owed_by = deliverable.owed_by
    names = await directory(session, with_units=owed_by.startswith("units:"))
    audience = read_audience(owed_by, names)
    if not isinstance(audience, Audience):
        return None
    return of_units(select(Unit.id), audience)


async def owing(session: AsyncSession, deliverable: DeliverableSpec) -> list[OwingUnit]:
    """The units that owe the deliverable, by id."""
    ids = await _owing_ids(session, deliverable)
    if ids is None:
        return []
    rows = await session.execute(
        select(*_UNIT_COLUMNS)
        .outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
        .where(Unit.id.in_(ids))
        .order_by(Unit.id)
    )
    return [OwingUnit(*row) for row in rows]


async def owes(session: AsyncSession, deliverable: DeliverableSpec, unit_id: int) -> bool:
    """Whether one unit owes it (one small query, asked on every /han)."""
    ids = await _owing_ids(session, deliverable)
    if ids is None:
        return False
    found = await session.scalar(select(Unit.id).where(Unit.id == unit_id, Unit.id.in_(ids)))
    return found is not None


async def unit_versions(session: AsyncSession, code: str, unit_id: int) -> list[DeliverableVersion]:
    """One unit's versions of a deliverable, oldest first."""
    return list(
        await session.scalars(
            select(DeliverableVersion)
            .where(DeliverableVersion.deliverable == code, DeliverableVersion.unit_id == unit_id)
            .order_by(DeliverableVersion.version)
        )
    )


def as_rules(versions: list[DeliverableVersion]) -> list[rules.Version]:
    return [rules.Version(v.version, v.created_at, cast(rules.Status, v.status)) for v in versions]


async def _versions_by_unit(session: AsyncSession, code: str) -> dict[int, list[rules.Version]]:
    """Every unit's versions of a deliverable, oldest first: three columns, no objects, no
    list of unit ids to send (the callers look up the units they want)."""
    rows = await session.execute(
        select(
            DeliverableVersion.unit_id,
            DeliverableVersion.version,
            DeliverableVersion.created_at,
            DeliverableVersion.status,
        )
        .where(DeliverableVersion.deliverable == code)
        .order_by(DeliverableVersion.unit_id, DeliverableVersion.version)
    )
    found: dict[int, list[rules.Version]] = defaultdict(list)
    for unit_id, version, created_at, status in rows:
        found[unit_id].append(rules.Version(version, created_at, cast(rules.Status, status)))
    return found


async def submit(
    session: AsyncSession,
    code: str,
    unit_id: int,
    upload: Upload,
    file_name: str,
    text: str | None,
    person_id: int,
    channel: str,
    now: datetime,
) -> DeliverableVersion:
    """The unit's next version; earlier ones stay as they are."""
    latest = await session.scalar(
        select(func.max(DeliverableVersion.version)).where(
            DeliverableVersion.deliverable == code, DeliverableVersion.unit_id == unit_id
        )
    )
    version = DeliverableVersion(
        deliverable=code,
        unit_id=unit_id,
        version=(latest or 0) + 1,
        upload_id=upload.id,
        file_name=file_name,
        text=text,
        person_id=person_id,
        channel=channel,
        created_at=now,
        status="submitted",
    )
    session.add(version)
    await session.flush()
    return version


async def with_upload(
    session: AsyncSession, code: str, unit_id: int, upload_id: int
) -> DeliverableVersion | None:
    """The unit's version that holds this very file, if it sent it before."""
    return await session.scalar(
        select(DeliverableVersion).where(
            DeliverableVersion.deliverable == code,
            DeliverableVersion.unit_id == unit_id,
            DeliverableVersion.upload_id == upload_id,
        )
    )


async def undelivered(session: AsyncSession, deliverable: DeliverableSpec) -> list[OwingUnit]:
    units = await owing(session, deliverable)
    versions = await _versions_by_unit(session, deliverable.code)
    return [u for u in units if not rules.has_delivered(versions.get(u.id, []))]


async def completeness(
    session: AsyncSession,
    campaign: CampaignSpec,
    deliverable: DeliverableSpec,
    within: Collection[int] | None = None,
) -> rules.Completeness:
    """Of the units that owe it (only those in `within`, unit ids, if given: a block)."""
    units = [u for u in await owing(session, deliverable) if within is None or u.id in within]
    versions = await _versions_by_unit(session, deliverable.code)
    return rules.completeness(deliverable, [versions.get(u.id, []) for u in units], campaign.zone)


@dataclass(frozen=True)
class Pending:
    """A version awaiting review, with what the reviewer needs to see."""

    version: DeliverableVersion
    unit_name: str
    sender: str


async def awaiting_review(session: AsyncSession, limit: int) -> tuple[list[Pending], int]:
    """The oldest versions still to review (each unit's latest only), and how many there are."""
    newest = (
        select(func.max(DeliverableVersion.id))
        .group_by(DeliverableVersion.deliverable, DeliverableVersion.unit_id)
        .scalar_subquery()
    )
    waiting = DeliverableVersion.status == "submitted", DeliverableVersion.id.in_(newest)
    total = await session.scalar(
        select(func.count()).select_from(DeliverableVersion).where(*waiting)
    )
    rows = await session.execute(
        select(DeliverableVersion, Unit.name, Person.display_name)
        .join(Unit, Unit.id == DeliverableVersion.unit_id)
        .join(Person, Person.id == DeliverableVersion.person_id)
        .where(*waiting)
        .order_by(DeliverableVersion.created_at, DeliverableVersion.id)
        .limit(limit)
    )
    return [Pending(v, unit, sender) for v, unit, sender in rows], int(total or 0)


async def get(session: AsyncSession, version_id: int) -> DeliverableVersion | None:
    return await session.get(DeliverableVersion, version_id)


async def review(
    session: AsyncSession,
    version: DeliverableVersion,
    status: rules.Status,
    note: str | None,
    reviewer_id: int,
    now: datetime,
) -> None:
    version.status = status
    version.review_note = note
    version.reviewed_by = reviewer_id
    version.reviewed_at = now
    await session.flush()


@dataclass(frozen=True)
class ExportRow:
    """One line of the deliverables' sheet: a version, or a unit that has sent nothing
    (version None, status "missing")."""

    deliverable: str
    unit_code: str
    unit_name: str
    unit_kind: str
    group_kind: str | None
    group_name: str | None
    status: str  # missing, submitted, accepted, returned
    version: int | None = None
    submitted_at: datetime | None = None
    submitted_by: str | None = None
    channel: str | None = None
    on_time: bool | None = None  # of the unit's first version
    days_late: int | None = None
    file_name: str | None = None
    file_type: str | None = None
    size: int | None = None
    sha256: str | None = None
    path: str | None = None  # under FILES_DIR/uploads
    text: str | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None


async def export_rows(session: AsyncSession, campaign: CampaignSpec) -> list[ExportRow]:
    """Every deliverable of the campaign, unit by unit, each version in order."""
    reviewer = aliased(Person)
    version = DeliverableVersion
    out: list[ExportRow] = []
    for deliverable in campaign.deliverables:
        rows = await session.execute(
            select(
                version.unit_id,
                version.status,
                version.version,
                version.created_at,
                Person.display_name,
                version.channel,
                version.file_name,
                Upload.file_type,
                Upload.size,
                Upload.sha256,
                Upload.path,
                version.text,
                reviewer.display_name,
                version.reviewed_at,
                version.review_note,
            )
            .join(Person, Person.id == version.person_id)
            .outerjoin(reviewer, reviewer.id == version.reviewed_by)
            .join(Upload, Upload.id == version.upload_id)
            .where(version.deliverable == deliverable.code)
            .order_by(version.unit_id, version.version)
        )
        by_unit: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_unit[row[0]].append(row[1:])
        for unit in await owing(session, deliverable):
            head = (
                deliverable.name,
                unit.code,
                unit.name,
                unit.kind,
                unit.group_kind,
                unit.group_name,
            )
            versions = by_unit.get(unit.id)
            if not versions:
                out.append(ExportRow(*head, status="missing"))
                continue
            first = versions[0][2]  # when the first version came
            timing = (
                rules.is_on_time(deliverable, first, campaign.zone),
                rules.days_late(deliverable, first, campaign.zone),
            )
            for status, number, at, sender, channel, *rest in versions:
                file_name, file_type, size, sha256, path, text, reviewed_by, reviewed_at, note = (
                    rest
                )
                out.append(
                    ExportRow(
                        *head,
                        status=status,
                        version=number,
                        submitted_at=at,
                        submitted_by=sender,
                        channel=channel,
                        on_time=timing[0],
                        days_late=timing[1],
                        file_name=file_name,
                        file_type=file_type,
                        size=size,
                        sha256=sha256,
                        path=path,
                        text=text,
                        reviewed_by=reviewed_by,
                        reviewed_at=reviewed_at,
                        review_note=note,
                    )
                )
    return out
