"""A figure through the real Dispatcher, on SQLite and PostgreSQL: what the official is shown
is what the database stores, and what it cannot hold is refused before anything is stored."""

from decimal import Decimal

import pytest

from tests.conftest import TelegramBot
from tests.test_report_conversation import report_value, reports


async def test_more_decimals_than_kept_are_asked_about_and_stored_as_shown(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("so-tai-chinh")
    replies = await report_value(chat, "Thu ngân sách", "10,26 trieu")
    assert "1 chữ số thập phân: 0,01026 tỷ đồng sẽ được lưu là 0 tỷ đồng" in replies[-1]
    replies = await chat.say("1.250,75")  # typed again instead
    assert "1.250,75 tỷ đồng sẽ được lưu là 1.250,8 tỷ đồng" in replies[-1]
    await chat.press("Lưu 1.250,8 tỷ đồng")
    (summary,) = await chat.press("Bỏ qua")
    assert "Số liệu: 1.250,8 tỷ đồng" in summary
    (receipt,) = await chat.press("Xác nhận")
    assert "Thu ngân sách nhà nước trên địa bàn – 1.250,8 tỷ đồng" in receipt
    (report,) = await reports(telegram)
    assert report.value == Decimal("1250.8")


async def test_a_fractional_count_is_rounded_only_when_the_official_agrees(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "việc làm mới", "1,5")
    assert "Số đếm không có phần lẻ: 1,5 lao động sẽ được lưu là 2 lao động." in replies[-1]
    assert await reports(telegram) == []
    await chat.press("Lưu 2 lao động")
    (summary,) = await chat.press("Bỏ qua")
    assert "Số liệu: 2 lao động" in summary
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == 2


@pytest.mark.parametrize(
    ("unit", "indicator", "typed", "shown", "stored"),
    [
        ("so-tai-chinh", "Thu ngân sách", "15.200.000.000.000 đồng", "15.200 tỷ đồng", 15200),
        ("so-tai-chinh", "Thu ngân sách", "15.200.000.000.000 VND", "15.200 tỷ đồng", 15200),
        ("so-cong-thuong", "xuất khẩu", "3.120.000.000 USD", "3.120 triệu USD", 3120),
    ],
)
async def test_a_raw_amount_in_the_base_currency_is_converted(
    telegram: TelegramBot, unit: str, indicator: str, typed: str, shown: str, stored: int
) -> None:
    chat = await telegram.member(unit)
    replies = await report_value(chat, indicator, typed)
    assert "ghi chú" in replies[-1].lower()  # nothing to question
    (summary,) = await chat.press("Bỏ qua")
    assert f"Số liệu: {shown}" in summary
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == stored


async def test_a_growth_rate_outside_the_usual_range_is_questioned(telegram: TelegramBot) -> None:
    chat = await telegram.member("so-tai-chinh")
    replies = await report_value(chat, "Tăng trưởng GRDP", "85%")
    assert "85% có vẻ bất thường: ngoài khoảng thường gặp (từ -10% đến 20%)" in replies[-1]
    replies = await chat.say("8,7%")
    assert "ghi chú" in replies[-1].lower()


async def test_a_unit_without_a_target_reporting_the_provinces_whole_target_is_questioned(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")  # no budget target of its own
    replies = await report_value(chat, "Thu ngân sách", "21 nghìn tỷ")
    assert "bằng hoặc vượt chỉ tiêu của cả tỉnh (21.000 tỷ đồng)" in replies[-1]
    await chat.press("Nhập lại")
    replies = await chat.say("150 tỷ")
    assert "ghi chú" in replies[-1].lower()


async def test_a_negative_value_is_called_negative(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "việc làm mới", "-5")
    assert "-5 lao động có vẻ bất thường: là số âm." in replies[-1]


async def test_a_yes_no_indicator_shows_its_hint_and_its_result(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    replies = await chat.press("phổ cập giáo dục")
    assert "mầm non cho trẻ 5 tuổi" in replies[-1]  # the campaign file's hint
    await chat.press("Chưa đạt")
    (summary,) = await chat.press("Bỏ qua")
    assert "Kết quả: Chưa đạt" in summary and "Số liệu" not in summary


async def test_help_says_what_the_reader_does_with_21_000(telegram: TelegramBot) -> None:
    department = await telegram.member("so-tai-chinh", user_id=1)
    (help_text, *_) = await department.say("/help")
    assert "21.000 tỷ thu ngân sách là hai mươi mốt nghìn tỷ" in help_text
    assert "khi cỡ số không cho biết, bot hỏi lại" in help_text
    replies = await report_value(department, "Thu ngân sách", "21.000 tỷ")  # size tells
    assert "ghi chú" in replies[-1].lower()
    (summary,) = await department.press("Bỏ qua")
    assert "Số liệu: 21.000 tỷ đồng" in summary
    ward = await telegram.member("phuong-sa-pa", user_id=2)  # no target: size cannot tell
    replies = await report_value(ward, "Thu ngân sách", "21.000 tỷ")
    assert "là 21.000 tỷ đồng hay 21 tỷ đồng?" in replies[-1]


@pytest.mark.parametrize(
    ("indicator", "typed", "refusal"),
    [
        ("Thu ngân sách", "1 tỷ tỷ tỷ tỷ", "Số này quá lớn, không lưu được"),
        ("lượt khách", "5 tỷ tỷ tỷ", "Số này quá lớn, không lưu được"),
        ("Thu ngân sách", "1,1234567 tỷ", "có hơn 6 chữ số thập phân"),
        ("bảo hiểm y tế", "0,0000001", "có hơn 6 chữ số thập phân"),
    ],
)
async def test_a_figure_the_database_cannot_hold_is_refused_and_the_form_waits(
    telegram: TelegramBot, indicator: str, typed: str, refusal: str
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (reply,) = await report_value(chat, indicator, typed)
    assert refusal in reply
    replies = await chat.say("15")  # the form is still at its figure
    assert "ghi chú" in replies[-1].lower()
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == 15


async def test_a_figure_too_large_is_explained_in_english(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa", language="en")
    (reply,) = await report_value(chat, "lượt khách", "5 tỷ tỷ tỷ")
    assert "too large to store" in reply and "more than 22 digits" in reply


async def test_the_largest_figure_the_column_holds_is_stored_as_shown(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "9.999.999.999.999.999 triệu")  # 22 digits
    await chat.press("Đúng, giữ số này")  # far above the province's target: questioned
    (summary,) = await chat.press("Bỏ qua")
    assert "Số liệu: 9.999.999.999.999.999.000.000 lượt" in summary
    (receipt,) = await chat.press("Xác nhận")
    assert "9.999.999.999.999.999.000.000 lượt" in receipt
    (report,) = await reports(telegram)
    assert report.value == Decimal("9999999999999999000000")
