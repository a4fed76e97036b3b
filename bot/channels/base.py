"""One small interface for every channel: what it can show, and how one reply reaches one chat."""

from dataclasses import dataclass
from typing import Literal, Protocol

from handlers.types import Attachment, Capabilities, Reply

Status = Literal["sent", "retry", "blocked", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What became of one reply.

    - sent: every piece arrived;
    - retry: not now, try again (after `retry_after` seconds when the service said so): a
      rate limit, a server error, a timeout;
    - blocked: the person left or blocked the bot, stop writing to this chat;
    - failed: it will never go as it is (`reason` says why).
    `pieces` counts the pieces of a long reply that did arrive, so that a retry goes on from
    the next one instead of sending them again.
    """

    status: Status
    pieces: int = 0
    retry_after: float | None = None
    reason: str = ""


class Channel(Protocol):
    name: str
    capabilities: Capabilities

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        """Send the reply's pieces from `skip` on; never raises for the service's answers."""
        ...

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """Download a file a person sent: FileTooLarge over `limit` bytes, FileUnavailable
        when it cannot be had (handlers.types)."""
        ...
