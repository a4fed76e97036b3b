"""Campaign files and unit lists into the database, and the campaign as the bot reads it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import CampaignSpec, IndicatorSpec
from domain.units_file import UnitRow
from storage.models import Campaign, Indicator, Unit, UnitGroup, UnitTarget


@dataclass(frozen=True)
class Catalog:
    """The running campaign, read once at start: its spec and the ids of its indicators."""

    campaign: CampaignSpec
    indicator_ids: dict[str, int]

    def assigned(self, unit_code: str, unit_kind: str) -> list[IndicatorSpec]:
        """The indicators a unit reports, in the directive's order."""
        return [
            indicator
            for indicator in self.campaign.indicators
            if unit_kind in indicator.reporters.kinds or unit_code in indicator.reporters.units
        ]


async def save_campaign(
    session: AsyncSession, spec: CampaignSpec, now: datetime
) -> tuple[int, int]:
    """Insert or update a campaign and its indicators by code; returns (added, updated) indicators."""
    campaign = await session.scalar(select(Campaign).where(Campaign.code == spec.code))
    if campaign is None:
        campaign = Campaign(code=spec.code)
        session.add(campaign)
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
    added = updated = 0
    for position, spec_indicator in enumerate(spec.indicators):
        row = existing.get(spec_indicator.code)
        if row is None:
            row = Indicator(campaign_id=campaign.id, code=spec_indicator.code)
            session.add(row)
            added += 1
        elif (row.name, row.unit, row.target, row.number, row.position) != (
            spec_indicator.name,
            spec_indicator.unit,
            spec_indicator.target,
            spec_indicator.number,
            position,
        ):
            updated += 1
        row.number = spec_indicator.number
        row.name = spec_indicator.name
        row.unit = spec_indicator.unit
        row.target = spec_indicator.target
        row.position = position
    return added, updated


async def read_catalog(session: AsyncSession) -> Catalog | None:
    """The most recently loaded campaign, or None before any was loaded."""
    campaign = await session.scalar(select(Campaign).order_by(Campaign.loaded_at.desc()).limit(1))
    if campaign is None:
        return None
    rows = await session.execute(
        select(Indicator.code, Indicator.id).where(Indicator.campaign_id == campaign.id)
    )
    return Catalog(CampaignSpec.model_validate(campaign.spec), {code: id_ for code, id_ in rows})


async def save_units(session: AsyncSession, rows: list[UnitRow]) -> tuple[int, int]:
    """Insert or update units, their groups and targets by code; returns (added, updated) units."""
    groups = {group.code: group for group in await session.scalars(select(UnitGroup))}
    units = {unit.code: unit for unit in await session.scalars(select(Unit))}
    added = updated = 0
    for row in rows:
        group = groups.get(row.group_code)
        if group is None:
            group = groups[row.group_code] = UnitGroup(code=row.group_code)
            session.add(group)
        group.kind = row.group_kind
        group.name = row.group_name
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
        unit.group_id = group.id
        for indicator_code, target in row.targets.items():
            await session.merge(
                UnitTarget(unit_id=unit.id, indicator_code=indicator_code, target=target)
            )
    return added, updated


async def list_units(session: AsyncSession) -> list[tuple[Unit, UnitGroup | None]]:
    rows = await session.execute(
        select(Unit, UnitGroup)
        .outerjoin(UnitGroup, UnitGroup.id == Unit.group_id)
        .order_by(Unit.kind, Unit.code)
    )
    return [(unit, group) for unit, group in rows]
