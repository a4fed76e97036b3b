"""Invite codes: short, random, easy to read aloud and to type on a phone."""

import re
import secrets
from datetime import timedelta

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


# Guessing. Each account may send a few wrong codes; and when wrong codes from all accounts
# together come faster than people mistype, the bot is guarded: for a while, growing with
# each trip, an account gets one wrong code per window instead of five. A code is checked
# as long as its account has not used up its own allowance, so an account that sends its
# right code at once is never refused, and no one else's guesses can make a person wait
# longer than one window after their own mistake.
WRONG_CODES_WINDOW = timedelta(minutes=10)
WRONG_CODES_PER_ACCOUNT = 5
WRONG_CODES_PER_ACCOUNT_GUARDED = 1
GUESSING_RATE = 20  # wrong codes from all accounts in GUESSING_WINDOW that trip the guard
GUESSING_WINDOW = timedelta(minutes=1)
GUARD_FIRST = timedelta(minutes=10)
GUARD_LONGEST = timedelta(days=1)
TRIPS_REMEMBERED = timedelta(days=1)  # trips within this make the next one longer


def may_try_code(wrong_codes: int, guarded: bool) -> bool:
    """Whether an account with this many wrong codes in the window gets its code checked."""
    allowed = WRONG_CODES_PER_ACCOUNT_GUARDED if guarded else WRONG_CODES_PER_ACCOUNT
    return wrong_codes < allowed


def guessing(wrong_codes: int) -> bool:
    """Whether this many wrong codes from all accounts in GUESSING_WINDOW mean guessing."""
    return wrong_codes > GUESSING_RATE


def guard_length(earlier_trips: int) -> timedelta:
    """How long a trip guards: GUARD_FIRST, doubled for each trip in the day before, at most
    GUARD_LONGEST."""
    doublings = min(earlier_trips, 16)  # 16 doublings are well past GUARD_LONGEST already
    return min(GUARD_FIRST * (1 << doublings), GUARD_LONGEST)
