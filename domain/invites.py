"""Invite codes: short, random, easy to read aloud and to type on a phone."""

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
LENGTH = 8
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_code() -> str:
    """A random code with at least one digit, so that typed without its hyphen it still
    reads as a code rather than as a word."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(ch.isdigit() for ch in code):
            return code


def normalize_code(text: str) -> str:
    """What people type or paste: "k7m3-qx9p", "K7M3 QX9P" → "K7M3QX9P"."""
    return re.sub(r"[\s\-_.]", "", text).upper()


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def is_code(text: str) -> bool:
    """Whether the text, normalized, has the shape of an invite code."""
    return bool(_SHAPE.match(normalize_code(text)))
