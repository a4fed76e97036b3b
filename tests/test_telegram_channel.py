"""How replies become Telegram messages."""

import pytest

from bot.channels.render import split_text
from bot.channels.telegram import TEXT_LIMIT, keyboard
from bot.settings import BUNDLED_CAMPAIGN
from domain.campaign import load_campaign
from handlers.types import Choice, Reply


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("ngắn", ["ngắn"]),
        ("a" * TEXT_LIMIT, ["a" * TEXT_LIMIT]),
        ("a" * (TEXT_LIMIT + 1), ["a" * TEXT_LIMIT, "a"]),
        ("dòng một\n" + "b" * TEXT_LIMIT, ["dòng một", "b" * TEXT_LIMIT]),
    ],
)
def test_long_text_is_split_at_line_ends_within_the_limit(text: str, pieces: list[str]) -> None:
    assert split_text(text, TEXT_LIMIT) == pieces


def test_every_indicator_choice_fits_telegrams_callback_data() -> None:
    campaign = load_campaign(BUNDLED_CAMPAIGN)
    ids = ["ind:" + indicator.code for indicator in campaign.indicators]
    ids += [
        "opt:" + option.code for indicator in campaign.indicators for option in indicator.options
    ]
    assert max(len(choice_id.encode()) for choice_id in ids) <= 64


def test_choices_become_one_button_a_row_and_plain_text_none() -> None:
    reply = Reply("Chọn", (Choice("confirm", "✅ Xác nhận"), Choice("cancel", "❌ Hủy")))
    markup = keyboard(reply)
    assert markup is not None
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("✅ Xác nhận", "confirm")],
        [("❌ Hủy", "cancel")],
    ]
    assert keyboard(Reply("Không có lựa chọn")) is None
