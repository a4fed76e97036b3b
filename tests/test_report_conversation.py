"""The report conversation through the real aiogram Dispatcher, checked in the database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.clock import FakeClock
from handlers.context import untagged
from storage.models import Report
from tests.conftest import TelegramBot
from tests.recording import TelegramChat


async def reports(telegram: TelegramBot) -> list[Report]:
    async with telegram.app.sessions() as session:
        return list(await session.scalars(select(Report).order_by(Report.id)))


async def test_a_full_report_is_stored_and_acknowledged(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao")  # August is owed too: which period, asked first
    replies = await chat.press("Tháng 9/2025")
    assert "tháng 9/2025" in replies[-1] and "05/10/2025" in replies[-1]
    await chat.press("lượt khách")
    replies = await chat.say("1.250.000 lượt")
    assert "ghi chú" in replies[-1].lower()
    replies = await chat.press("Bỏ qua")
    assert "1.250.000 lượt" in replies[-1]
    replies = await chat.press("Xác nhận")
    assert "Đã ghi nhận" in replies[0] and "1.250.000 lượt" in replies[0]
    (report,) = await reports(telegram)
    assert report.value == Decimal(1250000)
    assert (report.period, report.revision, report.channel) == ("2025-09", 1, "telegram")


async def report_value(chat: TelegramChat, indicator: str, value: str) -> list[str]:
    await chat.say("/baocao 2025-09")
    await chat.press(indicator)
    return await chat.say(value)


async def test_typing_instead_of_pressing_works_without_diacritics(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1,25 trieu luot")
    await chat.say("bo qua")
    replies = await chat.say("xac nhan")
    assert "1.250.000 lượt" in replies[0]
    (report,) = await reports(telegram)
    assert report.value == Decimal(1250000)


async def test_a_department_sees_its_progress_against_the_province_target(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("so-tai-chinh")
    replies = await report_value(chat, "Thu ngân sách", "15.750 tỷ")
    assert "ghi chú" in replies[-1].lower()  # no question: 15.750 is thousands for a 21.000 target
    await chat.press("Bỏ qua")
    (receipt,) = await chat.press("Xác nhận")
    assert "15.750 tỷ đồng" in receipt
    assert "15.750 tỷ đồng / 21.000 tỷ đồng" in receipt and "75%" in receipt
    assert "Còn thiếu 5.250 tỷ đồng" in receipt
    assert receipt.endswith("Bạn muốn làm gì?")  # the menu comes with the receipt, in one message


async def test_an_ambiguous_figure_is_asked_about_when_size_cannot_tell(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")  # no budget target of its own
    replies = await report_value(chat, "Thu ngân sách", "1.500")
    assert "1.500 tỷ đồng" in replies[-1] and "1,5 tỷ đồng" in replies[-1]
    await chat.press("1,5 tỷ đồng")
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == Decimal("1.5")


async def test_a_count_is_never_read_as_a_fraction(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "việc làm mới", "1.500")
    assert "ghi chú" in replies[-1].lower()
    await chat.press("Bỏ qua")
    (summary,) = await chat.say("")  # nothing typed at the summary: a hint and the question again
    assert "Hãy chọn Xác nhận" in summary and "Số liệu: 1.500 lao động" in summary


async def test_an_impossible_percentage_is_questioned_then_kept_on_confirmation(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "bảo hiểm y tế", "120%")
    assert "bất thường" in replies[-1] and "lớn hơn 100" in replies[-1]
    assert await reports(telegram) == []
    await chat.press("Đúng, giữ số này")
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == Decimal(120)


async def test_a_questioned_figure_can_be_typed_again(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "việc làm mới", "-5")
    assert "bất thường" in replies[-1]
    replies = await chat.say("45")
    assert "ghi chú" in replies[-1].lower()
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == Decimal(45)


async def test_far_more_than_the_periods_share_of_the_target_is_questioned(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("so-tai-chinh")
    replies = await report_value(chat, "Thu ngân sách", "500 nghìn tỷ")
    assert "gấp hơn 10 lần" in replies[-1]


async def test_a_percentage_for_an_amount_is_explained(telegram: TelegramBot) -> None:
    chat = await telegram.member("so-tai-chinh")
    replies = await report_value(chat, "Thu ngân sách", "đạt 73% dự toán")
    assert "không phải %" in replies[-1]


async def test_a_yes_no_indicator_is_answered_by_choice(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    replies = await chat.press("phổ cập giáo dục")
    assert [label for label, _ in chat.last_buttons()] == ["Đạt", "Chưa đạt"]
    replies = await chat.say("8,5")
    assert "Hãy chọn một kết quả" in replies[0]
    await chat.say("dat")
    await chat.press("Bỏ qua")
    (receipt,) = await chat.press("Xác nhận")
    assert "Đạt" in receipt and "Đã đạt chỉ tiêu" in receipt
    (report,) = await reports(telegram)
    assert report.value == 1


async def test_a_note_and_a_photo_are_kept_with_the_figure(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    replies = await chat.send_photo(caption="Theo số liệu của Ban quản lý khu du lịch")
    assert "Minh chứng: có (ảnh)" in replies[-1]
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.note == "Theo số liệu của Ban quản lý khu du lịch"
    assert report.evidence == "photo:photo-1"


async def test_reporting_again_makes_a_revision_with_a_reason(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    clock.advance(timedelta(hours=2))
    await chat.say("/baocao 2025-09")
    assert any("✅" in label and "lượt khách" in label for label, _ in chat.last_buttons())
    replies = await chat.press("lượt khách")
    assert "đã báo cáo 1.250.000 lượt lúc 08:00 03/10/2025" in replies[0]
    replies = await chat.say("1.300.000")
    assert "Vì sao sửa" in replies[-1]
    assert "Cần có chữ hoặc số" in (await chat.say("😀"))[0]
    assert "Lý do cần có chữ" in (await chat.say("ok"))[0]
    await chat.say("Số chính thức của Thống kê")
    await chat.press("Bỏ qua")
    (receipt,) = await chat.press("Xác nhận")
    assert "bản sửa lần 1" in receipt
    first, second = await reports(telegram)
    assert (first.value, first.revision, first.reason) == (Decimal(1250000), 1, None)
    assert (second.value, second.revision, second.reason) == (
        Decimal(1300000),
        2,
        "Số chính thức của Thống kê",
    )


async def test_cancel_leaves_the_form_and_stores_nothing(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    replies = await chat.say("/huy")
    assert "Đã hủy" in replies[0]
    assert await reports(telegram) == []
    assert "Không có phiếu" in (await chat.say("/cancel"))[0]


async def test_the_summary_can_go_back_to_edit_the_value(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    await chat.press("Bỏ qua")
    replies = await chat.press("Sửa số liệu")
    assert "Nhập số liệu" in replies[-1]
    await chat.say("1.400.000")
    await chat.press("Bỏ qua")
    await chat.press("Xác nhận")
    (report,) = await reports(telegram)
    assert report.value == Decimal(1400000)


async def test_commands_mid_form_keep_the_form_in_place(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    await chat.press("lượt khách")
    replies = await chat.say("/xoa")
    assert "đang nhập báo cáo dở" in replies[0] and "Nhập số liệu" in replies[-1]
    replies = await chat.say("/toi")
    assert "Phường Sa Pa" in replies[0] and "Nhập số liệu" in replies[-1]
    replies = await chat.say("1.250.000")
    assert "ghi chú" in replies[-1].lower()


async def test_an_indicator_of_another_unit_cannot_be_reported(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    replies = await chat.say("ty le do thi hoa")
    assert "không được giao cho Phường Sa Pa" in replies[0]
    replies = await chat.press_data("ind:grdp_growth")
    assert "tin nhắn cũ" in replies[0]
    assert untagged(chat.last_buttons()[0][1]) == "ind:tourist_arrivals"  # still choosing
    assert await reports(telegram) == []


async def test_a_viewer_cannot_report(telegram: TelegramBot) -> None:
    chat = telegram.user()
    await chat.say("/start " + await telegram.invite("so-noi-vu", role="viewer"))
    (reply,) = await chat.say("/baocao 2025-09")
    assert "người theo dõi" in reply


async def test_after_the_campaign_reporting_is_closed(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    clock.set(datetime(2026, 2, 5, 17, 0, tzinfo=UTC))  # December locked at the end of 04/02
    (reply,) = await chat.say("/baocao")
    assert "đã kết thúc ngày 31/12/2025" in reply


async def test_a_form_left_for_a_day_expires_with_a_note(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    clock.advance(timedelta(hours=25))
    replies = await chat.say("1")
    assert "quá 24 giờ" in replies[0]
    assert "Bạn muốn làm gì?" in replies[-1]
    assert await reports(telegram) == []


async def test_an_english_user_reports_in_english(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa", language="en")
    replies = await chat.say("/report 2025-09")
    assert "Report for September 2025" in replies[-1]
    await chat.press("lượt khách")
    await chat.say("1,250,000")
    await chat.press("Skip")
    (receipt,) = await chat.press("Confirm")
    assert "Recorded" in receipt and "1,250,000" in receipt


async def test_a_photo_with_a_too_long_caption_keeps_nothing_and_asks_again(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    replies = await chat.send_photo(caption="x" * 600)
    assert "tối đa 500" in replies[0]
    assert [label for label, _ in chat.last_buttons()] == ["Bỏ qua"]  # still at the note
    (summary,) = await chat.press("Bỏ qua")
    assert "Minh chứng" not in summary


async def test_a_rate_short_of_its_target_counts_the_gap_in_points(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "bảo hiểm y tế", "90,5%")
    await chat.press("Bỏ qua")
    (receipt,) = await chat.press("Xác nhận")
    assert "Chỉ tiêu 96,5%; số báo cáo 90,5%. Còn thiếu 6 điểm %" in receipt
    assert "93,8%" not in receipt  # no percent of a percent


async def test_a_colleagues_figure_stored_meanwhile_turns_mine_into_a_correction(
    telegram: TelegramBot,
) -> None:
    first = await telegram.member("phuong-sa-pa", user_id=1)
    second = await telegram.member("phuong-sa-pa", user_id=2)
    await report_value(first, "lượt khách", "1.250.000")
    await first.press("Bỏ qua")  # at the summary, not yet confirmed
    await report_value(second, "lượt khách", "1.300.000")
    await second.press("Bỏ qua")
    await second.press("Xác nhận")
    (notice,) = await first.press("Xác nhận")
    assert "vừa có số mới" in notice and "1.300.000 lượt" in notice and "Vì sao sửa" in notice
    await first.say("Số của phòng văn hóa")
    await first.press("Bỏ qua")
    (receipt,) = await first.press("Xác nhận")
    assert "bản sửa lần 1" in receipt
    stored = [(r.value, r.revision, r.reason) for r in await reports(telegram)]
    assert stored == [(Decimal(1300000), 1, None), (Decimal(1250000), 2, "Số của phòng văn hóa")]


async def test_a_failure_inside_is_answered_and_stores_nothing(
    telegram: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_value(chat, "lượt khách", "1.250.000")
    await chat.press("Bỏ qua")

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("storage.repo.add_report", broken)
    confirm = next(data for label, data in chat.last_buttons() if "Xác nhận" in label)
    (reply,) = await chat.press_data(confirm)
    assert "gặp lỗi" in reply and "gửi lại" in reply
    assert await reports(telegram) == []
    monkeypatch.undo()
    (receipt,) = await chat.press_data(confirm)  # the form is still at its summary
    assert receipt.startswith("✅ Đã ghi nhận")


async def test_on_telegram_a_typed_number_is_a_figure_not_a_button(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await report_value(chat, "bảo hiểm y tế", "120%")
    assert [label for label, _ in chat.last_buttons()] == ["Đúng, giữ số này", "Nhập lại"]
    replies = await chat.say("2")  # the buttons show no numbers: this is a new figure, 2%
    assert "ghi chú" in replies[-1].lower()
    (summary,) = await chat.press("Bỏ qua")
    assert "Số liệu: 2%" in summary
