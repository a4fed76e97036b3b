"""The delivery engine: everything the bot sends goes through here, to one channel object each.

Answers to a person's own message are sent at once (`send_answers`), never behind a
broadcast. Everything else waits in the outbox until it is due; the engine claims it, keeps
to each channel's rate (one limiter for the channel, one per chat), and records the outcome:
sent, blocked, failed, or queued again for a bounded number of later tries.
"""

import asyncio
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Channel, Outcome
from domain.clock import Clock
from handlers.dispatch import Answers
from handlers.types import Choice, Fetch, OutFile, Reply
from storage import outbox

log = logging.getLogger(__name__)
BATCH = 200  # rows claimed at a time
IDLE_CHECK = 1.0  # seconds between looks at the outbox when nothing woke the engine
MAX_ATTEMPTS = 5  # tries of one message before it is given up as failed
BACKOFF_BASE = 2.0  # seconds before the second try; doubled each time …
BACKOFF_CAP = 300.0  # … up to this
CONCURRENT_CHATS = 64


@dataclass(frozen=True)
class Rate:
    """How fast a channel may send: messages a second overall, and to one chat."""

    overall: float
    per_chat: float = 1.0


def next_try(outcome: Outcome, attempts: int) -> timedelta | None:
    """How long to wait before trying again, or None when this was the last try."""
    if attempts >= MAX_ATTEMPTS:
        return None
    if outcome.retry_after is not None:
        return timedelta(seconds=outcome.retry_after)
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** (attempts - 1), BACKOFF_CAP))


class Delivery:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        write_guard: AbstractAsyncContextManager[object],
        clock: Clock,
        rates: dict[str, Rate],
    ) -> None:
        self.sessions = sessions
        self.write_guard = write_guard
        self.clock = clock
        self.rates = rates
        self.owner = secrets.token_hex(8)  # marks the rows this process is sending
        self.channels: dict[str, Channel] = {}
        self._limiters: dict[str, AsyncLimiter] = {}
        self._chat_limiters: dict[tuple[str, str], AsyncLimiter] = {}
        self._owed: defaultdict[str, int] = defaultdict(int)  # answers sent beyond the rate
        self._paused_until: dict[str, datetime] = {}  # a channel-wide 429: no sends until then
        self._results: list[outbox.Result] = []
        self._recorder: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()

    def register(self, channel: Channel) -> None:
        self.channels[channel.name] = channel
        rate = self.rates.get(channel.name, Rate(30.0))
        # A bucket of a tenth of a second's worth: never more than that in one burst.
        burst = max(1.0, rate.overall / 10)
        self._limiters[channel.name] = AsyncLimiter(burst, burst / rate.overall)

    def fetcher(self, channel: str) -> Fetch | None:
        """How files people send on a registered channel are downloaded."""
        sender = self.channels.get(channel)
        return sender.fetch if sender is not None else None

    def wake(self) -> None:
        """Something was queued: look at the outbox now rather than at the next check."""
        self._wake.set()

    # Answers, sent at once

    async def send_answers(self, channel: str, chat_id: str, answers: Answers) -> None:
        """Send the answers to one event, in order; the first that cannot go now leaves it
        and the rest to later tries. An answer without a row (nothing was stored) is tried
        once."""
        sender = self.channels.get(channel)
        now = self.clock.now()
        held: Outcome | None = None if sender else Outcome("retry", reason="channel not running")
        results: list[outbox.Result] = []
        for row_id, reply in answers:
            held = held or self._paused(channel)
            if held is not None or sender is None:
                if row_id is not None:
                    results.append(_behind(held or Outcome("retry"), row_id, 0, 0, now))
                continue
            limiter = self._limiters[channel]
            if limiter.has_capacity():  # an answer takes a broadcast's turn, never waits
                await limiter.acquire()
            else:  # … and when there is none, the next message from the outbox pays for it
                self._owed[channel] += 1
            outcome = await self._send(sender, chat_id, reply, 0)
            result = self._result(row_id or 0, 0, outcome, now)
            if row_id is not None:
                results.append(result)
            held = outcome if result.state in ("queued", "blocked") else None
        self._record(results)

    # Everything else, from the outbox

    async def run(self, stop: asyncio.Event) -> None:
        """Send what is due until `stop` is set; rows a dead process was sending go first."""
        async with self.write_guard, self.sessions() as session:
            released = await outbox.release_abandoned(session, self.owner, self.clock.now())
            await session.commit()
        if released:
            log.info(
                "Delivery: %d messages left unsent by an earlier run are queued again", released
            )
        while not stop.is_set():
            self._wake.clear()  # before looking: a wake meanwhile makes the next look at once
            if await self.run_once():
                continue
            waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            _, pending = await asyncio.wait(
                waits, timeout=IDLE_CHECK, return_when=asyncio.FIRST_COMPLETED
            )
            for wait in pending:
                wait.cancel()
        await self.drain()

    async def run_once(self) -> int:
        """Claim what is due now and send it; how many messages were tried."""
        async with self.write_guard, self.sessions() as session:
            claimed = await outbox.claim_due(
                session, self.clock.now(), self.owner, list(self.channels), BATCH
            )
            await session.commit()
        by_chat: dict[tuple[str, str], list[outbox.Claimed]] = defaultdict(list)
        for row in claimed:
            by_chat[(row.channel, row.chat_id)].append(row)
        gate = asyncio.Semaphore(CONCURRENT_CHATS)
        await asyncio.gather(*(self._send_chat(rows, gate) for rows in by_chat.values()))
        await self.drain()
        return len(claimed)

    async def _send_chat(self, rows: list[outbox.Claimed], gate: asyncio.Semaphore) -> None:
        """One chat's messages in order; after one that must wait, the rest wait too."""
        async with gate:
            now = self.clock.now()
            results: list[outbox.Result] = []
            held: Outcome | None = None
            for row in rows:
                if held is None:
                    await self._pay_owed(row.channel)
                    await self._limiters[row.channel].acquire()
                    await self._chat_limiter(row.channel, row.chat_id).acquire()
                    held = self._paused(row.channel)  # a 429 meanwhile: waits, not a try
                if held is not None:
                    results.append(_behind(held, row.id, row.attempts, row.pieces_sent, now))
                    continue
                channel = self.channels[row.channel]
                reply = Reply(
                    row.text,
                    tuple(Choice(*choice) for choice in row.choices),
                    OutFile(*row.file) if row.file else None,
                )
                outcome = await self._send(channel, row.chat_id, reply, row.pieces_sent)
                result = self._result(row.id, row.attempts, outcome, now)
                results.append(result)
                held = outcome if result.state in ("queued", "blocked") else None
            self._record(results)

    def _paused(self, channel: str) -> Outcome | None:
        """While a 429 holds the whole channel: the wait left, as an outcome no call was made for."""
        until = self._paused_until.get(channel)
        left = (until - self.clock.now()).total_seconds() if until else 0.0
        return Outcome("retry", retry_after=left) if left > 0 else None

    async def _send(self, channel: Channel, chat_id: str, reply: Reply, skip: int) -> Outcome:
        """One reply; nothing the channel does escapes."""
        try:
            outcome = await channel.send(chat_id, reply, skip)
        except Exception as error:  # a bug in a channel must not stop the engine
            log.exception("Channel %s failed to send", channel.name)
            return Outcome("retry", skip, reason=type(error).__name__)
        if outcome.retry_after is not None:
            until = self.clock.now() + timedelta(seconds=outcome.retry_after)
            self._paused_until[channel.name] = until
        return outcome

    async def _pay_owed(self, channel: str) -> None:
        """Take the turns of answers sent beyond the rate, so that together they keep to it."""
        while self._owed[channel] > 0:
            self._owed[channel] -= 1
            await self._limiters[channel].acquire()

    def _result(self, row_id: int, attempts: int, outcome: Outcome, now: datetime) -> outbox.Result:
        tries = attempts + 1
        if outcome.status == "retry":
            wait = next_try(outcome, tries)
            if wait is not None:
                return outbox.Result(
                    row_id, "queued", outcome.pieces, tries, now + wait, outcome.reason
                )
            reason = f"gave up after {tries} tries: {outcome.reason or 'rate limited'}"
            return outbox.Result(row_id, "failed", outcome.pieces, tries, now, reason)
        return outbox.Result(
            row_id, outcome.status, outcome.pieces, tries, now, outcome.reason or None
        )

    def _chat_limiter(self, channel: str, chat_id: str) -> AsyncLimiter:
        key = (channel, chat_id)
        limiter = self._chat_limiters.get(key)
        if limiter is None:
            if len(self._chat_limiters) > 10_000:  # forget chats that are not waiting
                self._chat_limiters = {
                    k: v for k, v in self._chat_limiters.items() if not v.has_capacity()
                }
            limiter = AsyncLimiter(1, 1 / self.rates.get(channel, Rate(30.0)).per_chat)
            self._chat_limiters[key] = limiter
        return limiter

    # Writing the outcomes back

    def _record(self, results: Iterable[outbox.Result]) -> None:
        """Outcomes are written in the background, many in one transaction."""
        self._results.extend(results)
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._write_results())

    async def _write_results(self) -> None:
        while self._results:
            batch, self._results = self._results, []
            try:
                async with self.write_guard, self.sessions() as session:
                    await outbox.record(session, batch, self.clock.now())
                    await session.commit()
            except Exception:
                # Left as "sending": a restart queues them again (a person may get one twice).
                log.exception("Delivery: could not record %d outcomes", len(batch))

    async def drain(self) -> None:
        """Wait until every outcome so far is written."""
        while self._recorder is not None and not self._recorder.done():
            await self._recorder


def _behind(held: Outcome, row_id: int, attempts: int, pieces: int, now: datetime) -> outbox.Result:
    """A message to a chat after one that could not go: blocked too, or queued behind it."""
    if held.status == "blocked":
        return outbox.Result(row_id, "blocked", pieces, attempts, now, held.reason)
    later = now + timedelta(seconds=held.retry_after or 0.0)
    return outbox.Result(row_id, "queued", pieces, attempts, later)
