"""A thin async client of the Zalo Bot API (https://bot-api.zaloplatforms.com).

The bot token is part of every URL, so nothing this client raises may carry a URL: transport
errors become ``ZaloServerError`` naming only the method, raised outside the ``except`` block
so that neither the aiohttp exception nor a frame holding the response stays attached. There
are no retries here: the caller owns the retry policy.
"""

import json
from types import TracebackType
from typing import Any, Self

import aiohttp

DEFAULT_API_URL = "https://bot-api.zaloplatforms.com"
TEXT_LIMIT = 2000
SECRET_LENGTH = range(8, 257)
# Seconds a long poll may take beyond the server-side timeout before the request is abandoned.
POLL_MARGIN = 10.0


class ZaloError(Exception):
    """An error answer of the Zalo Bot API, or no usable answer at all.

    ``error_code`` is the API's code, the HTTP status when the body was not JSON, or 0 when
    no usable answer arrived.
    """

    def __init__(self, method: str, error_code: int, description: str) -> None:
        super().__init__(method, error_code, description)
        self.method = method
        self.error_code = error_code
        self.description = description

    def __str__(self) -> str:
        return f"{self.method} failed ({self.error_code}): {self.description}"


class ZaloBadRequest(ZaloError):
    """400: bad method or parameters."""


class ZaloUnauthorized(ZaloError):
    """401: the token is wrong or revoked."""


class ZaloNotFound(ZaloError):
    """404."""


class ZaloRateLimited(ZaloError):
    """429: over quota (the API publishes no limit and no retry delay)."""


class ZaloServerError(ZaloError):
    """5xx, a non-JSON answer, or no answer (connection failed, timed out)."""


_ERRORS: dict[int, type[ZaloError]] = {
    400: ZaloBadRequest,
    401: ZaloUnauthorized,
    404: ZaloNotFound,
    429: ZaloRateLimited,
}
_POLL_TIMEOUT = 408


def _error_class(code: int) -> type[ZaloError]:
    return _ERRORS.get(code, ZaloServerError if code >= 500 else ZaloError)


class ZaloClient:
    """One bot's connection to the API; one aiohttp session, opened on first use."""

    def __init__(
        self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 40.0
    ) -> None:
        if not token:
            msg = "the Zalo bot token is empty"
            raise ValueError(msg)
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:
        return f"ZaloClient(api_url={self._api_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # ------------------------------------------------------------------ methods

    async def get_me(self) -> dict[str, Any]:
        return _as_dict("getMe", await self._call("getMe"))

    async def get_updates(self, timeout: int = 30) -> list[dict[str, Any]]:
        """Long-poll for up to ``timeout`` seconds; [] when nothing came (HTTP or code 408).

        The API answers one update at a time, and may answer the same update again.
        """
        try:
            result = await self._call(
                "getUpdates",
                {"timeout": str(timeout)},
                request_timeout=max(self._timeout, timeout + POLL_MARGIN),
            )
        except ZaloError as error:
            if error.error_code == _POLL_TIMEOUT:
                return []
            raise
        if isinstance(result, dict):
            return [result]
        if isinstance(result, list):
            return [update for update in result if isinstance(update, dict)]
        return []

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send 1–2000 characters; longer texts must be split by the caller."""
        _check_length("text", text)
        result = await self._call("sendMessage", {"chat_id": chat_id, "text": text})
        return _as_dict("sendMessage", result)

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> dict[str, Any]:
        params = {"chat_id": chat_id, "photo": photo_url}
        if caption is not None:
            _check_length("caption", caption)
            params["caption"] = caption
        return _as_dict("sendPhoto", await self._call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def set_webhook(self, url: str, secret_token: str) -> None:
        if len(secret_token) not in SECRET_LENGTH:
            msg = "the webhook secret must have 8 to 256 characters"
            raise ValueError(msg)
        await self._call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> None:
        await self._call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        return _as_dict("getWebhookInfo", await self._call("getWebhookInfo"))

    async def download(self, url: str, limit: int) -> bytes | None:
        """A photo a person sent (its ``photo_url``), or None when it is over ``limit`` bytes.

        ZaloServerError when it cannot be had. Only http(s) addresses are followed.
        """
        if not url.startswith(("https://", "http://")):
            raise ZaloBadRequest("download", 400, "not an http(s) address")
        if self._session is None:
            self._session = aiohttp.ClientSession()
        try:
            async with self._session.get(
                url, timeout=aiohttp.ClientTimeout(total=self._timeout)
            ) as response:
                if response.status != 200:
                    reason = f"HTTP {response.status}"
                else:
                    data = bytearray()
                    async for chunk in response.content.iter_chunked(65536):
                        data += chunk
                        if len(data) > limit:
                            return None
                    return bytes(data)
        except (aiohttp.ClientError, TimeoutError) as error:
            reason = type(error).__name__
        raise ZaloServerError("download", 0, reason)

    # ------------------------------------------------------------------ HTTP

    async def _call(
        self,
        method: str,
        params: dict[str, str] | None = None,
        *,
        request_timeout: float | None = None,
    ) -> Any:
        """The ``result`` of a successful call; a ``ZaloError`` otherwise."""
        try:
            status, body = await self._post(method, params or {}, request_timeout or self._timeout)
        except (aiohttp.ClientError, TimeoutError) as error:
            reason = type(error).__name__
        else:
            return self._result(method, status, body)
        raise ZaloServerError(method, 0, f"no answer ({reason})")

    async def _post(self, method: str, params: dict[str, str], timeout: float) -> tuple[int, bytes]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.post(
            f"{self._api_url}/bot{self._token}/{method}",
            json=params,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            # A server echoing the request path would otherwise put the token in the error.
            body = await response.read()
            return response.status, body.replace(self._token.encode(), b"<token>")

    def _result(self, method: str, status: int, body: bytes) -> Any:
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool):
            error_class = _error_class(status) if status >= 400 else ZaloServerError
            raise error_class(method, status, f"HTTP {status} without a JSON answer")
        if answer["ok"]:
            return answer.get("result")
        code = answer.get("error_code")
        if isinstance(code, bool) or not isinstance(code, int):
            code = status
        raise _error_class(code)(method, code, str(answer.get("description", "")))


def _check_length(field: str, text: str) -> None:
    if not 1 <= len(text) <= TEXT_LIMIT:
        msg = f"a Zalo {field} holds 1 to {TEXT_LIMIT} characters, not {len(text)}"
        raise ValueError(msg)


def _as_dict(method: str, result: Any) -> dict[str, Any]:
    if not isinstance(result, dict):
        raise ZaloServerError(method, 0, f"unexpected result {type(result).__name__}")
    return result
