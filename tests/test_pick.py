"""Choosing an indicator: by button, by the directive's number, by name; /baocao 9 opens one."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.campaign import CampaignFileError, IndicatorSpec, parse_campaign
from handlers.choices import match_choice
from handlers.context import untagged
from handlers.dispatch import bare_command
from handlers.report import find_indicators
from handlers.types import Choice
from tests.conftest import TelegramBot

CAMPAIGN = parse_campaign(
    Path("campaigns/lao-cai-2025.yaml").read_text(encoding="utf-8"), "lao-cai-2025.yaml"
)
INDICATORS = CAMPAIGN.indicators
KEYED = [Choice("ind:a", "Thu ngân sách", "9"), Choice("ind:b", "Số lượt khách du lịch", "8a")]


def numbers(found: list[IndicatorSpec]) -> list[str]:
    return [indicator.number for indicator in found]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9", ["9"]),
        ("ct 9", ["9"]),
        ("CT9", ["9"]),
        ("chỉ tiêu 9", ["9"]),
        ("chi tieu so 9", ["9"]),
        ("8", ["8a", "8b"]),  # a target of two figures: both, to ask which
        ("ct 8a", ["8a"]),
        ("27B", ["27b"]),
        ("ngan sach", ["9"]),
        ("Thu ngân sách", ["9"]),  # the short label
        # The full name of 16a, although 16b's name starts with it:
        ("ty le lao dong qua dao tao", ["16a"]),
        ("du lich", ["8a", "8b"]),
        ("thu ngan sach nha nuoc tren dia bn", ["9"]),  # a close spelling
        ("ct 99", []),
        ("xin chao", []),
        ("", []),
    ],
)
def test_an_indicator_is_found_by_number_or_name(typed: str, expected: list[str]) -> None:
    assert numbers(find_indicators(typed, INDICATORS)) == expected


@given(st.text(max_size=600))
def test_any_text_names_only_indicators_of_the_campaign(typed: str) -> None:
    assert all(found in INDICATORS for found in find_indicators(typed, INDICATORS))


def test_a_long_message_is_not_fuzzy_matched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fuzzy matching costs the product of both lengths: a long message must never reach it."""
    compared: list[int] = []
    real = match_choice.__globals__["SequenceMatcher"]

    def watched(isjunk: None, a: str, b: str) -> object:
        compared.append(len(a))
        return real(isjunk, a, b)

    monkeypatch.setitem(match_choice.__globals__, "SequenceMatcher", watched)
    every = [Choice(i.code, i.name) for i in INDICATORS]
    for length in (200, 4096, 100_000):
        text = ("thu ngan sach " * (length // 14 + 1))[:length]
        assert match_choice(text, every) is None
        assert find_indicators(text, INDICATORS) == []
    match_choice("thu ngan sach nha nuoc tren dia bn", every)
    assert compared and max(compared) <= 120


@given(st.text(max_size=300))
def test_any_text_resolves_to_a_keyed_choice_or_to_nothing(typed: str) -> None:
    assert match_choice(typed, KEYED) in [*KEYED, None]


def test_a_keyed_list_is_answered_by_its_keys_never_by_position() -> None:
    assert match_choice("9", KEYED) == KEYED[0]
    assert match_choice("8A", KEYED) == KEYED[1]
    assert match_choice("1", KEYED) is None and match_choice("2", KEYED) is None
    assert match_choice("9", KEYED, by_number=False) is None  # buttons: typed text for the form


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("baocao", ("report", "")),
        ("Báo cáo 9", ("report", "9")),
        ("bao cao ngan sach", ("report", "ngan sach")),
        ("BAOCAO ct 8a", ("report", "ct 8a")),
        ("báo", (None, "báo")),
        ("bao cao", ("report", "")),
        ("xin chao", (None, "xin chao")),
    ],
)
def test_the_report_command_without_its_slash(typed: str, expected: tuple[str | None, str]) -> None:
    assert bare_command(typed) == expected


def test_a_short_label_too_long_for_a_button_is_refused_with_its_line() -> None:
    text = Path("campaigns/lao-cai-2025.yaml").read_text(encoding="utf-8")
    broken = text.replace("short: Thu ngân sách", "short: " + "Thu ngân sách " * 4, 1)
    with pytest.raises(
        CampaignFileError, match=r"dòng \d+, indicators\[14\]\.short: dài quá 32 ký tự"
    ):
        parse_campaign(broken, "lao-cai-2025.yaml")


async def test_buttons_carry_short_labels_and_the_question_the_full_name(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    labels = [label for label, _ in chat.last_buttons()]
    assert "Thu ngân sách" in labels and "Hồ sơ TTHC đúng hạn" in labels
    assert all(len(label) <= 32 for label in labels)
    (question,) = await chat.press("Hồ sơ TTHC")
    assert (
        "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn và trước hạn (chỉ tiêu 27a)"
        in question
    )


@pytest.mark.parametrize("typed", ["9", "ct 9", "chỉ tiêu 9", "chi tieu 9"])
async def test_on_telegram_the_directive_number_picks_the_indicator(
    telegram: TelegramBot, typed: str
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    (question,) = await chat.say(typed)
    assert "Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9)" in question
    assert "Nhập số liệu" in question


async def test_a_target_of_two_figures_asks_which_and_an_unassigned_number_is_refused(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    (which,) = await chat.say("ct 8")
    assert "nhiều chỉ tiêu" in which
    assert [untagged(data) for _, data in chat.last_buttons()] == [
        "ind:tourist_arrivals",
        "ind:tourism_revenue",
    ]
    (question,) = await chat.press("Doanh thu du lịch")
    assert "(chỉ tiêu 8b)" in question
    await chat.say("/huy")
    await chat.say("/baocao 2025-09")
    (refused,) = await chat.say("1")  # the note and the question again, in one message
    assert "(chỉ tiêu 1): không được giao cho Phường Sa Pa" in refused
    assert "Chọn chỉ tiêu" in refused and chat.last_buttons()  # still choosing


async def test_a_full_name_picks_it_when_another_name_starts_with_it(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    (question,) = await chat.say("ty le lao dong qua dao tao")
    assert "Tỷ lệ lao động qua đào tạo (chỉ tiêu 16a)" in question


@pytest.mark.parametrize("typed", ["/baocao 9", "/baocao ngan sach", "baocao 9", "báo cáo ct 9"])
async def test_the_report_command_opens_an_indicator_directly(
    telegram: TelegramBot, typed: str
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (question,) = await chat.say(typed)
    assert "Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9)" in question
    assert "Nhập số liệu" in question


async def test_the_report_command_without_a_slash_opens_the_list_but_not_inside_a_form(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (pick,) = await chat.say("bao cao 2025-09")
    assert "Chọn chỉ tiêu" in pick
    await chat.say("9")
    await chat.say("2,5 tỷ")
    (summary,) = await chat.say("Báo cáo theo số liệu của Chi cục Thuế")  # a note, not a command
    assert "Ghi chú: Báo cáo theo số liệu của Chi cục Thuế" in summary
