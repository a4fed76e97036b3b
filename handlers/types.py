"""What flows between a channel and the conversations: no chat library in sight."""

from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = field(default=())
