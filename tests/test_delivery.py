"""The delivery engine with a scripted channel: order, pauses, blocked chats, retries."""

from collections import deque
from datetime import timedelta

from sqlalchemy import select

from bot.app import CAPABILITIES, App
from bot.channels.base import Outcome
from bot.channels.telegram import TelegramChannel
from domain.clock import FakeClock
from handlers.outgoing import Outgoing, queue
from handlers.types import Attachment, FileUnavailable, Reply
from storage import repo
from storage.models import Identity, Outbox
from tests.conftest import TelegramBot


class ScriptedChannel:
    """Answers each send with the next scripted outcome (sent when the script is empty)."""

    name = "telegram"
    capabilities = CAPABILITIES["telegram"]

    def __init__(self, *script: Outcome) -> None:
        self.script = deque(script)
        self.sent: list[tuple[str, str]] = []

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        outcome = self.script.popleft() if self.script else Outcome("sent", 1)
        if outcome.status == "sent":
            self.sent.append((chat_id, reply.text))
        return outcome

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        raise FileUnavailable("no files in this script")


async def notices(app: App, *texts: str, chat: str = "1001", person: int | None = None) -> None:
    async with app.writing() as session:
        messages = [Outgoing("telegram", chat, Reply(t), person) for t in texts]
        await queue(session, CAPABILITIES, messages, "notice", app.clock.now())


async def states(app: App) -> list[tuple[str, int]]:
    async with app.sessions() as session:
        rows = await session.execute(select(Outbox.state, Outbox.attempts).order_by(Outbox.id))
        return [(state, attempts) for state, attempts in rows]


async def test_a_rate_limit_pauses_the_channel_and_keeps_each_chats_order(
    app: App, clock: FakeClock
) -> None:
    channel = ScriptedChannel(Outcome("retry", retry_after=30))
    app.delivery.register(channel)
    await notices(app, "một", "hai", chat="1")
    await notices(app, "ba", chat="2")
    assert await app.delivery.run_once() == 3
    assert channel.sent == []  # the 429 paused the whole channel: chat 2 waits too
    assert await states(app) == [("queued", 1), ("queued", 0), ("queued", 0)]
    clock.advance(timedelta(seconds=31))
    await app.delivery.run_once()
    assert await app.delivery.run_once() == 0
    assert sorted(channel.sent) == sorted([("1", "một"), ("1", "hai"), ("2", "ba")])
    assert [text for chat, text in channel.sent if chat == "1"] == ["một", "hai"]
    assert await states(app) == [("sent", 2), ("sent", 1), ("sent", 1)]


async def test_a_chat_that_blocked_the_bot_is_not_written_to_until_it_writes(
    telegram: TelegramBot,
) -> None:
    app = telegram.app
    chat = await telegram.member("phuong-sa-pa", user_id=1001)
    channel = ScriptedChannel(Outcome("blocked", reason="Forbidden: bot was blocked by the user"))
    app.delivery.register(channel)
    async with app.sessions() as session:
        person = (await session.get(Identity, ("telegram", "1001"))).person_id  # type: ignore[union-attr]
    await notices(app, "một", "hai", person=person)
    await app.delivery.run_once()
    async with app.sessions() as session:
        rows = list(await session.scalars(select(Outbox).where(Outbox.kind == "notice")))
        assert [(r.state, r.reason) for r in rows] == [
            ("blocked", "Forbidden: bot was blocked by the user")
        ] * 2
        assert await repo.last_chat(session, person) is None
    app.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    app.delivery.register(TelegramChannel(telegram.bot))
    await chat.say("/toi")  # writing again unblocks
    async with app.sessions() as session:
        assert await repo.last_chat(session, person) == ("telegram", "1001")


async def test_a_failure_that_will_not_pass_is_recorded_and_the_next_message_goes(
    app: App,
) -> None:
    channel = ScriptedChannel(Outcome("failed", reason="Bad Request: chat not found"))
    app.delivery.register(channel)
    await notices(app, "một", "hai")
    await app.delivery.run_once()
    assert channel.sent == [("1001", "hai")]
    assert await states(app) == [("failed", 1), ("sent", 1)]
