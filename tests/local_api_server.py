"""What the local API servers for tests share: an aiohttp server's lifecycle and wake-ups.

``LocalApiServer`` starts and stops the server (``start``, ``stop``, ``base_url``); a subclass
adds its routes in ``_routes``. Two ``Signal`` objects let code wait for changes:
``_activity`` (notify it on every call and every sent message; ``_wait_until`` and
``_wait_for_sent`` wait on it) and ``_updates_changed`` (notify it when updates are queued;
long polls wait on it, and ``stop`` notifies it after setting ``_closing`` so they end).
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Self

from aiohttp import web

JsonDict = dict[str, Any]


class Signal:
    """Wakes everyone waiting at the time of ``notify``; later waiters wait for the next one."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self) -> None:
        await self._event.wait()


class LocalApiServer(ABC):
    """An HTTP server on this machine, controlled from the test's event loop."""

    #: How error messages name the server, e.g. "the emulator".
    _server_name = "the local API server"
    #: The largest request body accepted, in bytes (aiohttp's default).
    _client_max_size = 1024**2

    def __init__(self) -> None:
        self._activity = Signal()  # notified on every call and every sent message
        self._updates_changed = Signal()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None
        self._closing = False

    @abstractmethod
    def _routes(self, app: web.Application) -> None:
        """Add the server's routes to ``app``."""

    # ------------------------------------------------------------------ server lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Start serving; ``port=0`` picks a free port (see ``base_url``)."""
        if self._runner is not None:
            msg = f"{self._server_name} is already running"
            raise RuntimeError(msg)
        app = web.Application(client_max_size=self._client_max_size)
        self._routes(app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self._closing = False
        self._base_url = f"http://{host}:{runner.addresses[0][1]}"

    async def __aenter__(self) -> Self:
        """Serve on a free loopback port for the length of an ``async with``."""
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def stop(self) -> None:
        """End pending long polls as idle (they see ``_closing``) and stop serving."""
        if self._runner is None:
            return
        self._closing = True
        self._updates_changed.notify()
        await self._runner.cleanup()
        self._runner = None
        self._base_url = None

    @property
    def base_url(self) -> str:
        """Where the server listens, e.g. ``http://127.0.0.1:41234``."""
        if self._base_url is None:
            msg = f"{self._server_name} is not running"
            raise RuntimeError(msg)
        return self._base_url

    # ------------------------------------------------------------------ waiting

    async def _wait_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Whether ``condition`` became true within ``timeout``, rechecked on each activity."""
        try:
            async with asyncio.timeout(timeout):
                while not condition():
                    await self._activity.wait()
        except TimeoutError:
            return False
        return True

    async def _wait_for_sent(
        self, chat_id: object, count: int, timeout: float, sent: Callable[[], list[JsonDict]]
    ) -> list[JsonDict]:
        """Wait until ``sent()`` (what went to ``chat_id``) holds ``count`` records; return it."""
        if not await self._wait_until(lambda: len(sent()) >= count, timeout):
            so_far = sent()
            msg = (
                f"expected {count} messages sent to chat {chat_id} within {timeout}s, "
                f"got {len(so_far)}: {so_far!r}"
            )
            raise AssertionError(msg)
        return sent()
