"""A channel's rate: never more than N messages in any second, answers first."""

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.throttle import MARGIN, Throttle


class Ticking:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def most_within(times: list[float], span: float) -> int:
    most, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - span + 1e-9:  # a send exactly a span later is outside
            start += 1
        most = max(most, end - start + 1)
    return most


async def send_when_allowed(throttle: Throttle, clock: Ticking, wanted: list[float]) -> list[float]:
    """Each message wanted at its moment goes as soon as the throttle lets it; when each went."""
    sent = []
    for moment in sorted(wanted):
        clock.now = max(clock.now, moment)
        while (wait := throttle.wait()) > 0:
            clock.now += wait
        await throttle.take()  # free now: returns at once
        throttle.done()  # through at once
        sent.append(clock.now)
    return sent


@given(
    rate=st.floats(1, 400),
    wanted=st.lists(st.floats(0, 5), max_size=600),
)
def test_no_second_holds_more_than_the_rate(rate: float, wanted: list[float]) -> None:
    clock = Ticking()
    throttle = Throttle(rate, clock)
    sent = asyncio.run(send_when_allowed(throttle, clock, wanted))
    assert len(sent) == len(wanted)
    assert most_within(sent, MARGIN) <= int(rate)
    burst = max(1, int(rate) // 10)  # spread, not all at once
    assert most_within(sent, MARGIN * burst / int(rate)) <= burst


@given(rate=st.integers(10, 400))
def test_a_busy_channel_runs_close_to_its_rate(rate: int) -> None:
    clock = Ticking()
    throttle = Throttle(rate, clock)
    sent = asyncio.run(send_when_allowed(throttle, clock, [0.0] * rate * 10))
    assert len(sent) / sent[-1] >= rate / MARGIN * 0.95


def test_a_lower_share_holds_from_the_moment_it_is_set() -> None:
    clock = Ticking()
    throttle = Throttle(30, clock)
    before = asyncio.run(send_when_allowed(throttle, clock, [0.0] * 30))
    throttle.set_rate(10)  # two more processes came
    after = asyncio.run(send_when_allowed(throttle, clock, [clock.now] * 20))
    assert most_within([t for t in before + after if t >= after[0]], MARGIN) <= 10


async def test_an_answer_takes_the_next_turn_before_queued_messages() -> None:
    throttle = Throttle(10)  # one message a tenth of a second
    order: list[str] = []

    async def take(name: str, urgent: bool = False) -> None:
        await throttle.take(urgent)
        throttle.done()
        order.append(name)

    await take("first")
    queued = [asyncio.create_task(take(f"queued {n}")) for n in range(3)]
    await asyncio.sleep(0)  # all three are waiting
    await take("answer", urgent=True)
    await asyncio.gather(*queued)
    assert order == ["first", "answer", "queued 0", "queued 1", "queued 2"]


async def test_a_closed_throttle_sends_nothing_until_it_opens() -> None:
    clock = Ticking()
    throttle = Throttle(30, clock)
    throttle.close_for(4.0)
    assert throttle.wait() == 4.0
    clock.now = 4.0
    assert throttle.wait() == 0


async def test_a_message_counts_until_a_second_after_it_is_through() -> None:
    """However long a send takes on its way, the next second's worth waits for it."""
    clock = Ticking()
    throttle = Throttle(10, clock)  # one message at a time here
    await throttle.take()
    clock.now = 5.0  # a slow send: the chat service may have taken it just now
    assert throttle.wait() > 0
    throttle.done()
    assert throttle.wait() == pytest.approx(MARGIN / 10)  # a tenth of the rate: one a tenth
