"""Run the configured channels until SIGINT or SIGTERM: long polling, or webhooks when a
public address is set (WEBHOOK_BASE_URL)."""

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import AsyncIterator, Coroutine
from datetime import timedelta
from typing import Any

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.app import App
from bot.channels.telegram import (
    ALLOWED_UPDATES,
    TelegramChannel,
    make_bot,
    make_dispatcher,
)
from bot.channels.telegram import poll as poll_telegram
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.file_links import FileLinks, link_key
from bot.settings import Settings
from bot.web import Health, ZaloWebhook, make_web_app
from schedules import runner as schedules
from storage.db import make_engine, migrates_on_start, schema_revisions

Telegram = tuple[Bot, Dispatcher]
STOP_WAIT = 10.0  # seconds to finish the updates in hand on shutdown
SCHEMA_CHECK = 2.0  # seconds between looks at the schema while waiting for the migrations
SCHEMA_NOTE = 60.0  # seconds between log lines saying so
log = logging.getLogger(__name__)


async def wait_for_schema(settings: Settings) -> None:
    """Return once the database's schema is the one this code needs.

    The SQLite file migrates by itself when the bot starts; on PostgreSQL the operator runs
    `thidua db upgrade`, and a process started before it is done waits for it, saying so in
    the log, and (serving webhooks) answering /readyz with 503 and /healthz meanwhile, so that
    the proxy sends it no update until it serves.
    """
    engine = make_engine(settings.database_url, connections=1)
    runner: web.AppRunner | None = None
    try:
        if migrates_on_start(engine):
            return
        noted = -SCHEMA_NOTE
        while (revisions := await schema_revisions(engine))[0] != revisions[1]:
            if runner is None and settings.webhook_base_url:
                runner = web.AppRunner(make_web_app(Health(engine, None)))
                await runner.setup()
                await web.TCPSite(runner, settings.web_host, settings.web_port).start()
            if time.monotonic() - noted >= SCHEMA_NOTE:
                current, head = revisions
                log.warning(
                    "Waiting for the migrations (thidua db upgrade): the database is at %s,"
                    " this code needs %s",
                    current or "none",
                    head,
                )
                noted = time.monotonic()
            await asyncio.sleep(SCHEMA_CHECK)
    finally:
        if runner is not None:
            await runner.cleanup()
        await engine.dispose()


async def serve(settings: Settings, app: App) -> None:
    """Serve until SIGINT or SIGTERM; then take no new update, finish those in hand (at most
    STOP_WAIT seconds), let the delivery engine write down what it sent, and return."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    telegram: Telegram | None = None
    if settings.telegram_bot_token is not None:
        bot = make_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_url)
        telegram = (bot, make_dispatcher(app.conversations))
        app.delivery.register(TelegramChannel(bot))
    zalo: ZaloChannel | None = None
    links = file_links(settings, app)
    if settings.zalo_bot_token is not None:
        client = ZaloClient(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_url)
        zalo = ZaloChannel(app.conversations, client, links)
        app.delivery.register(zalo)
    try:
        async with running(app):
            if settings.webhook_base_url:
                await _serve_webhooks(settings, app, stop, telegram, zalo, links)
            else:
                await _poll(stop, telegram, zalo)
    finally:
        if telegram is not None:
            await telegram[0].session.close()
        if zalo is not None:
            await zalo.client.close()


@contextlib.asynccontextmanager
async def running(app: App) -> AsyncIterator[None]:
    """What runs beside the channels: the leases, the delivery engine and the scheduler (its
    jobs run in the one process holding its lease). On the way out the engine writes down
    what it sent before the leases are given back, so that no other process takes its rows
    over meanwhile."""
    await app.leases.join()
    leases_stop, delivery_stop = asyncio.Event(), asyncio.Event()
    leases = asyncio.create_task(app.leases.run(leases_stop))
    delivery = asyncio.create_task(app.delivery.run(delivery_stop))
    scheduler = schedules.start(app)
    app.leases.on_scheduler = lambda: schedules.run_all_now(scheduler)
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
        delivery_stop.set()
        await _bounded([delivery])
        leases_stop.set()
        await _bounded([leases])


async def _poll(stop: asyncio.Event, telegram: Telegram | None, zalo: ZaloChannel | None) -> None:
    """Poll every channel; a channel that fails for good (a refused token) stops them all."""
    jobs: list[Coroutine[Any, Any, Any]] = []
    if telegram is not None:
        bot, dispatcher = telegram
        await bot.delete_webhook(drop_pending_updates=False)
        jobs.append(poll_telegram(bot, dispatcher, stop))
    if zalo is not None:
        await zalo.client.delete_webhook()
        jobs.append(zalo.poll(stop))
    tasks = [asyncio.create_task(job) for job in jobs]
    stopping = asyncio.create_task(stop.wait())
    await asyncio.wait([stopping, *tasks], return_when=asyncio.FIRST_COMPLETED)
    stop.set()  # each loop finishes the updates in hand and ends
    await _bounded(tasks)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]


async def _bounded(tasks: list[asyncio.Task[Any]]) -> None:
    """Let the tasks end by themselves for STOP_WAIT seconds, then cancel what is left."""
    if not tasks:
        return
    _, unfinished = await asyncio.wait(tasks, timeout=STOP_WAIT)
    for task in unfinished:
        log.warning("Shutdown: a task did not end within %.0f s and was cancelled", STOP_WAIT)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def file_links(settings: Settings, app: App) -> FileLinks | None:
    """Links to the bot's files, for Zalo, which takes pictures only by URL: when the web app
    is reachable (WEBHOOK_BASE_URL), signed with a key derived from the Zalo token."""
    if not settings.webhook_base_url or settings.zalo_bot_token is None:
        return None
    return FileLinks(
        settings.webhook_base_url,
        link_key(settings.zalo_bot_token.get_secret_value()),
        app.clock,
        timedelta(hours=settings.file_link_hours),
        settings.files_folder(),
    )


async def _serve_webhooks(
    settings: Settings,
    app: App,
    stop: asyncio.Event,
    telegram: Telegram | None,
    zalo: ZaloChannel | None,
    links: FileLinks | None,
) -> None:
    base = (settings.webhook_base_url or "").rstrip("/")
    zalo_hook = None
    if zalo is not None:
        if settings.zalo_webhook_secret is None:
            raise SystemExit("ZALO_WEBHOOK_SECRET is needed to receive Zalo by webhook")
        zalo_hook = ZaloWebhook(zalo, settings.zalo_webhook_secret.get_secret_value())
    telegram_hook = None
    if telegram is not None:
        if settings.telegram_webhook_secret is None:
            raise SystemExit("TELEGRAM_WEBHOOK_SECRET is needed to receive Telegram by webhook")
        telegram_hook = (
            telegram[1],
            telegram[0],
            settings.telegram_webhook_secret.get_secret_value(),
        )
    runner = web.AppRunner(
        shutdown_timeout=STOP_WAIT,
        app=make_web_app(
            Health(app.engine, app.leases),
            zalo=zalo_hook,
            zalo_path=settings.zalo_webhook_path,
            telegram=telegram_hook,
            telegram_path=settings.telegram_webhook_path,
            files=links,
        ),
    )
    await runner.setup()
    await web.TCPSite(runner, settings.web_host, settings.web_port).start()
    log.info("Webhooks served on %s:%d", settings.web_host, settings.web_port)
    try:
        if telegram is not None and telegram_hook is not None:
            await telegram[0].set_webhook(
                base + settings.telegram_webhook_path,
                secret_token=telegram_hook[2],
                allowed_updates=ALLOWED_UPDATES,
            )
        if zalo is not None and zalo_hook is not None:
            await zalo.client.set_webhook(base + settings.zalo_webhook_path, zalo_hook.secret)
        await stop.wait()
    finally:
        await runner.cleanup()
