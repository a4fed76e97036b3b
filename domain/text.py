"""Folding Vietnamese text so that what people type without diacritics still matches."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse whitespace: "Xã Y Tý" → "xa y ty"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare).strip().lower()


def slug(text: str) -> str:
    """A stable ASCII code for a name: "Xã Y Tý" → "xa-y-ty"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
