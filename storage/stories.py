"""Exemplary stories in the database: sent, reviewed, published, listed by block or cluster, and
per unit for the commendation candidates."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person, Story, StoryPhoto, Unit, Upload

MAX_PHOTOS = 5


@dataclass(frozen=True)
class Listed:
    """A story with the names a reader needs."""

    story: Story
    unit_name: str
    sender: str
    photos: int


async def add(
    session: AsyncSession,
    *,
    unit_id: int,
    subject_kind: str,
    subject: str,
    achievement: str,
    person_id: int,
    channel: str,
    now: datetime,
    upload_ids: Sequence[int],
) -> Story:
    story = Story(
        unit_id=unit_id,
        subject_kind=subject_kind,
        subject=subject,
        achievement=achievement,
        person_id=person_id,
        channel=channel,
        created_at=now,
        status="pending",
    )
    session.add(story)
    await session.flush()
    await _add_photos(session, story.id, 0, upload_ids)
    return story


async def _add_photos(
    session: AsyncSession, story_id: int, after: int, upload_ids: Sequence[int]
) -> None:
    session.add_all(
        StoryPhoto(story_id=story_id, position=after + n, upload_id=upload_id)
        for n, upload_id in enumerate(upload_ids, start=1)
    )
    await session.flush()


async def get(session: AsyncSession, story_id: int) -> Story | None:
    return await session.get(Story, story_id)


async def photo_count(session: AsyncSession, story_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(StoryPhoto).where(StoryPhoto.story_id == story_id)
    )
    return int(count or 0)


async def photos(session: AsyncSession, story_id: int) -> list[Upload]:
    return list(
        await session.scalars(
            select(Upload)
            .join(StoryPhoto, StoryPhoto.upload_id == Upload.id)
            .where(StoryPhoto.story_id == story_id)
            .order_by(StoryPhoto.position)
        )
    )


async def amend(
    session: AsyncSession, story: Story, text: str | None, upload_ids: Sequence[int]
) -> None:
    """What the sender adds when asked for more: the text after the achievement, the photos
    after the earlier ones; the story goes back to review."""
    if text:
        story.achievement = f"{story.achievement}\n{text}"
    await _add_photos(session, story.id, await photo_count(session, story.id), upload_ids)
    story.status = "pending"
    await session.flush()


async def review(
    session: AsyncSession,
    story: Story,
    status: str,
    note: str | None,
    reviewer_id: int,
    now: datetime,
) -> None:
    story.status = status
    story.note = note
    story.reviewed_by = reviewer_id
    story.reviewed_at = now
    await session.flush()


async def published(session: AsyncSession, story_id: int, broadcast_id: int) -> None:
    story = await session.get(Story, story_id)
    if story is not None:
        story.broadcast_id = broadcast_id
        await session.flush()


_PHOTOS = (
    select(func.count())
    .select_from(StoryPhoto)
    .where(StoryPhoto.story_id == Story.id)
    .correlate(Story)
    .scalar_subquery()
)
_LISTED = (
    select(Story, Unit.name, Person.display_name, _PHOTOS)
    .join(Unit, Unit.id == Story.unit_id)
    .join(Person, Person.id == Story.person_id)
)


async def awaiting_review(session: AsyncSession, limit: int) -> tuple[list[Listed], int]:
    """The oldest stories to review, and how many there are."""
    total = await session.scalar(
        select(func.count()).select_from(Story).where(Story.status == "pending")
    )
    rows = await session.execute(
        _LISTED.where(Story.status == "pending").order_by(Story.created_at, Story.id).limit(limit)
    )
    return [Listed(*row) for row in rows], int(total or 0)


async def approved_near(
    session: AsyncSession, unit_id: int, offset: int, limit: int
) -> tuple[list[Listed], int]:
    """Approved stories of the units in the unit's block or cluster (of the unit alone when
    it is in none), newest first, from `offset`; and how many there are."""
    group_id = await session.scalar(select(Unit.group_id).where(Unit.id == unit_id))
    where = [Story.status == "approved"]
    if group_id is not None:
        where.append(Unit.group_id == group_id)
    else:
        where.append(Story.unit_id == unit_id)
    total = await session.scalar(
        select(func.count()).select_from(Story).join(Unit, Unit.id == Story.unit_id).where(*where)
    )
    rows = await session.execute(
        _LISTED.where(*where)
        .order_by(Story.reviewed_at.desc(), Story.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [Listed(*row) for row in rows], int(total or 0)


async def approved_by_unit(session: AsyncSession) -> dict[int, list[Listed]]:
    """Each unit's approved stories, oldest first: evidence beside the commendation candidates."""
    rows = await session.execute(
        _LISTED.where(Story.status == "approved").order_by(Story.unit_id, Story.created_at)
    )
    found: dict[int, list[Listed]] = defaultdict(list)
    for row in rows:
        listed = Listed(*row)
        found[listed.story.unit_id].append(listed)
    return found
