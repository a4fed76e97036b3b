"""Databases for the tests: SQLite always, PostgreSQL when one answers.

CI sets THIDUA_TEST_POSTGRES_URL; then a PostgreSQL that does not answer fails the run.
Without it, the local server on 127.0.0.1 is tried and the PostgreSQL tests skip, saying why.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from hypothesis import settings
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App, prepare
from bot.channels.telegram import TelegramChannel, make_dispatcher
from bot.settings import LOCAL_ZONE, Settings
from domain.clock import FakeClock
from domain.invites import display_code
from storage.db import migrate
from storage.models import Base, Unit
from storage.repo import create_invites
from tests.recording import RecordingSession, TelegramChat

# No time limits in tests (speed is bench/'s business): a slow machine must not fail a property.
settings.register_profile("thidua", deadline=None)
settings.load_profile("thidua")

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
# 3 October 2025, 08:00 in Vietnam: September's figures are due on the 5th.
CAMPAIGN_MORNING = datetime(2025, 10, 3, 8, 0, tzinfo=LOCAL_ZONE)


async def _create_database(server_url: str, name: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


async def _migrate(url: str) -> None:
    """As the operator does with `thidua db upgrade`: PostgreSQL is never migrated on start."""
    engine = create_async_engine(url)
    try:
        await migrate(engine)
    finally:
        await engine.dispose()


async def _drop_database(server_url: str, name: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    required = os.environ.get("THIDUA_TEST_POSTGRES_URL")
    server = required or DEFAULT_POSTGRES
    name = f"thidua_test_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_create_database(server, name))
    except Exception as error:  # any failure to reach the server
        if required:
            pytest.fail(
                f"THIDUA_TEST_POSTGRES_URL is set but PostgreSQL did not answer: {type(error).__name__}"
            )
        pytest.skip(
            f"no PostgreSQL at {server.split('@')[-1]} ({type(error).__name__}); set THIDUA_TEST_POSTGRES_URL to require it"
        )
    base, _, _ = server.rpartition("/")
    asyncio.run(_migrate(f"{base}/{name}"))
    yield f"{base}/{name}"
    asyncio.run(_drop_database(server, name))


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'thidua.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(CAMPAIGN_MORNING)


async def _empty_postgres(url: str) -> None:
    """Tests share one PostgreSQL database: each starts from empty tables."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            exists = await connection.scalar(
                text("SELECT to_regclass('public.campaigns') IS NOT NULL")
            )
            if exists:
                tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        await engine.dispose()


def settings_for(database_url: str) -> Settings:
    """Settings for a test: this database, nothing from a developer's .env."""
    return Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
async def app(database_url: str, clock: FakeClock, tmp_path: Path) -> AsyncIterator[App]:
    """The bot as `thidua run` assembles it: migrated, with the bundled campaign and units,
    its files in the test's own folder (on PostgreSQL they would go to the working folder)."""
    if database_url.startswith("postgresql"):
        await _empty_postgres(database_url)
    settings = settings_for(database_url).model_copy(update={"files_dir": tmp_path / "files"})
    application = await prepare(settings, clock)
    yield application
    await application.engine.dispose()
    await application.leases.close()


@pytest.fixture
def telegram(app: App) -> "TelegramBot":
    return TelegramBot(app)


class TelegramBot:
    """The production Telegram router on a real Dispatcher, with a recording session."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.session = RecordingSession()
        self.bot = Bot("42:TEST-TOKEN", session=self.session)
        app.delivery.register(TelegramChannel(self.bot))
        self.dispatcher = make_dispatcher(app.conversations)

    def user(self, user_id: int = 1001, language: str = "vi") -> TelegramChat:
        return TelegramChat(self.dispatcher, self.bot, self.session, user_id, language)

    async def invite(self, unit_code: str = "phuong-sa-pa", role: str = "reporter") -> str:
        async with self.app.writing() as session:
            unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
            assert unit is not None
            (code,) = await create_invites(
                session, unit, role, 1, timedelta(days=14), self.app.clock.now()
            )
        return display_code(code)

    async def member(
        self,
        unit_code: str = "phuong-sa-pa",
        user_id: int = 1001,
        language: str = "vi",
        role: str = "reporter",
    ) -> TelegramChat:
        """A user who has joined the unit with an invite."""
        chat = self.user(user_id, language)
        await chat.say("/start " + await self.invite(unit_code, role))
        return chat
