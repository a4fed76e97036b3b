"""Turning replies into messages: shared by every channel."""

from handlers.types import Choice, Reply


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
