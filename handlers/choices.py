"""Resolve what a user typed on a text channel to one of the choices shown last."""

from difflib import SequenceMatcher

from domain.text import fold
from handlers.types import Choice, Reply

_NEAR_MISS = 0.8


def _bare(label: str) -> str:
    """A label without its leading emoji and trailing marks, folded: "✅ Xác nhận" → "xac nhan"."""
    return fold("".join(ch for ch in label if ch.isalnum() or ch.isspace() or ch in "-.,/%()"))


def match_choice(text: str, choices: list[Choice]) -> Choice | None:
    """By number ("2"), by label with or without diacritics, or by a close spelling."""
    typed = fold(text).rstrip(".)")
    if not typed or not choices:
        return None
    if typed.isdigit():
        index = int(typed) - 1 if len(typed) <= 3 else -1
        return choices[index] if 0 <= index < len(choices) else None
    labels = [_bare(choice.label) for choice in choices]
    exact = [c for c, label in zip(choices, labels, strict=True) if label == typed]
    if len(exact) == 1:
        return exact[0]
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


def merged(replies: list[Reply], limit: int) -> list[Reply]:
    """Replies in as few messages as fit: a note and the question after it travel together.

    Fewer messages read better on a phone and stay within per-chat rate limits. A reply with
    choices ends a message, so its choices stay under their own question.
    """
    out: list[Reply] = []
    for reply in replies:
        if out and not out[-1].choices and len(out[-1].text) + 2 + len(reply.text) <= limit:
            out[-1] = Reply(out[-1].text + "\n\n" + reply.text, reply.choices)
        else:
            out.append(reply)
    return out


def numbered(text: str, choices: tuple[Choice, ...]) -> str:
    """Render choices as a numbered list under the text, for channels without buttons."""
    if not choices:
        return text
    lines = [f"{number}. {choice.label}" for number, choice in enumerate(choices, start=1)]
    return text + "\n\n" + "\n".join(lines)
