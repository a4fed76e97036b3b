"""Typed answers on text channels (console, Zalo) resolve to the choices shown last."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.choices import match_choice
from handlers.types import Choice

UNITS = [
    Choice("xa-y-ty", "Xã Y Tý"),
    Choice("xa-bac-ha", "Xã Bắc Hà"),
    Choice("xa-bao-ha", "Xã Bảo Hà"),
    Choice("xa-ban-ho", "Xã Bản Hồ"),
    Choice("phuong-lao-cai", "Phường Lào Cai"),
    Choice("xa-lao-chai", "Xã Lao Chải"),
]
CONFIRM = [
    Choice("confirm", "✅ Xác nhận"),
    Choice("edit", "✏️ Sửa số liệu"),
    Choice("cancel", "❌ Hủy"),
]


@pytest.mark.parametrize(
    ("typed", "choices", "expected"),
    [
        ("1", UNITS, "xa-y-ty"),
        (" 2. ", UNITS, "xa-bac-ha"),
        ("6)", UNITS, "xa-lao-chai"),
        ("Xã Y Tý", UNITS, "xa-y-ty"),
        ("xa y ty", UNITS, "xa-y-ty"),
        ("XA BAO HA", UNITS, "xa-bao-ha"),
        ("phuong lao cai", UNITS, "phuong-lao-cai"),
        ("lao chai", UNITS, "xa-lao-chai"),  # a part of one option
        ("xa y tyy", UNITS, "xa-y-ty"),  # a near miss
        ("xac nhan", CONFIRM, "confirm"),
        ("huy", CONFIRM, "cancel"),
        ("sua so lieu", CONFIRM, "edit"),
    ],
)
def test_a_typed_answer_picks_its_choice(typed: str, choices: list[Choice], expected: str) -> None:
    found = match_choice(typed, choices)
    assert found is not None and found.id == expected


@pytest.mark.parametrize(
    "typed",
    ["", "0", "7", "99999", "xa", "ha", "bac ha bao ha", "😀", "'; DROP TABLE units; --", "lao"],
)
def test_nothing_or_more_than_one_fitting_picks_nothing(typed: str) -> None:
    assert match_choice(typed, UNITS) is None


@given(st.text(max_size=300))
def test_any_text_resolves_to_a_shown_choice_or_to_nothing(typed: str) -> None:
    assert match_choice(typed, UNITS) in [*UNITS, None]
