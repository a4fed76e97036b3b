"""The XLSX export: a small campaign's workbook opened with openpyxl and read cell by cell,
/xuat through the real Dispatcher (admins only), and `thidua export`; SQLite and PostgreSQL."""

import dataclasses
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from aiogram.methods import SendDocument
from aiogram.types import FSInputFile
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from bot.app import App
from bot.cli import main
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from domain.periods import find_period, started_periods
from domain.standings import standing_periods
from domain.units_file import read_units_file
from handlers import export
from handlers.types import Inbound
from storage import repo, standings
from storage.campaigns import Catalog, save_units
from storage.models import Identity, Unit
from storage.repo import create_invites
from storage.workbook import Cell, Column, Row, Sheet, write_workbook
from tests.conftest import TelegramBot

WARD = "phuong-sa-pa"
REPORTER = 1001
ADMIN = 900
HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Loại đơn vị",
    "Khối thi đua",
    "Cụm thi đua",
    "Số chỉ tiêu",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kỳ báo cáo",
    "Giá trị",
    "Lần gửi",
    "Giá trị hiện hành",
    "Lý do sửa",
    "Ghi chú",
    "Người gửi",
    "Kênh",
    "Thời gian gửi",
    "Đúng hạn / muộn",
    "Trạng thái duyệt",
]


def local(day: int, month: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=LOCAL_ZONE)


async def person_of(app: App, user_id: int) -> int:
    async with app.sessions() as session:
        identity = await session.get(Identity, ("telegram", str(user_id)))
        assert identity is not None
        return identity.person_id


async def small_campaign(telegram: TelegramBot) -> None:
    """A ward's figures: budget revenue for September reported on time and corrected later
    with a reason, August's reported late, September's tourist arrivals and its universal
    education answer (yes/no)."""
    await telegram.member(WARD, REPORTER)
    app = telegram.app
    person = await person_of(app, REPORTER)
    catalog = app.conversations.catalog
    assert catalog is not None
    ids = catalog.indicator_ids
    rows = [
        ("state_budget_revenue", "2025-09", 1, Decimal("1234.5"), None, local(3, 10)),
        ("state_budget_revenue", "2025-09", 2, Decimal("1300"), "Số chính thức", local(7, 10)),
        ("state_budget_revenue", "2025-08", 1, Decimal("980.2"), None, local(8, 9)),
        ("tourist_arrivals", "2025-09", 1, Decimal("15250"), None, local(5, 10, 23)),
        ("universal_education_maintained", "2025-09", 1, Decimal(1), None, local(4, 10)),
    ]
    async with app.writing() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == WARD))
        for code, period, revision, value, reason, at in rows:
            await repo.add_report(
                session,
                indicator_id=ids[code],
                unit_id=unit_id,
                period=period,
                revision=revision,
                value=value,
                note="ước tính" if revision == 1 and code == "state_budget_revenue" else None,
                reason=reason,
                evidence=None,
                person_id=person,
                channel="telegram",
                created_at=at,
            )


def catalog_of(app: App) -> Catalog:
    assert app.conversations.catalog is not None
    return app.conversations.catalog


def rows_of(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_the_workbook_cell_by_cell(telegram: TelegramBot, tmp_path: Path) -> None:
    await small_campaign(telegram)
    app = telegram.app
    catalog = catalog_of(app)
    path = tmp_path / "export.xlsx"
    async with app.sessions() as session:
        periods = started_periods(app.clock.now(), catalog.campaign)
        written = await export.write_export(session, catalog, path, periods, app.clock.now())
    assert written == {
        "Báo cáo": 5,
        "Xếp hạng": 126,
        "Đầy đủ, đúng hạn": 126 * 3,
        "Sản phẩm": 126,
    }
    assert not list(tmp_path.glob("*.part"))

    book = load_workbook(path)
    assert book.sheetnames == ["Báo cáo", "Xếp hạng", "Đầy đủ, đúng hạn", "Sản phẩm"]
    # Nobody has handed in the implementation plan yet: one "missing" row per unit.
    plan_header, *plans = rows_of(book["Sản phẩm"])
    assert plan_header[5:] == [
        "Sản phẩm",
        "Phiên bản",
        "Thời gian gửi",
        "Người gửi",
        "Kênh",
        "Đúng hạn / muộn",
        "Tệp",
        "Trạng thái duyệt",
        "Ghi chú khi duyệt",
    ]
    sa_pa_plan = next(row for row in plans if row[0] == WARD)
    assert sa_pa_plan[5:] == [
        "Kế hoạch triển khai phong trào thi đua",
        None,
        None,
        None,
        None,
        None,
        None,
        "chưa nộp",
        None,
    ]
    # The standings sheet says what /xephang says: the same read model.
    async with app.sessions() as session:
        ward_id = await session.scalar(select(Unit.id).where(Unit.code == WARD))
        assert ward_id is not None
        own = await standings.unit_standing(session, catalog, ward_id, app.clock.now())
    assert own is not None
    header, *ranked = rows_of(book["Xếp hạng"])
    assert header[5:] == [
        "Tổng điểm",
        "Điểm chỉ tiêu",
        "Điểm tổ chức",
        "Điểm thưởng",
        "Hạng trong khối, cụm",
        "Hạng toàn tỉnh",
        "Tỷ lệ đầy đủ",
        "Tỷ lệ đúng hạn",
    ]
    sa_pa = next(row for row in ranked if row[0] == WARD)
    score = own.ranked.result.score
    assert sa_pa[5:9] == [float(score.total), float(score.targets), float(score.organising), 0]
    assert sa_pa[9] == own.ranked.rank and sa_pa[10] == 1  # the only unit with figures
    assert ranked[0][0] == WARD
    reports = book["Báo cáo"]
    assert reports.freeze_panes == "A2"
    assert reports.auto_filter.ref == "A1:S6"
    rows = rows_of(reports)
    assert rows[0] == HEADERS
    unit = [WARD, "Phường Sa Pa", "Phường", None, rows[1][4]]
    assert rows[1][4] and str(rows[1][4]).startswith("Cụm")
    # Indicators in the directive's order (8a before 9), periods in order, the current
    # revision first with the earlier one under it.
    assert rows[1] == [
        *unit,
        "8a",
        rows[1][6],
        "lượt",
        "tháng 9/2025",
        15250,
        1,
        "Có",
        None,
        None,
        "Cán bộ 1001",
        "Telegram",
        datetime(2025, 10, 5, 23, 0),
        "Đúng hạn",
        "chờ duyệt",
    ]
    budget = [row for row in rows[1:] if row[5] == "9"]
    assert [(row[8], row[9], row[10], row[11], row[12], row[13]) for row in budget] == [
        ("tháng 8/2025", 980.2, 1, "Có", None, "ước tính"),
        ("tháng 9/2025", 1300, 2, "Có", "Số chính thức", None),
        ("tháng 9/2025", 1234.5, 1, "Không", None, "ước tính"),
    ]
    # August's first figure came after its deadline (5 September); September's correction
    # keeps the first figure's timeliness.
    assert [row[17] for row in budget] == ["Muộn", "Đúng hạn", "Đúng hạn"]
    assert [row[18] for row in budget] == ["chờ duyệt", "chờ duyệt", "đã sửa sau đó"]
    education = next(row for row in rows[1:] if row[5] == "28")
    assert education[9] == "Đạt"

    # Numbers are numbers with the indicator's decimals; times are dates with their format.
    value_cells = {reports.cell(row, 6).value: reports.cell(row, 10) for row in range(2, 7)}
    assert value_cells["8a"].data_type == "n" and value_cells["8a"].number_format == "#,##0"
    assert value_cells["9"].number_format == "#,##0.0"
    assert reports.cell(2, 11).number_format == "#,##0"
    assert reports.cell(2, 17).is_date and reports.cell(2, 17).number_format == "dd/mm/yyyy hh:mm"

    completeness = book["Đầy đủ, đúng hạn"]
    assert completeness.freeze_panes == "A2"
    assert completeness.auto_filter.ref == f"A1:L{126 * 3 + 1}"
    header, *lines = rows_of(completeness)
    assert header[5:] == [
        "Kỳ báo cáo",
        "Hạn nộp",
        "Chỉ tiêu được giao",
        "Đã báo cáo",
        "Tỷ lệ đầy đủ",
        "Báo cáo đúng hạn",
        "Tỷ lệ đúng hạn",
    ]
    ward = {line[5]: line[6:] for line in lines if line[0] == WARD}
    assigned = len(catalog.assigned(WARD, "ward"))
    share = pytest.approx(3 / assigned, rel=1e-15)
    assert ward["tháng 9/2025"] == [datetime(2025, 10, 5), assigned, 3, share, 3, share]
    one = pytest.approx(1 / assigned, rel=1e-15)
    assert ward["tháng 8/2025"] == [datetime(2025, 9, 5), assigned, 1, one, 0, 0]
    assert ward["tháng 10/2025"][1:] == [assigned, 0, 0, 0, 0]
    row = next(r for r in range(2, len(lines) + 2) if completeness.cell(r, 1).value == WARD)
    assert completeness.cell(row, 10).number_format == "0.0%"
    assert completeness.cell(row, 7).number_format == "dd/mm/yyyy"


async def test_one_period_only(telegram: TelegramBot, tmp_path: Path) -> None:
    await small_campaign(telegram)
    app = telegram.app
    catalog = catalog_of(app)
    period = find_period("2025-08", catalog.campaign)
    assert period is not None
    async with app.sessions() as session:
        written = await export.write_export(
            session, catalog, tmp_path / "a.xlsx", [period], app.clock.now()
        )
    assert written == {"Báo cáo": 1, "Xếp hạng": 126, "Đầy đủ, đúng hạn": 126, "Sản phẩm": 126}


async def test_in_english_for_an_english_admin(telegram: TelegramBot, tmp_path: Path) -> None:
    await small_campaign(telegram)
    app = telegram.app
    catalog = catalog_of(app)
    path = tmp_path / "en.xlsx"
    async with app.sessions() as session:
        periods = started_periods(app.clock.now(), catalog.campaign)
        await export.write_export(session, catalog, path, periods, app.clock.now(), lang="en")
    book = load_workbook(path)
    assert book.sheetnames == ["Reports", "Standings", "Completeness", "Deliverables"]
    header, first, *_ = rows_of(book["Reports"])
    assert header[:3] == ["Unit code", "Unit", "Unit kind"]
    assert (first[2], first[8], first[11], first[17]) == (
        "Ward",
        "September 2025",
        "Yes",
        "On time",
    )


@pytest.fixture
def files(telegram: TelegramBot) -> Path:
    return telegram.app.conversations.files_dir


async def test_an_admin_gets_the_workbook(telegram: TelegramBot, files: Path) -> None:
    await small_campaign(telegram)
    admin = await telegram.member("so-noi-vu", ADMIN, role="admin")
    menu = await admin.say("/menu")
    assert "📊 Xuất Excel" in [label for label, _ in admin.last_buttons()], menu
    answer = await admin.say("/xuat")
    assert answer == ["⏳ Đang tạo tệp Excel (mọi kỳ đến nay), xong sẽ gửi ngay vào đây…"]
    await telegram.app.conversations.finish_later()
    (made,) = files.glob("*.xlsx")
    assert made.name.endswith("-thidua-2025-10-03.xlsx")
    assert load_workbook(made, read_only=True)["Báo cáo"].max_row == 6
    sent = admin.last_sent()
    assert isinstance(sent, SendDocument) and isinstance(sent.document, FSInputFile)
    assert sent.document.filename == "thidua-2025-10-03.xlsx"
    assert Path(sent.document.path) == made
    assert sent.caption == (
        "📊 Dữ liệu thi đua (mọi kỳ đến nay): 5 dòng báo cáo (kể cả các lần sửa), "
        "378 dòng đầy đủ, đúng hạn theo đơn vị và kỳ."
    )


async def test_an_unknown_period_is_answered_and_nothing_made(
    telegram: TelegramBot, files: Path
) -> None:
    admin = await telegram.member("so-noi-vu", ADMIN, role="admin")
    answer = await admin.say("/export 2030-01")
    assert answer == [
        "Đợt thi đua không có kỳ “2030-01”. Gõ /xuat để xuất mọi kỳ, hoặc /xuat 2025-10 cho một kỳ."
    ]
    await telegram.app.conversations.finish_later()
    assert not files.exists()


async def test_a_reporter_is_refused(telegram: TelegramBot, files: Path) -> None:
    reporter = await telegram.member(WARD, REPORTER)
    await reporter.say("/menu")
    assert "📊 Xuất Excel" not in [label for label, _ in reporter.last_buttons()]
    answer = await reporter.say("/xuat")
    assert answer == ["Chỉ quản trị của phong trào mới xuất được dữ liệu ra Excel."]
    await telegram.app.conversations.finish_later()
    assert not files.exists()


async def test_a_channel_without_files_says_so(app: App, files: Path) -> None:
    """Zalo takes a document only as a link, which needs the bot reachable (WEBHOOK_BASE_URL)."""
    async with app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "so-noi-vu"))
        assert unit is not None
        (code,) = await create_invites(
            session, unit, "admin", 1, timedelta(days=1), app.clock.now()
        )

    async def say(text: str) -> list[str]:
        event = Inbound("zalo", "admin-1", "admin-1", text=text)
        return [reply.text for reply in await app.conversations.handle(event)]

    await say("/start " + code)
    answer = await say("/xuat")
    assert answer == [
        "Kênh này chưa gửi được tệp. Hãy gõ /xuat trong Telegram, "
        "hoặc chạy lệnh thidua export trên máy chủ."
    ]
    assert not files.exists()


def test_the_command_line_writes_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("THIDUA_CLOCK", "2025-10-03T08:00")
    monkeypatch.chdir(tmp_path)
    main(["export", "--period", "2025-09"])
    out = capsys.readouterr().out
    assert out == (
        "Đã ghi thidua-2025-09.xlsx. Dữ liệu thi đua (tháng 9/2025): 0 dòng báo cáo"
        " (kể cả các lần sửa), 126 dòng đầy đủ, đúng hạn theo đơn vị và kỳ.\n"
    )
    book = load_workbook(tmp_path / "thidua-2025-09.xlsx")
    assert rows_of(book["Báo cáo"]) == [HEADERS]


def test_the_command_line_refuses_an_unknown_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--period", "2030-01", "--out", "x.xlsx"])
    assert exit_.value.code == 1
    assert "đợt thi đua không có kỳ '2030-01'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


values = st.one_of(
    st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=20),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False),
)


@hypothesis_settings(max_examples=30)
@given(st.lists(st.lists(values, min_size=3, max_size=3), max_size=30))
async def test_cells_come_back_as_written(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str | int | Decimal]]
) -> None:
    """Numbers stay numbers (a decimal to within a double's precision), text stays text, in order."""

    async def chunks() -> AsyncIterator[list[list[str | int | Decimal]]]:
        yield rows

    def cells(row: list[str | int | Decimal]) -> Row:
        return [Cell(v, "#,##0.000") if isinstance(v, Decimal) else v for v in row]

    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    columns = [Column(f"c{n}", 10) for n in range(3)]
    assert await write_workbook(path, [Sheet("s", columns, chunks(), cells)]) == {"s": len(rows)}
    read = rows_of(load_workbook(path)["s"])[1:]
    assert len(read) == len(rows)
    for got, wrote in zip(read, rows, strict=True):
        for cell, value in zip(got, wrote, strict=True):
            if isinstance(value, str):
                assert cell == value
            else:
                assert isinstance(cell, int | float)
                assert cell == pytest.approx(float(value), rel=1e-15)


def test_the_command_line_refuses_a_missing_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--out", "khong-co/x.xlsx"])
    assert exit_.value.code == 2
    assert capsys.readouterr().err == "--out khong-co/x.xlsx: không có thư mục 'khong-co'\n"


async def test_the_completeness_sheet_counts_as_the_standings_do(
    telegram: TelegramBot, clock: FakeClock, tmp_path: Path
) -> None:
    """A commune that joined on 10 September owes September on, not August: the sheet has no
    August row for it, and each unit's rows add up to what /xephang counts."""
    await small_campaign(telegram)
    app = telegram.app
    catalog = catalog_of(app)
    bundled = read_units_file(Path("campaigns/lao-cai-units.csv")).rows
    commune = next(row for row in bundled if row.code == "xa-y-ty")
    newcomer = dataclasses.replace(commune, code="xa-moi", name="Xã Mới")
    async with app.writing() as session:
        await save_units(session, [*bundled, newcomer], date(2025, 9, 10))
    clock.set(local(10, 10))  # August and September due
    path = tmp_path / "export.xlsx"
    async with app.sessions() as session:
        periods = standing_periods(app.clock.now(), catalog.campaign).due
        await export.write_export(session, catalog, path, periods, app.clock.now())
        rates = await standings.reporting_rates(session, catalog, app.clock.now())
        units = dict((await session.execute(select(Unit.code, Unit.id))).all())
    _, *rows = rows_of(load_workbook(path)["Đầy đủ, đúng hạn"])
    assert [row[5] for row in rows if row[0] == "xa-moi"] == ["tháng 9/2025"]
    assert len([row for row in rows if row[0] == "xa-y-ty"]) == len(periods) == 2
    for code, unit_id in units.items():
        mine = [row for row in rows if row[0] == code]
        expected = rates.by_unit[unit_id]
        assert sum(int(str(row[7])) for row in mine) == expected.expected, code
        assert sum(int(str(row[8])) for row in mine) == expected.received, code
        assert sum(int(str(row[10])) for row in mine) == expected.on_time, code
