"""Commendation candidates: the rules chosen in order on hand-built evidence (and a hypothesis
property), the campaign file's errors, and a small campaign worked by hand through the query,
/khenthuong on Telegram and `thidua commendations` on SQLite and PostgreSQL.

The small campaign (two indicators, each unit's own targets: 1.000 tỷ of revenue, 100 jobs),
on 10/10/2025 with August and September due:
- Cụm A: Phường A leads with 200% of both targets (110 points: 80 + 20 bonus + 10, every
  figure late); Phường B met both on time (100); Phường C sent one figure (17).
- Cụm B: Phường D and Phường E met both on time, tied first (100 each).
Rules, tried in order: Cờ thi đua (leads, all met, ≥ 90% on time), Bằng khen (all met, ≥ 90%
on time), Giấy khen (≥ 15 points, ≥ 50% complete). So D and E get the flag, B a Bằng khen,
A (late) only a Giấy khen, C nothing; A, B, D and E fully met the revenue task.
"""

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App, prepare
from bot.cli import main
from bot.settings import LOCAL_ZONE
from domain.campaign import CampaignFileError, CommendationRuleSpec, parse_campaign
from domain.clock import FakeClock
from domain.commendations import Evidence, by_form, choose, meets
from storage import repo, review, stories
from storage.commendations import commendations
from storage.models import Identity, ReviewState, Unit
from tests.conftest import TelegramBot, settings_for

D = Decimal
NOW = datetime(2025, 10, 10, 9, tzinfo=LOCAL_ZONE)
AUGUST_ON_TIME = datetime(2025, 9, 3, 9, tzinfo=LOCAL_ZONE)  # due 05/09
SEPTEMBER_ON_TIME = datetime(2025, 10, 3, 9, tzinfo=LOCAL_ZONE)  # due 05/10
AUGUST_LATE = datetime(2025, 9, 20, 9, tzinfo=LOCAL_ZONE)
SEPTEMBER_LATE = datetime(2025, 10, 8, 9, tzinfo=LOCAL_ZONE)

RULES = """
commendations:
  rules:
    - code: dan-dau
      name: Dẫn đầu cụm, đạt mọi chỉ tiêu, đúng hạn
      form: co_thi_dua
      leads_group: true
      all_targets_met: true
      min_timeliness: 90
    - code: hoan-thanh
      name: Đạt mọi chỉ tiêu, đúng hạn
      form: bang_khen
      all_targets_met: true
      min_timeliness: 90
    - code: tich-cuc
      name: Từ 15 điểm, báo cáo đầy đủ từ 50%
      form: giay_khen
      min_score: 15
      min_completeness: 50
  budget_revenue:
    indicator: state_budget_revenue
    form: bang_khen
    proposed_by: [so-tai-chinh, thue-tinh]
"""

CAMPAIGN = (
    """
code: nho-2025
name: Đợt thi đua nhỏ
theme: Thử
motto: tăng tốc
issuer: Ủy ban nhân dân tỉnh Lào Cai
year: 2025
starts: 2025-08-01
ends: 2025-12-31
reporting: {frequency: monthly, deadline_days: 5, grace_days: 0, lock_days: 30}
reminders:
  send_at: "08:00"
  days_before_deadline: [1]
  days_after_deadline: [1]
  escalation: {head_after_days: 5, admin_list_at: "08:30"}
  quiet_start: "21:00"
  quiet_end: "07:00"
scoring:
  target_points: 80
  management_points: 20
  bonus_cap: 20
  over_achievement_cap: 200
  completeness_share: 50
"""
    + RULES
    + """
indicators:
  - code: state_budget_revenue
    number: "9"
    name: Thu ngân sách nhà nước trên địa bàn
    short: Thu ngân sách
    unit: tỷ đồng
    kind: amount
    direction: higher
    aggregation: sum
    accumulation: ytd
    target: 21000
    decimals: 1
    reporters: {kinds: [ward]}
  - code: new_jobs
    number: "17"
    name: Số lao động được tạo việc làm mới
    short: Việc làm mới
    unit: lao động
    kind: count
    direction: higher
    aggregation: sum
    accumulation: ytd
    target: 30000
    decimals: 0
    reporters: {kinds: [ward]}
"""
)

UNITS = """code,kind,name,group,target:state_budget_revenue,target:new_jobs
so-tai-chinh,department,Sở Tài chính,Khối tổng hợp,,
thue-tinh,agency,Thuế tỉnh,Khối tổng hợp,,
phuong-a,ward,Phường A,Cụm A,1000,100
phuong-b,ward,Phường B,Cụm A,1000,100
phuong-c,ward,Phường C,Cụm A,1000,100
phuong-d,ward,Phường D,Cụm B,1000,100
phuong-e,ward,Phường E,Cụm B,1000,100
"""

# unit → (indicator, period, value, when) of each figure
FIGURES = {
    "phuong-a": [
        ("state_budget_revenue", "2025-08", "1000", AUGUST_LATE),
        ("state_budget_revenue", "2025-09", "2000", SEPTEMBER_LATE),
        ("new_jobs", "2025-08", "100", AUGUST_LATE),
        ("new_jobs", "2025-09", "200", SEPTEMBER_LATE),
    ],
    "phuong-c": [("state_budget_revenue", "2025-08", "300", AUGUST_ON_TIME)],
    **{
        code: [
            ("state_budget_revenue", "2025-08", "500", AUGUST_ON_TIME),
            ("state_budget_revenue", "2025-09", "1000", SEPTEMBER_ON_TIME),
            ("new_jobs", "2025-08", "50", AUGUST_ON_TIME),
            ("new_jobs", "2025-09", "100", SEPTEMBER_ON_TIME),
        ]
        for code in ("phuong-b", "phuong-d", "phuong-e")
    },
}


# --- Choosing, on evidence built by hand ------------------------------------------------------


def evidence(**changes: Any) -> Evidence:
    base = Evidence(
        unit_id=1,
        code="phuong-a",
        name="Phường A",
        group_name="Cụm A",
        score=D(100),
        rank=1,
        tied=False,
        group_size=3,
        targets_met=2,
        targets=2,
        completeness=D(100),
        timeliness=D(100),
        approved=4,
        reported=4,
    )
    return dataclasses.replace(base, **changes)


def rules() -> list[CommendationRuleSpec]:
    return list(parse_campaign(CAMPAIGN, "nho.yaml").commendations.rules)


def test_a_leader_that_reported_late_gets_only_the_lower_form() -> None:
    late = evidence(timeliness=D(0), completeness=D(100), score=D(110))
    (candidate,) = choose(rules(), [late])
    assert candidate.rule.form == "giay_khen"


def test_a_unit_that_met_every_target_on_time_without_leading_gets_a_bang_khen() -> None:
    second = evidence(rank=2)
    (candidate,) = choose(rules(), [second])
    assert candidate.rule.code == "hoan-thanh"


def test_ties_for_first_both_lead() -> None:
    tied = [evidence(unit_id=4, name="Phường D", tied=True), evidence(unit_id=5, name="Phường E")]
    found = choose(rules(), tied)
    assert [(c.evidence.name, c.rule.form) for c in found] == [
        ("Phường D", "co_thi_dua"),
        ("Phường E", "co_thi_dua"),
    ]


def test_a_unit_with_no_target_of_its_own_never_meets_all_targets() -> None:
    none_own = evidence(targets=0, targets_met=0, score=D(100))
    assert not meets(rules()[1], none_own)
    assert choose(rules(), [none_own])[0].rule.form == "giay_khen"  # its score still counts


def test_a_unit_in_no_group_never_leads_and_nothing_due_meets_no_threshold() -> None:
    assert not meets(rules()[0], evidence(rank=None))
    assert not meets(rules()[2], evidence(completeness=None, timeliness=None))


def test_candidates_are_grouped_by_form_in_the_rules_order() -> None:
    found = choose(
        rules(),
        [evidence(unit_id=2, name="Phường B", rank=2), evidence(unit_id=4, name="Phường D")],
    )
    assert list(by_form(found)) == ["co_thi_dua", "bang_khen"]


percent = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=1))


@given(
    rank=st.one_of(st.none(), st.integers(1, 5)),
    met=st.integers(0, 3),
    targets=st.integers(0, 3),
    timeliness=percent,
    completeness=percent,
    score=st.decimals(min_value=0, max_value=125, places=2),
)
def test_a_candidate_meets_its_rule_and_none_before_it(
    rank: int | None,
    met: int,
    targets: int,
    timeliness: Decimal | None,
    completeness: Decimal | None,
    score: Decimal,
) -> None:
    unit = evidence(
        rank=rank,
        targets_met=min(met, targets),
        targets=targets,
        timeliness=timeliness,
        completeness=completeness,
        score=score,
    )
    ordered = rules()
    found = choose(ordered, [unit])
    if not found:
        assert not any(meets(rule, unit) for rule in ordered)
        return
    index = ordered.index(found[0].rule)
    assert meets(ordered[index], unit)
    assert not any(meets(rule, unit) for rule in ordered[:index])


# --- The campaign file ------------------------------------------------------------------------


def test_an_unknown_revenue_indicator_is_named_with_its_line() -> None:
    broken = CAMPAIGN.replace("indicator: state_budget_revenue", "indicator: budget")
    with pytest.raises(CampaignFileError) as error:
        parse_campaign(broken, "nho.yaml")
    assert "commendations.budget_revenue.indicator" in str(error.value)
    assert "không có chỉ tiêu mã 'budget'" in str(error.value)


def test_a_rule_without_a_condition_or_with_an_unknown_form_is_refused() -> None:
    bare = CAMPAIGN.replace(
        "      min_score: 15\n      min_completeness: 50\n", "      form2: x\n"
    ).replace("      form2: x\n", "")
    with pytest.raises(CampaignFileError) as error:
        parse_campaign(bare, "nho.yaml")
    assert "commendations.rules[2]" in str(error.value)
    assert "cần ít nhất một điều kiện" in str(error.value)
    with pytest.raises(CampaignFileError) as error:
        parse_campaign(CAMPAIGN.replace("form: giay_khen", "form: huan_chuong"), "nho.yaml")
    assert "commendations.rules[2].form" in str(error.value)


def test_the_bundled_campaign_names_its_forms_and_the_revenue_rule() -> None:
    from domain.campaign import load_campaign

    bundled = load_campaign(Path("campaigns/lao-cai-2025.yaml")).commendations
    assert [rule.form for rule in bundled.rules] == ["co_thi_dua", "bang_khen", "giay_khen"]
    assert bundled.budget_revenue is not None
    assert bundled.budget_revenue.proposed_by == ["so-tai-chinh", "thue-tinh"]


# --- The small campaign, through the query, the chat and the CLI -----------------------------


async def small_app(database_url: str, tmp_path: Path) -> App:
    from tests.conftest import _empty_postgres

    if database_url.startswith("postgresql"):
        await _empty_postgres(database_url)
    (tmp_path / "nho.yaml").write_text(CAMPAIGN, encoding="utf-8")
    (tmp_path / "nho.csv").write_text(UNITS, encoding="utf-8")
    settings = settings_for(database_url).model_copy(
        update={
            "files_dir": tmp_path / "files",
            "thidua_campaign_file": tmp_path / "nho.yaml",
            "thidua_units_file": tmp_path / "nho.csv",
        }
    )
    return await prepare(settings, FakeClock(NOW))


@pytest.fixture
async def small(database_url: str, tmp_path: Path) -> AsyncIterator[App]:
    application = await small_app(database_url, tmp_path)
    yield application
    await application.engine.dispose()


async def with_figures(app: App, admin: int | None = None) -> None:
    """Every figure of FIGURES stored, and Phường B's revenue approved (by `admin`)."""
    catalog = app.conversations.catalog
    assert catalog is not None
    async with app.writing() as session:
        person_id = admin or await session.scalar(select(Identity.person_id).limit(1))
        assert person_id is not None
        units = {
            code: unit_id for code, unit_id in await session.execute(select(Unit.code, Unit.id))
        }
        for code, figures in FIGURES.items():
            for indicator, period, value, at in figures:
                await repo.add_report(
                    session,
                    revision=1,
                    indicator_id=catalog.indicator_ids[indicator],
                    unit_id=units[code],
                    period=period,
                    value=D(value),
                    note=None,
                    reason=None,
                    evidence=None,
                    person_id=person_id,
                    channel="telegram",
                    created_at=at,
                )
        revenue = await session.scalars(
            select(ReviewState.report_id).where(
                ReviewState.unit_id == units["phuong-b"],
                ReviewState.indicator_id == catalog.indicator_ids["state_budget_revenue"],
            )
        )
        await review.decide(
            session, list(revenue), review.APPROVED, person_id, "telegram", None, NOW
        )


async def test_the_query_chooses_the_hand_worked_candidates(small: App) -> None:
    chat = await TelegramBot(small).member("so-tai-chinh", role="admin")
    del chat
    await with_figures(small)
    catalog = small.conversations.catalog
    assert catalog is not None
    async with small.sessions() as session:
        found = await commendations(session, catalog, NOW)
    chosen = [(c.rule.form, c.evidence.code, c.evidence.score) for c in found.candidates]
    assert chosen == [
        ("co_thi_dua", "phuong-d", D(100)),
        ("co_thi_dua", "phuong-e", D(100)),
        ("bang_khen", "phuong-b", D(100)),
        ("giay_khen", "phuong-a", D(110)),
    ]
    a = found.candidates[3].evidence
    assert (a.rank, a.group_size, a.tied, a.timeliness, a.completeness) == (
        1,
        3,
        False,
        D(0),
        D(100),
    )
    d = found.candidates[0].evidence
    assert (d.rank, d.tied, d.targets_met, d.targets) == (1, True, 2, 2)
    revenue = [(f.evidence.code, f.progress.percent, f.approved) for f in found.revenue]
    assert revenue == [
        ("phuong-a", D(200), False),
        ("phuong-b", D(100), True),
        ("phuong-d", D(100), False),
        ("phuong-e", D(100), False),
    ]
    assert found.proposers == ["Sở Tài chính", "Thuế tỉnh"]


async def test_approved_stories_are_evidence_beside_the_figures(small: App) -> None:
    """Phường B's approved story is listed with it; a story still in review and a declined
    one are not."""
    chat = await TelegramBot(small).member("so-tai-chinh", role="admin")
    await with_figures(small)
    async with small.writing() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == "phuong-b"))
        person_id = await session.scalar(select(Identity.person_id).limit(1))
        assert unit_id is not None and person_id is not None
        sent = {}
        for subject, status in (
            ("Tổ dân phố 3", "approved"),
            ("Ông Lý Văn Páo", "pending"),
            ("Hội Phụ nữ", "declined"),
        ):
            story = await stories.add(
                session,
                unit_id=unit_id,
                subject_kind="collective",
                subject=subject,
                achievement="Thu gom rác đúng giờ\ncả năm",
                person_id=person_id,
                channel="telegram",
                now=NOW,
                upload_ids=[],
            )
            sent[subject] = story
            if status != "pending":
                await stories.review(session, story, status, None, person_id, NOW)
    catalog = small.conversations.catalog
    assert catalog is not None
    async with small.sessions() as session:
        found = await commendations(session, catalog, NOW)
    (b,) = [c.evidence for c in found.candidates if c.evidence.code == "phuong-b"]
    assert b.stories == ("Tổ dân phố 3: Thu gom rác đúng giờ cả năm",)
    (answer,) = await chat.say("/khenthuong")
    assert "   📖 Tổ dân phố 3: Thu gom rác đúng giờ cả năm" in answer.splitlines()


async def test_khenthuong_lists_candidates_by_form_with_evidence_on_telegram(small: App) -> None:
    telegram = TelegramBot(small)
    admin = await telegram.member("so-tai-chinh", role="admin")
    await with_figures(small)
    (answer,) = await admin.say("/khenthuong")
    assert answer.splitlines() == [
        "🎖️ Đề xuất khen thưởng (số liệu đến tháng 10/2025):",
        "",
        "🏅 Cờ thi đua: 2 đơn vị",
        "Điều kiện: Dẫn đầu cụm, đạt mọi chỉ tiêu, đúng hạn",
        "• Phường D: 100 điểm, Hạng 1/2 (đồng hạng) trong Cụm B; đạt 2/2 chỉ tiêu;"
        " đúng hạn 100%; đầy đủ 100%; số liệu đã duyệt 0/4",
        "• Phường E: 100 điểm, Hạng 1/2 (đồng hạng) trong Cụm B; đạt 2/2 chỉ tiêu;"
        " đúng hạn 100%; đầy đủ 100%; số liệu đã duyệt 0/4",
        "",
        "🏅 Bằng khen: 1 đơn vị",
        "Điều kiện: Đạt mọi chỉ tiêu, đúng hạn",
        "• Phường B: 100 điểm, Hạng 2/3 trong Cụm A; đạt 2/2 chỉ tiêu;"
        " đúng hạn 100%; đầy đủ 100%; số liệu đã duyệt 2/4",
        "",
        "🏅 Giấy khen: 1 đơn vị",
        "Điều kiện: Từ 15 điểm, báo cáo đầy đủ từ 50%",
        "• Phường A: 110 điểm, Hạng 1/3 trong Cụm A; đạt 2/2 chỉ tiêu;"
        " đúng hạn 0%; đầy đủ 100%; số liệu đã duyệt 0/4",
        "",
        "💰 Hoàn thành toàn diện nhiệm vụ thu ngân sách (chỉ tiêu 9), đề xuất Bằng khen"
        " (Sở Tài chính, Thuế tỉnh đề xuất): 4 đơn vị",
        "• Phường A: 2.000 tỷ đồng / 1.000 tỷ đồng (200%) ⏳ chưa duyệt hết",
        "• Phường B: 1.000 tỷ đồng / 1.000 tỷ đồng (100%) ✅ đã duyệt",
        "• Phường D: 1.000 tỷ đồng / 1.000 tỷ đồng (100%) ⏳ chưa duyệt hết",
        "• Phường E: 1.000 tỷ đồng / 1.000 tỷ đồng (100%) ⏳ chưa duyệt hết",
    ]
    (english,) = await admin.say("/commendations")
    assert english.startswith("🎖️ Đề xuất khen thưởng")  # the alias; the language is the app's


async def test_a_non_admin_is_refused_and_sees_no_candidate(small: App) -> None:
    telegram = TelegramBot(small)
    await telegram.member("so-tai-chinh", role="admin")
    await with_figures(small)
    for user_id, role in ((2001, "reporter"), (2002, "head"), (2003, "viewer")):
        chat = await telegram.member("phuong-b", user_id=user_id, role=role)
        (refused,) = await chat.say("/khenthuong")
        assert refused == "Chỉ quản trị của phong trào mới xem được danh sách đề xuất khen thưởng."


async def test_the_admin_menu_offers_it_and_a_reporters_does_not(small: App) -> None:
    telegram = TelegramBot(small)
    admin = await telegram.member("so-tai-chinh", role="admin")
    reporter = await telegram.member("phuong-b", user_id=2001)
    await admin.say("/menu")
    assert "🎖️ Đề xuất khen thưởng" in [label for label, _data in admin.last_buttons()]
    await reporter.say("/menu")
    assert "🎖️ Đề xuất khen thưởng" not in [label for label, _data in reporter.last_buttons()]
    (answer,) = await admin.press("Đề xuất khen thưởng")
    assert answer.startswith("🎖️ Đề xuất khen thưởng (số liệu đến")


def test_the_cli_prints_the_table_and_writes_the_workbook(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def set_up() -> None:
        app = await small_app(database_url, tmp_path)
        await TelegramBot(app).member("so-tai-chinh", role="admin")
        await with_figures(app)
        await app.engine.dispose()

    asyncio.run(set_up())
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("THIDUA_CLOCK", NOW.isoformat())
    monkeypatch.chdir(tmp_path)  # no developer .env
    out = tmp_path / "de-xuat.xlsx"
    main(["commendations", "--out", str(out)])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Đề xuất khen thưởng, số liệu đến tháng 10/2025:"
    header = printed[1]
    assert header.startswith("Hình thức")
    for title in ("Mã đơn vị", "Điểm", "Hạng", "Chỉ tiêu đạt", "Đúng hạn (%)", "Gương điển hình"):
        assert title in header
    body = printed[3:-1]
    assert [line.split("  ")[0] for line in body] == [
        "Cờ thi đua",
        "Cờ thi đua",
        "Bằng khen",
        "Giấy khen",
        "Bằng khen",
        "Bằng khen",
        "Bằng khen",
        "Bằng khen",
    ]
    a_late = next(line for line in body if "phuong-a" in line and "Giấy khen" in line)
    assert a_late.split()[-7:] == ["110", "1/3", "2/2", "0", "100", "0/4", "—"]
    assert printed[-1] == f"Đã ghi 8 dòng vào {out}"
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Hình thức", "Điều kiện", "Mã đơn vị", "Đơn vị")
    assert rows[4][2:9] == ("phuong-a", "Phường A", "Cụm A", 110, "1/3", "2/2", 0)
    assert rows[5][1] == "Thu ngân sách 200% dự toán (Sở Tài chính, Thuế tỉnh đề xuất)"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L9"
    assert sheet.cell(2, 6).number_format == "#,##0.0#"


async def test_a_long_list_is_cut_between_sections_to_the_text_limit(small: App) -> None:
    shown = small.conversations.capabilities
    narrow = dataclasses.replace(shown["telegram"], text_limit=400)
    small.conversations.capabilities = {**shown, "telegram": narrow}
    admin = await TelegramBot(small).member("so-tai-chinh", role="admin")
    await with_figures(small)
    messages = await admin.say("/khenthuong")
    assert len(messages) > 1 and all(len(message) <= 400 for message in messages)
    assert all(message.startswith(("🎖️", "🏅", "💰")) for message in messages)  # sections whole
    every_line = [line for message in messages for line in message.splitlines() if line]
    assert len(every_line) == 16  # nothing lost: the head, the forms 4 + 3 + 3, the revenue 5
