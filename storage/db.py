"""Engine, sessions and migrations. SQLite and PostgreSQL differ only here."""

import asyncio
import contextlib
import functools
import sqlite3
from collections.abc import Awaitable, Callable, Generator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosqlite
from sqlalchemy import Connection, Insert, Table, bindparam, event, inspect, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
POOL_SIZE = 20  # PostgreSQL connections of one process


class _InlineSqlite(aiosqlite.Connection):
    """aiosqlite, but every call runs in the event loop's own thread, with no worker thread.

    A statement on a local SQLite file takes microseconds; sending it to aiosqlite's worker
    thread and back costs several times more (bench/: a report update went from about 7 ms
    to under one). Our own writers are queued by `write_guard`, so a statement does not wait
    on another of ours; only another process holding the write lock can make one wait, up to
    the busy timeout. Relies on aiosqlite's private hooks: the version is pinned in
    pyproject.toml and every test runs through here.
    """

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()

    async def _connect(self) -> aiosqlite.Connection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _sqlite_connector(url: str) -> Callable[[], Awaitable[aiosqlite.Connection]]:
    path = make_url(url).database or ":memory:"

    async def connect() -> aiosqlite.Connection:
        def open_file() -> sqlite3.Connection:
            return sqlite3.connect(path, timeout=30, check_same_thread=False)

        return await _InlineSqlite(open_file, iter_chunk_size=64)

    return connect


def make_engine(url: str, connections: int = POOL_SIZE) -> AsyncEngine:
    """An engine tuned for many short transactions: on SQLite WAL and a busy timeout. On
    PostgreSQL `connections` kept open, none beyond."""
    if url.startswith("sqlite"):
        # A connection per session from a small pool, not one shared connection: a session
        # that waits mid-transaction can never see another's statements (and bench/ measured
        # the shared one no faster).
        engine = create_async_engine(url, async_creator=_sqlite_connector(url))

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # PostgreSQL: `connections` kept open, none beyond (a new one costs the server a
    # process and us every statement prepared again); an event finding them all busy waits
    # its turn. No ping at each checkout (BEGIN, a query and ROLLBACK on the server, for every
    # event): a connection the server dropped fails its event, which is handled again on a
    # fresh one (handlers/dispatch.py).
    return create_async_engine(url, pool_size=connections, max_overflow=0, pool_pre_ping=False)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def one_writer(engine: AsyncEngine) -> bool:
    """Whether the database takes one writing transaction at a time (SQLite)."""
    return engine.dialect.name == "sqlite"


def write_guard(engine: AsyncEngine) -> AbstractAsyncContextManager[object]:
    """One writing transaction at a time on SQLite, queued in the process.

    SQLite allows a single writer; letting transactions collide makes them wait in its busy
    handler, which sleeps in growing steps. Queuing them here keeps every one short.
    PostgreSQL needs no such queue.
    """
    return asyncio.Lock() if one_writer(engine) else contextlib.nullcontext()


def alembic_config() -> "Config":
    """Alembic is imported only when there is something to migrate: it and its templates
    hold 9 MiB of a process that never needs them once the schema is current."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to the newest migration (or to `revision`); a fresh database is
    created here."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, revision)


def migrates_on_start(engine: AsyncEngine) -> bool:
    """Whether a process migrates the database by itself when it starts: only the embedded
    SQLite file, which one process uses. On PostgreSQL, shared by several processes, the
    operator runs the migrations (`thidua db upgrade`) before starting them."""
    return engine.dialect.name == "sqlite"


def _current_revision(connection: Connection) -> str | None:
    """What alembic keeps in its table, read without alembic."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    version: str | None = connection.execute(
        text("SELECT version_num FROM alembic_version")
    ).scalar()
    return version


async def schema_revisions(engine: AsyncEngine) -> tuple[str | None, str]:
    """The database's migration (None before the first) and the newest this code knows."""
    async with engine.connect() as connection:
        current = await connection.run_sync(_current_revision)
    return current, head_revision()


@functools.cache
def head_revision() -> str:
    """The newest migration: our migrations form one line, each named by its revision id
    ("0012_….py" is revision "0012", following "0011"; tests/test_db_commands.py holds them
    to it against alembic's own reading)."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def insert_with_conflicts(dialect: str) -> type[postgresql.Insert] | type[sqlite.Insert]:
    """The dialect's INSERT, which takes ON CONFLICT clauses: both speak them alike."""
    return postgresql.Insert if dialect == "postgresql" else sqlite.Insert


@functools.cache
def upsert(table: Table, dialect: str, keys: tuple[str, ...], keep: tuple[str, ...] = ()) -> Insert:
    """INSERT … ON CONFLICT (keys) DO UPDATE for every column but those in `keep`, built once
    per dialect.

    Both databases speak it alike; the statement takes each column as a bound parameter.
    """
    statement = insert_with_conflicts(dialect)(table).values(
        {column.name: bindparam(column.name) for column in table.c}
    )
    unchanged = {*keys, *keep}
    changed = {c.name: statement.excluded[c.name] for c in table.c if c.name not in unchanged}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)


@functools.cache
def insert_ignoring(
    table: Table, dialect: str, keys: tuple[str, ...], returning: str = "id"
) -> Insert:
    """INSERT … ON CONFLICT (keys) DO NOTHING RETURNING id: only new rows come back."""
    statement = insert_with_conflicts(dialect)(table).on_conflict_do_nothing(
        index_elements=list(keys)
    )
    return statement.returning(table.c[returning])
