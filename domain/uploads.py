"""Files people send (a deliverable, a story's photos): what they are, whether they fit, and the
name the bot keeps them under. No I/O: the bytes are given.

The type is read from the content, never trusted from the name or the channel: a PDF starts
with ``%PDF-``, a DOCX or XLSX is a ZIP holding ``word/`` or ``xl/``, a photo is JPEG, PNG or
WebP. The stored name is made from the checksum, so the same file sent twice is one file and
nothing a person types ever reaches a path.
"""

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

MAX_BYTES = 20 * 1024 * 1024
"""20 MB: the most a Telegram bot may download (getFile), and plenty for a plan or a photo."""
MAX_SHOWN_NAME = 80

DOCUMENTS = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX"}
PHOTOS = {"jpg": "JPEG", "png": "PNG", "webp": "WebP"}
_NAME_SUFFIXES = {"pdf", "docx", "xlsx", "jpg", "jpeg", "png", "webp"}


@dataclass(frozen=True)
class FileFacts:
    """What the bot keeps of a file it accepted."""

    sha256: str
    size: int
    file_type: str  # a key of DOCUMENTS or PHOTOS

    @property
    def kind(self) -> str:
        """ "document" or "photo"."""
        return "photo" if self.file_type in PHOTOS else "document"

    @property
    def stored_name(self) -> str:
        """Where it lives under the uploads folder: "ab/ab12…ef.pdf" (the checksum, never the
        sender's file name; two letters of folder keep any one folder small)."""
        return f"{self.sha256[:2]}/{self.sha256}.{self.file_type}"


def file_type(data: bytes) -> str | None:
    """ "pdf", "docx", "xlsx", "jpg", "png", "webp" by the content, or None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("word/") for name in names):
        return "docx"
    if any(name.startswith("xl/") for name in names):
        return "xlsx"
    return None


def facts(data: bytes) -> FileFacts | None:
    """The file's checksum, size and type; None when the type is not one the bot takes."""
    kind = file_type(data)
    if kind is None:
        return None
    return FileFacts(hashlib.sha256(data).hexdigest(), len(data), kind)


def refused_by_name(name: str) -> bool:
    """Whether a file's own name already says it is not a document or photo the bot takes
    ("setup.exe"); a name without a suffix is judged by its content."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")
    return bool(suffix) and suffix not in _NAME_SUFFIXES


def shown_name(name: str) -> str:
    """A sender's file name fit to show and export: its last part only (no folders, whatever
    the separators), printable characters, at most MAX_SHOWN_NAME."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(
        ch for ch in unicodedata.normalize("NFC", last) if ch.isprintable() and ch not in "\r\n\t"
    )
    cleaned = printable.strip(" .")
    if len(cleaned) > MAX_SHOWN_NAME:
        cleaned = cleaned[: MAX_SHOWN_NAME - 1] + "…"
    return cleaned
