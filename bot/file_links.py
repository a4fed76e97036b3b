"""Signed, expiring web addresses of the files the bot made, served by its web app.

Zalo takes a picture only by URL, and has no documents at all: the bot gives a link under
WEBHOOK_BASE_URL instead. The address carries the file's random name, its display name and
an expiry, signed with HMAC-SHA256 under a key only the bot knows: nobody can make one, change
its expiry or reach another file, and nothing is stored per link.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from domain.clock import Clock
from handlers.types import OutFile
from storage import files

ROUTE = "/files/{expires}/{signature}/{stored}/{display}"
Found = Path | Literal["expired", "unknown"]


def link_key(secret: str) -> bytes:
    """A key for the links derived from a secret the bot already has (its Zalo token), so
    links stay valid across a restart and nothing more needs configuring."""
    return hmac.new(secret.encode(), b"thidua file links", hashlib.sha256).digest()


@dataclass(frozen=True)
class Link:
    url: str
    expires: datetime


class FileLinks:
    """Makes links to files of the files folder and checks the ones that come back."""

    def __init__(
        self, base_url: str, key: bytes, clock: Clock, lifetime: timedelta, folder: Path
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.clock = clock
        self.lifetime = lifetime
        self.folder = folder

    def link(self, file: OutFile) -> Link:
        """A link to the file that works for `lifetime` from now."""
        expires = int((self.clock.now() + self.lifetime).timestamp())
        stored = Path(file.path).name
        signature = self._sign(expires, stored, file.name)
        path = ROUTE.format(
            expires=expires,
            signature=signature,
            stored=quote(stored, safe=""),
            display=quote(file.name, safe=""),
        )
        return Link(self.base_url + path, datetime.fromtimestamp(expires, UTC))

    def find(self, expires: str, signature: str, stored: str, display: str) -> Found:
        """The file a link names: its path, "expired", or "unknown" (a forged or damaged
        link, or a file no longer there)."""
        if not expires.isdigit() or not hmac.compare_digest(
            signature.encode("utf-8", "surrogatepass"),
            self._sign(int(expires), stored, display).encode(),
        ):
            return "unknown"
        if self.clock.now().timestamp() > int(expires):
            return "expired"
        return files.stored(self.folder, stored) or "unknown"

    def _sign(self, expires: int, stored: str, display: str) -> str:
        message = f"{expires}\n{stored}\n{display}".encode("utf-8", "surrogatepass")
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
