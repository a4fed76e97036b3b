"""Turning replies into messages: shared by every channel."""

from handlers.types import Choice


def numbered(text: str, choices: tuple[Choice, ...]) -> str:
    """Render choices as a numbered list under the text, for channels without buttons: by
    position, or by each choice's own key where it has one."""
    if not choices:
        return text
    lines = [
        f"{choice.key or number}. {choice.label}" for number, choice in enumerate(choices, start=1)
    ]
    return text + "\n\n" + "\n".join(lines)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut])
        text = text[cut:].lstrip("\n")
    pieces.append(text)
    return pieces
