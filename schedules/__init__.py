"""What goes out unasked: jobs that decide who gets what, queued through the outbox."""

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from handlers.types import Capabilities
from storage.campaigns import Catalog


class Wakeable(Protocol):
    def wake(self) -> None: ...


class Conversations(Protocol):
    catalog: Catalog | None
    capabilities: Mapping[str, Capabilities]


class Running(Protocol):
    """What the jobs need of the running bot (bot.app.App)."""

    @property
    def clock(self) -> Clock: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def delivery(self) -> Wakeable: ...

    @property
    def holds_scheduler(self) -> bool:
        """Whether this process runs the scheduled jobs now (one process at a time does)."""
        ...

    def writing(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A write transaction in turn with the bot's own."""
        ...
