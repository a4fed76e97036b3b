"""Messages the bot sends unasked (reminders, notices, campaign updates), platform-neutral.

They are queued in the outbox in the caller's transaction; the delivery engine sends them.
A message with choices is answerable on every channel: where choices come as a numbered
list, that numbering becomes the chat's in the same transaction, so "1" means its first
choice. Their ids should be commands ("cmd:report 2025-09"), which a button keeps working
for whatever the chat has done since. The caller wakes the engine after committing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Ctx, tag_choices
from handlers.types import Capabilities, Reply
from storage import outbox, repo


@dataclass(frozen=True)
class Outgoing:
    """One message for one person's chat; `key` makes it go at most once."""

    channel: str
    chat_id: str
    reply: Reply
    person_id: int | None = None
    key: str | None = None


def stored_file(reply: Reply) -> outbox.File | None:
    """The reply's file as the outbox keeps it."""
    file = reply.file
    return (file.kind, file.path, file.name) if file else None


async def queue(
    session: AsyncSession,
    capabilities: Mapping[str, Capabilities],
    messages: list[Outgoing],
    kind: str,
    now: datetime,
    not_before: datetime | None = None,
) -> int:
    """Queue the messages (those whose key was queued before are skipped); how many were new."""
    rows: list[outbox.Message] = []
    for message in messages:
        choices = tag_choices(message.reply.choices) if message.reply.choices else ()
        saved = [[c.id, c.label, c.key] for c in choices]
        if choices and capabilities[message.channel].numbered:
            await repo.offer_choices(session, message.channel, message.chat_id, saved, now)
        rows.append(
            outbox.Message(
                message.channel,
                message.chat_id,
                message.reply.text,
                tuple((c.id, c.label, c.key) for c in choices),
                message.person_id,
                message.key,
                stored_file(message.reply),
            )
        )
    return await outbox.enqueue(session, rows, kind, now, not_before or now)


async def notify(ctx: Ctx, messages: list[Outgoing], kind: str) -> int:
    """Queue messages to other people from a conversation step, in the event's transaction;
    the dispatcher wakes the sender once it has committed."""
    ctx.queued = True
    return await queue(ctx.session, ctx.channels, messages, kind, ctx.now)


async def tell(ctx: Ctx, people: list[tuple[int, str]], reply: Callable[[str], Reply]) -> int:
    """A notice to each (person id, language) in the chat where they last wrote; how many
    could be queued (someone who never wrote has no chat)."""
    messages = []
    for person_id, language in people:
        chat = await repo.last_chat(ctx.session, person_id)
        if chat is not None:
            messages.append(Outgoing(chat[0], chat[1], reply(language), person_id))
    return await notify(ctx, messages, "notice")
