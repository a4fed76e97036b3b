"""What flows between a channel and the conversations: no chat library in sight."""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Choice:
    """An option the user can pick: a stable id (fits Telegram's 64-byte callback data) and a label.

    `key` is what a numbered list shows before the option, and what typing picks it, when
    that is not its position: the directive's number of an indicator ("9", "8a").
    """

    id: str
    label: str
    key: str = ""


@dataclass(frozen=True)
class Attachment:
    kind: str  # "photo" or "document"
    ref: str  # the channel's file id or URL
    name: str = ""  # the sender's file name, when the channel gives one (only ever shown)
    size: int | None = None  # bytes, when the channel says so before downloading


class FileTooLarge(Exception):
    """A file over the limit, as the service said or as counted while downloading."""


class FileUnavailable(Exception):
    """A file that could not be downloaded (an expired link, a service that did not answer)."""


class Fetch(Protocol):
    """Downloads a file a person sent, at most `limit` bytes (FileTooLarge beyond)."""

    async def __call__(self, attachment: Attachment, limit: int) -> bytes: ...


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: typed text, picked a choice, or sent a file."""

    channel: str
    user_id: str
    chat_id: str
    text: str | None = None
    choice: str | None = None
    attachment: Attachment | None = None
    language: str | None = None
    display_name: str = ""
    update_key: str | None = None  # the channel's id for this update, to ignore redeliveries
    private: bool = True  # a one-to-one chat written by its own person; anything else is refused


@dataclass(frozen=True)
class OutFile:
    """A picture or a document the bot made (a chart, an export), sent with a reply's text.

    It lives on disk under the files folder (`Ctx.file` puts it there) until sent; a channel
    that cannot carry it sends the text alone (handlers check `Capabilities.photos` and
    `.documents`, and offer a table in the text where they are false).
    """

    kind: str  # "photo" or "document"
    path: str  # where the bot wrote it
    name: str  # what the recipient sees, e.g. "thidua-2025-10.xlsx"


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = field(default=())
    file: OutFile | None = None


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show; handlers ask this, never for a channel by name."""

    numbered: bool  # no buttons: choices come as a numbered list, answered by typing
    evidence: frozenset[str]  # kinds of attachment that can go with a report: photo, document
    linkable: bool  # one of the apps a person can use side by side, joined by a link code
    documents: bool  # files (an export) can be sent to the person
    text_limit: int  # characters in one message
    photos: bool = False  # a picture (a chart) can go with a reply; otherwise the text alone
    file_links: bool = False  # files arrive as an expiring link in the text, not attached


def merged(replies: list[Reply], limit: int) -> list[Reply]:
    """Replies in as few messages as fit: a note and the question after it travel together.

    Fewer messages read better on a phone and stay within per-chat rate limits. A reply with
    choices ends a message, so its choices stay under their own question.
    """
    out: list[Reply] = []
    for reply in replies:
        if (
            out
            and not out[-1].choices
            and not out[-1].file
            and not reply.file
            and len(out[-1].text) + 2 + len(reply.text) <= limit
        ):
            out[-1] = Reply(out[-1].text + "\n\n" + reply.text, reply.choices)
        else:
            out.append(reply)
    return out
