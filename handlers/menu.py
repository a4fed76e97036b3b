"""The main menu, help, the person's own details, leaving a form."""

from datetime import timedelta

from domain.invites import display_code
from handlers.context import Ctx
from handlers.types import Choice
from storage import repo, review

LINK_CODE_VALID_FOR = timedelta(hours=24)


async def show(ctx: Ctx) -> None:
    """What the member can do: a viewer reports nothing, only an admin sends updates and
    reviews figures."""
    member = ctx.member
    role = member.role if member else "reporter"
    choices = [Choice("cmd:report", ctx.t("menu_report"))] if role != "viewer" else []
    choices += [
        Choice("cmd:standing", ctx.t("menu_standing")),
        Choice("cmd:leaderboard", ctx.t("menu_leaderboard")),
        Choice("cmd:progress", ctx.t("menu_progress")),
    ]
    if role == "admin":
        waiting = ctx.number(await review.pending_count(ctx.session))
        choices.append(Choice("cmd:review", ctx.t("menu_review", count=waiting)))
        choices.append(Choice("cmd:broadcast", ctx.t("menu_broadcast")))
        choices.append(Choice("cmd:export", ctx.t("menu_export")))
        choices.append(Choice("cmd:commendations", ctx.t("menu_commendations")))
    if role != "viewer":
        choices.append(Choice("cmd:deliver", ctx.t("menu_deliver")))
    choices.append(Choice("cmd:story", ctx.t("menu_story")))
    choices += [Choice("cmd:me", ctx.t("menu_me")), Choice("cmd:help", ctx.t("menu_help"))]
    ctx.say(ctx.t("menu"), tuple(choices))


async def help_(ctx: Ctx) -> None:
    ctx.say(ctx.t("help"))


def role_name(ctx: Ctx, role: str) -> str:
    return ctx.t("role_" + role)


async def me(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None
    if member.group_name and member.group_kind:
        group = f"{ctx.t('group_' + member.group_kind)}: {member.group_name}"
    else:
        group = ctx.t("no_group")
    campaign = ctx.catalog.campaign.name if ctx.catalog else "—"
    details = ctx.t(
        "me",
        name=member.display_name or "—",
        unit=member.unit_name,
        role=role_name(ctx, member.role),
        group=group,
        campaign=campaign,
    )
    if ctx.capabilities.linkable:
        code = await repo.create_link_code(ctx.session, member, LINK_CODE_VALID_FOR, ctx.now)
        details += "\n\n" + ctx.t("link_code", code=display_code(code))
    ctx.say(details)


async def cancel(ctx: Ctx) -> None:
    if ctx.state.flow:
        ctx.state.clear()
        ctx.say(ctx.t("cancelled"))
    else:
        ctx.say(ctx.t("nothing_to_cancel"))
    await show(ctx)


async def unknown_command(ctx: Ctx, command: str) -> None:
    ctx.say(ctx.t("unknown_command", command="/" + command))
    await show(ctx)
