"""A local Zalo Bot API server for tests.

The client under test talks to it over HTTP as it would to bot-api.zaloplatforms.com (pass
``fake.base_url`` as the API URL), while the test drives it from Python: it queues what users
do (``push_text``, ``push_image``, ``push_sticker``, ``redeliver_last``) and inspects what the
bot did (``sent``, ``wait_for_sent``, ``calls``); ``fail_next`` makes a method answer an error
once, and ``webhook_post`` delivers an update to a bot's webhook as Zalo would.

It follows the documented behaviour where bots usually trip: ``getUpdates`` answers one update
per call and HTTP 408 when a long poll ends idle, has no offset (an update can come again),
and is refused while a webhook is set; texts hold 1 to 2000 characters; ids are strings and
dates are in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web

from tests.local_api_server import JsonDict, LocalApiServer

MAX_TEXT_LENGTH = 2000
SECRET_LENGTH = range(8, 257)
DEFAULT_POLL_TIMEOUT = 30
MAX_POLL_TIMEOUT = 60
CHAT_ACTIONS = frozenset({"typing", "upload_photo"})
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class ApiError(Exception):
    """An error answer: JSON for 4xx, a plain-text page for 5xx as a failing gateway sends."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description

    def response(self) -> web.Response:
        if self.error_code >= 500:
            return web.Response(status=self.error_code, text=self.description)
        body = {"ok": False, "error_code": self.error_code, "description": self.description}
        return web.json_response(body, status=self.error_code)


Handler = Callable[[JsonDict], Awaitable[Any]]


class FakeZalo(LocalApiServer):
    """A Zalo Bot API server for one bot, controlled from the test's event loop."""

    _server_name = "the fake Zalo server"

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.bot_info: JsonDict = {
            "id": token.split(":", 1)[0],
            "account_name": "bot.thidua_test",
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        self.calls: list[tuple[str, JsonDict]] = []
        self.webhook_url = ""
        self.webhook_secret = ""
        self._webhook_updated_at = _now_ms()
        self._sent: list[JsonDict] = []
        self._updates: deque[JsonDict] = deque()
        self._last_update: JsonDict | None = None
        self._message_numbers = itertools.count(1)
        self._failures: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        self._photos: dict[str, bytes] = {}
        self._methods: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
        }

    def _routes(self, app: web.Application) -> None:
        app.router.add_route("POST", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/photos/{name}", self._handle_photo)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)

    # ------------------------------------------------------------------ control API

    def push_text(
        self,
        user_id: str,
        text: str,
        *,
        display_name: str = "Cán bộ",
        chat: JsonDict | None = None,
    ) -> JsonDict:
        """Queue a text message from the user, in their private chat unless `chat` says
        otherwise; returns the update."""
        return self._push("message.text.received", user_id, display_name, {"text": text}, chat)

    def push_image(
        self,
        user_id: str,
        photo_url: str,
        caption: str | None = None,
        *,
        display_name: str = "Cán bộ",
    ) -> JsonDict:
        """Queue a photo from the user; the caption, if any, is in ``caption``."""
        content: JsonDict = {"photo_url": photo_url}
        if caption is not None:
            content["caption"] = caption
        return self._push("message.image.received", user_id, display_name, content)

    def host_photo(self, data: bytes) -> str:
        """Serve a photo as Zalo's CDN would; its URL goes in ``push_image``."""
        name = f"p{len(self._photos) + 1}.jpg"
        self._photos[name] = data
        return f"{self.base_url}/photos/{name}"

    async def _handle_photo(self, request: web.Request) -> web.Response:
        data = self._photos.get(request.match_info["name"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, content_type="image/jpeg")

    def push_sticker(self, user_id: str, *, display_name: str = "Cán bộ") -> JsonDict:
        content = {"sticker": "fake-sticker", "url": "https://zalo.example/sticker.webp"}
        return self._push("message.sticker.received", user_id, display_name, content)

    def redeliver_last(self) -> JsonDict:
        """Queue the last pushed update again, as the real service sometimes does."""
        if self._last_update is None:
            msg = "no update was pushed yet"
            raise RuntimeError(msg)
        return self._queue(copy.deepcopy(self._last_update))

    def sent(self, chat_id: str | None = None) -> list[JsonDict]:
        """What the bot sent, oldest first, optionally only to one chat.

        Each record has ``method``, ``chat_id``, ``message_id`` and ``text`` (sendMessage) or
        ``photo`` and ``caption`` (sendPhoto, caption None when not given).
        """
        return [record for record in self._sent if chat_id in (None, record["chat_id"])]

    async def wait_for_sent(
        self, chat_id: str, count: int, timeout: float = 10.0
    ) -> list[JsonDict]:
        """Wait until ``sent(chat_id)`` holds at least ``count`` records and return it."""
        return await self._wait_for_sent(chat_id, count, timeout, lambda: self.sent(chat_id))

    def fail_next(self, method: str, error_code: int, description: str) -> None:
        """Make the next call of ``method`` fail; repeated calls queue several failures.

        Codes of 500 and above answer that HTTP status with a plain-text (non-JSON) body.
        """
        self._failures[method].append(ApiError(error_code, description))

    async def webhook_post(
        self, url: str, update: JsonDict, secret: str | None, wrapped: bool = False
    ) -> int:
        """POST ``update`` to a bot's webhook as Zalo does; returns the HTTP status.

        ``secret`` goes in the X-Bot-Api-Secret-Token header (None leaves the header out);
        ``wrapped`` sends ``{"ok": true, "result": update}`` instead of the bare update.
        """
        body = {"ok": True, "result": update} if wrapped else update
        headers = {} if secret is None else {SECRET_HEADER: secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=body, headers=headers) as response,
        ):
            return response.status

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        name = request.match_info["method"]
        handler = self._methods.get(name)
        try:
            params = await _read_params(request)
            self.calls.append((name, params))
            self._activity.notify()
            if handler is None:
                raise ApiError(404, "Not Found")
            if failures := self._failures[name]:
                raise failures.popleft()
            result = await handler(params)
        except ApiError as error:
            return error.response()
        return web.json_response({"ok": True, "result": result})

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        return ApiError(404, "Not Found").response()

    # ------------------------------------------------------------------ service methods

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return dict(self.bot_info)

    async def _get_updates(self, params: JsonDict) -> JsonDict:
        if self.webhook_url:
            raise ApiError(400, "Bad Request: getUpdates is not available while a webhook is set")
        timeout = params.get("timeout", str(DEFAULT_POLL_TIMEOUT))
        if not isinstance(timeout, str | int) or not str(timeout).isdigit():
            raise ApiError(400, "Bad Request: timeout must be a number of seconds")
        deadline = asyncio.get_running_loop().time() + min(int(timeout), MAX_POLL_TIMEOUT)
        while not self._updates:
            if self._closing or asyncio.get_running_loop().time() >= deadline:
                raise ApiError(408, "Request timeout")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await self._updates_changed.wait()
        return self._updates.popleft()

    async def _set_webhook(self, params: JsonDict) -> JsonDict:
        url, secret = params.get("url"), params.get("secret_token")
        if not isinstance(url, str) or not url.startswith("https://"):
            raise ApiError(400, "Bad Request: url must be an HTTPS URL")
        if not isinstance(secret, str) or len(secret) not in SECRET_LENGTH:
            raise ApiError(400, "Bad Request: secret_token must have 8 to 256 characters")
        self.webhook_url, self.webhook_secret = url, secret
        return self._webhook_state()

    async def _delete_webhook(self, params: JsonDict) -> JsonDict:
        self.webhook_url, self.webhook_secret = "", ""
        return self._webhook_state()

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        return {"url": self.webhook_url, "updated_at": self._webhook_updated_at}

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat_id = _chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise ApiError(400, "Bad Request: text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, f"Bad Request: text is longer than {MAX_TEXT_LENGTH} characters")
        return self._record({"method": "sendMessage", "chat_id": chat_id, "text": text})

    async def _send_photo(self, params: JsonDict) -> JsonDict:
        chat_id = _chat_id(params)
        photo, caption = params.get("photo"), params.get("caption")
        if not isinstance(photo, str) or not photo.startswith(("https://", "http://")):
            raise ApiError(400, "Bad Request: photo must be a URL")
        if caption is not None and (
            not isinstance(caption, str) or not 1 <= len(caption) <= MAX_TEXT_LENGTH
        ):
            raise ApiError(400, f"Bad Request: caption must have 1 to {MAX_TEXT_LENGTH} characters")
        record = {"method": "sendPhoto", "chat_id": chat_id, "photo": photo, "caption": caption}
        return self._record(record)

    async def _send_chat_action(self, params: JsonDict) -> None:
        _chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: action is not supported")

    # ------------------------------------------------------------------ helpers

    def _push(
        self,
        event: str,
        user_id: str,
        display_name: str,
        content: JsonDict,
        chat: JsonDict | None = None,
    ) -> JsonDict:
        message = {
            "message_id": self._new_message_id(),
            "date": _now_ms(),
            "chat": chat or {"id": user_id, "chat_type": "PRIVATE"},
            "from": {"id": user_id, "display_name": display_name, "is_bot": False},
            **content,
        }
        update = {"event_name": event, "message": message}
        self._last_update = copy.deepcopy(update)
        return self._queue(update)

    def _queue(self, update: JsonDict) -> JsonDict:
        self._updates.append(update)
        self._updates_changed.notify()
        return copy.deepcopy(update)

    def _record(self, record: JsonDict) -> JsonDict:
        result = {"message_id": self._new_message_id(), "date": _now_ms()}
        self._sent.append({**record, "message_id": result["message_id"]})
        self._activity.notify()
        return result

    def _webhook_state(self) -> JsonDict:
        self._webhook_updated_at = _now_ms()
        return {"url": self.webhook_url, "updated_at": self._webhook_updated_at}

    def _new_message_id(self) -> str:
        # Real ids are 20 hex digits.
        return f"{next(self._message_numbers):020x}"


async def _read_params(request: web.Request) -> JsonDict:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise ApiError(400, "Bad Request: the body must be JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Bad Request: the body must be a JSON object")
    return body


def _chat_id(params: JsonDict) -> str:
    chat_id = params.get("chat_id")
    if not isinstance(chat_id, str) or not chat_id:
        raise ApiError(400, "Bad Request: chat_id must be a non-empty string")
    return chat_id


def _now_ms() -> int:
    return int(time.time() * 1000)
