"""`thidua db check` and `thidua db upgrade`; only the SQLite file migrates by itself."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import head_revision
from tests.conftest import _create_database, _drop_database

HEAD = head_revision()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_sqlite_file_is_checked_upgraded_and_also_migrates_by_itself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.db'}")
    code, _, err = run(capsys, "db", "check")
    assert code == 1 and f"phiên bản trống, mã cần {HEAD}: chạy thidua db upgrade" in err
    assert run(capsys, "db", "upgrade")[:2] == (
        0,
        f"Đã nâng cơ sở dữ liệu từ phiên bản trống lên {HEAD}.\n",
    )
    assert run(capsys, "db", "upgrade")[:2] == (
        0,
        f"Cơ sở dữ liệu đã ở phiên bản mới nhất ({HEAD}).\n",
    )
    assert run(capsys, "db", "check")[:2] == (0, f"Cơ sở dữ liệu ở phiên bản mới nhất ({HEAD}).\n")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'other.db'}")
    code, out, _ = run(capsys, "units", "list")  # a fresh file: migrated on first use
    assert code == 0 and "xa-y-ty" in out


@pytest.fixture
def fresh_postgres(postgres_url: str) -> Iterator[str]:
    """An empty PostgreSQL database of its own, as a new server gives it."""
    server, _, _ = postgres_url.rpartition("/")
    name = f"thidua_fresh_{uuid.uuid4().hex[:8]}"
    asyncio.run(_create_database(postgres_url, name))
    yield f"{server}/{name}"
    asyncio.run(_drop_database(postgres_url, name))


def test_postgresql_is_migrated_only_by_db_upgrade(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_postgres: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", fresh_postgres)
    code, _, err = run(capsys, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter")
    assert code == 1
    assert (
        err
        == f"thidua: cơ sở dữ liệu đang ở phiên bản trống, mã cần {HEAD}: chạy `thidua db upgrade` trước\n"
    )
    assert run(capsys, "db", "check")[0] == 1
    assert run(capsys, "db", "upgrade")[0] == 0
    assert run(capsys, "db", "check")[0] == 0
    code, out, _ = run(capsys, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter")
    assert code == 0 and len(out.strip()) == 9  # one code: XXXX-XXXX


def test_the_newest_migration_is_read_from_the_file_names_as_alembic_reads_it() -> None:
    """The bot tells whether the schema is current without importing alembic (9 MiB): by
    the migration files' names, which must say what alembic reads in them."""
    from alembic.script import ScriptDirectory

    from storage.db import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [HEAD]
    for script in scripts.walk_revisions():
        assert script.path is not None
        assert Path(script.path).name.startswith(f"{script.revision}_")
