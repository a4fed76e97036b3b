"""The bundled campaign file encodes the directive; broken files get precise Vietnamese errors."""

from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from domain.campaign import (
    CampaignFileError,
    CampaignSpec,
    DigestSpec,
    EscalationSpec,
    IndicatorSpec,
    MonthlyDigestSpec,
    SnoozeSpec,
    WeeklyDigestSpec,
    load_campaign,
    parse_campaign,
)
from domain.text import slug

BUNDLED_PATH = Path(__file__).resolve().parents[1] / "campaigns" / "lao-cai-2025.yaml"
BUNDLED = BUNDLED_PATH.read_text(encoding="utf-8")

# (number, code, target) for every figure of section I.2.1 of the directive.
DIRECTIVE = [
    ("1", "grdp_growth", "8.5"),
    ("2a", "econ_share_agri", "16"),
    ("2b", "econ_share_industry_construction", "37.3"),
    ("2c", "econ_share_services", "39.16"),
    ("2d", "econ_share_product_taxes", "7.5"),
    ("3", "grdp_per_capita", "85"),
    ("4a", "ntm_communes_new", "4"),
    ("4b", "ntm_communes_cumulative", "41"),
    ("5a", "iip_growth", "9.6"),
    ("5b", "industrial_output_2010_prices", "75000"),
    ("6", "retail_sales", "85000"),
    ("7", "export_value", "4000"),
    ("8a", "tourist_arrivals", "10255000"),
    ("8b", "tourism_revenue", "46455"),
    ("9", "state_budget_revenue", "21000"),
    ("10", "total_development_investment", "86000"),
    ("11", "urbanization_rate", "31.5"),
    ("12", "social_housing_units", "2286"),
    ("13", "labour_productivity_growth", "7.48"),
    ("14", "life_expectancy", "71.7"),
    ("15", "happiness_index", "68.3"),
    ("16a", "trained_labour_rate", "70"),
    ("16b", "trained_labour_certified_rate", "36"),
    ("17", "new_jobs", "30000"),
    ("18", "multidim_poverty_rate_reduction", "2.68"),
    ("19", "health_insurance_coverage", "96.5"),
    ("20a", "doctors_per_10k", "12.8"),
    ("20b", "hospital_beds_per_10k", "41.1"),
    ("21", "urban_clean_water_rate", "93"),
    ("22", "rural_hygienic_water_rate", "98"),
    ("23", "urban_solid_waste_treated_rate", "95.3"),
    ("24", "rural_solid_waste_treated_rate", "75.5"),
    ("25", "forest_cover_rate", "61.5"),
    ("26", "key_projects_site_clearance", "3"),
    ("27a", "admin_dossier_ontime_rate", "95"),
    ("27b", "admin_satisfaction_rate", "95"),
    ("28", "universal_education_maintained", "1"),
]

# Unit codes other helpers rely on: the slug of each unit's Vietnamese name.
UNIT_NAMES = {
    "so-tai-chinh": "Sở Tài chính",
    "so-cong-thuong": "Sở Công Thương",
    "so-van-hoa-the-thao-va-du-lich": "Sở Văn hóa, Thể thao và Du lịch",
    "so-noi-vu": "Sở Nội vụ",
    "so-giao-duc-va-dao-tao": "Sở Giáo dục và Đào tạo",
    "so-y-te": "Sở Y tế",
    "so-xay-dung": "Sở Xây dựng",
    "so-nong-nghiep-va-moi-truong": "Sở Nông nghiệp và Môi trường",
    "so-khoa-hoc-va-cong-nghe": "Sở Khoa học và Công nghệ",
    "so-tu-phap": "Sở Tư pháp",
    "thanh-tra-tinh": "Thanh tra tỉnh",
    "van-phong-ubnd-tinh": "Văn phòng UBND tỉnh",
    "so-dan-toc-va-ton-giao": "Sở Dân tộc và Tôn giáo",
    "so-ngoai-vu": "Sở Ngoại vụ",
    "thue-tinh": "Thuế tỉnh",
    "thong-ke-tinh": "Thống kê tỉnh",
    "bhxh-tinh": "BHXH tỉnh",
    "kho-bac": "Kho bạc",
    "ban-quan-ly-khu-kinh-te": "Ban Quản lý Khu kinh tế",
    "cong-an-tinh": "Công an tỉnh",
    "bo-chi-huy-quan-su-tinh": "Bộ Chỉ huy Quân sự tỉnh",
}


@pytest.fixture(scope="module")
def campaign() -> CampaignSpec:
    return load_campaign(BUNDLED_PATH)


def test_campaign_header(campaign: CampaignSpec) -> None:
    assert campaign.code == "lao-cai-2025"
    assert campaign.name == (
        "Phong trào thi đua đặc biệt thực hiện nhiệm vụ chính trị các tháng cuối năm 2025"
    )
    assert campaign.theme.startswith("Đẩy mạnh thực hiện ba đột phá chiến lược")
    assert campaign.theme.endswith("tổ chức thành công Đại hội Đảng bộ các cấp")
    assert "\n" not in campaign.theme
    assert campaign.motto == "tăng tốc, kỷ cương, sáng tạo, hiệu quả"
    assert campaign.issuer == "Ủy ban nhân dân tỉnh Lào Cai"
    assert campaign.year == 2025
    assert campaign.timezone == "Asia/Ho_Chi_Minh"
    assert (campaign.starts, campaign.ends) == (date(2025, 8, 1), date(2025, 12, 31))


def test_reporting_reminders_scoring(campaign: CampaignSpec) -> None:
    reporting = campaign.reporting
    assert reporting.frequency == "monthly"
    assert (reporting.deadline_days, reporting.grace_days, reporting.lock_days) == (5, 0, 30)
    reminders = campaign.reminders
    assert reminders.send_at == time(8, 0)
    assert (reminders.days_before_deadline, reminders.days_after_deadline) == ([3, 1], [1, 3])
    assert reminders.on_deadline
    assert reminders.escalation == EscalationSpec(head_after_days=5, admin_list_at=time(8, 30))
    assert (reminders.quiet_start, reminders.quiet_end) == (time(21), time(7))
    assert reminders.weekend == ["saturday", "sunday"]
    assert reminders.snooze == SnoozeSpec(later_hours=2, tomorrow_at=time(8))
    [update] = reminders.updates
    assert (update.code, update.weekday, update.at, update.to) == (
        "tuan-moi",
        "monday",
        time(8),
        "everyone",
    )
    assert "/han" in update.text
    assert campaign.digests == DigestSpec(
        weekly=WeeklyDigestSpec(weekday="monday", at=time(8)),
        monthly=MonthlyDigestSpec(day=6, at=time(8)),
    )
    scoring = campaign.scoring
    assert (scoring.target_points, scoring.management_points, scoring.bonus_cap) == (
        Decimal(80),
        Decimal(20),
        Decimal(5),
    )


def test_public_holidays_2025(campaign: CampaignSpec) -> None:
    """Vietnam's 2025 days off for officials, and 01/01/2026 for December's reminders."""
    tet = [date(2025, 1, 25) + timedelta(days=n) for n in range(9)]
    assert campaign.reminders.holiday_dates() == {
        date(2025, 1, 1),
        *tet,
        date(2025, 4, 7),  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),  # swapped with Saturday 26/04
        date(2025, 9, 1),
        date(2025, 9, 2),
        date(2026, 1, 1),
    }
    assert tet[-1] == date(2025, 2, 2)


def test_the_bundled_spec_survives_the_database_round_trip(campaign: CampaignSpec) -> None:
    """storage keeps the spec as JSON and validates it again when the bot starts."""
    assert CampaignSpec.model_validate(campaign.model_dump(mode="json")) == campaign


def test_reminder_sections_have_defaults() -> None:
    """A file without the new fields gets the issue's rules, and an old reminders section loads."""
    start = BUNDLED.index("reporting:")
    end = BUNDLED.index("scoring:")
    old = (
        "reporting:\n  deadline_days: 5\n"
        "reminders:\n  days_before_deadline: [3, 1]\n  send_at: '08:00'\n"
        "  quiet_start: '21:00'\n  quiet_end: '07:00'\n"
    )
    campaign = parse_campaign(BUNDLED[:start] + old + BUNDLED[end:], "old.yaml")
    assert (campaign.reporting.grace_days, campaign.reporting.lock_days) == (0, 30)
    assert campaign.reminders.days_after_deadline == [1, 3]
    assert campaign.reminders.on_deadline
    assert campaign.reminders.escalation == EscalationSpec()
    assert (campaign.reminders.holidays, campaign.reminders.updates) == ([], [])


def test_every_figure_of_the_directive(campaign: CampaignSpec) -> None:
    """Section I.2.1 has 28 targets; split where it gives several figures, that is 37."""
    got = [(i.number, i.code, i.target) for i in campaign.indicators]
    assert got == [(number, code, Decimal(target)) for number, code, target in DIRECTIVE]
    assert {int(i.number.rstrip("abcd")) for i in campaign.indicators} == set(range(1, 29))


def test_targets_are_exact_decimals(campaign: CampaignSpec) -> None:
    shares = [campaign.indicator(f"econ_share_{s}") for s in ("agri", "industry_construction")]
    shares += [campaign.indicator(f"econ_share_{s}") for s in ("services", "product_taxes")]
    assert sum(share.target for share in shares) == Decimal("99.96")
    assert campaign.indicator("econ_share_services").target.as_tuple().exponent == -2
    assert all(share.direction == "target_band" for share in shares)


def test_value_kinds(campaign: CampaignSpec) -> None:
    kinds = {i.code: i.kind for i in campaign.indicators}
    assert kinds["state_budget_revenue"] == "amount"
    assert kinds["tourist_arrivals"] == "count"
    assert kinds["doctors_per_10k"] == kinds["hospital_beds_per_10k"] == "ratio"
    assert kinds["life_expectancy"] == "years"
    assert kinds["key_projects_site_clearance"] == "milestone"
    assert kinds["universal_education_maintained"] == "yes_no"
    assert {i.kind for i in campaign.indicators if i.unit == "%"} == {"percent"}


def test_bounds(campaign: CampaignSpec) -> None:
    for code in ("grdp_growth", "iip_growth", "labour_productivity_growth"):
        growth = campaign.indicator(code)
        assert (growth.minimum, growth.maximum) == (None, None)
    for indicator in campaign.indicators:
        if indicator.unit == "%" and indicator.minimum is not None:
            assert (indicator.minimum, indicator.maximum) == (Decimal(0), Decimal(100)), (
                indicator.code
            )


def test_the_directive_implies_usual_ranges(campaign: CampaignSpec) -> None:
    growth = campaign.indicator("grdp_growth")
    assert growth.plausible is not None and not growth.plausible[0] <= 85 <= growth.plausible[1]
    shares = [i for i in campaign.indicators if i.code.startswith("econ_share_")]
    assert all(i.plausible is not None for i in shares)


def test_choice_indicators(campaign: CampaignSpec) -> None:
    milestone = campaign.indicator("key_projects_site_clearance")
    assert [option.value for option in milestone.options] == [0, 1, 2, 3]
    assert milestone.target == 3
    education = campaign.indicator("universal_education_maintained")
    assert [(o.label, o.value) for o in education.options] == [
        ("Đạt", Decimal(1)),
        ("Chưa đạt", Decimal(0)),
    ]
    assert (education.direction, education.aggregation) == ("maintain", "all_units")
    others = [i for i in campaign.indicators if i.kind not in {"yes_no", "milestone"}]
    assert all(not i.options for i in others)


def test_traps_have_hints(campaign: CampaignSpec) -> None:
    poverty = campaign.indicator("multidim_poverty_rate_reduction")
    assert poverty.unit == "điểm %"
    assert poverty.hint is not None and "không phải tỷ lệ hộ nghèo còn lại" in poverty.hint
    ontime = campaign.indicator("admin_dossier_ontime_rate")
    assert ontime.hint is not None and "trễ hạn" in ontime.hint


def test_year_totals_are_cumulative(campaign: CampaignSpec) -> None:
    ytd = {i.code for i in campaign.indicators if i.accumulation == "ytd"}
    assert {
        "state_budget_revenue",
        "retail_sales",
        "tourist_arrivals",
        "export_value",
        "total_development_investment",
        "new_jobs",
        "social_housing_units",
    } <= ytd
    assert not {i.code for i in campaign.indicators if i.unit == "%"} & ytd


def test_reporters_use_known_unit_codes(campaign: CampaignSpec) -> None:
    assert all(slug(name) == code for code, name in UNIT_NAMES.items() if "-" in slug(name))
    for indicator in campaign.indicators:
        assert set(indicator.reporters.units) <= UNIT_NAMES.keys(), indicator.code
        assert indicator.reporters.kinds or indicator.reporters.units
    budget = campaign.indicator("state_budget_revenue").reporters
    assert set(budget.units) == {"so-tai-chinh", "thue-tinh"}
    assert set(budget.kinds) == {"commune", "ward"}
    assert campaign.indicator("export_value").reporters.kinds == ["enterprise"]


def test_indicator_lookup(campaign: CampaignSpec) -> None:
    assert isinstance(campaign.indicator("grdp_growth"), IndicatorSpec)
    with pytest.raises(KeyError):
        campaign.indicator("no_such_indicator")


# --- Broken files ----------------------------------------------------------------------------


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _replace(after: str, old: str, new: str) -> tuple[str, int]:
    """The bundled file with the first ``old`` following ``after`` replaced, and its line."""
    position = BUNDLED.index(old, BUNDLED.index(after))
    return BUNDLED[:position] + new + BUNDLED[position + len(old) :], _line(BUNDLED, position)


def _error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "lao-cai-2025.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignFileError) as caught:
        load_campaign(path)
    return str(caught.value)


def test_wrong_kind(tmp_path: Path) -> None:
    text, line = _replace("code: econ_share_services", "kind: percent", "kind: percentt")
    assert _error(tmp_path, text) == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[3].kind: giá trị 'percentt' không hợp lệ"
        " (cho phép: percent, amount, count, ratio, years, yes_no, milestone)"
    )


def test_missing_field_points_at_the_indicator(tmp_path: Path) -> None:
    text, _ = _replace("code: grdp_per_capita", "    unit: triệu đồng/người\n", "")
    line = _line(BUNDLED, BUNDLED.index("- code: grdp_per_capita"))
    message = _error(tmp_path, text)
    assert message == f"lao-cai-2025.yaml, dòng {line}, indicators[5].unit: thiếu trường bắt buộc"


def test_bad_indentation(tmp_path: Path) -> None:
    text, line = _replace("code: grdp_growth", "    kind: percent", "     kind: percent")
    message = _error(tmp_path, text)
    assert message.startswith(f"lao-cai-2025.yaml, dòng {line}: ")
    assert "thụt lề" in message


def test_duplicate_indicator_code(tmp_path: Path) -> None:
    old = "code: econ_share_industry_construction"
    text, line = _replace("econ_share_agri", old, "code: econ_share_agri")
    message = _error(tmp_path, text)
    assert message == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[2].code: mã chỉ tiêu 'econ_share_agri'"
        " bị trùng (đã dùng ở indicators[1])"
    )


def test_unknown_field(tmp_path: Path) -> None:
    text, line = _replace("reporting:", "  deadline_days: 5", "  deadline_dayz: 5")
    message = _error(tmp_path, text)
    assert f"dòng {line}, reporting.deadline_dayz: trường không có trong mẫu" in message
    # The misspelt field also leaves the real one missing, reported where the section starts.
    section = _line(BUNDLED, BUNDLED.index("\nreporting:") + 1)
    assert f"dòng {section}, reporting.deadline_days: thiếu trường bắt buộc" in message


def test_ends_before_starts(tmp_path: Path) -> None:
    text, line = _replace("starts:", "ends: 2025-12-31", "ends: 2025-07-31")
    message = _error(tmp_path, text)
    assert message == (
        f"lao-cai-2025.yaml, dòng {line}, ends: ngày kết thúc trước ngày bắt đầu (01/08/2025)"
    )


def test_several_errors_are_listed_by_line(tmp_path: Path) -> None:
    text, first = _replace("code: grdp_growth", "direction: higher", "direction: up")
    text = text.replace("target: 2286", "target: nhiều")
    message = _error(tmp_path, text)
    lines = message.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"lao-cai-2025.yaml, dòng {first}, indicators[0].direction:")
    assert "indicators[17].target: giá trị 'nhiều' phải là số" in lines[1]


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    first = _line(BUNDLED, BUNDLED.index("unit: tuổi"))
    text, line = _replace("unit: tuổi", "    decimals: 1\n", "    decimals: 1\n    unit: năm\n")
    message = _error(tmp_path, text)
    assert message == (
        f"lao-cai-2025.yaml, dòng {line + 1}: trường 'unit' bị lặp (đã có ở dòng {first})"
    )


@pytest.mark.parametrize(
    ("after", "old", "new", "field", "text"),
    [
        ("code: grdp_growth", "    hint:", "    options: [{code: a, label: A, value: 1}]\n    hint:",
         "indicators[0].options", "loại 'percent' không dùng phương án trả lời"),
        ("code: urbanization_rate", "target: 31.5", "target: 131.5",
         "indicators[16].target", "nằm ngoài khoảng minimum–maximum"),
        ("code: grdp_growth", "plausible: [-10, 20]", "plausible: [20, -10]",
         "indicators[0].plausible", "cận dưới (20) phải nhỏ hơn cận trên (-10)"),
        ("code: grdp_growth", "plausible: [-10, 20]", "plausible: [-10, 5]",
         "indicators[0].plausible", "phải chứa chỉ tiêu (8.5)"),
        ("code: urbanization_rate", "plausible: [20, 50]", "plausible: [20, 150]",
         "indicators[16].plausible", "phải nằm trong khoảng minimum–maximum"),
        ("code: urbanization_rate", "plausible: [20, 50]", "plausible: [20]",
         "indicators[16].plausible", "cần đúng hai số [thấp, cao]"),
        ("code: grdp_growth", "number: \"1\"", "number: 1",
         "indicators[0].number", "phải là văn bản"),
        ("code: grdp_growth", "code: grdp_growth", "code: GRDP-growth",
         "indicators[0].code", "không đúng định dạng"),
        ("reporters: {units: [so-tai-chinh, thong-ke-tinh]}", "thong-ke-tinh", "Thống kê",
         "indicators[0].reporters.units[1]", "không đúng định dạng"),
        ("reporting:", "deadline_days: 5", "deadline_days: -1",
         "reporting.deadline_days", "phải lớn hơn hoặc bằng 0"),
        ("reminders:", "\"21:00\"", "\"25:00\"", "reminders.quiet_start", "phải là giờ dạng HH:MM"),
        ("timezone:", "Asia/Ho_Chi_Minh", "Asia/Hanoi_City", "timezone", "không tồn tại"),
        ("reporting:", "grace_days: 0", "grace_days: 31",
         "reporting.grace_days", "không được lớn hơn lock_days (30)"),
        ("reminders:", "send_at: \"08:00\"", "send_at: \"22:00\"",
         "reminders.send_at", "22:00 nằm trong giờ yên lặng (21:00–07:00)"),
        ("reminders:", "quiet_end: \"07:00\"", "quiet_end: \"21:00\"",
         "reminders.quiet_end", "giờ bắt đầu và kết thúc giờ yên lặng trùng nhau"),
        ("reminders:", "admin_list_at: \"08:30\"", "admin_list_at: \"06:30\"",
         "reminders.escalation.admin_list_at", "06:30 nằm trong giờ yên lặng"),
        ("reminders:", "[3, 1]", "[3, 3]",
         "reminders.days_before_deadline[1]", "giá trị 3 bị lặp"),
        ("reminders:", "[1, 3]", "[1, 31]",
         "reminders.days_after_deadline[1]", "31 ngày sau hạn thì kỳ đã khóa"),
        ("reminders:", "head_after_days: 5", "head_after_days: 45",
         "reminders.escalation.head_after_days", "45 ngày sau hạn thì kỳ đã khóa"),
        ("reminders:", "head_after_days: 5", "head_after_days: 0",
         "reminders.escalation.head_after_days", "phải lớn hơn hoặc bằng 1"),
        ("reminders:", "[saturday, sunday]", "[saturday, sundy]",
         "reminders.weekend[1]", "giá trị 'sundy' không hợp lệ (cho phép: monday,"),
        ("day: 2025-01-25", "until: 2025-02-02", "until: 2025-01-02",
         "reminders.holidays[1].until", "ngày kết thúc trước ngày bắt đầu (25/01/2025)"),
        ("holidays:", "day: 2025-04-07", "day: 2025-02-30",
         "reminders.holidays[2].day", "phải là ngày dạng YYYY-MM-DD"),
        ("updates:", "weekday: monday", "weekday: thu hai",
         "reminders.updates[0].weekday", "không hợp lệ (cho phép: monday,"),
        ("updates:", "at: \"08:00\"", "at: \"05:00\"",
         "reminders.updates[0].at", "05:00 nằm trong giờ yên lặng"),
        ("updates:", "to: everyone", "to: Khối kinh tế",
         "reminders.updates[0].to", "ví dụ block:Khối kinh tế"),
        ("updates:", "code: tuan-moi", "code: tuan-moi-cua-phong-trao-thi-dua-dac-biet",
         "reminders.updates[0].code", "dài quá 30 ký tự"),
        ("digests:", "weekday: monday", "weekday: thu hai",
         "digests.weekly.weekday", "không hợp lệ (cho phép: monday,"),
        ("digests:", "at: \"08:00\"", "at: \"22:30\"",
         "digests.weekly.at", "22:30 nằm trong giờ yên lặng (reminders: 21:00–07:00)"),
        ("digests:", "day: 6", "day: 31",
         "digests.monthly.day", "phải nhỏ hơn hoặc bằng 28"),
    ],
)  # fmt: skip
def test_field_errors(
    tmp_path: Path, after: str, old: str, new: str, field: str, text: str
) -> None:
    broken, line = _replace(after, old, new)
    message = _error(tmp_path, broken)
    assert f"lao-cai-2025.yaml, dòng {line}, {field}: " in message
    assert text in message


def test_duplicate_option_code(tmp_path: Path) -> None:
    after = "code: universal_education_maintained"
    broken, line = _replace(after, "code: chua_dat", "code: dat")
    assert _error(tmp_path, broken) == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[36].options[1].code:"
        " mã phương án 'dat' bị trùng"
    )


def test_every_day_a_weekend(tmp_path: Path) -> None:
    days = "[monday, tuesday, wednesday, thursday, friday, saturday, sunday]"
    broken, line = _replace("reminders:", "[saturday, sunday]", days)
    assert _error(tmp_path, broken) == (
        f"lao-cai-2025.yaml, dòng {line}, reminders.weekend:"
        " phải còn ít nhất một ngày làm việc trong tuần"
    )


def test_duplicate_update_code(tmp_path: Path) -> None:
    second = '    - {code: tuan-moi, weekday: friday, at: "16:00", text: Cuối tuần}\n'
    after_updates = BUNDLED.index("\n# Bản tin định kỳ")
    message = _error(tmp_path, BUNDLED[:after_updates] + second + BUNDLED[after_updates:])
    line = _line(BUNDLED, after_updates)
    assert message == (
        f"lao-cai-2025.yaml, dòng {line}, reminders.updates[1].code: mã thông báo 'tuan-moi' bị trùng"
    )


def test_choice_indicator_without_options(tmp_path: Path) -> None:
    start = BUNDLED.index("    options:", BUNDLED.index("code: universal_education_maintained"))
    end = BUNDLED.index("    hint:", start)
    message = _error(tmp_path, BUNDLED[:start] + BUNDLED[end:])
    line = _line(BUNDLED, BUNDLED.index("- code: universal_education_maintained"))
    assert message == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[36].options:"
        " loại 'yes_no' cần danh sách phương án trả lời"
    )


def test_unquoted_times_are_read_as_times() -> None:
    text = BUNDLED.replace('"21:00"', "21:00").replace('"08:00"', "08:00")
    campaign = parse_campaign(text, "lao-cai-2025.yaml")
    assert (campaign.reminders.send_at, campaign.reminders.quiet_start) == (time(8), time(21))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.yaml"
    path.write_bytes("name: Lào Cai\n".encode("cp1258"))
    with pytest.raises(CampaignFileError, match=r"^cp1258\.yaml: tệp không phải văn bản UTF-8$"):
        load_campaign(path)


def test_empty_and_non_mapping_files() -> None:
    with pytest.raises(CampaignFileError, match=r"^x\.yaml: tệp trống$"):
        parse_campaign("# chỉ có chú thích\n", "x.yaml")
    with pytest.raises(CampaignFileError, match=r"^x\.yaml, dòng 1: phải là một nhóm trường"):
        parse_campaign("- a\n- b\n", "x.yaml")


def test_a_province_total_from_a_unit_that_does_not_report_it(tmp_path: Path) -> None:
    text, line = _replace(
        "code: state_budget_revenue", "total: {unit: so-tai-chinh}", "total: {unit: so-y-te}"
    )
    assert _error(tmp_path, text) == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[14].total.unit:"
        " đơn vị 'so-y-te' phải có trong reporters.units"
    )


def test_scoring_weights_name_known_indicators(tmp_path: Path) -> None:
    text, line = _replace("scoring:", "state_budget_revenue: 2", "ngan_sach: 2")
    assert _error(tmp_path, text) == (
        f"lao-cai-2025.yaml, dòng {line}, scoring.weights.ngan_sach: không có chỉ tiêu mã 'ngan_sach'"
    )


def test_weighted_by_only_for_a_weighted_average(tmp_path: Path) -> None:
    text, line = _replace(
        "code: state_budget_revenue", "    total:", "    weighted_by: new_jobs\n    total:"
    )
    assert _error(tmp_path, text) == (
        f"lao-cai-2025.yaml, dòng {line}, indicators[14].weighted_by:"
        " chỉ dùng với aggregation weighted_average"
    )
