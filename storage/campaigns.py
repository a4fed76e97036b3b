"""Campaign files and unit lists into the database, and the campaign as the bot reads it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import CampaignSpec, IndicatorSpec
from domain.units_file import UnitRow
from storage.models import Campaign, Indicator, Unit, UnitGroup, UnitSpell, UnitTarget


@dataclass(frozen=True)
class Catalog:
    """The running campaign, read once at start: its spec and the ids of its indicators."""

    campaign: CampaignSpec
    indicator_ids: dict[str, int]

    _assigned: dict[tuple[str, str], list[IndicatorSpec]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def assigned(self, unit_code: str, unit_kind: str) -> list[IndicatorSpec]:
        """The indicators a unit reports, in the directive's order (worked out once per unit:
        a standing asks for every unit of a group)."""
        found = self._assigned.get((unit_code, unit_kind))
        if found is None:
            found = self._assigned[unit_code, unit_kind] = [
                indicator
                for indicator in self.campaign.indicators
                if unit_kind in indicator.reporters.kinds or unit_code in indicator.reporters.units
            ]
        return found


@dataclass(frozen=True)
class CampaignChanges:
    added: int
    """Indicators new to the campaign."""
    updated: int
    """Indicators with any field changed (target, reporters, ...)."""
    lines: list[str]
    """What changed, one line each, for the operator."""


async def save_campaign(
    session: AsyncSession, spec: CampaignSpec, now: datetime
) -> CampaignChanges:
    """Insert or update a campaign and its indicators by code, and say what changed."""
    campaign = await session.scalar(select(Campaign).where(Campaign.code == spec.code))
    before = None
    if campaign is None:
        campaign = Campaign(code=spec.code)
        session.add(campaign)
    else:
        before = CampaignSpec.model_validate(campaign.spec)
    changes = _changes(before, spec)
    campaign.name = spec.name
    campaign.starts = spec.starts
    campaign.ends = spec.ends
    campaign.spec = spec.model_dump(mode="json")
    campaign.loaded_at = now
    await session.flush()
    existing = {
        row.code: row
        for row in await session.scalars(
            select(Indicator).where(Indicator.campaign_id == campaign.id)
        )
    }
    for position, spec_indicator in enumerate(spec.indicators):
        row = existing.get(spec_indicator.code)
        if row is None:
            row = Indicator(campaign_id=campaign.id, code=spec_indicator.code)
            session.add(row)
        row.number = spec_indicator.number
        row.name = spec_indicator.name
        row.unit = spec_indicator.unit
        row.target = spec_indicator.target
        row.position = position
    return changes


def _changes(before: CampaignSpec | None, after: CampaignSpec) -> CampaignChanges:
    earlier = {indicator.code: indicator for indicator in before.indicators} if before else {}
    lines = _differences(before, after, "đợt thi đua: ") if before else []
    added = updated = 0
    for indicator in after.indicators:
        label = f"chỉ tiêu {indicator.number} ({indicator.code})"
        old = earlier.get(indicator.code)
        if old is None:
            added += 1
            lines.append(f"+ {label}: {indicator.name}")
        elif differences := _differences(old, indicator):
            updated += 1
            lines.append(f"~ {label}: " + "; ".join(differences))
    codes = [indicator.code for indicator in after.indicators]
    if [code for code in earlier if code in codes] != [code for code in codes if code in earlier]:
        lines.append("~ thứ tự các chỉ tiêu đã đổi")
    lines += [
        f"- chỉ tiêu {old.number} ({code}) không còn trong tệp; số liệu đã báo vẫn được giữ"
        for code, old in earlier.items()
        if code not in codes
    ]
    return CampaignChanges(added, updated, lines + _deliverable_changes(before, after))


def _deliverable_changes(before: CampaignSpec | None, after: CampaignSpec) -> list[str]:
    earlier = {d.code: d for d in before.deliverables} if before else {}
    lines: list[str] = []
    for deliverable in after.deliverables:
        old = earlier.get(deliverable.code)
        label = f"sản phẩm {deliverable.code}"
        if old is None:
            lines.append(f"+ {label}: {deliverable.name}, hạn {deliverable.due:%d/%m/%Y}")
        elif differences := _differences(old, deliverable):
            lines.append(f"~ {label}: " + "; ".join(differences))
    codes = {d.code for d in after.deliverables}
    lines += [
        f"- sản phẩm {code} không còn trong tệp; các bản đã nộp vẫn được giữ"
        for code in earlier
        if code not in codes
    ]
    return lines


def _differences(before: BaseModel, after: BaseModel, prefix: str = "") -> list[str]:
    """Each field that differs, as "field: old → new" (lists of codes: what was added, removed)."""
    lines: list[str] = []
    for name in type(after).model_fields:
        old, new = getattr(before, name), getattr(after, name)
        if name in ("indicators", "deliverables") or old == new:
            continue
        if isinstance(new, BaseModel):
            lines += _differences(old, new, f"{prefix}{name}.")
        elif isinstance(new, list) and all(isinstance(item, str) for item in [*old, *new]):
            gained = ", ".join(item for item in new if item not in old)
            lost = ", ".join(item for item in old if item not in new)
            parts = [f"thêm {gained}" if gained else "", f"bỏ {lost}" if lost else ""]
            lines.append(f"{prefix}{name}: " + ("; ".join(filter(None, parts)) or "đổi thứ tự"))
        else:
            lines.append(f"{prefix}{name}: {_shown(old)} → {_shown(new)}")
    return lines


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, list):
        return f"{len(value)} mục"
    return str(value)


async def read_catalog(session: AsyncSession) -> Catalog | None:
    """The most recently loaded campaign, or None before any was loaded."""
    campaign = await session.scalar(select(Campaign).order_by(Campaign.loaded_at.desc()).limit(1))
    if campaign is None:
        return None
    rows = await session.execute(
        select(Indicator.code, Indicator.id).where(Indicator.campaign_id == campaign.id)
    )
    return Catalog(CampaignSpec.model_validate(campaign.spec), {code: id_ for code, id_ in rows})


async def save_units(session: AsyncSession, rows: list[UnitRow], today: date) -> tuple[int, int]:
    """Insert or update units, their groups and targets by code; returns (added, updated) units.

    The first list loaded makes the campaign's units, in their groups from the start; a unit
    added later joins `today`, and one whose group changes is in the new group from `today`
    (its spells, for completeness by group).
    """
    groups = {group.code: group for group in await session.scalars(select(UnitGroup))}
    units = {unit.code: unit for unit in await session.scalars(select(Unit))}
    first_list = not units
    open_spells = {
        spell.unit_id: spell
        for spell in await session.scalars(select(UnitSpell).where(UnitSpell.ends.is_(None)))
    }
    added = updated = 0
    for row in rows:
        group = groups.get(row.group_code)
        if group is None:  # an existing group keeps its name: one row does not rename it
            group = groups[row.group_code] = UnitGroup(
                code=row.group_code, kind=row.group_kind, name=row.group_name
            )
            session.add(group)
        unit = units.get(row.code)
        if unit is None:
            unit = units[row.code] = Unit(code=row.code)
            session.add(unit)
            added += 1
        else:
            updated += 1
        unit.kind = row.kind
        unit.name = row.name
        await session.flush()
        spell = open_spells.get(unit.id)
        if spell is None or spell.group_id != group.id:
            _move(session, unit.id, spell, group.id, None if first_list else today)
        unit.group_id = group.id
        for indicator_code, target in row.targets.items():
            await session.merge(
                UnitTarget(unit_id=unit.id, indicator_code=indicator_code, target=target)
            )
    return added, updated


def _move(
    session: AsyncSession, unit_id: int, spell: UnitSpell | None, group_id: int, on: date | None
) -> None:
    """The unit in `group_id` from `on` (None: from the start), its open spell ended the day before."""
    if spell is not None and spell.starts is not None and spell.starts == on:
        spell.group_id = group_id  # moved twice in a day: the last move stands
        return
    if spell is not None:
        spell.ends = on - timedelta(days=1) if on is not None else None
    session.add(UnitSpell(unit_id=unit_id, group_id=group_id, starts=on, ends=None))


async def list_units(session: AsyncSession) -> list[tuple[Unit, UnitGroup | None]]:
    rows = await session.execute(
        select(Unit, UnitGroup)
        .outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
        .order_by(Unit.kind, Unit.code)
    )
    return [(unit, group) for unit, group in rows]
