"""A channel's rate: at most N messages in any one second, whoever sends them.

Kept as the times of the last sends (a sliding window), not as a bucket that refills: a
bucket lets a full burst through on top of a second's worth, so a second could hold more
than N. Within the second the messages are spread: no more than a tenth of N at once (a
burst), then a pause of that many messages' share of the second. Each window is a little
longer than its nominal length (MARGIN), so that a message delayed on its way cannot make
the chat service count N + 1 in a second.

Answers to a person's own message take the next free turn before queued messages.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable

MARGIN = 1.05  # windows this much longer than a second and a tenth
FENCED_CHECK = 0.5  # seconds between looks while sending is fenced off


class Throttle:
    def __init__(self, per_second: float, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._sent: deque[float] = deque()
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
        waits = [self._closed_until - now, 0.0]
        if len(self._sent) >= self.limit:
            waits.append(self._sent[-self.limit] + MARGIN - now)
        if len(self._sent) >= self.burst:
            waits.append(self._sent[-self.burst] + self._burst_span - now)
        return max(waits)

    async def take(self, urgent: bool = False) -> None:
        """Wait for a turn and take it; an urgent taker goes before every queued one."""
        if not self._urgent and not self._queued and self.wait() == 0:
            self._sent.append(self._now())
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._queued).append(turn)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out())
        await turn

    async def _hand_out(self) -> None:
        while self._urgent or self._queued:
            wait = self.wait()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            turn = (self._urgent or self._queued).popleft()
            if not turn.done():  # its taker may have been cancelled
                self._sent.append(self._now())
                turn.set_result(None)
