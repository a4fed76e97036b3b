"""Files people send, on disk and in the `uploads` table: one copy of each, found by checksum.

A form writes the file (atomically, under its checksum's name) when it arrives and adds its
row only when what it belongs to is stored; a form left halfway, or a transaction that
fails, leaves a file that the next sending of the same content finds in place.
"""

import os
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.uploads import FileFacts
from storage.models import Upload

UPLOADS = "uploads"


def uploads_folder(files_dir: Path) -> Path:
    return files_dir / UPLOADS


async def find(session: AsyncSession, sha256: str) -> Upload | None:
    return await session.scalar(select(Upload).where(Upload.sha256 == sha256))


def keep_file(files_dir: Path, facts: FileFacts, data: bytes) -> None:
    """Write the file under its checksum's name, unless it is there already."""
    target = uploads_folder(files_dir) / facts.stored_name
    if not target.exists():
        _write_atomically(target, data)


async def record(session: AsyncSession, facts: FileFacts, now: datetime) -> Upload:
    """The row of a file kept on disk (`keep_file`), added if it is new."""
    found = await find(session, facts.sha256)
    if found is not None:
        return found
    upload = Upload(
        sha256=facts.sha256,
        size=facts.size,
        file_type=facts.file_type,
        path=facts.stored_name,
        created_at=now,
    )
    session.add(upload)
    await session.flush()
    return upload


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
