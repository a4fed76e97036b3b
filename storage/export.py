"""What the XLSX export reads: every report revision, and completeness and timeliness per
unit and period, in chunks so that memory stays flat however many rows there are.

Units are taken a few hundred at a time; for each such chunk the first submissions
(``owed.first_submissions``, for on time or late) are read, then its reports are streamed
(``yield_per``: a server-side cursor on PostgreSQL) in partitions of ``FETCH_ROWS``.

Completeness and timeliness come from the read model (``storage.standings.slot_rates``), so
that the export, the chat and the digests count alike.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.campaign import IndicatorSpec
from domain.periods import Period, is_on_time
from storage.campaigns import Catalog
from storage.models import Indicator, Person, Report
from storage.owed import OwingUnit, first_submissions, owing_units
from storage.standings import slot_rates

UNITS_PER_CHUNK = 25
FETCH_ROWS = 250  # rows read and shaped on the event loop at a time: a few milliseconds

ReviewStatuses = Callable[[AsyncSession, Sequence[int]], Awaitable[Mapping[int, str]]]
"""Report ids → their review status, for one partition of rows; ids left out show "—"."""


async def no_review(_session: AsyncSession, _report_ids: Sequence[int]) -> Mapping[int, str]:
    """Before figures are reviewed, no report has a review status."""
    return {}


@dataclass(frozen=True)
class ReportLine:
    """One revision of one figure, with what the export shows beside it."""

    id: int
    unit: OwingUnit
    indicator: IndicatorSpec
    period: Period
    revision: int
    current: bool
    """The latest revision of its unit, indicator and period: the value that counts."""
    value: Decimal
    note: str | None
    reason: str | None
    person: str
    channel: str
    created_at: datetime
    on_time: bool
    """Whether the first value of its unit, indicator and period arrived in time."""
    review: str | None


@dataclass(frozen=True)
class Completeness:
    """A unit's reports for one period: expected (indicators assigned), received, on time."""

    unit: OwingUnit
    period: Period
    expected: int
    received: int
    on_time: int


def _chunks(units: Sequence[OwingUnit]) -> list[list[OwingUnit]]:
    return [list(units[i : i + UNITS_PER_CHUNK]) for i in range(0, len(units), UNITS_PER_CHUNK)]


async def report_lines(
    session: AsyncSession,
    catalog: Catalog,
    periods: Sequence[Period],
    review: ReviewStatuses = no_review,
) -> AsyncIterator[list[ReportLine]]:
    """Every revision of the campaign's figures for these periods: by unit, indicator (the
    directive's order) and period, the current value first, then the earlier ones."""
    by_code = {period.code: period for period in periods}
    indicators = {catalog.indicator_ids[i.code]: i for i in catalog.campaign.indicators}
    query = (
        select(
            Report.id,
            Report.unit_id,
            Report.indicator_id,
            Report.period,
            Report.revision,
            Report.value,
            Report.note,
            Report.reason,
            Person.display_name,
            Report.channel,
            Report.created_at,
        )
        .join(Indicator, Indicator.id == Report.indicator_id)
        .join(Person, Person.id == Report.person_id)
        .where(Report.period.in_(list(by_code)), Report.indicator_id.in_(list(indicators)))
        .order_by(Report.unit_id, Indicator.position, Report.period, Report.revision.desc())
        .execution_options(yield_per=FETCH_ROWS)
    )
    for chunk in _chunks(await owing_units(session)):
        units = {unit.id: unit for unit in chunk}
        firsts = await first_submissions(session, periods, list(units))
        rows = await session.stream(query.where(Report.unit_id.in_(list(units))))
        previous: tuple[int, int, str] | None = None
        async for partition in rows.partitions(FETCH_ROWS):
            statuses = await review(session, [row.id for row in partition])
            lines = []
            for row in partition:
                key = (row.unit_id, row.indicator_id, row.period)
                period = by_code[row.period]
                lines.append(
                    ReportLine(
                        id=row.id,
                        unit=units[row.unit_id],
                        indicator=indicators[row.indicator_id],
                        period=period,
                        revision=row.revision,
                        current=key != previous,
                        value=row.value,
                        note=row.note,
                        reason=row.reason,
                        person=row.display_name,
                        channel=row.channel,
                        created_at=row.created_at,
                        on_time=is_on_time(period, firsts[key], catalog.campaign),
                        review=statuses.get(row.id),
                    )
                )
                previous = key
            yield lines


async def completeness(
    session: AsyncSession, catalog: Catalog, periods: Sequence[Period]
) -> AsyncIterator[list[Completeness]]:
    """For every unit and each period it owed: how many indicators it was assigned, reported,
    and reported in time (DHIS2's completeness and timeliness), counted as /xephang counts."""
    for chunk in _chunks(await owing_units(session)):
        slots = await slot_rates(session, catalog, chunk, periods)
        yield [
            Completeness(unit, period, rates.expected, rates.received, rates.on_time)
            for unit, period, _, rates in slots
        ]
