"""Files the bot makes (charts, exports), kept on disk under the files folder until sent.

Each file gets a random name that nobody can guess: the web app serves this folder by name
(behind a signed, expiring link), so a name must tell nothing and never be reused.
"""

import os
import re
import secrets
from pathlib import Path

NAME_BYTES = 18  # 24 characters of URL-safe base64: 144 random bits
_STORED_NAME = re.compile(r"[A-Za-z0-9_-]{24}(\.[a-z0-9]{1,8})?")


def save(folder: Path, data: bytes, suffix: str) -> Path:
    """Write `data` to a new file in `folder` (made if missing) named at random, ending in
    `suffix` (".png", ".xlsx"); its path.

    Written to a temporary name and renamed, so a reader never sees half a file.
    """
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        msg = f"a file suffix is a dot and 1 to 8 lowercase letters or digits, not {suffix!r}"
        raise ValueError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (secrets.token_urlsafe(NAME_BYTES) + suffix)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return path


def stored(folder: Path, name: str) -> Path | None:
    """The file called `name` in `folder` if it is one `save` wrote and it is still there;
    None for any other name (another folder, a partial file, a name never given out)."""
    if not _STORED_NAME.fullmatch(name):
        return None
    path = folder / name
    return path if path.is_file() else None
