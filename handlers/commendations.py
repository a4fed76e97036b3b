"""/khenthuong (/commendations), for admins: the commendation candidates by form, each with
its evidence, and the units that fully met the budget revenue task. The CLI's table and
workbook take their rows from ``table`` here, so chat and files say the same."""

from decimal import Decimal

from domain.commendations import Evidence, by_form
from domain.numbers import format_number
from domain.standings import SHOWN_DECIMALS
from handlers import report
from handlers.context import Ctx
from handlers.review import is_admin
from handlers.standings import percent, say_sections
from handlers.texts import t
from storage.commendations import Commendations, commendations

STORIES_SHOWN = 2  # in chat, per unit; the CLI's table lists them all

Cell = str | int | Decimal | None
"""A table cell: text, a number (kept a number in the workbook), or nothing."""


async def show(ctx: Ctx, _argument: str = "") -> None:
    if not is_admin(ctx):
        ctx.say(ctx.t("commend_admins_only"))
        return
    catalog = ctx.catalog
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    found = await commendations(ctx.session, catalog, ctx.now)
    if not found.periods.counted:
        ctx.say(ctx.t("standing_not_yet", date=report.date_text(catalog.campaign.starts)))
        return
    period = found.periods.counted[-1].label(ctx.lang)
    sections = [[ctx.t("commend_head", period=period)]]
    if not catalog.campaign.commendations.rules:
        sections.append([ctx.t("commend_no_rules")])
    elif not found.candidates:
        sections.append([ctx.t("commend_none")])
    for form, candidates in by_form(found.candidates).items():
        section = [
            ctx.t("commend_form_head", form=form_name(ctx.lang, form), count=len(candidates))
        ]
        rule = None
        for candidate in candidates:
            if candidate.rule != rule:
                rule = candidate.rule
                section.append(ctx.t("commend_rule", name=rule.name))
            section += _evidence_lines(ctx, candidate.evidence)
        sections.append(section)
    sections += _revenue_sections(ctx, found)
    say_sections(ctx, sections)


def form_name(lang: str, form: str) -> str:
    return t(lang, "commend_form_" + form)


def _evidence_lines(ctx: Ctx, evidence: Evidence) -> list[str]:
    lines = [f"• {evidence.name}: " + _facts(ctx, evidence)]
    shown = evidence.stories[:STORIES_SHOWN]
    lines += [f"   📖 {story}" for story in shown]
    if len(evidence.stories) > len(shown):
        lines.append(
            "   " + ctx.t("commend_more_stories", count=len(evidence.stories) - len(shown))
        )
    return lines


def _facts(ctx: Ctx, evidence: Evidence) -> str:
    """ "92,5 điểm, hạng 1/4 Cụm…; đạt 3/3 chỉ tiêu; đúng hạn 100%; đầy đủ 100%; duyệt 9/9"."""
    if evidence.rank is None:
        place = ctx.t("commend_no_group")
    else:
        tied = ctx.t("tied") if evidence.tied else ""
        rank = f"{evidence.rank}/{evidence.group_size}{tied}"
        place = ctx.t("standing_place", rank=rank, group=evidence.group_name)
    return ctx.t(
        "commend_facts",
        score=ctx.number(evidence.score, SHOWN_DECIMALS),
        place=place,
        met=evidence.targets_met,
        targets=evidence.targets,
        timeliness=_rate(ctx, evidence.timeliness),
        completeness=_rate(ctx, evidence.completeness),
        approved=evidence.approved,
        reported=evidence.reported,
    )


def _rate(ctx: Ctx, value: Decimal | None) -> str:
    return "—" if value is None else percent(ctx.lang, value)


def _revenue_sections(ctx: Ctx, found: Commendations) -> list[list[str]]:
    rule = found.revenue_rule
    if rule is None:
        return []
    assert ctx.catalog is not None
    indicator = ctx.catalog.campaign.indicator(rule.indicator)
    head = ctx.t(
        "commend_revenue_head",
        number=indicator.number,
        form=form_name(ctx.lang, rule.form),
        proposers=", ".join(found.proposers),
        count=len(found.revenue),
    )
    lines = [head]
    if not found.revenue:
        lines.append(ctx.t("commend_revenue_none"))
    for figure in found.revenue:
        progress = figure.progress
        assert progress.target is not None
        lines.append(
            ctx.t(
                "commend_revenue_line",
                name=figure.evidence.name,
                figure=report.show(ctx, indicator, progress.achieved),
                target=report.show(ctx, indicator, progress.target),
                percent=_rate(ctx, progress.percent),
                review=ctx.t("commend_approved" if figure.approved else "commend_not_approved"),
            )
        )
    return [lines]


TABLE_HEADERS = (
    "commend_col_form",
    "commend_col_rule",
    "col_unit_code",
    "col_unit",
    "commend_col_group",
    "commend_col_score",
    "commend_col_rank",
    "commend_col_targets",
    "commend_col_timeliness",
    "commend_col_completeness",
    "commend_col_approved",
    "commend_col_stories",
)


def table(lang: str, found: Commendations) -> tuple[list[str], list[list[Cell]]]:
    """The candidates as rows (form, rule, unit, its evidence), then the budget revenue list:
    what ``thidua commendations`` prints and writes to its workbook."""
    headers = [t(lang, key) for key in TABLE_HEADERS]
    rows: list[list[Cell]] = []
    for candidate in found.candidates:
        form, name = form_name(lang, candidate.rule.form), candidate.rule.name
        rows.append([form, name, *_cells(candidate.evidence)])
    rule = found.revenue_rule
    if rule is not None:
        proposers = ", ".join(found.proposers)
        for figure in found.revenue:
            share = format_number(figure.progress.percent or Decimal(0), 1, lang)
            reason = t(lang, "commend_revenue_reason", percent=share, proposers=proposers)
            rows.append([form_name(lang, rule.form), reason, *_cells(figure.evidence)])
    return headers, rows


def _cells(evidence: Evidence) -> list[Cell]:
    rank = None if evidence.rank is None else f"{evidence.rank}/{evidence.group_size}"
    return [
        evidence.code,
        evidence.name,
        evidence.group_name,
        evidence.score,
        rank,
        f"{evidence.targets_met}/{evidence.targets}",
        evidence.timeliness,
        evidence.completeness,
        f"{evidence.approved}/{evidence.reported}",
        "\n".join(evidence.stories) or None,
    ]
