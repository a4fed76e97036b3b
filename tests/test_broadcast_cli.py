"""`thidua broadcast`: an update stored from the command line, for the running bot to send."""

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.test_cli import thidua


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no developer .env
    return path


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "tb.txt"
    path.write_text("Hội nghị sơ kết phong trào ngày 15/11.\n", encoding="utf-8")
    return path


def add_members(database: Path, unit_code: str, count: int) -> None:
    """People who joined the unit (as an invite would make them)."""
    with sqlite3.connect(database) as db:
        (unit_id,) = db.execute("SELECT id FROM units WHERE code = ?", (unit_code,)).fetchone()
        for n in range(count):
            person = db.execute(
                "INSERT INTO people (display_name, language, created_at) VALUES (?, 'vi', ?)",
                (f"Cán bộ {n}", "2025-10-03 01:00:00"),
            ).lastrowid
            db.execute(
                "INSERT INTO memberships (person_id, unit_id, role, created_at)"
                " VALUES (?, ?, 'reporter', '2025-10-03 01:00:00')",
                (person, unit_id),
            )


def broadcasts(database: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT audience, audience_label, state FROM broadcasts").fetchall()


def test_an_update_to_a_block_prints_its_number_and_recipients(
    database: Path, text_file: Path
) -> None:
    main(["units", "list"])  # the database, migrated, with the bundled units
    add_members(database, "so-cong-thuong", 2)
    add_members(database, "xa-y-ty", 1)
    result = thidua(
        database, "broadcast", "--text-file", str(text_file), "--to", "block:Khối kinh tế"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Thông báo #1: 2 người nhận (Khối kinh tế), gửi ngay.\n"
    assert broadcasts(database) == [("block:khoi-kinh-te", "Khối kinh tế", "scheduled")]


@pytest.mark.parametrize(
    ("to", "at", "said"),
    [
        ("block:Khối không có", None, "không tìm thấy “Khối không có”"),
        ("everyone", "2020-01-01T08:00", "thời điểm này đã qua"),
        ("kind:enterprise", None, "các doanh nghiệp chưa có ai tham gia bot"),
        ("bat xat", None, "có thể là cluster:cum-cac-xa-bat-xat, units:xa-bat-xat"),
    ],
)
def test_a_wrong_audience_or_moment_stores_nothing(
    database: Path,
    text_file: Path,
    capsys: pytest.CaptureFixture[str],
    to: str,
    at: str | None,
    said: str,
) -> None:
    main(["units", "list"])
    capsys.readouterr()
    add_members(database, "xa-bat-xat", 1)
    with pytest.raises(SystemExit) as exit_code:
        main(
            ["broadcast", "--text-file", str(text_file), "--to", to, *(["--at", at] if at else [])]
        )
    assert exit_code.value.code == 1
    assert said in capsys.readouterr().err
    assert broadcasts(database) == []


def test_a_later_moment_is_read_on_the_campaigns_clock(
    database: Path, text_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["units", "list"])
    add_members(database, "xa-y-ty", 1)
    capsys.readouterr()
    main(
        [
            "broadcast",
            "--text-file",
            str(text_file),
            "--to",
            "units:xa-y-ty",
            "--at",
            "2099-11-15T08:00",
        ]
    )
    assert capsys.readouterr().out == (
        "Thông báo #1: 1 người nhận (Xã Y Tý (đơn vị)), gửi lúc 08:00 15/11/2099.\n"
    )
