"""Assembly: database, clock, campaign, the conversations, and the channels that feed them."""

import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo.channel import CHANNEL as ZALO
from bot.channels.zalo.channel import WITH_LINKS as ZALO_WITH_LINKS
from bot.channels.zalo.channel import ZaloChannel
from bot.delivery.engine import Delivery
from bot.leases import Leases
from bot.metrics import Observer
from bot.settings import LOCAL_ZONE, Settings
from domain.campaign import load_campaign
from domain.clock import Clock, ShiftedClock, SystemClock
from domain.units_file import read_units_file
from handlers.dispatch import Conversations
from handlers.types import Capabilities
from storage.campaigns import read_catalog, save_campaign, save_units
from storage.db import (
    make_engine,
    make_sessions,
    migrate,
    migrates_on_start,
    one_writer,
    schema_revisions,
    write_guard,
)
from storage.models import Unit

log = logging.getLogger(__name__)

# What each channel can show, known before any of them starts (Zalo without the web app).
CAPABILITIES = {
    channel.name: channel.capabilities for channel in (TelegramChannel, ZaloChannel, ConsoleChannel)
}


def capabilities(settings: Settings) -> dict[str, Capabilities]:
    """What each channel can show with these settings: Zalo takes pictures and documents by
    link only when the web app serves them (WEBHOOK_BASE_URL)."""
    if settings.webhook_base_url and settings.zalo_bot_token is not None:
        return {**CAPABILITIES, ZALO: ZALO_WITH_LINKS}
    return CAPABILITIES


# Where the console demo's clock starts when THIDUA_CLOCK is not set: inside the bundled
# campaign, on a day when September's figures are due.
DEMO_CLOCK = datetime(2025, 10, 3, 8, 0, tzinfo=LOCAL_ZONE)


def settle() -> None:
    """Keep what start-up built, which lives as long as the process, out of the garbage
    collector's rounds: otherwise they walk it again and again under load (bench/: +20%)."""
    gc.collect()
    gc.freeze()


@dataclass
class App:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    write_guard: AbstractAsyncContextManager[object]
    clock: Clock
    delivery: Delivery
    conversations: Conversations
    leases: Leases

    @property
    def holds_scheduler(self) -> bool:
        return self.leases.holds_scheduler

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A write transaction taking its turn with the bot's own. On SQLite, whose single
        writer would otherwise make the event loop wait on its busy timeout, every writer in
        the process must come through here."""
        async with self.write_guard, self.sessions.begin() as session:
            yield session


def make_clock(settings: Settings, default: datetime | None = None) -> Clock:
    start = settings.thidua_clock or default
    return ShiftedClock(start) if start else SystemClock()


class MigrationsPending(Exception):
    """The database's schema is not the one this code needs (`thidua db upgrade`)."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(
            f"cơ sở dữ liệu đang ở phiên bản {current or 'trống'}, mã cần {head}:"
            " chạy `thidua db upgrade` trước"
        )


async def prepare(settings: Settings, clock: Clock) -> App:
    """Migrate the database (SQLite only: PostgreSQL must be current already, or
    MigrationsPending), load the bundled campaign and units if it has none, read the campaign."""
    engine = make_engine(settings.database_url)
    current, head = await schema_revisions(engine)
    if current != head and migrates_on_start(engine):
        await migrate(engine)
    elif current != head:
        await engine.dispose()
        raise MigrationsPending(current, head)
    sessions = make_sessions(engine)
    async with sessions.begin() as session:
        if await read_catalog(session) is None:
            spec = load_campaign(settings.thidua_campaign_file)
            await save_campaign(session, spec, clock.now())
            log.info("Loaded campaign %s", spec.code)
        if await session.scalar(select(Unit.id).limit(1)) is None:
            units = read_units_file(settings.thidua_units_file)
            if units.errors:
                raise SystemExit("\n".join(error.message for error in units.errors))
            await save_units(session, units.rows, clock.now().astimezone(LOCAL_ZONE).date())
            log.info("Loaded %d units", len(units.rows))
    async with sessions() as session:
        catalog = await read_catalog(session)
    guard = write_guard(engine)
    delivery = Delivery(sessions, guard, clock, settings.rates())
    conversations = Conversations(
        sessions,
        clock,
        catalog,
        guard,
        capabilities(settings),
        delivery,
        files_dir=settings.files_folder(),
        batch_writes=one_writer(engine),
        observer=Observer(),
    )
    if one_writer(engine):
        leases = Leases(sessions, guard, clock, delivery)
    else:  # its own connection: a renewal never waits for the pool behind busy officials
        lease_engine = make_engine(settings.database_url, connections=1)
        lease_sessions = make_sessions(lease_engine)
        leases = Leases(lease_sessions, guard, clock, delivery, own_engine=lease_engine)
    return App(engine, sessions, guard, clock, delivery, conversations, leases)
