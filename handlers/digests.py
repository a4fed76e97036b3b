"""The digests as people read them: a unit's weekly standing for its focal points, the monthly
province summary for the admins. The job (schedules/digests.py) decides who gets which when;
the wording is /xephang's and /bangxephang's (handlers/standings.py)."""

from dataclasses import dataclass
from datetime import date

from domain.campaign import CampaignSpec
from handlers.report import date_text
from handlers.standings import board_lines, head_lines, missing_lines, rates_line
from handlers.texts import t
from handlers.types import Choice, Reply
from storage.standings import Leaderboard, RatesReport, UnitStanding

SHOWN_AT_EACH_END = 3
"""Units named at the top and at the bottom of the province in the monthly summary."""


@dataclass(frozen=True)
class Summary:
    """What the monthly summary reports, read once a run for every admin."""

    board: Leaderboard
    """The province's."""
    rates: RatesReport
    groups: dict[int, tuple[str, str]]
    """Block or cluster id → its kind ("block" before "cluster") and name."""
    pending: int
    """Figures awaiting review."""


def weekly_reply(lang: str, campaign: CampaignSpec, standing: UnitStanding, day: date) -> Reply:
    """The unit's rank, score, change and reporting rates, and what is still missing, with a
    "Báo cáo ngay" choice when something is."""
    indicators = standing.result.indicators
    lines = [t(lang, "digest_weekly_head", date=date_text(day)), ""]
    lines += head_lines(lang, campaign, standing)
    lines += ["", *missing_lines(lang, campaign, indicators), "", t(lang, "digest_weekly_more")]
    choices = [Choice("cmd:standing", t(lang, "menu_standing"))]
    if any(line.missing for line in indicators):
        choices.insert(0, Choice("cmd:report", t(lang, "remind_report_now")))
    return Reply("\n".join(lines), tuple(choices))


def monthly_reply(lang: str, summary: Summary, day: date) -> Reply:
    """The province's completeness and timeliness, by block and cluster, its leading and
    trailing units, and the figures awaiting review."""
    board = summary.board
    period = board.periods.counted[-1].label(lang)
    lines = [t(lang, "digest_monthly_head", date=date_text(day), period=period), ""]
    lines.append(t(lang, "digest_province_rates", rates=rates_line(lang, summary.rates.province)))
    groups = sorted(  # blocks, then clusters, by name (which says which it is)
        (summary.groups[group_id], rates)
        for group_id, rates in summary.rates.by_group.items()
        if group_id is not None
    )
    outside = summary.rates.by_group.get(None)
    if groups or outside:
        lines += ["", t(lang, "digest_by_group")]
        lines += [f"• {name}: {rates_line(lang, rates)}" for (_kind, name), rates in groups]
        if outside:
            lines.append(f"• {t(lang, 'no_group')}: {rates_line(lang, outside)}")
    rows = board.rows
    if rows:
        lines += ["", t(lang, "digest_top"), *board_lines(lang, board, rows[:SHOWN_AT_EACH_END])]
        trailing = rows[max(SHOWN_AT_EACH_END, len(rows) - SHOWN_AT_EACH_END) :]
        if trailing:
            lines += ["", t(lang, "digest_bottom"), *board_lines(lang, board, trailing)]
    pending = summary.pending
    lines += [
        "",
        t(lang, "digest_pending", count=pending) if pending else t(lang, "digest_no_pending"),
    ]
    choices = (Choice("cmd:review", t(lang, "menu_review", count=pending)),) if pending else ()
    return Reply("\n".join(lines), choices)
