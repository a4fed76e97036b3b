"""/xuat (/export): the campaign's data as an Excel workbook, for admins, and its sheets.

The workbook is made after the command's transaction commits (``Ctx.later``), in a session
of its own and with each chunk of rows written off the event loop, then sent to the chat as
a document. ``SHEETS`` lists its sheets in order: a standings sheet is one more builder.
"""

import logging
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.campaign import CHOICE_KINDS, IndicatorSpec
from domain.figures import kept_decimals
from domain.numbers import format_number
from domain.periods import Period, deadline, find_period, started_periods
from domain.standings import ranks
from handlers.context import Ctx, Later
from handlers.texts import t
from handlers.types import OutFile, Reply
from storage import deliverables, standings
from storage import export as data
from storage import review as reviews
from storage.campaigns import Catalog
from storage.owed import OwingUnit
from storage.standings import Ranked
from storage.workbook import (
    DATE,
    DATE_TIME,
    PERCENT,
    POINTS,
    WHOLE,
    Cell,
    Column,
    Row,
    Sheet,
    Value,
    decimals_format,
    write_workbook,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scope:
    """What every sheet of one export reads from."""

    session: AsyncSession
    catalog: Catalog
    periods: Sequence[Period]
    lang: str
    review: data.ReviewStatuses
    now: datetime
    """The standings sheet is as /bangxephang would show it at this moment."""


def _unit_columns(lang: str) -> list[Column]:
    return [
        Column(t(lang, "col_unit_code"), 18),
        Column(t(lang, "col_unit"), 28),
        Column(t(lang, "col_unit_kind"), 14),
        Column(t(lang, "col_block"), 26),
        Column(t(lang, "col_cluster"), 26),
    ]


def _unit_cells(lang: str, unit: OwingUnit) -> list[Value]:
    group = {unit.group_kind: unit.group_name}
    kind = t(lang, f"unit_kind_{unit.kind}")
    return [unit.code, unit.name, kind, group.get("block"), group.get("cluster")]


def _value(indicator: IndicatorSpec, value: Decimal) -> Value:
    """A figure as a number kept to the indicator's decimals; a yes/no or milestone answer
    as its words ("Đạt")."""
    if indicator.kind in CHOICE_KINDS:
        labels = {option.value: option.label for option in indicator.options}
        if value in labels:
            return labels[value]
    return Cell(value, decimals_format(kept_decimals(indicator)))


def reports_sheet(scope: Scope) -> Sheet[data.ReportLine]:
    """Every revision of every figure, the current one first, with its reason and timeliness."""
    lang, zone = scope.lang, scope.catalog.campaign.zone
    columns = [
        *_unit_columns(lang),
        Column(t(lang, "col_indicator_number"), 8),
        Column(t(lang, "col_indicator"), 45),
        Column(t(lang, "col_measure"), 12),
        Column(t(lang, "col_period"), 14),
        Column(t(lang, "col_value"), 16),
        Column(t(lang, "col_revision"), 8, WHOLE),
        Column(t(lang, "col_current"), 10),
        Column(t(lang, "col_reason"), 30),
        Column(t(lang, "col_note"), 30),
        Column(t(lang, "col_person"), 22),
        Column(t(lang, "col_channel"), 11),
        Column(t(lang, "col_time"), 17, DATE_TIME),
        Column(t(lang, "col_timeliness"), 11),
        Column(t(lang, "col_review"), 16),
    ]

    yes, no = t(lang, "cell_yes"), t(lang, "cell_no")
    on_time, late = t(lang, "cell_on_time"), t(lang, "cell_late")

    def cells(line: data.ReportLine) -> Row:
        return [
            *_unit_cells(lang, line.unit),
            line.indicator.number,
            line.indicator.name,
            line.indicator.unit,
            line.period.label(lang),
            _value(line.indicator, line.value),
            line.revision,
            yes if line.current else no,
            line.reason,
            line.note,
            line.person,
            t(lang, f"channel_{line.channel}"),
            line.created_at.astimezone(zone).replace(tzinfo=None),
            on_time if line.on_time else late,
            t(lang, f"status_{line.review}") if line.review else "—",
        ]

    lines = data.report_lines(scope.session, scope.catalog, scope.periods, scope.review)
    return Sheet(t(lang, "sheet_reports"), columns, lines, cells)


def completeness_sheet(scope: Scope) -> Sheet[data.Completeness]:
    """Per unit and period: indicators assigned, reported, reported on time, and the rates."""
    lang, reporting = scope.lang, scope.catalog.campaign.reporting
    columns = [
        *_unit_columns(lang),
        Column(t(lang, "col_period"), 14),
        Column(t(lang, "col_deadline"), 11, DATE),
        Column(t(lang, "col_expected"), 11, WHOLE),
        Column(t(lang, "col_received"), 11, WHOLE),
        Column(t(lang, "col_completeness"), 11, PERCENT),
        Column(t(lang, "col_on_time"), 11, WHOLE),
        Column(t(lang, "col_timely"), 11, PERCENT),
    ]

    def cells(line: data.Completeness) -> Row:
        return [
            *_unit_cells(lang, line.unit),
            line.period.label(lang),
            deadline(line.period, reporting),
            line.expected,
            line.received,
            min(line.received / line.expected, 1) if line.expected else None,
            line.on_time,
            min(line.on_time / line.expected, 1) if line.expected else None,
        ]

    lines = data.completeness(scope.session, scope.catalog, scope.periods)
    return Sheet(t(lang, "sheet_completeness"), columns, lines, cells)


def _fraction(percent: Decimal | None) -> Decimal | None:
    """A percentage of the read model (0 to 100) as the fraction a percent cell shows."""
    return percent / 100 if percent is not None else None


def standings_sheet(scope: Scope) -> Sheet[tuple[Ranked, int]]:
    """Every unit's score and its parts, its rank in its block or cluster (ties share a rank)
    and in the province, and its completeness and timeliness: the read model of /xephang."""
    lang = scope.lang
    columns = [
        *_unit_columns(lang),
        Column(t(lang, "col_score"), 10, POINTS),
        Column(t(lang, "col_target_points"), 12, POINTS),
        Column(t(lang, "col_organising_points"), 12, POINTS),
        Column(t(lang, "col_bonus"), 10, POINTS),
        Column(t(lang, "col_rank_group"), 12, WHOLE),
        Column(t(lang, "col_rank_province"), 12, WHOLE),
        Column(t(lang, "col_completeness"), 11, PERCENT),
        Column(t(lang, "col_timely"), 11, PERCENT),
    ]

    def cells(line: tuple[Ranked, int]) -> Row:
        ranked, group_rank = line
        unit, score, rates = ranked.result.unit, ranked.result.score, ranked.result.rates
        owing = OwingUnit(
            unit.id, unit.code, unit.kind, unit.name, unit.group_name, unit.group_kind
        )
        return [
            *_unit_cells(lang, owing),
            score.total,
            score.targets,
            score.organising,
            score.bonus,
            group_rank,
            ranked.rank,
            _fraction(rates.completeness),
            _fraction(rates.timeliness),
        ]

    async def lines() -> AsyncIterator[Sequence[tuple[Ranked, int]]]:
        board = await standings.leaderboard(scope.session, scope.catalog, scope.now)
        by_group: dict[int | None, dict[int, Decimal]] = {}
        for row in board.rows:
            unit = row.result.unit
            by_group.setdefault(unit.group_id, {})[unit.id] = row.result.score.total
        in_group = {
            unit: rank for scores in by_group.values() for unit, rank in ranks(scores).items()
        }
        yield [(row, in_group[row.result.unit.id]) for row in board.rows]

    return Sheet(t(lang, "sheet_standings"), columns, lines(), cells)


def deliverables_sheet(scope: Scope) -> Sheet[deliverables.ExportRow]:
    """The campaign's deliverables (the implementation plan): each version a unit handed in,
    when, by whom, on time or late, its review; a unit that has handed in nothing, as missing."""
    lang, campaign = scope.lang, scope.catalog.campaign
    names = {deliverable.code: deliverable.name for deliverable in campaign.deliverables}
    on_time, late = t(lang, "cell_on_time"), t(lang, "cell_late")
    columns = [
        *_unit_columns(lang),
        Column(t(lang, "col_deliverable"), 30),
        Column(t(lang, "col_version"), 9, WHOLE),
        Column(t(lang, "col_time"), 16, DATE_TIME),
        Column(t(lang, "col_person"), 20),
        Column(t(lang, "col_channel"), 10),
        Column(t(lang, "col_timeliness"), 12),
        Column(t(lang, "col_file"), 24),
        Column(t(lang, "col_review"), 16),
        Column(t(lang, "col_review_note"), 30),
    ]
    zone = campaign.zone

    def cells(row: deliverables.ExportRow) -> Row:
        unit = OwingUnit(
            0, row.unit_code, row.unit_kind, row.unit_name, row.group_name, row.group_kind
        )
        timing = None if row.on_time is None else on_time if row.on_time else late
        status = t(lang, f"deliver_status_{row.status}")
        return [
            *_unit_cells(lang, unit),
            names.get(row.deliverable, row.deliverable),
            row.version,
            row.submitted_at.astimezone(zone).replace(tzinfo=None) if row.submitted_at else None,
            row.submitted_by,
            t(lang, f"channel_{row.channel}") if row.channel else None,
            timing,
            row.file_name or row.file_type,
            status,
            row.review_note,
        ]

    async def lines() -> AsyncIterator[Sequence[deliverables.ExportRow]]:
        yield await deliverables.export_rows(scope.session, campaign)

    return Sheet(t(lang, "sheet_deliverables"), columns, lines(), cells)


SHEETS: list[Callable[[Scope], Sheet[Any]]] = [
    reports_sheet,
    standings_sheet,
    completeness_sheet,
    deliverables_sheet,
]


async def write_export(
    session: AsyncSession,
    catalog: Catalog,
    path: Path,
    periods: Sequence[Period],
    now: datetime,
    lang: str = "vi",
    review: data.ReviewStatuses = reviews.report_statuses,
) -> dict[str, int]:
    """Write the workbook to `path` (whole or not at all); rows written per sheet name."""
    scope = Scope(session, catalog, periods, lang, review, now)
    partial = path.with_name(path.name + ".part")
    try:
        written = await write_workbook(partial, [build(scope) for build in SHEETS])
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return written


def periods_label(lang: str, periods: Sequence[Period], every: bool) -> str:
    return t(lang, "export_all_periods") if every else ", ".join(p.label(lang) for p in periods)


def ready_text(lang: str, written: dict[str, int], periods: str) -> str:
    def count(sheet: str) -> str:
        return format_number(Decimal(written[t(lang, sheet)]), 0, lang)

    return t(
        lang,
        "export_ready",
        periods=periods,
        reports=count("sheet_reports"),
        units=count("sheet_completeness"),
    )


async def start(ctx: Ctx, argument: str) -> None:
    """/xuat, or /xuat 2025-09 for one period: say it is coming, make it after the commit."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    if member.role != "admin":
        ctx.say(ctx.t("export_admins_only"))
        return
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    if not ctx.capabilities.documents:
        ctx.say(ctx.t("export_no_documents"))
        return
    periods = started_periods(ctx.now, catalog.campaign)
    if not periods:
        ctx.say(ctx.t("export_no_periods"))
        return
    if argument:
        period = find_period(argument.strip(), catalog.campaign)
        if period is None:
            typed, example = argument.strip()[:20], periods[-1].code
            ctx.say(ctx.t("export_bad_period", typed=typed, example=example))
            return
        periods = [period]
    label = periods_label(ctx.lang, periods, every=not argument)
    ctx.say(ctx.t("export_started", periods=label))
    name = f"thidua-{periods[0].code if argument else f'{ctx.today:%Y-%m-%d}'}.xlsx"
    ctx.later.append(_make(catalog, periods, ctx.now, ctx.lang, label, ctx.files_dir, name))


def _make(
    catalog: Catalog,
    periods: Sequence[Period],
    now: datetime,
    lang: str,
    label: str,
    folder: Path,
    name: str,
) -> Later:
    """The export's work, for after the command's transaction: the file and its reply."""

    async def make(sessions: async_sessionmaker[AsyncSession]) -> list[Reply]:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{secrets.token_hex(8)}-{name}"
        try:
            async with sessions() as session:
                written = await write_export(session, catalog, path, periods, now, lang)
        except Exception:
            log.exception("The export could not be made")
            return [Reply(t(lang, "export_failed"))]
        return [Reply(ready_text(lang, written, label), file=OutFile("document", str(path), name))]

    return make
