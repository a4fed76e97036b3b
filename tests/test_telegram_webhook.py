"""Telegram by webhook, on the same small web app as Zalo's: its secret token is checked."""

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import App
from bot.channels.telegram import TelegramChannel, make_bot, make_dispatcher
from bot.web import Health, make_web_app, same_secret
from storage.models import Conversation, FailedJoin
from tests.botapi_emulator import BotApiEmulator
from tests.raw_http import BAD_SECRET_HEADERS, post_json, tracebacks

TOKEN = "4242:webhook-token"
SECRET = "tg-webhook-secret"
USER = 777


def update(update_id: int, text: str) -> dict[str, object]:
    chat = {"id": USER, "type": "private", "first_name": "Cán bộ"}
    sender = {"id": USER, "is_bot": False, "first_name": "Cán bộ", "language_code": "vi"}
    message = {
        "message_id": update_id,
        "date": 1759453200,
        "chat": chat,
        "from": sender,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


@pytest.fixture
async def served(app: App) -> AsyncIterator[tuple[str, BotApiEmulator]]:
    async with BotApiEmulator(TOKEN) as emulator:
        bot = make_bot(TOKEN, emulator.base_url)
        app.delivery.register(TelegramChannel(bot))
        web_app = make_web_app(
            Health(app.engine, app.leases),
            telegram=(make_dispatcher(app.conversations), bot, SECRET),
        )
        server = TestServer(web_app)
        await server.start_server()
        yield str(server.make_url("/telegram/webhook")), emulator
        await server.close()
        await bot.session.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("secret", "status", "answered"),
    [(SECRET, 200, True), ("wrong", 403, False), (None, 403, False)],
    ids=["right", "wrong", "missing"],
)
async def test_only_updates_with_the_secret_are_handled(
    served: tuple[str, BotApiEmulator], secret: str | None, status: int, answered: bool
) -> None:
    url, emulator = served
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update(1, "xin chào"), headers=headers) as response,
    ):
        assert response.status == status
    if answered:
        (sent,) = await emulator.wait_for_sent(USER, 1)
        assert "mã mời" in sent["text"]
    else:
        await asyncio.sleep(0.3)  # time enough for a reply, had the update been taken
        assert emulator.sent(USER) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("value", BAD_SECRET_HEADERS.values(), ids=BAD_SECRET_HEADERS.keys())
async def test_a_secret_header_of_any_bytes_is_refused_without_a_traceback(
    app: App,
    served: tuple[str, BotApiEmulator],
    value: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, emulator = served
    for secret in (value, SECRET.encode() + value):
        body = update(1, "/start AAAA-BBBB")
        assert await post_json(url, body, b"X-Telegram-Bot-Api-Secret-Token", secret) == 403
    await asyncio.sleep(0.3)  # time enough for a reply, had the update been taken
    assert emulator.sent(USER) == []
    assert tracebacks(caplog.records) == []
    async with app.sessions() as session:
        for table in (Conversation, FailedJoin):
            assert await session.scalar(select(func.count()).select_from(table)) == 0


@given(given=st.none() | st.text(st.characters(exclude_categories=())), expected=st.text())
def test_comparing_secrets_never_raises(given: str | None, expected: str) -> None:
    assert same_secret(given, expected) == (bool(given) and given == expected)
