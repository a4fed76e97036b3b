"""A local Telegram Bot API server for end-to-end tests.

The bot under test talks to it over HTTP exactly as it would to api.telegram.org (point
aiogram at it with ``TelegramAPIServer.from_base(emulator.base_url)``), while the test drives
it from Python: it queues what users do (``push_message``, ``push_callback``, ``push_photo``)
and inspects what the bot did (``sent``, ``wait_for_sent``, ``calls``, ``wait_for_call``);
``fail_next`` makes a method answer an error once, e.g. 429 with ``retry_after``.

It follows the real server where bots usually trip: ``getUpdates`` offsets and long polling
(a second concurrent poll ends the first with 409 Conflict), ``allowed_updates`` filtering,
HTML ``parse_mode`` parsing into entities (unsupported or unclosed tags are rejected),
message length limits, callback data limits, and edits that drop the inline keyboard when
none is passed or change nothing, uploaded photos that are no picture or too long and thin.
Markdown parse modes are accepted but not parsed.

Standalone, for manual tries: ``python -m tests.botapi_emulator --port 8081 --token 123:ABC``,
then type ``msg USER_ID TEXT``, ``cb USER_ID MESSAGE_ID DATA`` or ``photo USER_ID [CAPTION]``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import copy
import itertools
import json
import logging
import mimetypes
import re
import sys
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any, Literal

from aiohttp import web

from tests.local_api_server import JsonDict, LocalApiServer

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# Form fields holding JSON values, and fields converted to int or bool when sent as strings.
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
    }
)
_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "message_thread_id"}
)
_BOOL_FIELDS = frozenset(
    {
        "drop_pending_updates",
        "show_alert",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
    }
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Inline keyboard buttons need exactly one of these besides "text".
_BUTTON_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

# A 1×1 PNG: the default content of photos pushed by users.
PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        body: JsonDict = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.error_code)


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes = field(repr=False)

    def as_photo_size(self) -> JsonDict:
        # The dimensions are nominal: the emulator does not decode images.
        return {**self._ids(), "width": 1, "height": 1}

    def as_document(self) -> JsonDict:
        return {**self._ids(), "file_name": self.file_name, "mime_type": self.mime_type}

    def as_file(self) -> JsonDict:
        return {**self._ids(), "file_path": self.file_path}

    def _ids(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }


@dataclass
class _StoredMessage:
    message: JsonDict
    source_text: str | None  # text or caption as the sender wrote it, before entity parsing
    parse_mode: str | None


@dataclass
class _Chat:
    user: JsonDict  # the private chat's other party
    messages: dict[int, _StoredMessage] = field(default_factory=dict)
    last_message_id: int = 0

    def info(self) -> JsonDict:
        return {"id": self.user["id"], "first_name": self.user["first_name"], "type": "private"}

    def add(
        self, sender: JsonDict, content: JsonDict, source_text: str | None, parse_mode: str | None
    ) -> _StoredMessage:
        self.last_message_id += 1
        message = {
            "message_id": self.last_message_id,
            "from": dict(sender),
            "chat": self.info(),
            "date": int(time.time()),
            **content,
        }
        stored = _StoredMessage(message, source_text, parse_mode)
        self.messages[self.last_message_id] = stored
        return stored


Handler = Callable[[JsonDict], Awaitable[Any]]


class BotApiEmulator(LocalApiServer):
    """A Bot API server for one bot, controlled from the test's event loop."""

    _server_name = "the emulator"
    _client_max_size = MAX_UPLOAD_BYTES

    def __init__(self, token: str, bot_username: str = "thidua_test_bot") -> None:
        super().__init__()
        self.token = token
        self.bot_user: JsonDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Thi đua (test)",
            "username": bot_username,
        }
        self.calls: list[tuple[str, JsonDict]] = []
        self._sent: list[JsonDict] = []
        self._updates: list[JsonDict] = []  # queued and not yet confirmed by an offset
        self._update_ids = itertools.count(1)
        self._allowed_updates: list[str] = []
        self._poll_serial = 0
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_numbers = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._callback_ids = itertools.count(1)
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._failures: defaultdict[str, deque[ApiError]] = defaultdict(deque)
        self._holds: dict[str, tuple[asyncio.Event, bool]] = {}
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "getFile": self._get_file,
        }
        # Method names are case-insensitive, as on the real server.
        self._methods = {name.lower(): (name, handler) for name, handler in handlers.items()}

    def _routes(self, app: web.Application) -> None:
        app.router.add_route("GET", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("POST", "/bot{token}/{method}", self._handle_method)
        app.router.add_route("GET", "/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown_path)

    # ------------------------------------------------------------------ control API

    def push_message(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str = "vi",
        first_name: str = "Cán bộ",
    ) -> int:
        """Queue a private text message from the user; a leading /command gets an entity."""
        chat = self._user_chat(user_id, first_name=first_name, language_code=language_code)
        content: JsonDict = {"text": text}
        if command := _COMMAND.match(text):
            content["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group())}
            ]
        stored = chat.add(chat.user, content, text, None)
        return self._queue_update({"message": stored.message})

    def push_callback(self, user_id: int, message_id: int, data: str) -> int:
        """Queue the user's press of a button with ``data`` on a message the bot sent them."""
        chat = self._chats.get(user_id)
        stored = chat.messages.get(message_id) if chat else None
        if chat is None or stored is None or not stored.message["from"]["is_bot"]:
            msg = f"the bot sent no message {message_id} to chat {user_id}"
            raise ValueError(msg)
        query_id = str(next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": dict(chat.user),
            "message": copy.deepcopy(stored.message),
            "chat_instance": str(user_id),
            "data": data,
        }
        return self._queue_update({"callback_query": query})

    def push_photo(
        self, user_id: int, caption: str | None = None, *, data: bytes = PIXEL_PNG
    ) -> int:
        """Queue a photo from the user; ``getFile`` resolves its file_id to ``data``."""
        chat = self._user_chat(user_id)
        photo = self._store_file("photo", data, "photo.jpg", "image/jpeg")
        content: JsonDict = {"photo": [photo.as_photo_size()]}
        if caption is not None:
            content["caption"] = caption
        stored = chat.add(chat.user, content, caption, None)
        return self._queue_update({"message": stored.message})

    def push_document(
        self, user_id: int, data: bytes, file_name: str, mime_type: str, caption: str | None = None
    ) -> int:
        """Queue a file from the user; ``getFile`` and the file path serve ``data``."""
        chat = self._user_chat(user_id)
        document = self._store_file("document", data, file_name, mime_type)
        content: JsonDict = {"document": document.as_document()}
        if caption is not None:
            content["caption"] = caption
        stored = chat.add(chat.user, content, caption, None)
        return self._queue_update({"message": stored.message})

    def sent(self, chat_id: int | None = None) -> list[JsonDict]:
        """Messages the bot sent or edited, oldest first, optionally only in one chat.

        Each is a dict with ``method``, ``chat_id``, ``message_id``, ``text`` (the text or
        caption as the bot wrote it, before entity parsing), ``parse_mode`` and
        ``reply_markup`` (as passed, any keyboard kind); sendPhoto and sendDocument also have
        ``file``: the file_id or URL passed, or an ``UploadedFile``.
        """
        return [record for record in self._sent if chat_id in (None, record["chat_id"])]

    async def wait_for_sent(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[JsonDict]:
        """Wait until ``sent(chat_id)`` holds at least ``count`` records and return it."""
        return await self._wait_for_sent(chat_id, count, timeout, lambda: self.sent(chat_id))

    async def wait_for_call(
        self, method: str, count: int = 1, timeout: float = 10.0
    ) -> list[JsonDict]:
        """Wait until ``method`` was called ``count`` times; return the params of its calls.

        ``wait_for_call("getUpdates")`` tells that a bot process is polling, so updates
        pushed from then on survive its ``deleteWebhook(drop_pending_updates=True)``.
        """

        def matching() -> list[JsonDict]:
            return [params for name, params in self.calls if name.lower() == method.lower()]

        if not await self._wait_until(lambda: len(matching()) >= count, timeout):
            called = [name for name, _ in self.calls]
            msg = f"expected {count} {method} calls within {timeout}s, calls were: {called}"
            raise AssertionError(msg)
        return matching()

    def fail_next(
        self, method: str, error_code: int, description: str, retry_after: int | None = None
    ) -> None:
        """Make the next call of ``method`` fail; repeated calls queue several failures."""
        self._failures[method.lower()].append(ApiError(error_code, description, retry_after))

    def hold(self, method: str, *, then: Literal["carry out", "drop"]) -> None:
        """Keep calls of ``method`` waiting, unanswered and not carried out, until ``release``;
        then they are carried out, or dropped (answered 502, as a call the server never got
        would be). A bot killed meanwhile never hears back."""
        self._holds[method.lower()] = (asyncio.Event(), then == "carry out")

    def release(self, method: str) -> None:
        """End the hold of ``method``: waiting calls go on as ``hold`` said, new ones at once."""
        released, _ = self._holds.pop(method.lower())
        released.set()

    # ------------------------------------------------------------------ HTTP layer

    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        requested = request.match_info["method"]
        name, handler = self._methods.get(requested.lower(), (requested, None))
        try:
            params = await _read_params(request)
            self.calls.append((name, params))
            self._activity.notify()
            log.debug("call %s %r", name, params)
            if handler is None:
                raise ApiError(404, "Not Found")
            if failures := self._failures[name.lower()]:
                raise failures.popleft()
            if (held := self._holds.get(name.lower())) is not None:
                released, carry_out = held
                await released.wait()
                if not carry_out:
                    raise ApiError(502, "Bad Gateway: the call was dropped")
            result = await handler(params)
        except ApiError as error:
            log.info("%s failed: %s %s", name, error.error_code, error.description)
            return error.response()
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        path = request.match_info["file_path"]
        stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return ApiError(404, "Not Found").response()
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle_unknown_path(self, request: web.Request) -> web.Response:
        return ApiError(404, "Not Found").response()

    # ------------------------------------------------------------------ service methods

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: JsonDict) -> bool:
        if params.get("drop_pending_updates") is True:
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _set_my_commands(self, params: JsonDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be an array")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND.fullmatch(
                str(command.get("command", ""))
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: command description must be 1-256 characters")
        self._commands[_commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return self._commands.get(_commands_key(params), [])

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        self._commands.pop(_commands_key(params), None)
        return True

    # ------------------------------------------------------------------ updates

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        offset = _int_param(params, "offset", 0)
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        timeout = max(_int_param(params, "timeout", 0), 0)
        if "allowed_updates" in params:
            allowed = params["allowed_updates"]
            if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
                raise ApiError(400, "Bad Request: allowed_updates must be an array of strings")
            self._allowed_updates = allowed
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_serial += 1
        serial = self._poll_serial
        self._updates_changed.notify()  # ends an older long poll with 409 Conflict
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if serial != self._poll_serial:
                raise ApiError(409, _CONFLICT)
            if self._allowed_updates:
                self._updates = [
                    u for u in self._updates if _update_type(u) in self._allowed_updates
                ]
            batch = self._updates[:limit]
            if batch or self._closing or asyncio.get_running_loop().time() >= deadline:
                return batch
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await self._updates_changed.wait()

    def _queue_update(self, payload: JsonDict) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **payload})
        self._updates_changed.notify()
        return update_id

    # ------------------------------------------------------------------ messages

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params)
        source = _str_param(params, "text")
        text, entities = _parse_entities(source, params.get("parse_mode"), params.get("entities"))
        _check_text(text, MAX_TEXT_LENGTH, "message text is empty", "message is too long")
        markup = _reply_markup(params)
        content: JsonDict = {"text": text}
        if entities:
            content["entities"] = entities
        return self._deliver("sendMessage", chat, content, source, params, markup)

    async def _send_photo(self, params: JsonDict) -> JsonDict:
        return self._send_media("sendPhoto", "photo", params)

    async def _send_document(self, params: JsonDict) -> JsonDict:
        return self._send_media("sendDocument", "document", params)

    def _send_media(self, method: str, kind: str, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params)
        source = params.get(kind)
        stored_file = self._resolve_media(kind, source)
        content: JsonDict = {
            kind: [stored_file.as_photo_size()] if kind == "photo" else stored_file.as_document()
        }
        caption = _str_param(params, "caption") if "caption" in params else None
        if caption is not None:
            text, entities = _parse_entities(
                caption, params.get("parse_mode"), params.get("caption_entities")
            )
            if len(text) > MAX_CAPTION_LENGTH:
                raise ApiError(400, "Bad Request: message caption is too long")
            content["caption"] = text
            if entities:
                content["caption_entities"] = entities
        markup = _reply_markup(params)
        return self._deliver(method, chat, content, caption, params, markup, file=source)

    def _deliver(
        self,
        method: str,
        chat: _Chat,
        content: JsonDict,
        source_text: str | None,
        params: JsonDict,
        markup: JsonDict | None,
        **extra: Any,
    ) -> JsonDict:
        if inline := _inline_keyboard(markup):
            content["reply_markup"] = inline
        stored = chat.add(self.bot_user, content, source_text, params.get("parse_mode"))
        self._record(method, stored, markup, **extra)
        return copy.deepcopy(stored.message)

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        stored = self._edit_target(params)
        if "text" not in stored.message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        source = _str_param(params, "text")
        text, entities = _parse_entities(source, params.get("parse_mode"), params.get("entities"))
        _check_text(text, MAX_TEXT_LENGTH, "message text is empty", "message is too long")
        markup = _reply_markup(params)
        # Like the real server, an edit without reply_markup removes the inline keyboard.
        _apply_edit(
            stored.message,
            {"text": text, "entities": entities or None, "reply_markup": _inline_keyboard(markup)},
        )
        stored.source_text = source
        stored.parse_mode = params.get("parse_mode")
        self._record("editMessageText", stored, markup)
        return copy.deepcopy(stored.message)

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        stored = self._edit_target(params)
        markup = _reply_markup(params)
        _apply_edit(stored.message, {"reply_markup": _inline_keyboard(markup)})
        self._record("editMessageReplyMarkup", stored, markup)
        return copy.deepcopy(stored.message)

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        query_id = params.get("callback_query_id")
        if query_id not in self._open_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_callbacks.discard(query_id)
        return True

    async def _send_chat_action(self, params: JsonDict) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _get_file(self, params: JsonDict) -> JsonDict:
        stored = self._files.get(str(params.get("file_id", "")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return stored.as_file()

    # ------------------------------------------------------------------ helpers

    def _user_chat(
        self, user_id: int, *, first_name: str | None = None, language_code: str | None = None
    ) -> _Chat:
        chat = self._chats.get(user_id)
        if chat is None:
            user = {"id": user_id, "is_bot": False, "first_name": "Cán bộ", "language_code": "vi"}
            chat = self._chats[user_id] = _Chat(user)
        if first_name is not None:
            chat.user["first_name"] = first_name
        if language_code is not None:
            chat.user["language_code"] = language_code
        return chat

    def _target_chat(self, params: JsonDict) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        # Only private chats with users are emulated; their ids are positive.
        if isinstance(chat_id, bool) or not isinstance(chat_id, int) or chat_id <= 0:
            raise ApiError(400, "Bad Request: chat not found")
        return self._user_chat(chat_id)

    def _edit_target(self, params: JsonDict) -> _StoredMessage:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        stored = chat.messages.get(message_id) if chat and isinstance(message_id, int) else None
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not stored.message["from"]["is_bot"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return stored

    def _resolve_media(self, kind: str, source: Any) -> _StoredFile:
        if source is None or source == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(source, UploadedFile):
            if kind == "photo":
                _check_photo(source.data)
            elif not source.data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            mime_type = mimetypes.guess_type(source.filename)[0] or source.content_type
            return self._store_file(kind, source.data, source.filename, mime_type)
        if isinstance(source, str) and source in self._files:
            return self._files[source]
        if isinstance(source, str) and source.startswith(("http://", "https://")):
            # The emulator does not download URLs: the file is recorded without content.
            name = PurePosixPath(source.split("?", 1)[0]).name or kind
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return self._store_file(kind, b"", name, mime_type)
        raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")

    def _store_file(self, kind: str, data: bytes, file_name: str, mime_type: str) -> _StoredFile:
        number = next(self._file_numbers)
        if kind == "photo":
            path = f"photos/file_{number}.jpg"
        else:
            path = f"documents/file_{number}{PurePosixPath(file_name).suffix}"
        stored = _StoredFile(
            file_id=f"emu-{kind}-{number}",
            file_unique_id=f"emu-unique-{number}",
            file_path=path,
            file_name=file_name,
            mime_type=mime_type,
            data=data,
        )
        self._files[stored.file_id] = stored
        return stored

    def _record(
        self, method: str, stored: _StoredMessage, markup: JsonDict | None, **extra: Any
    ) -> None:
        message = stored.message
        record = {
            "method": method,
            "chat_id": message["chat"]["id"],
            "message_id": message["message_id"],
            "text": stored.source_text,
            "parse_mode": stored.parse_mode,
            "reply_markup": markup,
            **extra,
        }
        self._sent.append(record)
        log.info("%s → %s #%s: %s", method, record["chat_id"], record["message_id"], record["text"])
        self._activity.notify()


def _check_photo(data: bytes) -> None:
    """Refuse an uploaded photo as Telegram does: more than 10 MB, not a picture, or a PNG
    whose width and height add up to more than 10.000 or whose sides differ over 20 times.
    (JPEG is taken without looking inside.)"""
    if len(data) > 10 * 1024 * 1024:
        raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
    if data.startswith(b"\xff\xd8\xff"):
        return
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    width, height = int.from_bytes(data[16:20]), int.from_bytes(data[20:24])
    if (
        not width
        or not height
        or width + height > 10_000
        or max(width, height) > 20 * min(width, height)
    ):
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")


# ---------------------------------------------------------------------- request parsing


async def _read_params(request: web.Request) -> JsonDict:
    """Query and body parameters, with JSON fields decoded and numbers and flags converted."""
    raw: JsonDict = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON body") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: the JSON body must be an object")
            raw.update(body)
        else:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    raw[key] = UploadedFile(value.filename, value.content_type, value.file.read())
                elif isinstance(value, str):
                    raw[key] = value
                else:
                    raw[key] = bytes(value).decode()
    # aiogram uploads files as separate parts referenced by "attach://<part name>".
    attached = set()
    for key, value in raw.items():
        if isinstance(value, str) and value.startswith("attach://"):
            part = value.removeprefix("attach://")
            if not isinstance(raw.get(part), UploadedFile):
                raise ApiError(400, f"Bad Request: file part {part!r} of {key} not found")
            attached.add(part)
    params = {}
    for key, value in raw.items():
        if key in attached:
            continue
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = raw[value.removeprefix("attach://")]
        elif isinstance(value, str):
            params[key] = _convert(key, value)
        else:
            params[key] = value
    return params


def _convert(key: str, value: str) -> Any:
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            what = "reply keyboard markup" if key == "reply_markup" else key
            raise ApiError(400, f"Bad Request: can't parse {what} JSON object") from None
    if key in _INT_FIELDS:
        with contextlib.suppress(ValueError):
            return int(value)
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def _int_param(params: JsonDict, name: str, default: int) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"Bad Request: wrong parameter {name} in request")
    return value


def _str_param(params: JsonDict, name: str) -> str:
    value = params.get(name, "")
    if not isinstance(value, str):
        raise ApiError(400, f"Bad Request: wrong parameter {name} in request")
    return value


def _commands_key(params: JsonDict) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code", ""))


def _update_type(update: JsonDict) -> str:
    return next(key for key in update if key != "update_id")


# ---------------------------------------------------------------------- message content


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _check_text(text: str, limit: int, empty: str, too_long: str) -> None:
    if not text.strip():
        raise ApiError(400, f"Bad Request: {empty}")
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {too_long}")


def _parse_entities(
    source: str, parse_mode: Any, explicit_entities: Any
) -> tuple[str, list[JsonDict]]:
    """The message text and entities that the real server would derive from ``source``."""
    if not parse_mode:
        return source, explicit_entities if isinstance(explicit_entities, list) else []
    mode = str(parse_mode).lower()
    if mode == "html":
        parser = _HtmlEntityParser(source)
        parser.feed(source)
        parser.close()
        return parser.text(), parser.entities()
    if mode in ("markdown", "markdownv2"):
        return source, []
    raise ApiError(400, "Bad Request: unsupported parse_mode")


class _HtmlEntityParser(HTMLParser):
    """Telegram's HTML subset: collects the plain text and its entities, rejects bad markup."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self._parts: list[str] = []
        self._length = 0  # in UTF-16 code units, like entity offsets
        self._open: list[tuple[str, dict[str, str | None], int]] = []
        self._entities: list[JsonDict] = []

    def text(self) -> str:
        return "".join(self._parts)

    def entities(self) -> list[JsonDict]:
        return sorted(self._entities, key=lambda e: (e["offset"], -e["length"]))

    def handle_data(self, data: str) -> None:
        self._parts.append(data)
        self._length += _utf16_len(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self._fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}')
        self._open.append((tag, dict(attrs), self._length))

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            self._fail(f"Unexpected end tag at byte offset {self._byte_offset()}")
        open_tag, attrs, start = self._open.pop()
        if open_tag != tag:
            self._fail(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected "</{open_tag}>", found "</{tag}>"'
            )
        if tag == "code" and self._open and self._open[-1][0] == "pre":
            # <pre><code class="language-x"> is one pre entity with a language.
            language = (attrs.get("class") or "").removeprefix("language-")
            if language:
                self._open[-1][1]["language"] = language
            return
        if self._length > start and (entity := _html_entity(tag, attrs)):
            self._entities.append({**entity, "offset": start, "length": self._length - start})

    def close(self) -> None:
        super().close()
        if self._open:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self._open[-1][0]}"')

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        return len(self._source[: self._line_starts[line - 1] + column].encode())

    @staticmethod
    def _fail(reason: str) -> None:
        raise ApiError(400, f"Bad Request: can't parse entities: {reason}")


def _html_entity(tag: str, attrs: dict[str, str | None]) -> JsonDict | None:
    kind = _HTML_TAGS[tag]
    if kind == "text_link":
        return {"type": kind, "url": attrs["href"]} if attrs.get("href") else None
    if tag == "span" and attrs.get("class") != "tg-spoiler":
        return None
    if kind == "pre" and attrs.get("language"):
        return {"type": kind, "language": attrs["language"]}
    if kind == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if kind == "custom_emoji":
        return {"type": kind, "custom_emoji_id": attrs.get("emoji-id") or ""}
    return {"type": kind}


def _reply_markup(params: JsonDict) -> JsonDict | None:
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    return markup


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(
            400,
            'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an '
            "Array of Arrays",
        )
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not button.get("text"):
            raise ApiError(400, "Bad Request: can't parse inline keyboard button: text is empty")
        if not _BUTTON_ACTIONS.intersection(button):
            raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _inline_keyboard(markup: JsonDict | None) -> JsonDict | None:
    """The part of ``markup`` a Message shows: a non-empty inline keyboard, or nothing."""
    if markup and markup.get("inline_keyboard"):
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _apply_edit(message: JsonDict, changes: JsonDict) -> None:
    """Set (or, for None, remove) the changed fields; refuse an edit that changes nothing."""
    if all(message.get(key) == value for key, value in changes.items()):
        raise ApiError(400, _NOT_MODIFIED)
    for key, value in changes.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(time.time())


# ---------------------------------------------------------------------- standalone


async def _console(emulator: BotApiEmulator) -> None:
    """Push what is typed on stdin until end of input."""
    reader = asyncio.StreamReader()
    loop = asyncio.get_running_loop()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    except ValueError:  # stdin is a regular file: nothing to type into
        return
    while line := await reader.readline():
        command = line.decode().strip()
        if not command:
            continue
        try:
            update_id = _console_push(emulator, command)
        except ValueError as error:
            print(error, flush=True)
        else:
            print(f"queued update {update_id}", flush=True)


def _console_push(emulator: BotApiEmulator, command: str) -> int:
    kind, _, rest = command.partition(" ")
    if kind == "msg":
        user, _, text = rest.partition(" ")
        return emulator.push_message(int(user), text)
    if kind == "cb":
        user, message_id, data = rest.split(" ", 2)
        return emulator.push_callback(int(user), int(message_id), data)
    if kind == "photo":
        user, _, caption = rest.partition(" ")
        return emulator.push_photo(int(user), caption or None)
    msg = "commands: msg USER_ID TEXT | cb USER_ID MESSAGE_ID DATA | photo USER_ID [CAPTION]"
    raise ValueError(msg)


async def _serve(host: str, port: int, token: str) -> None:
    emulator = BotApiEmulator(token)
    await emulator.start(host, port)
    print(f"Bot API emulator listening on {emulator.base_url}", flush=True)
    try:
        await _console(emulator)
        await asyncio.Event().wait()  # keep serving until interrupted
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.botapi_emulator", description="Serve a local Telegram Bot API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--token", default="123:ABC", help="the one valid bot token")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
