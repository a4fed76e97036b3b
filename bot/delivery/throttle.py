"""A channel's rate: at most N messages in any one second, whoever sends them.

Kept as the times of the last sends (a sliding window), not as a bucket that refills: a
bucket lets a full burst through on top of a second's worth, so a second could hold more
than N. A send counts from the moment it is allowed until a second after it is through
(`done`), so that however long it took on its way (a busy machine, a slow network), the
chat service cannot see N + 1 in a second. Within the second the messages are spread: no
more than a tenth of N at once (a burst), then a pause of that many messages' share of the
second. Each window is a little longer than a second (MARGIN).

Answers to a person's own message take the next free turn before queued messages.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

MARGIN = 1.05  # windows this much longer than a second and a tenth
FENCED_CHECK = 0.5  # seconds between looks while sending is fenced off
FLYING_CHECK = 0.02  # seconds between looks while sends on their way fill the window


class Throttle:
    def __init__(self, per_second: float, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._sent: deque[float] = deque()  # when each recent send was through
        self._flying = 0  # sends allowed and not yet through
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._queued: deque[asyncio.Future[None]] = deque()
        self._pump: asyncio.Task[None] | None = None
        self._closed_until = 0.0
        self._open_until = math.inf
        self.limit = 1
        self.set_rate(per_second)

    def set_rate(self, per_second: float) -> None:
        """Send at most this many a second from now on (at least one)."""
        self.limit = max(1, math.floor(per_second))
        self.burst = max(1, self.limit // 10)
        self._burst_span = MARGIN * self.burst / self.limit

    def close_for(self, seconds: float) -> None:
        """Send nothing for this long."""
        self._closed_until = max(self._closed_until, self._now() + seconds)

    def open_until(self, moment: float) -> None:
        """Send nothing from this moment (on the `now` clock) until it is moved on."""
        self._open_until = moment

    def wait(self) -> float:
        """Seconds until the next message may go (0: now)."""
        now = self._now()
        if now >= self._open_until:
            return FENCED_CHECK
        while self._sent and self._sent[0] <= now - MARGIN:
            self._sent.popleft()
        return max(
            self._closed_until - now,
            self._until_fewer(self.limit, MARGIN, now),
            self._until_fewer(self.burst, self._burst_span, now),
        )

    def _until_fewer(self, allowed: int, span: float, now: float) -> float:
        """Seconds until fewer than `allowed` sends are on their way or through within `span`."""
        if self._flying >= allowed:
            return FLYING_CHECK
        counted = self._flying
        if counted + len(self._sent) < allowed:  # every recent send counted: room left
            return 0.0
        for through in reversed(self._sent):
            if through <= now - span:
                break
            counted += 1
            if counted >= allowed:
                return through + span - now
        return 0.0

    async def take(self, urgent: bool = False) -> None:
        """Wait for a turn and take it (then `done` once the message is through); an urgent
        taker goes before every queued one."""
        if not self._urgent and not self._queued and self.wait() == 0:
            self._flying += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._queued).append(turn)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out())
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():  # given just before: give it back
                self.done()
            raise

    def done(self) -> None:
        """A message allowed by `take` is through (or was never sent)."""
        self._flying -= 1
        self._sent.append(self._now())

    async def _hand_out(self) -> None:
        while self._urgent or self._queued:
            wait = self.wait()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            turn = (self._urgent or self._queued).popleft()
            if not turn.done():  # its taker may have been cancelled
                self._flying += 1
                turn.set_result(None)
