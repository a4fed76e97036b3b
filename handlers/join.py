"""Joining by invite code, and what a stranger is told."""

from datetime import timedelta

from domain.invites import is_code, normalize_code
from handlers import menu
from handlers.context import Ctx
from storage import repo

WRONG_CODES_ALLOWED = 5
WRONG_CODES_WINDOW = timedelta(minutes=10)


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
    since = ctx.now - WRONG_CODES_WINDOW
    if (
        await repo.recent_failed_joins(ctx.session, event.channel, event.user_id, since)
        >= WRONG_CODES_ALLOWED
    ):
        ctx.say(ctx.t("join_wait", minutes=int(WRONG_CODES_WINDOW.total_seconds() // 60)))
        return
    invite = await repo.invite(ctx.session, code) if is_code(code) else None
    if invite is None:
        await repo.remember_failed_join(
            ctx.session, event.channel, event.user_id, ctx.now, WRONG_CODES_WINDOW
        )
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


async def already_joined(ctx: Ctx) -> None:
    assert ctx.member is not None
    ctx.say(
        ctx.t(
            "already_joined", role=menu.role_name(ctx, ctx.member.role), unit=ctx.member.unit_name
        )
    )
    await menu.show(ctx)
