"""/han (/due): what the person's unit still owes, per open period, with each deadline, and the
deliverables it has yet to hand in."""

from handlers import deliverables, report
from handlers.context import Ctx
from handlers.types import Choice
from storage import owed


async def show(ctx: Ctx) -> None:
    """The figures owed and the deliverables not yet handed in, in one message whose choices
    open the report form on the first missing indicator and the deliverable's form."""
    figures = await _figures(ctx)
    handed_in = await deliverables.owed_note(ctx)
    parts = [part for part in (figures, handed_in) if part is not None]
    if parts:
        ctx.say(
            "\n\n".join(text for text, _ in parts),
            tuple(choice for _, choices in parts for choice in choices),
        )


async def _figures(ctx: Ctx) -> tuple[str, tuple[Choice, ...]] | None:
    """Each open period the unit owes figures for, with its deadline and days left or overdue,
    the missing indicators, and a choice that opens the form on the first of them; None after
    saying why the unit reports no figures now."""
    if not report.may_report(ctx):
        return None
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    periods = await report.reportable_periods(ctx)
    if not periods:
        report.say_campaign_closed(ctx)
        return None
    owing = await owed.owed(ctx.session, catalog, periods, [member.unit_id])
    if not owing:
        labels = ", ".join(period.label(ctx.lang) for period in periods)
        return ctx.t("owed_none", unit=member.unit_name, periods=labels), ()
    lines = [ctx.t("owed_head", unit=member.unit_name)]
    for item in owing:
        lines.append(report.owed_line(ctx, item))
        lines += [f"  • {i.number}. {i.short or i.name}" for i in item.missing]
    first = owing[0]
    start = f"cmd:report {first.period.code} {first.missing[0].number}"
    return "\n".join(lines), (Choice(start, ctx.t("report_now")),)
