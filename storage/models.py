"""Database tables. Reported values are append-only: a correction is a new revision row."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeEngine

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ExactDecimal(TypeDecorator[Decimal]):
    """NUMERIC on PostgreSQL; text on SQLite, whose NUMERIC would round-trip through float."""

    impl = Numeric(28, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(28, 6))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).normalize() if dialect.name == "sqlite" else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Stored in UTC, read back timezone-aware, on both databases (SQLite would drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(Text)
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("campaign_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    code: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(64))
    target: Mapped[Decimal] = mapped_column(ExactDecimal())
    position: Mapped[int] = mapped_column(Integer)


class UnitGroup(Base):
    """An emulation block (khối) or cluster (cụm)."""

    __tablename__ = "unit_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(128), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("unit_groups.id"))


class UnitSpell(Base):
    """A unit in a group (block, cluster; None: in none) from `starts` to `ends`, both inclusive
    and open-ended when None. A unit that joins, moves or leaves mid-campaign keeps its history
    here, so completeness counts it in the right group for each period; `Unit.group_id` is the
    group of the open spell."""

    __tablename__ = "unit_spells"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("unit_groups.id"))
    starts: Mapped[date | None] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)


class UnitTarget(Base):
    __tablename__ = "unit_targets"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    target: Mapped[Decimal] = mapped_column(ExactDecimal())


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Identity(Base):
    """A chat account (Telegram user, Zalo user, console) that belongs to a person."""

    __tablename__ = "identities"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # the bot may not write


class Invite(Base):
    """A single-use code: joins a new person to a unit, or (with person_id, a link code) adds
    another chat account, on another channel, to a person who has already joined."""

    __tablename__ = "invites"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class FailedJoin(Base):
    """A wrong invite code, kept to slow down guessing."""

    __tablename__ = "failed_joins"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class InviteGuardTrip(Base):
    """A moment when wrong invite codes from all accounts together came fast enough to mean
    guessing: until `until`, each account gets fewer tries. Numbered in order, so that two
    transactions tripping at once store one trip; `reported_at` is set once admins are told."""

    __tablename__ = "invite_guard_trips"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    until: Mapped[datetime] = mapped_column(UtcDateTime)
    wrong_codes: Mapped[int] = mapped_column(Integer)
    accounts: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Report(Base):
    """One reported value. Never updated: a correction adds the next revision."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("unit_id", "indicator_id", "period", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    period: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(ExactDecimal())
    note: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CurrentValue(Base):
    """The newest revision of each unit's figure for an indicator and period, written in the
    report's transaction: the standings read this, never the revisions (`reports`).

    On SQLite the rows are kept in key order (WITHOUT ROWID), so a unit's figures, which
    arrive over months among everyone's, are read from a few pages together."""

    __tablename__ = "current_values"
    __table_args__ = ({"sqlite_with_rowid": False},)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[Decimal] = mapped_column(ExactDecimal())
    revision: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the first revision arrived: timeliness."""
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Conversation(Base):
    """Where a chat is in a form, saved at every step so a restart resumes it, and the
    ids of the updates it handled last, so a redelivered update is ignored."""

    __tablename__ = "conversations"
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    choices: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    recent_updates: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Outbox(Base):
    """One message for one chat, from the moment it is decided until it is sent or given up.

    Answers to a person's own message are written here in the same transaction as the event,
    so that a reply whose event was committed still goes out after a crash. `key` makes a
    message that must go exactly once (a reminder, one recipient of a broadcast) unique.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "not_before"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16))  # answer, reminder, broadcast, notice
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    text: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    # A file sent with the text (handlers.types.OutFile): photo or document, where the bot
    # wrote it, and the name the recipient sees.
    file_kind: Mapped[str | None] = mapped_column(String(16))
    file_path: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(8))  # queued, sending, sent, failed, blocked
    claimed_by: Mapped[str | None] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    pieces_sent: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PeriodReopening(Base):
    """A locked period an admin reopened for one unit: it takes the unit's figures until the
    end of `until` (a local day)."""

    __tablename__ = "period_reopenings"
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    until: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Away(Base):
    """A person away (on leave, on a mission) until the end of a local date: not reminded."""

    __tablename__ = "away"
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    until: Mapped[date] = mapped_column(Date)
    set_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Snooze(Base):
    """A reminder asked for again later ("Nhắc lại sau 2 giờ", "Ngày mai"): the reminder job
    sends it at `due_at`, with fresh figures, under `key` (the reminder's key with the
    snooze suffix), unless the unit has reported by then."""

    __tablename__ = "snoozes"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    scope: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Broadcast(Base):
    """A campaign update: written by an admin (in the chat or on the command line) or planned
    by the campaign file (`recurring`, unique: "<update code>:<local date>"). Its recipients'
    outbox rows, keyed "bc:<id>:<person id>", are queued when it is due; `state` goes
    scheduled → sending → done (every row final, the sender told)."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_due", "state", "scheduled_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    audience_typed: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)  # resolved: "everyone", "block:khoi-kinh-te", …
    audience_label: Mapped[str] = mapped_column(Text)
    scheduled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))
    recurring: Mapped[str | None] = mapped_column(String(64), unique=True)
    recipients: Mapped[int | None] = mapped_column(Integer)  # people queued for, when due
    no_chat: Mapped[int | None] = mapped_column(Integer)  # people of the audience with no chat


class ReviewEvent(Base):
    """One step in the life of a reported value: submitted, revised, approved or returned,
    with who, when, from which channel and why (a revision's reason, a return's comment).
    Never changed: the history (/lichsu) reads these rows."""

    __tablename__ = "review_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # submitted, revised, approved, returned
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReviewState(Base):
    """Where the review of a unit's current value for an indicator and period stands: its
    newest revision (`report_id`) is pending, approved or returned. Kept in the same
    transaction as the report or the decision, so that nobody scans the log to know it."""

    __tablename__ = "review_states"
    __table_args__ = (Index("ix_review_states_status", "status", "since"),)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    status: Mapped[str] = mapped_column(String(16))  # pending, approved, returned
    since: Mapped[datetime] = mapped_column(UtcDateTime)


class Upload(Base):
    """A file a person sent, kept once however often it is sent: under FILES_DIR/uploads, at
    `path`, a name made from its checksum (never the sender's file name)."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    file_type: Mapped[str] = mapped_column(String(8))  # pdf, docx, xlsx, jpg, png, webp
    path: Mapped[str] = mapped_column(Text)  # relative to the uploads folder
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeliverableVersion(Base):
    """One version of a unit's deliverable (the campaign file's `deliverables:`). A newer
    version keeps the earlier ones; the secretariat accepts or returns each, with a note."""

    __tablename__ = "deliverable_versions"
    __table_args__ = (UniqueConstraint("deliverable", "unit_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    version: Mapped[int] = mapped_column(Integer)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    file_name: Mapped[str] = mapped_column(Text)  # as sent, cleaned to show; "" for a photo
    text: Mapped[str | None] = mapped_column(Text)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # submitted, accepted, returned
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)


class Story(Base):
    """An exemplary collective or person (gương điển hình), sent by a member for review: the
    secretariat approves it, asks for more, or declines, with a note to the sender."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_status", "status", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the unit the story is of
    subject_kind: Mapped[str] = mapped_column(String(16))  # collective or person
    subject: Mapped[str] = mapped_column(Text)
    achievement: Mapped[str] = mapped_column(Text)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))  # who sent it
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))  # pending, approved, more, declined
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"))


class StoryPhoto(Base):
    __tablename__ = "story_photos"
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
