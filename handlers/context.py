"""What a handler works with for one inbound event: who, where in a form, and what to say."""

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from domain.numbers import format_number
from handlers.texts import t
from handlers.types import Attachment, Capabilities, Choice, Fetch, Inbound, OutFile, Reply
from storage import files
from storage.campaigns import Catalog
from storage.repo import Member

TAG_SEPARATOR = "|"


def tag_choices(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """The same choices with ids that name this offer: "confirm" → "3fa9c1|confirm"."""
    tag = secrets.token_hex(3)
    return tuple(replace(c, id=f"{tag}{TAG_SEPARATOR}{c.id}") for c in choices)


def untagged(choice_id: str) -> str:
    """The id a handler knows: "3fa9c1|confirm" → "confirm" (an untagged id as it is)."""
    return choice_id.rpartition(TAG_SEPARATOR)[2]


@dataclass
class FormState:
    """The saved place in a form; `choices` is the numbering shown last on text channels."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)

    def go(self, flow: str, step: str) -> None:
        self.flow, self.step = flow, step

    def clear(self) -> None:
        """Leave the form: the numbering shown for it no longer means anything either."""
        self.flow, self.step, self.data, self.choices = None, None, {}, []


@dataclass(frozen=True)
class Answer:
    """The user's input to a form step, with a picked choice already resolved to its id."""

    text: str
    choice: str | None
    attachment: Attachment | None


@dataclass
class Ctx:
    session: AsyncSession
    event: Inbound
    now: datetime
    lang: str
    catalog: Catalog | None
    member: Member | None
    state: FormState
    capabilities: Capabilities
    files_dir: Path
    """Where a handler writes a file it sends (storage.files.save), a chart or an export."""
    replies: list[Reply] = field(default_factory=list)
    idle_form: bool = False
    """The open form was left for a while (or across a restart): its question is shown again
    before a typed answer is taken."""
    fetch: Fetch | None = None
    """Downloads a file the person sent on this channel (None: the channel cannot)."""
    channels: Mapping[str, Capabilities] = field(default_factory=dict)
    """What every running channel can show: for messages queued to other people's chats."""
    queued: bool = False
    """Messages were queued for others (handlers.outgoing.notify): wake the sender."""

    def t(self, key: str, **values: Any) -> str:
        return t(self.lang, key, **values)

    def say(self, text: str, choices: tuple[Choice, ...] = (), file: OutFile | None = None) -> None:
        """Queue a reply; the choices of the last reply become what a typed number refers to.

        Each set of choices gets a fresh tag in its ids, so a button of an earlier question
        (of this form or of one before it) can never act on the question asked now.
        """
        if choices:
            choices = tag_choices(choices)
            self.state.choices = list(choices)
        self.replies.append(Reply(text, choices, file))

    def file(self, kind: str, data: bytes, name: str) -> OutFile:
        """Keep a picture ("photo") or a document the bot made, to send with a reply (`say`);
        `name` is what the person sees, and its extension that of the stored file."""
        path = files.save(self.files_dir, data, Path(name).suffix.lower())
        return OutFile(kind, str(path), name)

    @property
    def today(self) -> date:
        zone = self.catalog.campaign.timezone if self.catalog else "Asia/Ho_Chi_Minh"
        return self.now.astimezone(ZoneInfo(zone)).date()

    def local_time(self, moment: datetime) -> str:
        zone = self.catalog.campaign.timezone if self.catalog else "Asia/Ho_Chi_Minh"
        return moment.astimezone(ZoneInfo(zone)).strftime("%H:%M %d/%m/%Y")

    def number(self, value: Decimal | int, max_decimals: int = 2) -> str:
        return format_number(Decimal(value), max_decimals=max_decimals, locale=self.lang)


class Form(Protocol):
    """A conversational form: a module with a prompt for its current step and a step handler."""

    async def prompt(self, ctx: Ctx) -> None: ...

    async def step(self, ctx: Ctx, answer: Answer) -> None: ...
