"""The campaign-updates job: store the campaign file's weekly updates when due, queue the
recipients of every update whose moment has come, and tell senders when theirs is done.

Run it often (every 15 seconds, say): "send now" waits for it. Everything it decides is in
the database (the updates, their recipients' outbox keys), so a restart or a second process
sends nothing twice.
"""

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts import Audience, read_audience
from domain.reminders import MISSED_AFTER, due_occasion, update_occasions
from handlers.broadcast import audience_label, send_due
from schedules import Running
from storage import broadcasts
from storage.campaigns import Catalog

log = logging.getLogger(__name__)


async def run_broadcasts(app: Running, now: datetime) -> int:
    """One round of the job; how many messages it queued."""
    catalog = app.conversations.catalog
    async with app.writing() as session:
        if catalog is not None:
            await _store_recurring(session, catalog, now)
        queued = await send_due(session, app.conversations.capabilities, now)
    if queued:
        app.delivery.wake()
    return queued


async def _store_recurring(session: AsyncSession, catalog: Catalog, now: datetime) -> None:
    """The campaign file's weekly updates whose moment is now, stored once each (by their
    code and date); an audience that names nothing known is skipped."""
    campaign = catalog.campaign
    for update in campaign.reminders.updates:
        occasion = due_occasion(
            update_occasions(update, campaign, now - MISSED_AFTER, now), now, campaign
        )
        if occasion is None:
            continue
        audience = read_audience(update.to, await broadcasts.directory(session))
        if not isinstance(audience, Audience):
            log.warning(
                "Campaign update %s: audience %r names nothing known", update.code, update.to
            )
            continue
        labelled = Audience(audience.kind, audience.codes, audience_label("vi", audience))
        await broadcasts.add(
            session,
            update.text,
            labelled,
            update.to,
            occasion.moment,
            now,
            recurring=f"{update.code}:{occasion.scope}",
        )
