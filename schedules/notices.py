"""Notices to the secretariat that follow from what happened, not from the calendar."""

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from domain.invites import GUESSING_WINDOW, WRONG_CODES_PER_ACCOUNT_GUARDED, WRONG_CODES_WINDOW
from handlers.outgoing import Outgoing, queue
from handlers.texts import t
from handlers.types import Capabilities, Reply
from storage import repo


async def tell_admins_of_guessing(
    session: AsyncSession, capabilities: Mapping[str, Capabilities], now: datetime, zone: ZoneInfo
) -> int:
    """Each trip of the invite guard, told once to every admin; how many messages were queued."""
    trips = await repo.take_invite_guard_trips(session, now)
    if not trips:
        return 0
    messages: list[Outgoing] = []
    for person_id, language in await repo.people_with_role(session, "admin"):
        chat = await repo.last_chat(session, person_id)
        if chat is None:
            continue
        for trip in trips:
            text = t(
                language,
                "invite_guessing_notice",
                codes=trip.wrong_codes,
                accounts=trip.accounts,
                seconds=int(GUESSING_WINDOW.total_seconds()),
                time=trip.started_at.astimezone(zone).strftime("%H:%M %d/%m/%Y"),
                until=trip.until.astimezone(zone).strftime("%H:%M %d/%m/%Y"),
                tries=WRONG_CODES_PER_ACCOUNT_GUARDED,
                minutes=int(WRONG_CODES_WINDOW.total_seconds() // 60),
            )
            key = f"guessing:{trip.number}:{person_id}"
            messages.append(Outgoing(chat[0], chat[1], Reply(text), person_id, key))
    return await queue(session, capabilities, messages, "notice", now)
