"""`thidua late` and `thidua period reopen` as their own processes, on a SQLite file."""

import sqlite3
from pathlib import Path

from tests.test_cli import one_line, thidua

OCTOBER_8 = "2025-10-08T09:00"  # September 3 days late, August locked


def test_late_lists_units_missing_figures_by_block_and_cluster(tmp_path: Path) -> None:
    result = thidua(tmp_path / "cli.db", "late", "--period", "2025-09", THIDUA_CLOCK=OCTOBER_8)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("tháng 9/2025 (hạn 05/10/2025, quá hạn 3 ngày): ")
    assert "  Cụm các phường: 10 đơn vị" in lines
    assert "    phuong-sa-pa\tPhường Sa Pa\tthiếu 13/13 chỉ tiêu" in lines
    groups = [
        line.strip() for line in lines if line.startswith("  ") and not line.startswith("   ")
    ]
    assert len(groups) > 3
    counted = sum(int(line.rsplit(": ", 1)[1].split()[0]) for line in groups)
    assert lines[0].endswith(f": {counted} đơn vị chưa nộp đủ")


def test_late_before_the_deadline_names_nobody(tmp_path: Path) -> None:
    result = thidua(tmp_path / "cli.db", "late", "--period", "2025-10", THIDUA_CLOCK=OCTOBER_8)
    assert (result.returncode, result.stdout) == (0, "Không có đơn vị nào nộp muộn.\n")


def test_reopen_stores_the_day_and_refuses_what_it_cannot_reopen(tmp_path: Path) -> None:
    database = tmp_path / "cli.db"
    result = thidua(
        database, "period", "reopen", "--unit", "xa-y-ty", "--period", "2025-08", "--days", "3",
        THIDUA_CLOCK=OCTOBER_8,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Đã mở lại tháng 8/2025 cho Xã Y Tý đến hết ngày 11/10/2025\n"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT period, until FROM period_reopenings").fetchall()
    assert rows == [("2025-08", "2025-10-11")]
    open_still = thidua(
        database, "period", "reopen", "--unit", "xa-y-ty", "--period", "2025-09",
        THIDUA_CLOCK=OCTOBER_8,
    )  # fmt: skip
    assert open_still.returncode == 1
    assert "còn nhận số liệu đến hết ngày 04/11/2025" in one_line(open_still.stderr)
    unknown = thidua(
        database, "period", "reopen", "--unit", "xa-y-ty", "--period", "2025-13",
        THIDUA_CLOCK=OCTOBER_8,
    )  # fmt: skip
    assert unknown.returncode == 1 and "không có kỳ '2025-13'" in one_line(unknown.stderr)
    no_unit = thidua(
        database, "period", "reopen", "--unit", "xa-khong-co", "--period", "2025-08",
        THIDUA_CLOCK=OCTOBER_8,
    )  # fmt: skip
    assert no_unit.returncode == 1 and "xa-khong-co" in one_line(no_unit.stderr)
    too_long = thidua(
        database, "period", "reopen", "--unit", "xa-y-ty", "--period", "2025-08", "--days", "61"
    )
    assert too_long.returncode == 2
