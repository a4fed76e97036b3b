"""/xephang (/standing), /bangxephang (/leaderboard), /tiendo (/progress): the read model in chat.

Who sees what: a reporter or a head sees their own unit in full and every ranking table; a
viewer or an admin any unit, by `/xephang CODE` or a name typed with or without diacritics
(a choice when several units fit). Long answers are cut between sections to fit the
channel's text limit.
"""

import asyncio
from collections.abc import Sequence
from decimal import Decimal

from domain.broadcasts import EVERYONE, matching
from domain.campaign import CampaignSpec, IndicatorSpec, ScoringSpec
from domain.numbers import format_number
from domain.periods import deadline
from domain.progress import Progress
from domain.standings import (
    SHOWN_DECIMALS,
    ProvinceFigure,
    Rates,
    Score,
    StandingPeriods,
    standing_periods,
)
from domain.text import fold
from handlers import charts, report
from handlers.context import Ctx
from handlers.texts import t
from handlers.types import Choice
from storage import broadcasts, standings
from storage.standings import IndicatorStanding, Leaderboard, Ranked, UnitStanding

SEE_ANY_UNIT = frozenset({"viewer", "admin"})
MAX_OFFERED = 8  # units offered when a name fits several; more: type more of it
BAR_CELLS = 10
MAX_CHART_ROWS = 40  # a longer table (the province's) is read, not looked at
PROVINCE_WORDS = ("toan tinh", "tinh", "ca tinh", *EVERYONE)


async def standing(ctx: Ctx, argument: str = "") -> None:
    """The unit's score and rank, each indicator's progress, what is missing, the change."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    unit_id = member.unit_id
    typed = argument.strip()
    if typed:
        found = await _unit_named(ctx, typed)
        if found is None:
            return
        unit_id = found
    result = await standings.unit_standing(ctx.session, catalog, unit_id, ctx.now)
    if result is None:  # a choice naming a unit removed since
        ctx.say(ctx.t("standing_unknown_unit", typed=typed[:60]))
        return
    if not result.board.periods.counted:
        ctx.say(ctx.t("standing_not_yet", date=report.date_text(catalog.campaign.starts)))
        return
    say_sections(ctx, _standing_sections(ctx, result))
    await attach_charts(ctx, result)


async def _unit_named(ctx: Ctx, typed: str) -> int | None:
    """The id of the unit typed (a code, a name, "#42" from a choice), or None after saying
    why not: another unit for someone who may see only their own, none, or several."""
    member = ctx.member
    assert member is not None
    if typed.startswith("#") and typed[1:].isdecimal():  # a choice offered below
        chosen = int(typed[1:])
        if member.role in SEE_ANY_UNIT or chosen == member.unit_id:
            return chosen
        ctx.say(ctx.t("standing_own_only"))
        return None
    directory = await broadcasts.directory(ctx.session)
    found = matching(typed, directory.units)
    if member.role not in SEE_ANY_UNIT:
        if [unit.code for unit in found] != [member.unit_code]:
            ctx.say(ctx.t("standing_own_only"))
            return None
        return member.unit_id
    if not found:
        ctx.say(ctx.t("standing_unknown_unit", typed=typed[:60]))
        return None
    if len(found) == 1:
        return await standings.unit_by_code(ctx.session, found[0].code)
    if len(found) > MAX_OFFERED:
        ctx.say(ctx.t("standing_too_many", typed=typed[:60], count=len(found)))
        return None
    ids = [await standings.unit_by_code(ctx.session, unit.code) for unit in found]
    choices = tuple(
        Choice(f"cmd:standing #{id_}", u.name) for id_, u in zip(ids, found, strict=True)
    )
    ctx.say(ctx.t("standing_which_unit", typed=typed[:60]), choices)
    return None


def _standing_sections(ctx: Ctx, result: UnitStanding) -> list[list[str]]:
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    unit, periods = result.result, result.board.periods
    progress = [ctx.t("standing_progress_head", period=periods.counted[-1].label(ctx.lang))]
    progress += [_indicator_line(ctx, line) for line in unit.indicators]
    return [
        head_lines(ctx.lang, campaign, result),
        progress,
        missing_lines(ctx.lang, campaign, unit.indicators),
    ]


def head_lines(lang: str, campaign: CampaignSpec, result: UnitStanding) -> list[str]:
    """The unit's name, rank, score, change since the last period and reporting rates: the
    head of /xephang and of the weekly digest."""
    unit, board = result.result, result.board
    lines = [f"🏆 {unit.unit.name}", _place(lang, result.ranked, board)]
    lines.append(_score_line(lang, campaign.scoring, unit.score))
    if not unit.score.on_targets:
        lines.append(t(lang, "standing_no_targets"))
    change = _change(lang, result.ranked, board.periods)
    if change:
        lines.append(change)
    lines.append(rates_line(lang, unit.rates))
    return lines


def _place(lang: str, ranked: Ranked, board: Leaderboard) -> str:
    count = len(board.rows)
    tied = sum(1 for row in board.rows if row.rank == ranked.rank) > 1
    rank = f"{ranked.rank}/{count}" + (t(lang, "tied") if tied else "")
    if board.group_name:
        return t(lang, "standing_place", rank=rank, group=board.group_name)
    return t(lang, "standing_place_province", rank=rank)


def _number(lang: str, value: Decimal | int, max_decimals: int = SHOWN_DECIMALS) -> str:
    return format_number(Decimal(value), max_decimals=max_decimals, locale=lang)


def _score_line(lang: str, scoring: ScoringSpec, score: Score) -> str:
    return t(
        lang,
        "standing_score",
        total=_number(lang, score.total),
        full=_number(lang, scoring.target_points + scoring.management_points, 2),
        targets=_number(lang, score.targets),
        organising=_number(lang, score.organising),
        bonus=_number(lang, score.bonus),
    )


def _change(lang: str, ranked: Ranked, periods: StandingPeriods) -> str:
    """The score and rank against the standing one period earlier."""
    before = ranked.result.previous_score
    if before is None or len(periods.counted) < 2:
        return ""
    delta = ranked.result.score.total - before.total
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return t(
        lang,
        "standing_change",
        period=periods.counted[-2].label(lang),
        delta=f"{sign}{_number(lang, abs(delta))}",
        before=ranked.previous_rank or "—",
        rank=ranked.rank,
    )


def rates_line(lang: str, rates: Rates) -> str:
    """Completeness and timeliness, with the figures received out of those due."""
    if rates.completeness is None or rates.timeliness is None:
        return t(lang, "standing_nothing_due")
    return t(
        lang,
        "standing_rates",
        completeness=percent(lang, rates.completeness),
        timeliness=percent(lang, rates.timeliness),
        received=_number(lang, rates.received),
        expected=_number(lang, rates.expected),
    )


def percent(lang: str, value: Decimal) -> str:
    """ "83,3%"."""
    return f"{_number(lang, value, 1)}%"


def bar(attainment: Decimal | None) -> str:
    """▰▰▰▱▱…: the share of a target reached, in ten cells (full at 100% and beyond)."""
    filled = 0 if attainment is None else int(min(attainment, Decimal(100)) / 10 + Decimal("0.5"))
    return "█" * filled + "░" * (BAR_CELLS - filled)


def _label(indicator: IndicatorSpec) -> str:
    return f"{indicator.number}. {indicator.short or indicator.name}"


def _indicator_line(ctx: Ctx, line: IndicatorStanding) -> str:
    indicator, result = line.indicator, line.progress
    label = _label(indicator)
    if result is None:
        return f"{label}: {ctx.t('standing_not_reported')}"
    figure = report.show(ctx, indicator, result.achieved)
    if line.target is None:
        return f"{label}: {figure} ({ctx.t('standing_no_own_target')})"
    return f"{label}: {_progress_figure(ctx, indicator, result)}"


def _progress_figure(ctx: Ctx, indicator: IndicatorSpec, result: Progress) -> str:
    """ "████████░░ 80,0% · 16.800 / 21.000 tỷ đồng", a share's gap, or "Đạt"."""
    assert result.target is not None
    figure = report.show(ctx, indicator, result.achieved)
    target = report.show(ctx, indicator, result.target)
    if indicator.options:
        return f"{'✅' if result.met else '❌'} {figure}"
    if indicator.direction == "target_band":
        gap = ctx.number(abs(result.achieved - result.target), 2)
        return f"{bar(result.attainment)} {ctx.t('standing_band', figure=figure, target=target, gap=gap)}"
    shown = percent(ctx.lang, result.percent) if result.percent is not None else "—"
    mark = " 🎯" if result.met else ""
    return f"{bar(result.attainment)} {shown} · {figure} / {target}{mark}"


def missing_lines(
    lang: str, campaign: CampaignSpec, lines: Sequence[IndicatorStanding]
) -> list[str]:
    """The due periods still missing figures, with their deadlines and indicator numbers."""
    by_period: dict[str, list[str]] = {}
    periods = {}
    for line in lines:
        for period in line.missing:
            by_period.setdefault(period.code, []).append(line.indicator.number)
            periods[period.code] = period
    if not by_period:
        return [t(lang, "standing_nothing_missing")]
    out = [t(lang, "standing_missing_head")]
    for code in sorted(by_period):
        period = periods[code]
        out.append(
            t(
                lang,
                "standing_missing_line",
                period=period.label(lang),
                deadline=report.date_text(deadline(period, campaign.reporting)),
                numbers=", ".join(by_period[code]),
            )
        )
    return out


async def leaderboard(ctx: Ctx, argument: str = "") -> None:
    """A block's or cluster's table: the member's own, one named, or the province's."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    typed = argument.strip()
    if not typed:
        own = await standings.unit_standing(ctx.session, catalog, member.unit_id, ctx.now)
        assert own is not None
        board = own.board
    elif fold(typed) in PROVINCE_WORDS:
        board = await standings.leaderboard(ctx.session, catalog, ctx.now)
    else:
        group_id = await _group_named(ctx, typed)
        if group_id is None:
            return
        board = await standings.leaderboard(ctx.session, catalog, ctx.now, group_id)
    if not board.periods.counted:
        ctx.say(ctx.t("standing_not_yet", date=report.date_text(catalog.campaign.starts)))
        return
    say_sections(ctx, [_board_lines(ctx, board, member.unit_id)])
    await attach_charts(ctx, None, board)


async def _group_named(ctx: Ctx, typed: str) -> int | None:
    directory = await broadcasts.directory(ctx.session)
    groups = directory.blocks + directory.clusters
    found = matching(typed, groups)
    if len(found) == 1:
        return await standings.group_by_code(ctx.session, found[0].code)
    if not found:
        ctx.say(ctx.t("leaderboard_unknown_group", typed=typed[:60]))
        return None
    choices = tuple(Choice(f"cmd:leaderboard {g.code}", g.name) for g in found[:MAX_OFFERED])
    ctx.say(ctx.t("leaderboard_which_group", typed=typed[:60]), choices)
    return None


def _board_lines(ctx: Ctx, board: Leaderboard, own_unit: int) -> list[str]:
    period = board.periods.counted[-1].label(ctx.lang)
    group = board.group_name or ctx.t("province")
    lines = [ctx.t("leaderboard_head", group=group, period=period)]
    lines += board_lines(ctx.lang, board, board.rows, own_unit)
    return lines


def board_lines(
    lang: str, board: Leaderboard, rows: Sequence[Ranked], own_unit: int | None = None
) -> list[str]:
    """ "👉 2. Xã Y Tý — 81,5 (đồng hạng) ↑" for each of these rows of the board."""
    counts: dict[int, int] = {}
    for row in board.rows:
        counts[row.rank] = counts.get(row.rank, 0) + 1
    lines = []
    for row in rows:
        unit = row.result.unit
        mark = "👉 " if unit.id == own_unit else ""
        tie = t(lang, "tied") if counts[row.rank] > 1 else ""
        moved = ""
        if row.previous_rank is not None and row.previous_rank != row.rank:
            moved = " ↑" if row.previous_rank > row.rank else " ↓"
        score = _number(lang, row.result.score.total)
        lines.append(f"{mark}{row.rank}. {unit.name} — {score}{tie}{moved}")
    return lines


async def province(ctx: Ctx, argument: str = "") -> None:
    """The province's progress on the 28 targets, the directive's multi-figure targets together."""
    catalog = ctx.catalog
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    figures = await standings.province_progress(ctx.session, catalog, ctx.now)
    periods = standing_periods(ctx.now, catalog.campaign)
    if not periods.counted:
        ctx.say(ctx.t("standing_not_yet", date=report.date_text(catalog.campaign.starts)))
        return
    sections: list[list[str]] = [
        [ctx.t("province_head", period=periods.counted[-1].label(ctx.lang))]
    ]
    for target in _by_target(figures):
        sections.append([_province_line(ctx, figure) for figure in target])
    say_sections(ctx, sections, gap="\n")


def _by_target(figures: Sequence[ProvinceFigure]) -> list[list[ProvinceFigure]]:
    """The directive's numbering: 2a–2d are target 2."""
    grouped: dict[str, list[ProvinceFigure]] = {}
    for figure in figures:
        grouped.setdefault(figure.indicator.number.rstrip("abcdefgh"), []).append(figure)
    return list(grouped.values())


def _province_line(ctx: Ctx, figure: ProvinceFigure) -> str:
    indicator, result = figure.indicator, figure.progress
    label = _label(indicator)
    if result is None and figure.check is not None:  # the department's total is not in yet
        check = report.show(ctx, indicator, figure.check)
        return f"{label}: {ctx.t('province_no_total', value=check, count=figure.reporting)}"
    if result is None:
        return f"{label}: {ctx.t('province_none', expected=figure.expected)}"
    if indicator.aggregation == "all_units":
        met = ctx.t("province_units_met", met=result.achieved, expected=figure.expected)
        return f"{label}: {bar(result.percent)} {met}{' 🎯' if result.met else ''}"
    line = f"{label}: {_progress_figure(ctx, indicator, result)}"
    if figure.check is not None:
        key = "province_check_parts" if figure.check_is_parts else "province_check_total"
        line += " " + ctx.t(key, value=report.show(ctx, indicator, figure.check))
    return line


def say_sections(ctx: Ctx, sections: Sequence[Sequence[str]], gap: str = "\n\n") -> None:
    """Sections in as few messages as the channel's text limit allows, cut between sections
    (within one only when it alone is too long, then between its lines)."""
    limit = ctx.capabilities.text_limit
    message = ""
    for section in sections:
        text = "\n".join(section)
        if message and len(message) + len(gap) + len(text) <= limit:
            message += gap + text
            continue
        if message:
            ctx.say(message)
        message = ""
        for line in section if len(text) > limit else [text]:
            if message and len(message) + 1 + len(line) > limit:
                ctx.say(message)
                message = ""
            message = f"{message}\n{line}" if message else line[:limit]
    if message:
        ctx.say(message)


def progress_rows(result: UnitStanding) -> list[tuple[str, float | None]]:
    """The unit's chart: each indicator's label and percent of its target (None: no target
    or not reported)."""
    return [
        (
            _label(line.indicator),
            float(line.progress.attainment)
            if line.progress is not None
            and line.target is not None
            and line.progress.attainment is not None
            and line.progress.attainment.is_finite()
            else None,
        )
        for line in result.result.indicators
    ]


def ranking_rows(board: Leaderboard, unit_id: int | None) -> list[tuple[str, float, bool]]:
    """The block's chart: each unit's name, score, and whether it is the asking unit."""
    return [
        (row.result.unit.name, float(row.result.score.total), row.result.unit.id == unit_id)
        for row in board.rows
    ]


async def attach_charts(
    ctx: Ctx, result: UnitStanding | None, board: Leaderboard | None = None
) -> None:
    """A picture after the text where the channel shows one: the unit's progress, or the
    table's scores when it is short enough to read as bars (a block or a cluster).

    Drawing takes a tenth to a third of a second of processor time (README, "Charts"): it
    runs in a worker thread, not on the event loop.
    """
    if not ctx.capabilities.photos:
        return
    if result is not None:
        unit = result.ranked.result.unit.name
        rows = progress_rows(result)
        png = await asyncio.to_thread(charts.progress_chart, unit, rows, lang=ctx.lang)
        name, caption = "tien-do.png", ctx.t("chart_progress_caption", unit=unit)
    elif board is not None and 1 < len(board.rows) <= MAX_CHART_ROWS:
        title = board.group_name or ctx.t("chart_province")
        ranked = ranking_rows(board, ctx.member.unit_id if ctx.member else None)
        png = await asyncio.to_thread(charts.ranking_chart, title, ranked, lang=ctx.lang)
        name, caption = "xep-hang.png", ctx.t("chart_ranking_caption", group=title)
    else:
        return
    ctx.say(caption, file=ctx.file("photo", png, name))
