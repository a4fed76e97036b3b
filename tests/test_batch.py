"""Several figures in one message: one summary, each doubt in turn, one confirmation, one receipt."""

import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.app import App
from bot.channels.console import ConsoleChannel
from bot.channels.console import chat as console_chat
from bot.cli import _demo_person
from handlers.batch import Item, split_items
from storage.models import Indicator, Report
from tests.conftest import TelegramBot


async def stored(app: App) -> list[tuple[str, Decimal, int, str | None]]:
    """(indicator code, value, revision, reason) of every stored report."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(Indicator.code, Report.value, Report.revision, Report.reason)
            .join(Indicator, Indicator.id == Report.indicator_id)
            .order_by(Report.id)
        )
        return [(code, value, revision, reason) for code, value, revision, reason in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ngân sách 15.200 tỷ; xuất khẩu 3,12 tỷ USD; khách du lịch 9,1 triệu",
            [
                Item("ngân sách 15.200 tỷ", "ngan sach", "15.200 tỷ"),
                Item("xuất khẩu 3,12 tỷ USD", "xuat khau", "3,12 tỷ USD"),
                Item("khách du lịch 9,1 triệu", "khach du lich", "9,1 triệu"),
            ],
        ),
        (
            "ngân sách: 15.200 tỷ, xuất khẩu ước đạt 3,12 tỷ USD\nct 8a 9,1 triệu",
            [
                Item("ngân sách: 15.200 tỷ", "ngan sach", "15.200 tỷ"),
                Item("xuất khẩu ước đạt 3,12 tỷ USD", "xuat khau", "3,12 tỷ USD"),
                Item("ct 8a 9,1 triệu", "ct 8a", "9,1 triệu"),
            ],
        ),
        (  # a comma inside a name, and a name with no figure
            "Tỷ trọng nông, lâm nghiệp, thủy sản trong GRDP 16,2%, dịch vụ",
            [
                Item(
                    "Tỷ trọng nông, lâm nghiệp, thủy sản trong GRDP 16,2%",
                    "ty trong nong, lam nghiep, thuy san trong grdp",
                    "16,2%",
                ),
                Item("dịch vụ", "dịch vụ", ""),
            ],
        ),
        ("chỉ tiêu 17 -5", [Item("chỉ tiêu 17 -5", "chỉ tiêu 17", "-5")]),
    ],
)
def test_a_message_splits_into_items(text: str, expected: list[Item]) -> None:
    assert split_items(text) == expected


@given(st.text(max_size=500))
def test_every_item_comes_from_the_message(text: str) -> None:
    for item in split_items(text):
        assert item.typed and item.figure in item.typed


async def test_several_figures_are_stored_together_after_one_confirmation(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (summary,) = await chat.say(
        "ngân sách 15,2 tỷ; xuất khẩu 3,12 tỷ USD; khách du lịch 9,1 triệu; thời tiết 30 độ"
    )
    assert "“xuất khẩu 3,12 tỷ USD”: chỉ tiêu không được giao cho Phường Sa Pa" in summary
    assert "“thời tiết 30 độ”: không nhận ra chỉ tiêu" in summary
    assert "• Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9): 15,2 tỷ đồng" in summary
    assert "• Số lượt khách du lịch (chỉ tiêu 8a): 9.100.000 lượt" in summary
    assert [label for label, _ in chat.last_buttons()] == ["✅ Xác nhận", "❌ Hủy"]
    assert await stored(telegram.app) == []  # nothing until confirmed
    (receipt,) = await chat.press("Xác nhận")
    assert receipt.startswith("✅ Đã ghi nhận 2 số liệu tháng 9/2025")
    assert "9.100.000 lượt" in receipt and receipt.endswith("Bạn muốn làm gì?")
    assert await stored(telegram.app) == [
        ("state_budget_revenue", Decimal("15.2"), 1, None),
        ("tourist_arrivals", Decimal(9100000), 1, None),
    ]


async def test_each_doubt_is_asked_in_turn(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (first,) = await chat.say("ngân sách 1.500\nbảo hiểm y tế 120%\nviệc làm mới 45")
    assert "(chỉ tiêu 9)" in first and "1.500 tỷ đồng hay 1,5 tỷ đồng" in first
    (second,) = await chat.press("1,5 tỷ đồng")
    assert "(chỉ tiêu 19)" in second and "120% có vẻ bất thường" in second
    (summary,) = await chat.press("Bỏ số này")
    assert "1,5 tỷ đồng" in summary and "45 lao động" in summary and "120" not in summary
    await chat.press("Xác nhận")
    assert await stored(telegram.app) == [
        ("state_budget_revenue", Decimal("1.5"), 1, None),
        ("new_jobs", Decimal(45), 1, None),
    ]


async def test_a_new_figure_typed_at_a_doubt_replaces_it(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("ngân sách 2 tỷ, việc làm mới -5")
    (summary,) = await chat.say("50")
    assert "50 lao động" in summary and "2 tỷ đồng" in summary
    await chat.press("Xác nhận")
    assert [value for _, value, _, _ in await stored(telegram.app)] == [Decimal(2), Decimal(50)]


async def test_a_batch_in_place_of_choosing_an_indicator(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    (summary,) = await chat.say("ct 9 2,5 tỷ; ct 17 45")
    assert "Kiểm tra trước khi gửi" in summary and "45 lao động" in summary
    await chat.press("Xác nhận")
    assert len(await stored(telegram.app)) == 2


async def test_figures_already_reported_become_corrections_with_one_reason(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("ngân sách 2 tỷ")
    await chat.press("Xác nhận")
    (question,) = await chat.say("ngân sách 2,5 tỷ; việc làm mới 45")
    assert "Kỳ này đã báo cáo: Thu ngân sách" in question and "Vì sao sửa" in question
    assert "Lý do dài 301 ký tự, tối đa 300" in (await chat.say("x" * 301))[0]
    (summary,) = await chat.say("Số chính thức của Chi cục Thuế")
    assert "2,5 tỷ đồng (bản sửa)" in summary and "Lý do sửa: Số chính thức" in summary
    await chat.press("Xác nhận")
    assert await stored(telegram.app) == [
        ("state_budget_revenue", Decimal(2), 1, None),
        ("state_budget_revenue", Decimal("2.5"), 2, "Số chính thức của Chi cục Thuế"),
        ("new_jobs", Decimal(45), 1, None),
    ]


async def test_a_colleagues_figure_stored_meanwhile_asks_for_a_reason(
    telegram: TelegramBot,
) -> None:
    first = await telegram.member("phuong-sa-pa", user_id=1)
    second = await telegram.member("phuong-sa-pa", user_id=2)
    await first.say("ngân sách 2 tỷ")
    await second.say("ngân sách 3 tỷ")
    await second.press("Xác nhận")
    (notice,) = await first.press("Xác nhận")
    assert "vừa có số mới" in notice and "Vì sao sửa" in notice
    (summary,) = await first.say("Số của bộ phận kế toán")
    assert "(bản sửa)" in summary
    await first.press("Xác nhận")
    assert [(v, r) for _, v, r, _ in await stored(telegram.app)] == [
        (Decimal(3), 1),
        (Decimal(2), 2),
    ]


async def test_nothing_usable_stores_nothing_and_says_why(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (reply,) = await chat.say("xuất khẩu 3 tỷ USD; du lịch 5")
    assert "không được giao" in reply and "khớp với nhiều chỉ tiêu (8a, 8b)" in reply
    assert "chưa có gì được lưu" in reply and reply.endswith("Bạn muốn làm gì?")
    assert await stored(telegram.app) == []


async def test_cancel_at_the_summary_stores_nothing(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("ngân sách 2 tỷ; việc làm mới 45")
    (hint,) = await chat.say("ok")
    assert "Hãy chọn Xác nhận hoặc Hủy" in hint
    (cancelled,) = await chat.press("Hủy")
    assert "Đã hủy" in cancelled
    assert await stored(telegram.app) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_batch_on_the_console(app: App) -> None:
    await _demo_person(app, "demo")
    typed = iter(["ngân sách 2 tỷ; ct 8a 9,1 triệu", "1", "/thoat"])

    async def read_line() -> str:
        return next(typed)

    out = io.StringIO()
    app.delivery.register(ConsoleChannel(out))
    await console_chat(app.conversations, "banner", read_line, out=out)
    screen = out.getvalue()
    assert "1. ✅ Xác nhận\n2. ❌ Hủy" in screen and "✅ Đã ghi nhận 2 số liệu" in screen
    assert [value for _, value, _, _ in await stored(app)] == [Decimal(2), Decimal(9100000)]
