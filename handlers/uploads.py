"""A file arriving in a form: checked (kind, name, size, content), downloaded and kept on disk
under the name its checksum gives, or refused with a short answer saying why."""

import logging
from dataclasses import dataclass
from typing import Any

from domain.uploads import DOCUMENTS, MAX_BYTES, FileFacts, facts, refused_by_name, shown_name
from handlers.context import Ctx
from handlers.types import Attachment, FileTooLarge, FileUnavailable
from storage import uploads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Received:
    """A file kept on disk; its row is added with what it belongs to (storage.uploads.record)."""

    facts: FileFacts
    name: str  # the sender's file name, cleaned to show ("" for a photo)

    def saved(self) -> dict[str, Any]:
        """As the form state keeps it."""
        return {
            "sha256": self.facts.sha256,
            "size": self.facts.size,
            "type": self.facts.file_type,
            "name": self.name,
        }

    @classmethod
    def from_saved(cls, data: dict[str, Any]) -> "Received":
        return cls(FileFacts(data["sha256"], data["size"], data["type"]), data["name"])


def accepted_types(ctx: Ctx, kinds: frozenset[str]) -> str:
    """ "PDF, DOCX, XLSX hoặc ảnh chụp" for what these kinds and this channel let through."""
    parts = []
    if "document" in kinds and "document" in ctx.capabilities.evidence:
        parts += list(DOCUMENTS.values())
    if "photo" in kinds and "photo" in ctx.capabilities.evidence:
        parts.append(ctx.t("upload_photo"))
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + ctx.t("upload_or") + parts[-1]
    return "".join(parts)


async def receive(ctx: Ctx, attachment: Attachment, kinds: frozenset[str]) -> Received | None:
    """The file kept, or None after telling the person why not (the form keeps its place)."""
    if attachment.kind not in kinds:
        key = "upload_photo_not_document" if attachment.kind == "photo" else "upload_not_photo"
        ctx.say(ctx.t(key, types=accepted_types(ctx, kinds)))
        return None
    if refused_by_name(attachment.name):
        ctx.say(ctx.t("upload_bad_type", types=accepted_types(ctx, kinds)))
        return None
    if ctx.fetch is None:
        ctx.say(ctx.t("upload_unavailable"))
        return None
    try:
        data = await ctx.fetch(attachment, MAX_BYTES)
    except FileTooLarge:
        ctx.say(ctx.t("upload_too_large", limit=MAX_BYTES // (1024 * 1024)))
        return None
    except FileUnavailable as error:
        log.info("A file sent on %s could not be downloaded: %s", ctx.event.channel, error)
        ctx.say(ctx.t("upload_unavailable"))
        return None
    found = facts(data)
    if found is None or (found.kind == "photo" and "photo" not in kinds):
        # A photo sent as a file where only documents count is refused like any other type.
        ctx.say(ctx.t("upload_bad_type", types=accepted_types(ctx, kinds)))
        return None
    uploads.keep_file(ctx.files_dir, found, data)
    return Received(found, shown_name(attachment.name))
