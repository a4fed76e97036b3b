"""Deliverables as the campaign counts them: delivered or not, on time or late. No I/O.

A unit's deliverable is a list of versions; each newer one keeps the earlier. A version is
submitted, then accepted or returned (with a comment) by the secretariat. The unit has
delivered while its latest version is not returned. On time follows DHIS2's timeliness: the
first version arrived by the end of the due day, local time (a return asks for a fix, it does
not move the date).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from domain.campaign import DeliverableSpec
from domain.periods import local

Status = Literal["submitted", "accepted", "returned"]
"""A version's review status."""
UnitStatus = Literal["missing", "submitted", "accepted", "returned"]
"""Where a unit stands: nothing yet, or its latest version's status."""


@dataclass(frozen=True)
class Version:
    number: int
    created_at: datetime
    status: Status


def unit_status(versions: Sequence[Version]) -> UnitStatus:
    if not versions:
        return "missing"
    return max(versions, key=lambda v: v.number).status


def has_delivered(versions: Sequence[Version]) -> bool:
    return unit_status(versions) in ("submitted", "accepted")


def is_on_time(deliverable: DeliverableSpec, first_at: datetime, zone: ZoneInfo) -> bool:
    return local(first_at, zone).date() <= deliverable.due


def days_late(deliverable: DeliverableSpec, first_at: datetime, zone: ZoneInfo) -> int:
    """Whole local days after the due date (0 when on time)."""
    return max(0, (local(first_at, zone).date() - deliverable.due).days)


def days_left(deliverable: DeliverableSpec, today: date) -> int:
    """Days from today to the due date: 0 on the day, negative when past."""
    return (deliverable.due - today).days


@dataclass(frozen=True)
class Completeness:
    """Of the units that owe a deliverable: how many delivered, and how many of them on time."""

    expected: int
    delivered: int
    on_time: int

    @property
    def completeness(self) -> Decimal:
        """Delivered over expected, in percent (100 when nobody owes it)."""
        return _percent(self.delivered, self.expected)

    @property
    def timeliness(self) -> Decimal:
        """Delivered on time over expected, in percent."""
        return _percent(self.on_time, self.expected)


def completeness(
    deliverable: DeliverableSpec, versions_by_unit: Sequence[Sequence[Version]], zone: ZoneInfo
) -> Completeness:
    """``versions_by_unit``: one list of versions for each unit that owes the deliverable."""
    delivered = [versions for versions in versions_by_unit if has_delivered(versions)]
    on_time = [
        versions
        for versions in delivered
        if is_on_time(deliverable, min(v.created_at for v in versions), zone)
    ]
    return Completeness(len(versions_by_unit), len(delivered), len(on_time))


def _percent(part: int, whole: int) -> Decimal:
    if whole == 0:
        return Decimal(100)
    return min(Decimal(100), Decimal(part) * 100 / Decimal(whole))
