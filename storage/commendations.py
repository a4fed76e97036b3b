"""The commendation candidates' query: each unit's evidence from the read model (the
province's standings, ranked again within each block or cluster), the review states of its
figures and its approved exemplary stories (``storage.stories``), handed to
``domain.commendations`` to choose."""

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import BudgetRevenueRuleSpec
from domain.commendations import Candidate, Evidence, RevenueFigure, choose, revenue_met
from domain.standings import StandingPeriods, ranks
from storage import stories
from storage.campaigns import Catalog
from storage.models import ReviewState, Unit
from storage.review import APPROVED
from storage.standings import UnitResult, leaderboard

STORY_CHARACTERS = 120  # of a story's line among the evidence; the story itself is in /duyet


@dataclass(frozen=True)
class Commendations:
    periods: StandingPeriods
    candidates: list[Candidate]
    revenue_rule: BudgetRevenueRuleSpec | None
    revenue: list[RevenueFigure]
    """The units that fully met their budget revenue target (empty without the rule)."""
    proposers: list[str]
    """Names of the units the rule says propose the revenue list."""


async def commendations(session: AsyncSession, catalog: Catalog, now: datetime) -> Commendations:
    spec = catalog.campaign.commendations
    board = await leaderboard(session, catalog, now)
    results = [row.result for row in board.rows]
    periods = [p.code for p in board.periods.counted]
    counts = await _approved_counts(session, periods)
    told = {
        unit_id: [_story_line(item) for item in listed]
        for unit_id, listed in (await stories.approved_by_unit(session)).items()
    }
    evidence = _evidence(results, counts, told)
    revenue_rule = spec.budget_revenue
    revenue: list[RevenueFigure] = []
    proposers: list[str] = []
    if revenue_rule is not None:
        indicator_id = catalog.indicator_ids[revenue_rule.indicator]
        revenue_counts = await _approved_counts(session, periods, indicator_id)
        figures = []
        for result in results:
            line = next(
                (i for i in result.indicators if i.indicator.code == revenue_rule.indicator), None
            )
            if line is None or line.target is None or line.progress is None:
                continue
            reported, approved = revenue_counts.get(result.unit.id, (0, 0))
            figures.append(
                RevenueFigure(evidence[result.unit.id], line.progress, 0 < reported == approved)
            )
        revenue = revenue_met(figures)
        named = select(Unit.code, Unit.name).where(Unit.code.in_(revenue_rule.proposed_by))
        names = {code: name for code, name in await session.execute(named)}
        proposers = [names.get(code, code) for code in revenue_rule.proposed_by]
    candidates = choose(spec.rules, list(evidence.values()))
    return Commendations(board.periods, candidates, revenue_rule, revenue, proposers)


def _story_line(item: stories.Listed) -> str:
    """ "Tổ dân phố 3: thu gom rác đúng giờ…", cut to a line."""
    line = f"{item.story.subject}: {item.story.achievement}".replace("\n", " ")
    return line if len(line) <= STORY_CHARACTERS else line[: STORY_CHARACTERS - 1] + "…"


def _evidence(
    results: Sequence[UnitResult],
    counts: Mapping[int, tuple[int, int]],
    stories: Mapping[int, Sequence[str]],
) -> dict[int, Evidence]:
    """Each unit's evidence, ranked within its block or cluster (the province's standings
    computed once, not once per group)."""
    groups: dict[int, dict[int, UnitResult]] = defaultdict(dict)
    for result in results:
        if result.unit.group_id is not None:
            groups[result.unit.group_id][result.unit.id] = result
    rank_in: dict[int, int] = {}
    size_of: dict[int, int] = {}
    tied: set[int] = set()
    for members in groups.values():
        ranked = ranks({unit_id: r.score.total for unit_id, r in members.items()})
        rank_in.update(ranked)
        shared = Counter(ranked.values())
        tied.update(unit_id for unit_id, rank in ranked.items() if shared[rank] > 1)
        size_of.update(dict.fromkeys(members, len(members)))
    found = {}
    for result in results:
        unit = result.unit
        own = [line for line in result.indicators if line.target is not None]
        met = sum(1 for line in own if line.progress is not None and line.progress.met)
        reported, approved = counts.get(unit.id, (0, 0))
        found[unit.id] = Evidence(
            unit_id=unit.id,
            code=unit.code,
            name=unit.name,
            group_name=unit.group_name,
            score=result.score.total,
            rank=rank_in.get(unit.id),
            tied=unit.id in tied,
            group_size=size_of.get(unit.id, 0),
            targets_met=met,
            targets=len(own),
            completeness=result.rates.completeness,
            timeliness=result.rates.timeliness,
            approved=approved,
            reported=reported,
            stories=tuple(stories.get(unit.id, ())),
        )
    return found


async def _approved_counts(
    session: AsyncSession, periods: Sequence[str], indicator_id: int | None = None
) -> dict[int, tuple[int, int]]:
    """Unit id → its current figures of these periods (of one indicator, when given), and
    how many of them the secretariat approved."""
    if not periods:
        return {}
    query = (
        select(
            ReviewState.unit_id,
            func.count(),
            func.sum(case((ReviewState.status == APPROVED, 1), else_=0)),
        )
        .where(ReviewState.period.in_(list(periods)))
        .group_by(ReviewState.unit_id)
    )
    if indicator_id is not None:
        query = query.where(ReviewState.indicator_id == indicator_id)
    rows = await session.execute(query)
    return {unit_id: (int(n), int(ok or 0)) for unit_id, n, ok in rows}
