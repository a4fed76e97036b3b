"""Several processes on one database: one scheduler, taken over when its holder dies; the
outbox rows of a dead process sent again, never a live one's; one chat's events in turn."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.delivery.engine import Delivery
from bot.leases import TERM, Leases
from domain.clock import FakeClock
from storage import outbox, repo
from storage.models import Outbox

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def process(app: App, real: FakeClock) -> Leases:
    """Another bot process on the same database (its own delivery engine and name)."""
    delivery = Delivery(app.sessions, app.write_guard, app.clock, {})
    return Leases(app.sessions, app.write_guard, app.clock, delivery, real)


async def answer_being_sent(app: App, by: Leases) -> int:
    async with app.writing() as session:
        message = outbox.Message("telegram", "1001", "Đang gửi")
        (row,) = await outbox.add_answers(session, [message], app.clock.now(), by.name)
    return row


async def state(app: App, row: int) -> str | None:
    async with app.sessions() as session:
        return await session.scalar(select(Outbox.state).where(Outbox.id == row))


async def test_one_process_runs_the_scheduler_and_another_takes_it_when_it_dies(app: App) -> None:
    real = FakeClock(MOMENT)
    first, second = process(app, real), process(app, real)
    assert await first.beat() == 1 and first.holds_scheduler
    assert await second.beat() == 2 and not second.holds_scheduler
    real.advance(TERM - timedelta(seconds=1))
    assert await first.beat() == 2 and first.holds_scheduler  # renewed in time
    real.advance(TERM - timedelta(seconds=1))
    assert await second.beat() == 2 and not second.holds_scheduler
    real.advance(timedelta(seconds=2))  # the first has not renewed for a whole term: dead
    assert await second.beat() == 1 and second.holds_scheduler
    assert await first.beat() == 2 and not first.holds_scheduler  # it was only stuck


async def test_a_process_that_stops_hands_the_scheduler_over_at_once(app: App) -> None:
    real = FakeClock(MOMENT)
    first, second = process(app, real), process(app, real)
    await first.beat()
    await second.beat()
    stop = asyncio.Event()
    stop.set()
    await first.run(stop)  # stops at once, giving its leases back
    assert not first.holds_scheduler
    assert await second.beat() == 1 and second.holds_scheduler
    taken: list[str] = []
    second.on_scheduler = lambda: taken.append("now")
    await second.beat()
    assert taken == []  # told only when it takes the scheduler, not at each renewal


async def test_only_a_dead_process_s_messages_are_sent_again(app: App) -> None:
    real = FakeClock(MOMENT)
    live, dying, other = process(app, real), process(app, real), process(app, real)
    for lease in (live, dying, other):
        await lease.beat()
    mine, its = await answer_being_sent(app, live), await answer_being_sent(app, dying)
    await other.beat()
    assert (await state(app, mine), await state(app, its)) == ("sending", "sending")
    real.advance(TERM / 2)
    await live.beat()
    real.advance(TERM / 2 + timedelta(seconds=1))  # `dying` has stopped renewing
    assert await other.beat() == 2
    assert (await state(app, mine), await state(app, its)) == ("sending", "queued")


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_an_event_of_a_chat_waits_for_the_one_another_process_is_handling(app: App) -> None:
    """PostgreSQL takes many writers: the chat's row, held until commit, puts them in turn
    (on SQLite, one writer at a time does it)."""
    now = app.clock.now()
    async with app.sessions() as first:
        held = await repo.hold_chat(first, "telegram", "1001", now)
        assert held.flow is None  # a chat seen for the first time
        waiting = asyncio.create_task(_hold_in_other_session(app))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # the other process waits for this transaction
        moved = repo.SavedChat("report", "value", {"indicator": 9}, [], ("u1",), now)
        await repo.save_chats(first, {("telegram", "1001"): moved})
        await first.commit()
    seen = await waiting
    assert (seen.flow, seen.step, seen.recent_updates) == ("report", "value", ("u1",))


async def _hold_in_other_session(app: App) -> repo.SavedChat:
    async with app.sessions() as second:
        return await repo.hold_chat(second, "telegram", "1001", app.clock.now())
