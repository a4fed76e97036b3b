"""Injectable clocks: the real one, one that starts at a chosen moment and runs on, and a fake."""

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Starts at `start` and runs on in real time (THIDUA_CLOCK: demos, training, black-box tests)."""

    def __init__(self, start: datetime) -> None:
        self._start = start if start.tzinfo else start.replace(tzinfo=UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class FakeClock:
    """Stands still until told to move; for tests."""

    def __init__(self, start: datetime) -> None:
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment
