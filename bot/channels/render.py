"""Turning replies into messages: shared by every channel."""

from pathlib import Path

from handlers.types import Choice, OutFile


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


def missing_file(file: OutFile) -> str | None:
    """Why the reply's file cannot be sent (the reason of a failed delivery), or None."""
    if Path(file.path).is_file():
        return None
    return f"file missing: {file.name} ({Path(file.path).name})"
