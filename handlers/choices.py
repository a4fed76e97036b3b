"""Resolve what a user typed on a text channel to one of the choices shown last."""

from difflib import SequenceMatcher

from domain.text import fold
from handlers.types import Choice

_NEAR_MISS = 0.8
MAX_MATCHED = 120
"""Characters of typed text compared with the labels: an option's name is far shorter, and
fuzzy matching costs the product of both lengths (a 100.000-character message would hold the
event loop for seconds)."""


def _bare(label: str) -> str:
    """A label without its leading emoji and trailing marks, folded: "✅ Xác nhận" → "xac nhan"."""
    return fold("".join(ch for ch in label if ch.isalnum() or ch.isspace() or ch in "-.,/%()"))


def match_choice(text: str, choices: list[Choice], by_number: bool = True) -> Choice | None:
    """By number ("2", where the list was shown numbered: the position, or the key shown in its
    place such as "8a" or "D1"), by label with or without diacritics, by a part of one label, or by a
    close spelling; None when nothing, or more than one option, fits."""
    if len(text) > 4 * MAX_MATCHED:  # far longer than any label: not an answer to the list
        return None
    typed = fold(text).rstrip(".)")
    if not typed or not choices or len(typed) > MAX_MATCHED:
        return None
    if any(choice.key for choice in choices):
        keyed = [choice for choice in choices if fold(choice.key) == typed]
        if by_number and (keyed or any(ch.isdigit() for ch in typed[:1])):
            return keyed[0] if keyed else None  # never a position where keys were shown
    elif typed.isdecimal() and typed.isascii():
        if not by_number:  # buttons show no numbers: a typed number is a figure, not a choice
            return None
        index = int(typed) - 1 if len(typed) <= 3 else -1
        return choices[index] if 0 <= index < len(choices) else None
    labels = [_bare(choice.label) for choice in choices]
    exact = [c for c, label in zip(choices, labels, strict=True) if label == typed]
    if len(exact) == 1:
        return exact[0]
    if len(typed) >= 4:  # a part of one option's words: "thu ngan sach" for "[9] Thu ngân sách …"
        partial = [c for c, label in zip(choices, labels, strict=True) if typed in label]
        if len(partial) == 1:
            return partial[0]
    scored = sorted(
        (
            (SequenceMatcher(None, typed, label).ratio(), c)
            for c, label in zip(choices, labels, strict=True)
        ),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= _NEAR_MISS and best_score - runner_up > 0.05:
        return best
    return None
