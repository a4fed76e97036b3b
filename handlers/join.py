"""Joining by invite code, and what a stranger is told."""

import logging

from domain.invites import (
    GUESSING_WINDOW,
    TRIPS_REMEMBERED,
    WRONG_CODES_PER_ACCOUNT_GUARDED,
    WRONG_CODES_WINDOW,
    guard_length,
    guessing,
    is_code,
    may_try_code,
    normalize_code,
)
from handlers import menu
from handlers.context import Ctx
from storage import repo

log = logging.getLogger(__name__)


async def stranger(ctx: Ctx, command: str | None, text: str) -> None:
    """Someone with no membership: a code joins them, anything else explains the bot."""
    # Text alone is taken for a code only when it looks like one as shown ("K7M3-QX9P"), so
    # that a greeting of eight letters does not count as a wrong code.
    typed_code = command is None and is_code(text) and any(ch.isdigit() or ch == "-" for ch in text)
    if (command == "start" and text) or typed_code:
        await _try_code(ctx, normalize_code(text))
    else:
        campaign = ctx.catalog.campaign if ctx.catalog else None
        ctx.say(
            ctx.t(
                "intro",
                campaign=campaign.name if campaign else "Phong trào thi đua",
                issuer=campaign.issuer if campaign else "",
            )
        )


async def _try_code(ctx: Ctx, code: str) -> None:
    event = ctx.event
    guard_until = await repo.invite_guard_until(ctx.session)
    guarded = guard_until is not None and guard_until > ctx.now
    since = ctx.now - WRONG_CODES_WINDOW
    wrong_codes = await repo.recent_failed_joins(ctx.session, event.channel, event.user_id, since)
    if not may_try_code(wrong_codes, guarded):
        minutes = int(WRONG_CODES_WINDOW.total_seconds() // 60)
        ctx.say(ctx.t("join_wait_guarded" if guarded else "join_wait", minutes=minutes))
        return
    invite = await repo.invite(ctx.session, code) if is_code(code) else None
    if invite is None:
        await repo.remember_failed_join(
            ctx.session, event.channel, event.user_id, ctx.now, WRONG_CODES_WINDOW
        )
        if not guarded:
            await _watch_for_guessing(ctx)
        ctx.say(ctx.t("invite_wrong", code=code[:20] or "—"))
    elif invite.person_id is not None and await repo.has_account_on(
        ctx.session, invite.person_id, event.channel
    ):
        ctx.say(ctx.t("link_other_app"))
    elif invite.used_at is not None:
        ctx.say(ctx.t("invite_used"))
    elif invite.expires_at <= ctx.now:
        ctx.say(ctx.t("invite_expired", date=ctx.local_time(invite.expires_at)[6:]))
    else:
        await repo.join(
            ctx.session,
            invite,
            event.channel,
            event.user_id,
            event.chat_id,
            event.display_name,
            ctx.lang,
            ctx.now,
        )
        ctx.member = await repo.find_member(ctx.session, event.channel, event.user_id)
        assert ctx.member is not None
        said = "linked" if invite.person_id is not None else "joined"
        ctx.say(ctx.t(said, role=menu.role_name(ctx, ctx.member.role), unit=ctx.member.unit_name))
        await menu.show(ctx)


async def _watch_for_guessing(ctx: Ctx) -> None:
    """Trip the invite guard when wrong codes from all accounts together come too fast: a
    warning in the log, and a trip stored for the admins (`repo.take_invite_guard_trips`)."""
    wrong = await repo.wrong_codes_since(ctx.session, ctx.now - GUESSING_WINDOW)
    if not guessing(wrong.codes):
        return
    earlier_trips = await repo.invite_guard_trips_since(ctx.session, ctx.now - TRIPS_REMEMBERED)
    length = guard_length(earlier_trips)
    if await repo.record_invite_guard_trip(ctx.session, ctx.now, ctx.now + length, wrong):
        log.warning(
            "Invite codes are being guessed: %d wrong codes from %d accounts in %d s; "
            "for %d minutes each account gets %d wrong code per %d minutes",
            wrong.codes,
            wrong.accounts,
            GUESSING_WINDOW.total_seconds(),
            length.total_seconds() // 60,
            WRONG_CODES_PER_ACCOUNT_GUARDED,
            WRONG_CODES_WINDOW.total_seconds() // 60,
        )


async def already_joined(ctx: Ctx) -> None:
    assert ctx.member is not None
    ctx.say(
        ctx.t(
            "already_joined", role=menu.role_name(ctx, ctx.member.role), unit=ctx.member.unit_name
        )
    )
    await menu.show(ctx)
