"""/lichsu (/history): every change of a unit's figures for one indicator (submissions,
corrections, approvals, returns) with who, when, channel, value, reason and status, newest
first, in one message.

Reporters and heads see their own unit; viewers and admins any unit, named by code or by
name typed loosely ("/lichsu sa pa 9"), with a choice when the name fits several.
"""

from sqlalchemy import select

from domain.broadcasts import units_named
from domain.campaign import IndicatorSpec
from domain.periods import find_period
from handlers.context import Ctx
from handlers.report import _label, find_indicators
from handlers.report import show as show_figure
from handlers.types import Choice
from storage import broadcasts, review
from storage.models import Unit

MAX_STEPS = 200  # changes read; those that do not fit the message are counted
MAX_UNITS = 8  # units offered when a name fits several
SEES_EVERY_UNIT = ("admin", "viewer")


async def show(ctx: Ctx, argument: str) -> None:
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    typed = argument.strip()
    if not typed:
        await _ask(ctx)
        return
    unit_ids, indicators = await _read(ctx, typed)
    if not indicators:
        ctx.say(ctx.t("history_unknown", typed=typed[:60]))
        return
    if member.role not in SEES_EVERY_UNIT:
        if member.unit_id not in unit_ids:
            ctx.say(ctx.t("history_own_unit_only", unit=member.unit_name))
            return
        unit_ids = [member.unit_id]
    if len(unit_ids) > 1:
        names = await ctx.session.execute(
            select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)).order_by(Unit.name)
        )
        number = indicators[0].number if len(indicators) == 1 else ""
        choices = tuple(
            Choice(f"cmd:history @{unit_id} {number}".rstrip(), name)
            for unit_id, name in list(names)[:MAX_UNITS]
        )
        ctx.say(ctx.t("history_which_unit", typed=typed[:60]), choices)
    elif len(indicators) > 1:
        choices = tuple(
            Choice(f"cmd:history @{unit_ids[0]} {i.number}", _label(ctx, i)) for i in indicators
        )
        ctx.say(ctx.t("history_which_indicator"), choices)
    else:
        await _history(ctx, unit_ids[0], indicators[0])


async def _ask(ctx: Ctx) -> None:
    """No argument: a reporter picks one of the unit's indicators; others are told how."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    assigned = catalog.assigned(member.unit_code, member.unit_kind)
    if member.role in SEES_EVERY_UNIT or not assigned:
        ctx.say(ctx.t("history_usage"))
        return
    choices = tuple(
        Choice(f"cmd:history {i.number}", i.short or i.name, i.number) for i in assigned
    )
    ctx.say(ctx.t("history_pick"), choices)


async def _read(ctx: Ctx, typed: str) -> tuple[list[int], list[IndicatorSpec]]:
    """The units and indicators typed: "9" (the member's unit), "sa pa 9", "xa-y-ty ngân
    sách", or "@12 9" (a unit by id, from a choice)."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    indicators = catalog.campaign.indicators
    head, _, rest = typed.partition(" ")
    if head.startswith("@") and head[1:].isdecimal():
        return [int(head[1:])], find_indicators(rest, indicators)
    found = find_indicators(typed, indicators)
    if found:
        return [member.unit_id], found
    words = typed.split()
    directory = await broadcasts.directory(ctx.session)
    for cut in range(1, len(words)):  # the longest indicator part first: "y ty ngan sach"
        found = find_indicators(" ".join(words[cut:]), indicators)
        units = units_named(" ".join(words[:cut]), directory) if found else []
        if units:
            codes = [unit.code for unit in units]
            ids = await ctx.session.scalars(select(Unit.id).where(Unit.code.in_(codes)))
            return list(ids), found
    return [], []


async def _history(ctx: Ctx, unit_id: int, indicator: IndicatorSpec) -> None:
    assert ctx.catalog is not None
    unit = await ctx.session.get(Unit, unit_id)
    if unit is None:
        ctx.say(ctx.t("history_unknown", typed=f"@{unit_id}"))
        return
    indicator_id = ctx.catalog.indicator_ids[indicator.code]
    steps = await review.history(ctx.session, unit_id, indicator_id, MAX_STEPS)
    label = _label(ctx, indicator)
    if not steps:
        ctx.say(ctx.t("history_empty", unit=unit.name, indicator=label))
        return
    text = ctx.t("history_head", unit=unit.name, indicator=label)
    limit = ctx.capabilities.text_limit
    for shown, step in enumerate(steps):
        line = "\n" + _line(ctx, indicator, step)
        left = len(steps) - shown
        more = "\n" + ctx.t("history_more", count=ctx.number(left))
        if len(text) + len(line) + len(more) > limit:
            text += more
            break
        text += line
    ctx.say(text)


def _line(ctx: Ctx, indicator: IndicatorSpec, step: review.Step) -> str:
    assert ctx.catalog is not None
    period = find_period(step.period, ctx.catalog.campaign)
    if step.action == "revised":
        action = ctx.t("history_revised", n=step.revision - 1)
    else:
        action = ctx.t("history_" + step.action)
    why = ""
    if step.comment:
        key = "history_comment" if step.action == "returned" else "history_reason"
        why = ctx.t(key, text=step.comment)
    status = ""
    if step.action not in review.DECISIONS:
        status = ctx.t("history_status", status=ctx.t("status_" + step.status))
    return ctx.t(
        "history_line",
        time=ctx.local_time(step.at),
        period=period.label(ctx.lang) if period else step.period,
        action=action,
        value=show_figure(ctx, indicator, step.value),
        who=step.who or "—",
        channel=ctx.t("channel_" + step.channel),
        why=why,
        status=status,
    )
