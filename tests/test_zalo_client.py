"""The Zalo Bot API client against the fake server, and the update translator."""

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.zalo import client as client_module
from bot.channels.zalo.client import (
    ZaloBadRequest,
    ZaloClient,
    ZaloError,
    ZaloNotFound,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.channels.zalo.updates import to_inbound, unwrap_webhook_body
from handlers.types import Attachment, Inbound
from tests.fake_zalo import SECRET_HEADER, FakeZalo

SECRET = "s3cr3t-PART-of-the-token"
TOKEN = f"1459232241454765289:{SECRET}"
USER = "e4ea2cd5189df1c3a88c"
PHOTO = "https://photo.example/a.jpg"
HOOK = "https://bot.example/zalo"

Call = Callable[[ZaloClient], Awaitable[Any]]


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(TOKEN) as server:
        yield server


@pytest.fixture
async def client(fake: FakeZalo) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(TOKEN, fake.base_url, timeout=5) as client:
        yield client


def assert_no_token(error: BaseException) -> None:
    """Neither the error's text nor anything it drags along (chained errors, the client's frame
    locals, which error trackers record) holds the token."""
    assert error.__cause__ is None and error.__context__ is None
    seen = [str(error), repr(error), repr(error.args)]
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == client_module.__file__:
            seen += [repr(value) for value in traceback.tb_frame.f_locals.values()]
        traceback = traceback.tb_next
    assert not [text for text in seen if SECRET in text]


# ---------------------------------------------------------------------- happy paths


@pytest.mark.parametrize(
    ("call", "method", "params"),
    [
        (lambda c: c.get_me(), "getMe", {}),
        (lambda c: c.get_updates(timeout=0), "getUpdates", {"timeout": "0"}),
        (
            lambda c: c.send_message(USER, "Xin chào"),
            "sendMessage",
            {"chat_id": USER, "text": "Xin chào"},
        ),
        (
            lambda c: c.send_photo(USER, PHOTO, "Ảnh"),
            "sendPhoto",
            {"chat_id": USER, "photo": PHOTO, "caption": "Ảnh"},
        ),
        (lambda c: c.send_photo(USER, PHOTO), "sendPhoto", {"chat_id": USER, "photo": PHOTO}),
        (
            lambda c: c.send_chat_action(USER),
            "sendChatAction",
            {"chat_id": USER, "action": "typing"},
        ),
        (
            lambda c: c.set_webhook(HOOK, "12345678"),
            "setWebhook",
            {"url": HOOK, "secret_token": "12345678"},
        ),
        (lambda c: c.delete_webhook(), "deleteWebhook", {}),
        (lambda c: c.get_webhook_info(), "getWebhookInfo", {}),
    ],
)
async def test_each_method_posts_its_json(
    fake: FakeZalo, client: ZaloClient, call: Call, method: str, params: dict[str, Any]
) -> None:
    await call(client)
    assert fake.calls == [(method, params)]


async def test_results(fake: FakeZalo, client: ZaloClient) -> None:
    me = await client.get_me()
    assert me["id"] == "1459232241454765289" and me["account_type"] == "BASIC"

    sent = await client.send_message(USER, "Xin chào")
    photo = await client.send_photo(USER, PHOTO, "Ảnh")
    assert isinstance(sent["message_id"], str) and sent["date"] > 10**12  # milliseconds
    await client.send_chat_action(USER)
    assert fake.sent(USER) == [
        {"method": "sendMessage", "chat_id": USER, "text": "Xin chào", **_id(sent)},
        {"method": "sendPhoto", "chat_id": USER, "photo": PHOTO, "caption": "Ảnh", **_id(photo)},
    ]
    assert fake.sent("someone else") == []

    await client.set_webhook(HOOK, "x" * 256)
    assert (await client.get_webhook_info())["url"] == HOOK
    await client.delete_webhook()
    assert (await client.get_webhook_info())["url"] == ""


def _id(result: dict[str, Any]) -> dict[str, Any]:
    return {"message_id": result["message_id"]}


async def test_updates_come_one_per_poll_and_408_means_none(
    fake: FakeZalo, client: ZaloClient
) -> None:
    assert await client.get_updates(timeout=0) == []
    first = fake.push_text(USER, "Báo cáo")
    second = fake.push_sticker(USER)
    assert await client.get_updates(timeout=0) == [first]
    assert await client.get_updates(timeout=0) == [second]
    assert await client.get_updates(timeout=0) == []
    # As the real service does, an update read already can come again.
    assert fake.redeliver_last() == second
    assert await client.get_updates(timeout=0) == [second]


async def test_long_poll_wakes_up_on_a_new_update(fake: FakeZalo, client: ZaloClient) -> None:
    poll = asyncio.create_task(client.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    update = fake.push_text(USER, "7")
    async with asyncio.timeout(2):
        assert await poll == [update]


async def test_polling_while_a_webhook_is_set_is_refused(
    fake: FakeZalo, client: ZaloClient
) -> None:
    await client.set_webhook(HOOK, "12345678")
    with pytest.raises(ZaloBadRequest):
        await client.get_updates(timeout=0)
    await client.delete_webhook()
    assert await client.get_updates(timeout=0) == []


async def test_the_session_reopens_after_close(fake: FakeZalo) -> None:
    client = ZaloClient(TOKEN, fake.base_url + "/")
    await client.close()  # nothing opened yet
    await client.get_me()
    await client.close()
    await client.get_me()
    await client.close()
    assert [name for name, _ in fake.calls] == ["getMe", "getMe"]


# ---------------------------------------------------------------------- checks before sending


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.send_message(USER, "x" * 2001), "1 to 2000 characters, not 2001"),
        (lambda c: c.send_message(USER, ""), "not 0"),
        (lambda c: c.send_photo(USER, PHOTO, "x" * 2001), "caption"),
        (lambda c: c.send_photo(USER, PHOTO, ""), "caption"),
        (lambda c: c.set_webhook(HOOK, "1234567"), "8 to 256"),
        (lambda c: c.set_webhook(HOOK, "x" * 257), "8 to 256"),
    ],
)
async def test_invalid_arguments_fail_before_any_request(
    fake: FakeZalo, client: ZaloClient, call: Call, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        await call(client)
    assert fake.calls == []


async def test_2000_characters_go_through(fake: FakeZalo, client: ZaloClient) -> None:
    await client.send_message(USER, "đ" * 2000)
    assert [r["text"] for r in fake.sent()] == ["đ" * 2000]


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (400, ZaloBadRequest),
        (401, ZaloUnauthorized),
        (404, ZaloNotFound),
        (429, ZaloRateLimited),
        (403, ZaloError),
        (500, ZaloServerError),
        (502, ZaloServerError),
    ],
)
@pytest.mark.parametrize(
    ("call", "method"),
    [
        (lambda c: c.get_me(), "getMe"),
        (lambda c: c.send_message(USER, "Xin chào"), "sendMessage"),
        (lambda c: c.get_updates(timeout=0), "getUpdates"),
    ],
)
async def test_error_codes_map_to_typed_errors(
    fake: FakeZalo,
    client: ZaloClient,
    call: Call,
    method: str,
    code: int,
    error_class: type[ZaloError],
) -> None:
    fake.fail_next(method, code, "Quota exceeded")
    with pytest.raises(ZaloError) as caught:
        await call(client)
    error = caught.value
    assert type(error) is error_class
    assert (error.method, error.error_code) == (method, code)
    # 5xx answers come as plain text: the HTTP status stands for the error code.
    expected = f"HTTP {code} without a JSON answer" if code >= 500 else "Quota exceeded"
    assert error.description == expected
    assert str(error) == f"{method} failed ({code}): {expected}"
    assert_no_token(error)
    await call(client)  # the failure was for one call only


async def test_408_from_get_updates_means_nothing_new(fake: FakeZalo, client: ZaloClient) -> None:
    fake.fail_next("getUpdates", 408, "Request timeout")
    assert await client.get_updates() == []


async def test_wrong_token(fake: FakeZalo) -> None:
    async with ZaloClient("999:WRONG-secret", fake.base_url) as intruder:
        with pytest.raises(ZaloUnauthorized) as caught:
            await intruder.get_me()
    assert "WRONG-secret" not in f"{caught.value} {caught.value!r}"
    assert fake.calls == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_connection_refused_hides_the_token() -> None:
    async with ZaloClient(TOKEN, f"http://127.0.0.1:{closed_port()}") as client:
        with pytest.raises(ZaloServerError) as caught:
            await client.send_message(USER, "Xin chào")
    error = caught.value
    assert (error.method, error.error_code) == ("sendMessage", 0)
    assert "ClientConnectorError" in str(error)
    assert_no_token(error)


async def test_an_invalid_api_url_hides_the_token() -> None:
    async with ZaloClient(TOKEN, "http://[not a host") as client:
        with pytest.raises(ZaloServerError) as caught:
            await client.get_me()
    assert_no_token(caught.value)


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="token is empty"):
        ZaloClient("")


def test_repr_hides_the_token() -> None:
    client = ZaloClient(TOKEN)
    assert SECRET not in repr(client) and SECRET not in str(client)
    assert "bot-api.zaloplatforms.com" in repr(client)


# ---------------------------------------------------------------------- odd answers


@pytest.fixture
async def scripted() -> AsyncIterator[tuple[str, list[tuple[int, bytes, float]]]]:
    """A server answering each request with the next (status, body, delay) of a script."""
    script: list[tuple[int, bytes, float]] = []

    async def answer(request: web.Request) -> web.Response:
        status, body, delay = script.pop(0)
        await asyncio.sleep(delay)
        return web.Response(status=status, body=body, content_type="application/json")

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", script
    await runner.cleanup()


UPDATE = {"event_name": "message.text.received", "message": {"message_id": "1"}}


def ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}).encode()


def failed(code: int | None, description: str) -> bytes:
    return json.dumps({"ok": False, "error_code": code, "description": description}).encode()


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (200, failed(408, "Request timeout"), []),
        (408, b"Request Timeout", []),
        (200, ok(UPDATE), [UPDATE]),
        (200, ok([UPDATE, "junk", UPDATE]), [UPDATE, UPDATE]),
        (200, ok(None), []),
        (200, b'{"ok": true}', []),
    ],
)
async def test_get_updates_answers(
    scripted: tuple[str, list[tuple[int, bytes, float]]],
    status: int,
    body: bytes,
    expected: list[dict[str, Any]],
) -> None:
    url, script = scripted
    script.append((status, body, 0.0))
    async with ZaloClient(TOKEN, url) as client:
        assert await client.get_updates() == expected


@pytest.mark.parametrize(
    ("status", "body", "error_class", "code"),
    [
        (200, b"<html>maintenance</html>", ZaloServerError, 200),
        (200, b'["ok"]', ZaloServerError, 200),
        (200, b'{"ok": "yes"}', ZaloServerError, 200),
        (502, b"Bad gateway", ZaloServerError, 502),
        (401, b"Unauthorized", ZaloUnauthorized, 401),
        (429, failed(None, "slow down"), ZaloRateLimited, 429),
        (200, failed(429, "slow down"), ZaloRateLimited, 429),
        (200, ok("not an object"), ZaloServerError, 0),
        (404, failed(404, f"no such path /bot{TOKEN}/getMe"), ZaloNotFound, 404),
    ],
)
async def test_odd_answers(
    scripted: tuple[str, list[tuple[int, bytes, float]]],
    status: int,
    body: bytes,
    error_class: type[ZaloError],
    code: int,
) -> None:
    url, script = scripted
    script.append((status, body, 0.0))
    async with ZaloClient(TOKEN, url) as client:
        with pytest.raises(ZaloError) as caught:
            await client.get_me()
    assert type(caught.value) is error_class and caught.value.error_code == code
    assert_no_token(caught.value)


async def test_a_slow_answer_times_out(
    scripted: tuple[str, list[tuple[int, bytes, float]]],
) -> None:
    url, script = scripted
    script.append((200, ok({}), 1.0))
    async with ZaloClient(TOKEN, url, timeout=0.1) as client:
        with pytest.raises(ZaloServerError, match="TimeoutError") as caught:
            await client.send_chat_action(USER)
    assert_no_token(caught.value)


# ---------------------------------------------------------------------- the fake itself


@pytest.mark.parametrize(
    ("method", "body", "token", "status"),
    [
        ("sendSticker", {}, TOKEN, 404),
        ("getMe", {}, "1:other", 401),
        ("sendMessage", {"chat_id": USER, "text": "x" * 2001}, TOKEN, 400),
        ("sendMessage", {"chat_id": USER, "text": ""}, TOKEN, 400),
        ("sendMessage", {"chat_id": 42, "text": "x"}, TOKEN, 400),
        ("sendPhoto", {"chat_id": USER, "photo": "a.jpg"}, TOKEN, 400),
        ("sendChatAction", {"chat_id": USER, "action": "dance"}, TOKEN, 400),
        ("setWebhook", {"url": "http://plain.example", "secret_token": "x" * 8}, TOKEN, 400),
        ("setWebhook", {"url": HOOK, "secret_token": "x" * 7}, TOKEN, 400),
        ("getUpdates", {"timeout": "soon"}, TOKEN, 400),
        ("getMe", [], TOKEN, 400),
    ],
)
async def test_fake_refuses_what_the_real_service_refuses(
    fake: FakeZalo, method: str, body: Any, token: str, status: int
) -> None:
    url = f"{fake.base_url}/bot{token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=body) as response:
        answer = await response.json()
    assert (response.status, answer["ok"], answer["error_code"]) == (status, False, status)
    assert fake.sent() == []


async def test_fake_stop_ends_a_pending_poll(fake: FakeZalo, client: ZaloClient) -> None:
    poll = asyncio.create_task(client.get_updates(timeout=30))
    await asyncio.sleep(0.1)
    await fake.stop()
    async with asyncio.timeout(2):
        assert await poll == []


async def test_fake_wait_for_sent(fake: FakeZalo, client: ZaloClient) -> None:
    later = asyncio.create_task(fake.wait_for_sent(USER, 2))
    await client.send_message(USER, "một")
    await client.send_message(USER, "hai")
    assert [r["text"] for r in await later] == ["một", "hai"]
    with pytest.raises(AssertionError, match=r"expected 3 messages .* got 2"):
        await fake.wait_for_sent(USER, 3, timeout=0.1)


async def test_fake_webhook_post() -> None:
    received: list[tuple[str | None, Any]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    fake = FakeZalo(TOKEN)  # sending webhooks needs no running server
    update = fake.push_text(USER, "Xin chào")
    try:
        assert await fake.webhook_post(url, update, "12345678") == 204
        assert await fake.webhook_post(url, update, None, wrapped=True) == 204
    finally:
        await runner.cleanup()
    assert received == [("12345678", update), (None, {"ok": True, "result": update})]


# ---------------------------------------------------------------------- updates


def test_pushed_updates_translate() -> None:
    fake = FakeZalo(TOKEN)
    text = fake.push_text(USER, "Báo cáo tháng 9", display_name="Chị Lan")
    assert to_inbound(text) == Inbound(
        channel="zalo",
        user_id=USER,
        chat_id=USER,
        text="Báo cáo tháng 9",
        display_name="Chị Lan",
        update_key=text["message"]["message_id"],
    )
    image = to_inbound(fake.push_image(USER, PHOTO, "Biên bản"))
    assert image is not None
    assert (image.attachment, image.text) == (Attachment("photo", PHOTO), "Biên bản")
    bare_image = to_inbound(fake.push_image(USER, PHOTO))
    assert bare_image is not None and bare_image.text is None
    sticker = to_inbound(fake.push_sticker(USER))
    assert sticker is not None and (sticker.text, sticker.attachment) == ("", None)
    keys = {i.update_key for i in (to_inbound(text), image, bare_image, sticker) if i}
    assert len(keys) == 4


def update(event: str = "message.text.received", /, **fields: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": "m1",
        "date": 1766619597466,
        "chat": {"id": "u1", "chat_type": "PRIVATE"},
        "from": {"id": "u1", "display_name": "Anh Nam", "is_bot": False},
        "text": "5",
    }
    for name, value in fields.items():
        if value is None:
            message.pop(name, None)
        else:
            message[name] = value
    return {"event_name": event, "message": message}


EXPECTED = Inbound("zalo", "u1", "u1", text="5", display_name="Anh Nam", update_key="m1")
EMPTY = Inbound("zalo", "u1", "u1", text="", display_name="Anh Nam", update_key="m1")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (update(), EXPECTED),
        (
            update("message.image.received", photo_url=PHOTO, caption="ảnh", text=None),
            Inbound(
                "zalo",
                "u1",
                "u1",
                text="ảnh",
                attachment=Attachment("photo", PHOTO),
                display_name="Anh Nam",
                update_key="m1",
            ),
        ),
        # Write-ups of the API disagree on some names: "photo" and "name" are read too.
        (
            update("message.image.received", photo=PHOTO, text=None),
            Inbound(
                "zalo",
                "u1",
                "u1",
                attachment=Attachment("photo", PHOTO),
                display_name="Anh Nam",
                update_key="m1",
            ),
        ),
        (
            update(**{"from": {"id": "u1", "name": "Nam"}}),
            Inbound("zalo", "u1", "u1", text="5", display_name="Nam", update_key="m1"),
        ),
        (
            update(message_id=123, chat={"id": 9}, **{"from": {"id": 8, "display_name": 5}}),
            Inbound("zalo", "8", "9", text="5", update_key="123", private=False),
        ),
        # A group, or a chat that is not the sender's own: answered, never acted on.
        (
            update(chat={"id": "u1", "chat_type": "GROUP"}),
            Inbound(
                "zalo", "u1", "u1", text="5", display_name="Anh Nam", update_key="m1", private=False
            ),
        ),
        (update("message.sticker.received", text=None, sticker="abc"), EMPTY),
        (update("message.unsupported.received", text=None), EMPTY),
        (update(**{"from": {"id": "bot", "is_bot": True}}), None),
        (update("message.image.received", text=None), None),
        (update("message.image.received", photo_url=""), None),
        (update(text=None), None),
        (update(text=5), None),
        (update("message.reaction.received"), None),
        (update(message_id=None), None),
        (update(message_id=True), None),
        (update(message_id=""), None),
        (update(chat=None), None),
        (update(chat={"id": None}), None),
        (update(chat=[]), None),
        (update(**{"from": None}), None),
        (update(**{"from": "u1"}), None),
        ({"event_name": "message.text.received"}, None),
        ({"event_name": "message.text.received", "message": "5"}, None),
        ({}, None),
    ],
)
def test_to_inbound(given: dict[str, Any], expected: Inbound | None) -> None:
    assert to_inbound(given) == expected


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
EVENTS = st.sampled_from(
    [
        "message.text.received",
        "message.image.received",
        "message.sticker.received",
        "message.unsupported.received",
    ]
)


def fields(names: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with some of ``names``, each holding anything JSON can."""
    return st.dictionaries(st.sampled_from(names), values, max_size=len(names))


# Near-valid updates reach the deep branches that arbitrary JSON rarely does.
NEAR_UPDATES = st.fixed_dictionaries(
    {
        "event_name": EVENTS | JSON,
        "message": fields(["message_id", "date", "text", "photo_url", "photo", "caption"], JSON)
        | st.fixed_dictionaries(
            {
                "message_id": st.text() | st.integers() | JSON,
                "chat": fields(["id", "chat_type"], st.text() | JSON),
                "from": fields(["id", "display_name", "is_bot", "name"], st.text() | JSON),
                "text": st.text() | JSON,
                "photo_url": st.text() | JSON,
            }
        ),
    }
)


@given(st.one_of(JSON, st.dictionaries(st.text(max_size=12), JSON), NEAR_UPDATES))
def test_to_inbound_never_raises(value: Any) -> None:
    inbound = to_inbound(value)
    if inbound is not None:
        assert inbound.channel == "zalo" and inbound.user_id and inbound.chat_id
        assert isinstance(inbound.update_key, str) and inbound.update_key
        assert isinstance(inbound.text, str) or inbound.attachment is not None
    unwrapped = unwrap_webhook_body(value)
    assert unwrapped is None or isinstance(unwrapped.get("event_name"), str)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (update(), update()),
        ({"ok": True, "result": update()}, update()),
        ({"ok": False, "result": update()}, None),
        ({"ok": True, "result": {"message": {}}}, None),
        ({"ok": True, "result": [update()]}, None),
        ({"ok": True}, None),
        ({"event_name": 5, "message": {}}, None),
        ({}, None),
        ([update()], None),
        ("message.text.received", None),
        (None, None),
    ],
)
def test_unwrap_webhook_body(body: Any, expected: dict[str, Any] | None) -> None:
    assert unwrap_webhook_body(body) == expected
