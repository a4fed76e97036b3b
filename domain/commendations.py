"""Commendation candidates: the units the campaign file's ``commendations`` rules propose, each
with the evidence a council member would check (score, rank, targets met, on-time and
complete reports, approved figures and stories).

Pure: ``storage/commendations.py`` gathers each unit's evidence from the read model; these
functions only choose, so the chat command, the CLI and its workbook always agree.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.campaign import CommendationForm, CommendationRuleSpec
from domain.progress import Progress


@dataclass(frozen=True)
class Evidence:
    unit_id: int
    code: str
    name: str
    group_name: str | None
    score: Decimal
    rank: int | None
    """In its block or cluster; None: the unit is in none."""
    tied: bool
    """Another unit of its group has the same rank."""
    group_size: int
    targets_met: int
    targets: int
    """Indicators with a target of the unit's own."""
    completeness: Decimal | None
    timeliness: Decimal | None
    """None: nothing was due yet."""
    approved: int
    """Of its figures so far, those the secretariat approved."""
    reported: int
    stories: tuple[str, ...] = ()
    """Its approved exemplary stories, one line each."""


@dataclass(frozen=True)
class Candidate:
    rule: CommendationRuleSpec
    evidence: Evidence


@dataclass(frozen=True)
class RevenueFigure:
    """A unit's budget revenue so far against its own target."""

    evidence: Evidence
    progress: Progress
    approved: bool
    """The newest period's figure was approved by the secretariat."""


def meets(rule: CommendationRuleSpec, evidence: Evidence) -> bool:
    """Whether the unit meets every condition the rule gives."""
    checks = (
        not rule.leads_group or evidence.rank == 1,
        not rule.all_targets_met or 0 < evidence.targets == evidence.targets_met,
        _at_least(evidence.timeliness, rule.min_timeliness),
        _at_least(evidence.completeness, rule.min_completeness),
        _at_least(evidence.score, rule.min_score),
    )
    return all(checks)


def _at_least(value: Decimal | None, limit: Decimal | None) -> bool:
    return limit is None or (value is not None and value >= limit)


def choose(rules: Sequence[CommendationRuleSpec], units: Sequence[Evidence]) -> list[Candidate]:
    """Each unit under the first rule it meets (the file lists the higher forms first); in
    the rules' order, then best score first, then by name."""
    found = []
    for evidence in units:
        rule = next((rule for rule in rules if meets(rule, evidence)), None)
        if rule is not None:
            found.append(Candidate(rule, evidence))
    order = {rule.code: index for index, rule in enumerate(rules)}
    return sorted(
        found,
        key=lambda c: (order[c.rule.code], -c.evidence.score, c.evidence.name, c.evidence.code),
    )


def by_form(candidates: Sequence[Candidate]) -> dict[CommendationForm, list[Candidate]]:
    """The candidates grouped by form of commendation, the forms in the order first proposed."""
    grouped: dict[CommendationForm, list[Candidate]] = {}
    for candidate in candidates:
        grouped.setdefault(candidate.rule.form, []).append(candidate)
    return grouped


def revenue_met(figures: Sequence[RevenueFigure]) -> list[RevenueFigure]:
    """The units that fully met their budget revenue target, the furthest above it first."""
    met = [figure for figure in figures if figure.progress.met]
    return sorted(
        met, key=lambda f: (-(f.progress.percent or Decimal(0)), f.evidence.name, f.evidence.code)
    )
