"""/han (/due): what the person's unit still owes, per open period, with each deadline."""

from handlers import report
from handlers.context import Ctx
from handlers.types import Choice
from storage import owed


async def show(ctx: Ctx) -> None:
    """Each open period the unit owes figures for, with its deadline and days left or overdue,
    the missing indicators, and a choice that opens the form on the first of them."""
    if not report.may_report(ctx):
        return
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    periods = await report.reportable_periods(ctx)
    if not periods:
        report.say_campaign_closed(ctx)
        return
    owing = await owed.owed(ctx.session, catalog, periods, [member.unit_id])
    if not owing:
        labels = ", ".join(period.label(ctx.lang) for period in periods)
        ctx.say(ctx.t("owed_none", unit=member.unit_name, periods=labels))
        return
    lines = [ctx.t("owed_head", unit=member.unit_name)]
    for item in owing:
        lines.append(report.owed_line(ctx, item))
        lines += [f"  • {i.number}. {i.short or i.name}" for i in item.missing]
    first = owing[0]
    start = f"cmd:report {first.period.code} {first.missing[0].number}"
    ctx.say("\n".join(lines), (Choice(start, ctx.t("report_now")),))
