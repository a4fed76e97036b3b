"""The one small web application: webhooks (Zalo, Telegram) and the operator's view
(/healthz, /readyz, /metrics)."""

import asyncio
import hmac
import logging
from typing import Any
from urllib.parse import quote

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import metrics
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.updates import unwrap_webhook_body
from bot.file_links import ROUTE, FileLinks
from bot.leases import Leases
from storage.db import schema_revisions

ZALO_SECRET_HEADER = "X-Bot-Api-Secret-Token"
log = logging.getLogger(__name__)


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the time taken tells nothing about the secret.

    A header may hold any bytes: aiohttp decodes them as UTF-8 with surrogate escapes, and
    "surrogatepass" encodes any string, so no header value can make the comparison raise.
    """
    if not given:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


class TelegramWebhook(SimpleRequestHandler):
    """aiogram's webhook handler with our comparison of the secret token (aiogram's own
    raises on a non-ASCII header: HTTP 500 and a traceback), refusing with 403 like Zalo's."""

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        return self.secret_token is not None and same_secret(
            telegram_secret_token, self.secret_token
        )

    async def handle(self, request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not self.verify_secret(secret, await self.resolve_bot(request)):
            return web.json_response({"ok": False}, status=403)
        return await super().handle(request)


class ZaloWebhook:
    """Answers Zalo at once and handles the update after, keeping a reference to the task."""

    def __init__(self, channel: ZaloChannel, secret: str) -> None:
        self.channel = channel
        self.secret = secret
        self.pending: set[asyncio.Task[None]] = set()

    async def receive(self, request: web.Request) -> web.Response:
        if not same_secret(request.headers.get(ZALO_SECRET_HEADER), self.secret):
            return web.json_response({"ok": False}, status=403)
        try:
            body: Any = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        update = unwrap_webhook_body(body)
        if update is not None:
            task = asyncio.create_task(self._handle(update))
            self.pending.add(task)
            task.add_done_callback(self.pending.discard)
        return web.json_response({"ok": True})

    async def _handle(self, update: dict[str, Any]) -> None:
        try:
            await self.channel.handle(update)
        except Exception:
            log.exception("Zalo webhook update could not be handled")

    async def drain(self) -> None:
        """Let updates already accepted finish, on shutdown."""
        if self.pending:
            await asyncio.gather(*self.pending, return_exceptions=True)


class Health:
    """/healthz: the database answers, and whether this process runs the scheduler.
    /readyz: the database's schema is the one this code needs (no migration pending)."""

    def __init__(self, engine: AsyncEngine, leases: Leases | None) -> None:
        self.engine = engine
        self.leases = leases  # None while the process waits for the migrations

    async def _database_answers(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            log.warning("Health: the database does not answer", exc_info=True)
            return False
        return True

    async def healthz(self, _request: web.Request) -> web.Response:
        database = await self._database_answers()
        scheduler = self.leases is not None and self.leases.holds_scheduler
        body = {"ok": database, "database": database, "scheduler": scheduler}
        return web.json_response(body, status=200 if database else 503)

    async def readyz(self, _request: web.Request) -> web.Response:
        try:
            current, head = await schema_revisions(self.engine)
        except Exception:
            log.warning("Health: the database does not answer", exc_info=True)
            return web.json_response({"ok": False, "database": False}, status=503)
        ready = current == head
        body = {"ok": ready, "schema": current, "needed": head}
        return web.json_response(body, status=200 if ready else 503)


async def _metrics(_request: web.Request) -> web.Response:
    response = web.Response(body=metrics.exposition())
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    response.charset = "utf-8"
    return response


class FileDownloads:
    """Serves the files the bot links to (pictures for Zalo, exports): 404 for a link it did
    not make or a file that is gone, 410 once the link has expired."""

    def __init__(self, links: FileLinks) -> None:
        self.links = links

    async def get(self, request: web.Request) -> web.StreamResponse:
        match = request.match_info
        found = self.links.find(
            match["expires"], match["signature"], match["stored"], match["display"]
        )
        if found == "expired":
            raise web.HTTPGone()
        if found == "unknown":
            raise web.HTTPNotFound()
        disposition = "inline" if found.suffix == ".png" else "attachment"
        headers = {
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(match['display'], safe='')}",
            "Cache-Control": "private, no-store",
        }
        return web.FileResponse(found, headers=headers)


def make_web_app(
    health: Health,
    *,
    zalo: ZaloWebhook | None = None,
    zalo_path: str = "/zalo/webhook",
    telegram: tuple[Dispatcher, Bot, str] | None = None,
    telegram_path: str = "/telegram/webhook",
    files: FileLinks | None = None,
) -> web.Application:
    """`telegram` is (dispatcher, bot, secret): aiogram checks Telegram's secret token header;
    `files` serves the files the bot links to."""
    app = web.Application()
    app.router.add_get("/healthz", health.healthz)
    app.router.add_get("/readyz", health.readyz)
    app.router.add_get("/metrics", _metrics)
    if files is not None:
        app.router.add_get(ROUTE, FileDownloads(files).get)
    if zalo is not None:
        app.router.add_post(zalo_path, zalo.receive)

        async def drain(_app: web.Application) -> None:
            await zalo.drain()

        app.on_shutdown.append(drain)
    if telegram is not None:
        dispatcher, bot, secret = telegram
        # Answered once handled (and committed): an update whose process died is sent again.
        TelegramWebhook(dispatcher, bot, secret_token=secret, handle_in_background=False).register(
            app, telegram_path
        )
    return app
