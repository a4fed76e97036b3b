"""/xephang, /bangxephang, /tiendo through the real Dispatcher, and the read model's queries,
on SQLite and PostgreSQL: who may see what, names typed loosely, ties, the change since the
last period, the province's totals with their check, a unit moving group mid-campaign."""

import dataclasses
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from aiogram.methods import SendPhoto
from aiogram.types import FSInputFile
from PIL import Image
from sqlalchemy import select

from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from domain.units_file import read_units_file
from storage import repo, standings
from storage.campaigns import save_units
from storage.models import CurrentValue, Identity, Unit, UnitGroup, UnitTarget
from tests.conftest import TelegramBot

ON_TIME = datetime(2025, 9, 4, 9, tzinfo=LOCAL_ZONE)  # August's figures, due 05/09


async def store(
    telegram: TelegramBot,
    unit_code: str,
    indicator_code: str,
    period: str,
    value: str,
    at: datetime | None = None,
    revision: int = 1,
) -> None:
    """A figure stored as the report form stores it, by the first person who joined."""
    app = telegram.app
    catalog = app.conversations.catalog
    assert catalog is not None
    async with app.writing() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == unit_code))
        person_id = await session.scalar(select(Identity.person_id).limit(1))
        assert unit_id is not None and person_id is not None
        await repo.add_report(
            session,
            revision=revision,
            indicator_id=catalog.indicator_ids[indicator_code],
            unit_id=unit_id,
            period=period,
            value=Decimal(value),
            note=None,
            reason=None,
            evidence=None,
            person_id=person_id,
            channel="telegram",
            created_at=at or app.clock.now(),
        )


async def set_target(
    telegram: TelegramBot, unit_code: str, indicator_code: str, target: str
) -> None:
    async with telegram.app.writing() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == unit_code))
        assert unit_id is not None
        session.add(
            UnitTarget(unit_id=unit_id, indicator_code=indicator_code, target=Decimal(target))
        )


async def sa_pa_with_figures(telegram: TelegramBot) -> None:
    """Phường Sa Pa: a budget target of 200 tỷ; August's 9, 19 and 28 on time, September's 9."""
    await set_target(telegram, "phuong-sa-pa", "state_budget_revenue", "200")
    await store(telegram, "phuong-sa-pa", "state_budget_revenue", "2025-08", "100", ON_TIME)
    await store(telegram, "phuong-sa-pa", "health_insurance_coverage", "2025-08", "95", ON_TIME)
    await store(telegram, "phuong-sa-pa", "universal_education_maintained", "2025-08", "1", ON_TIME)
    await store(telegram, "phuong-sa-pa", "state_budget_revenue", "2025-09", "150")


async def test_a_reporter_sees_score_rank_progress_what_is_missing_and_the_change(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await sa_pa_with_figures(telegram)
    answer, _chart = await chat.say("/xephang")
    lines = answer.splitlines()
    assert lines[:2] == ["🏆 Phường Sa Pa", "Hạng 1/10 trong Cụm các phường"]
    # targets: 80 × (2 × 75% + 98,4% + 100% + 0 for 7 unreported rates) / 11 weights;
    # organising: 20 × 3/13 figures of August in, all on time
    assert lines[2] == ("Điểm: 29,96/100 (chỉ tiêu 25,34 · tổ chức phong trào 4,62 · thưởng 0)")
    assert "So với tháng 8/2025: +3,64 điểm, hạng 1 → 1." in lines
    assert "Báo cáo đầy đủ 23,1%, đúng hạn 23,1% (3/13 số liệu đến hạn)." in lines
    assert "Tiến độ (số liệu đến tháng 9/2025):" in lines
    assert "9. Thu ngân sách: ████████░░ 75% · 150 tỷ đồng / 200 tỷ đồng" in lines
    assert "19. Bao phủ bảo hiểm y tế: ██████████ 98,4% · 95% / 96,5%" in lines
    assert "28. Phổ cập giáo dục: ✅ Đạt" in lines
    assert "16a. Tỷ lệ lao động qua đào tạo: chưa báo cáo" in lines
    assert (
        "• tháng 8/2025 (hạn 05/09/2025): chỉ tiêu 8a, 8b, 16a, 16b, 17, 18, 21, 23, 27a, 27b"
        in lines
    )


async def test_a_total_without_a_target_of_its_own_is_said_so(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await store(telegram, "phuong-sa-pa", "tourist_arrivals", "2025-09", "1250000")
    answer, _chart = await chat.say("/standing")
    assert "8a. Số lượt khách du lịch: 1.250.000 lượt (không có chỉ tiêu riêng)" in answer
    assert "Báo cáo đầy đủ 0%, đúng hạn 0% (0/13 số liệu đến hạn)." in answer


async def test_the_receipt_shows_progress_from_the_read_model(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await set_target(telegram, "phuong-sa-pa", "state_budget_revenue", "200")
    await chat.say("/baocao 2025-09 9")
    await chat.say("150")
    await chat.press("Bỏ qua")
    (receipt, *_) = await chat.press("Xác nhận")
    assert "Lũy kế năm của đơn vị: 150 tỷ đồng / 200 tỷ đồng, bằng 75% kế hoạch." in receipt
    standing, _chart = await chat.say("/xephang")
    assert "9. Thu ngân sách: ████████░░ 75% · 150 tỷ đồng / 200 tỷ đồng" in standing


async def test_a_reporter_may_not_see_another_units_details(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa", role="head")
    (refused,) = await chat.say("/xephang xa y ty")
    assert refused.startswith("Bạn chỉ xem được chi tiết của đơn vị mình")
    assert "Xã Y Tý" not in refused
    own, _chart = await chat.say("/xephang phuong sa pa")
    assert own.startswith("🏆 Phường Sa Pa")


async def test_a_viewer_sees_any_unit_by_name_or_code_and_picks_among_several(
    telegram: TelegramBot,
) -> None:
    viewer = await telegram.member("so-noi-vu", user_id=2002, role="viewer")
    for typed in ("xa y ty", "Xã Y Tý", "xa-y-ty"):
        answer, _chart = await viewer.say(f"/xephang {typed}")
        assert answer.startswith("🏆 Xã Y Tý\nHạng 1/9 (đồng hạng) trong Cụm các xã Bát Xát")
    (question,) = await viewer.say("/xephang sa pa")
    assert question == "Có nhiều đơn vị khớp với “sa pa”. Bạn muốn xem đơn vị nào?"
    labels = [label for label, _ in viewer.last_buttons()]
    assert labels == ["Công ty Cổ phần Dịch vụ Cáp treo Fansipan Sa Pa", "Phường Sa Pa"]
    picked, _chart = await viewer.press("Phường Sa Pa")
    assert picked.startswith("🏆 Phường Sa Pa")
    (unknown,) = await viewer.say("/xephang xa khong co")
    assert unknown.startswith("Không tìm thấy đơn vị “xa khong co”")
    (many,) = await viewer.say("/xephang phuong")
    assert many.startswith("“phuong” khớp với 10 đơn vị. Hãy gõ đầy đủ hơn")


async def test_the_leaderboard_marks_the_unit_and_shows_ties(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await sa_pa_with_figures(telegram)
    board, _chart = await chat.say("/bangxephang")
    lines = board.splitlines()
    assert lines[0] == "🏅 Bảng xếp hạng Cụm các phường (số liệu đến tháng 9/2025):"
    assert lines[1] == "👉 1. Phường Sa Pa — 29,96 ↑" or lines[1] == "👉 1. Phường Sa Pa — 29,96"
    assert len(lines) == 11
    assert all(line.startswith("2. ") and line.endswith(" — 0 (đồng hạng)") for line in lines[2:])
    other, _chart = await chat.say("/bangxephang cum bat xat")
    assert other.startswith("🏅 Bảng xếp hạng Cụm các xã Bát Xát")
    (unknown,) = await chat.say("/leaderboard khoi khong co")
    assert unknown.startswith("Không tìm thấy khối, cụm “khoi khong co”")


async def test_the_provinces_table_is_split_to_fit_a_message(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    answers = await chat.say("/bangxephang toàn tỉnh")
    assert len(answers) > 1
    assert all(len(answer) <= 4096 for answer in answers)
    rows = [line for answer in answers for line in answer.splitlines()[0:] if " — " in line]
    async with telegram.app.sessions() as session:
        units = list(await session.scalars(select(Unit.name)))
    assert sorted(row.split(". ", 1)[1].split(" — ")[0] for row in rows) == sorted(units)


async def test_province_progress_counts_the_department_total_once(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await store(telegram, "phuong-sa-pa", "state_budget_revenue", "2025-09", "150")
    await store(telegram, "xa-y-ty", "state_budget_revenue", "2025-09", "50")
    (waiting,) = await chat.say("/tiendo")
    assert "9. Thu ngân sách: chưa có số tổng của sở; tổng 2 đơn vị đã báo: 200 tỷ đồng" in waiting
    await store(telegram, "so-tai-chinh", "state_budget_revenue", "2025-09", "15000")
    (answer,) = await chat.say("/progress")
    lines = answer.splitlines()
    assert lines[0] == "📊 Tiến độ các chỉ tiêu của tỉnh (số liệu đến tháng 9/2025):"
    assert (
        "9. Thu ngân sách: ███████░░░ 71,4% · 15.000 tỷ đồng / 21.000 tỷ đồng"
        " (đối chiếu: tổng các đơn vị 200 tỷ đồng)"
    ) in lines
    assert "28. Phổ cập giáo dục: ░░░░░░░░░░ 0/100 đơn vị đạt" in lines
    numbers = [line.split(".", 1)[0] for line in lines[1:]]
    assert numbers[:6] == ["1", "2a", "2b", "2c", "2d", "3"]


async def test_the_menu_shows_each_role_what_it_can_use(telegram: TelegramBot) -> None:
    reporter = await telegram.member("phuong-sa-pa")
    await reporter.say("/menu")
    assert [label for label, _ in reporter.last_buttons()] == [
        "📝 Báo cáo số liệu",
        "🏆 Xếp hạng của đơn vị",
        "🏅 Bảng xếp hạng",
        "📊 Tiến độ của tỉnh",
        "📎 Nộp sản phẩm",
        "🌟 Gương điển hình",
        "👤 Thông tin của tôi",
        "❓ Hướng dẫn",
    ]
    viewer = await telegram.member("so-noi-vu", user_id=2002, role="viewer")
    await viewer.say("/menu")
    shown = [label for label, _ in viewer.last_buttons()]
    assert "📝 Báo cáo số liệu" not in shown and "📎 Nộp sản phẩm" not in shown
    standing, _chart = await viewer.press("Xếp hạng của")
    assert standing.startswith("🏆 Sở Nội vụ")
    admin = await telegram.member("so-noi-vu", user_id=2003, role="admin")
    await admin.say("/menu")
    assert "📢 Gửi thông báo" in [label for label, _ in admin.last_buttons()]


async def test_current_values_follow_revisions_and_keep_the_first_arrival(
    telegram: TelegramBot,
) -> None:
    await telegram.member("phuong-sa-pa")
    await store(telegram, "phuong-sa-pa", "state_budget_revenue", "2025-08", "100", ON_TIME)
    await store(telegram, "phuong-sa-pa", "state_budget_revenue", "2025-08", "120", revision=2)
    async with telegram.app.sessions() as session:
        (current,) = await session.scalars(select(CurrentValue))
    assert (current.value, current.revision, current.first_at) == (Decimal(120), 2, ON_TIME)


async def test_a_unit_moving_group_counts_where_it_was_for_each_period(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    app = telegram.app
    catalog = app.conversations.catalog
    assert catalog is not None
    bundled = read_units_file(Path("campaigns/lao-cai-units.csv")).rows
    wards = next(row for row in bundled if row.code == "phuong-sa-pa")
    moved = [
        dataclasses.replace(row, group_code=wards.group_code, group_name=wards.group_name)
        if row.code == "xa-y-ty"
        else row
        for row in bundled
    ]
    async with app.writing() as session:
        await save_units(session, moved, datetime(2025, 10, 15).date())
    await telegram.member("xa-y-ty")
    await store(telegram, "xa-y-ty", "state_budget_revenue", "2025-10", "10")
    clock.set(datetime(2025, 11, 10, 9, tzinfo=LOCAL_ZONE))  # August to October due
    async with app.sessions() as session:
        groups = {
            name: group_id
            for group_id, name in await session.execute(select(UnitGroup.id, UnitGroup.name))
        }
        y_ty = await session.scalar(select(Unit.id).where(Unit.code == "xa-y-ty"))
        assert y_ty is not None
        rates = await standings.reporting_rates(session, catalog, app.clock.now())
    wards_rates, bat_xat = (
        rates.by_group[groups["Cụm các phường"]],
        rates.by_group[groups["Cụm các xã Bát Xát"]],
    )
    # 10 wards × 13 indicators × 3 months, and Y Tý's 16 for October (its one figure in)
    assert (wards_rates.expected, wards_rates.received, wards_rates.on_time) == (406, 1, 1)
    # 9 communes × 16 × 3, less Y Tý's October
    assert bat_xat.expected == 416
    assert rates.by_unit[y_ty].expected == 48
    assert rates.province.expected == sum(r.expected for r in rates.by_unit.values())


async def test_telegram_gets_the_units_chart_and_the_groups_chart_after_the_text(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await sa_pa_with_figures(telegram)
    assert (await chat.say("/xephang"))[1] == "📊 Tiến độ các chỉ tiêu của Phường Sa Pa"
    photo = chat.last_sent()
    assert isinstance(photo, SendPhoto) and isinstance(photo.photo, FSInputFile)
    with Image.open(photo.photo.path) as picture:
        assert picture.format == "PNG" and picture.size[0] == 800
    assert (await chat.say("/bangxephang"))[1] == "📊 Điểm thi đua: Cụm các phường"
    board = chat.last_sent()
    assert isinstance(board, SendPhoto) and isinstance(board.photo, FSInputFile)
    assert board.photo.path != photo.photo.path


async def test_the_provinces_table_comes_without_a_chart(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    answers = await chat.say("/bangxephang toan tinh")
    assert not any(answer.startswith("📊") for answer in answers)
