"""A reply with a picture or a document reaches the person on every channel, through the
outbox and the delivery engine: Telegram uploads it, Zalo gets a link the web app serves until
it expires, the console shows where it is. A file that cannot go fails with a reason."""

import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import aiohttp
import pytest
from aiogram.methods import SendPhoto
from aiogram.types import FSInputFile
from aiohttp.test_utils import TestServer, unused_port
from PIL import Image
from sqlalchemy import select

from bot.app import CAPABILITIES, App
from bot.channels.console import ConsoleChannel
from bot.channels.telegram import TelegramChannel, make_bot
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.file_links import FileLinks, link_key
from bot.web import Health, make_web_app
from domain.clock import FakeClock
from handlers import dispatch
from handlers.charts import progress_chart
from handlers.context import Ctx
from handlers.outgoing import Outgoing, queue
from handlers.types import Choice, Inbound, OutFile, Reply
from storage import files
from storage.models import Outbox
from tests.botapi_emulator import BotApiEmulator, UploadedFile
from tests.conftest import TelegramBot
from tests.fake_zalo import FakeZalo

TOKEN = "5151:files-token"
ZALO_TOKEN = "6161:zalo-files-token"
CHAT = 777
ZALO_USER = "zalo-user-7"
CAPTION = "📊 Tiến độ của Phường Sa Pa, tháng 9/2025: đạt 73,5% chỉ tiêu thu ngân sách."
BUTTON = (Choice("cmd:report 2025-09", "Báo cáo ngay"),)


@pytest.fixture
def chart(tmp_path: Path) -> OutFile:
    png = progress_chart("Phường Sa Pa", [("9. Thu ngân sách", 73.5), ("8a. Khách du lịch", None)])
    return OutFile("photo", str(files.save(tmp_path / "files", png, ".png")), "tien-do.png")


@pytest.fixture
def export(tmp_path: Path) -> OutFile:
    path = files.save(tmp_path / "files", b"PK\x03\x04 workbook", ".xlsx")
    return OutFile("document", str(path), "thidua-2025-09.xlsx")


@pytest.fixture
async def emulator(app: App) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as server:
        bot = make_bot(TOKEN, server.base_url)
        app.delivery.register(TelegramChannel(bot))
        server.push_message(CHAT, "xin chào")  # the chat exists: the person wrote first
        yield server
        await bot.session.close()


async def deliver(app: App, channel: str, chat: str, *replies: Reply) -> list[Outbox]:
    """Queue the replies as the bot queues what it sends unasked, let the engine run, and
    return the outbox rows."""
    async with app.writing() as session:
        messages = [Outgoing(channel, chat, reply) for reply in replies]
        await queue(session, CAPABILITIES, messages, "notice", app.clock.now())
    await app.delivery.run_once()
    async with app.sessions() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


def uploaded(record: dict[str, object]) -> UploadedFile:
    file = record["file"]
    assert isinstance(file, UploadedFile)
    return file


# Telegram


async def test_a_chart_is_uploaded_to_telegram_with_the_text_as_its_caption(
    app: App, emulator: BotApiEmulator, chart: OutFile
) -> None:
    (row,) = await deliver(app, "telegram", str(CHAT), Reply(CAPTION, BUTTON, file=chart))
    assert (row.state, row.pieces_sent, row.file_name) == ("sent", 1, "tien-do.png")
    (sent,) = emulator.sent(CHAT)
    assert sent["method"] == "sendPhoto" and sent["text"] == CAPTION
    assert uploaded(sent).data == Path(chart.path).read_bytes()
    buttons = sent["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in buttons for b in row] == ["Báo cáo ngay"]


async def test_an_export_is_sent_to_telegram_as_a_document_under_its_own_name(
    app: App, emulator: BotApiEmulator, export: OutFile
) -> None:
    (row,) = await deliver(app, "telegram", str(CHAT), Reply("Số liệu tháng 9", file=export))
    assert row.state == "sent"
    (sent,) = emulator.sent(CHAT)
    assert sent["method"] == "sendDocument" and sent["text"] == "Số liệu tháng 9"
    assert uploaded(sent).filename == "thidua-2025-09.xlsx"
    assert uploaded(sent).data == b"PK\x03\x04 workbook"


async def test_a_text_too_long_for_a_caption_goes_first_and_a_retry_sends_only_the_picture(
    app: App, emulator: BotApiEmulator, chart: OutFile, clock: FakeClock
) -> None:
    text = "Tiến độ từng chỉ tiêu:\n" + "\n".join(f"• Chỉ tiêu {n}: 50%" for n in range(1, 80))
    assert len(text) > 1024
    emulator.fail_next("sendPhoto", 429, "Too Many Requests: retry after 5", retry_after=5)
    (row,) = await deliver(app, "telegram", str(CHAT), Reply(text, BUTTON, file=chart))
    assert (row.state, row.pieces_sent) == ("queued", 1)  # the text arrived, the picture waits
    clock.advance(timedelta(seconds=6))
    await app.delivery.run_once()
    sent = emulator.sent(CHAT)
    assert [record["method"] for record in sent] == ["sendMessage", "sendPhoto"]
    assert sent[0]["text"] == text and sent[0]["reply_markup"] is None
    assert sent[1]["text"] is None and sent[1]["reply_markup"] is not None  # buttons come last
    async with app.sessions() as session:
        assert (await session.scalar(select(Outbox.state))) == "sent"


async def test_a_missing_file_fails_with_its_reason_and_sends_nothing(
    app: App, emulator: BotApiEmulator, chart: OutFile
) -> None:
    Path(chart.path).unlink()
    (row,) = await deliver(app, "telegram", str(CHAT), Reply(CAPTION, file=chart))
    assert row.state == "failed" and row.attempts == 1
    assert row.reason is not None and "file missing: tien-do.png" in row.reason
    assert emulator.sent(CHAT) == []


async def test_a_picture_telegram_refuses_fails_with_telegrams_reason(
    app: App, emulator: BotApiEmulator, tmp_path: Path
) -> None:
    broken = OutFile("photo", str(files.save(tmp_path, b"not a picture", ".png")), "x.png")
    (row,) = await deliver(app, "telegram", str(CHAT), Reply(CAPTION, file=broken))
    assert row.state == "failed" and row.reason is not None and "IMAGE_PROCESS_FAILED" in row.reason


async def chart_for_everything(ctx: Ctx) -> None:
    """A conversation that answers anything with a chart, as /xephang will."""
    png = progress_chart("Phường Sa Pa", [("9. Thu ngân sách", 73.5)])
    ctx.say(CAPTION, file=ctx.file("photo", png, "Tiến độ.png"))


async def test_an_answer_with_a_chart_reaches_telegram_also_after_a_restart(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "_route", chart_for_everything)
    event = Inbound("telegram", str(CHAT), str(CHAT), text="/xephang")
    # The channel is not running (the process died before sending): the answer waits in
    # the outbox with its file, and the next process sends it.
    (answer,) = await app.conversations.handle(event)
    await app.delivery.drain()  # the row is written back as queued
    assert answer.file is not None and Path(answer.file.path).parent == app.conversations.files_dir
    async with BotApiEmulator(TOKEN) as emulator:
        bot = make_bot(TOKEN, emulator.base_url)
        emulator.push_message(CHAT, "xin chào")
        app.delivery.register(TelegramChannel(bot))
        await app.delivery.run_once()
        await bot.session.close()
    (sent,) = emulator.sent(CHAT)
    assert sent["method"] == "sendPhoto" and sent["text"] == CAPTION
    assert uploaded(sent).filename == "Tiến độ.png"
    assert uploaded(sent).data == Path(answer.file.path).read_bytes()
    async with app.sessions() as session:
        row = await session.scalar(select(Outbox))
    assert row is not None and (row.kind, row.state, row.file_kind) == ("answer", "sent", "photo")


async def test_a_chart_answer_through_the_dispatcher_is_a_photo_with_its_caption(
    telegram: TelegramBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dispatch, "_route", chart_for_everything)
    chat = telegram.user(CHAT)
    assert await chat.say("/xephang") == [CAPTION]
    photo = chat.last_sent()
    assert isinstance(photo, SendPhoto) and isinstance(photo.photo, FSInputFile)
    assert photo.photo.filename == "Tiến độ.png"
    with Image.open(photo.photo.path) as picture:
        assert picture.size[0] == 800


# Zalo


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(ZALO_TOKEN) as server:
        yield server


@pytest.fixture
async def web(app: App, clock: FakeClock, tmp_path: Path) -> AsyncIterator[FileLinks]:
    """The bot's web app, serving the files folder behind signed links."""
    port = unused_port()
    links = FileLinks(
        f"http://127.0.0.1:{port}",
        link_key(ZALO_TOKEN),
        clock,
        timedelta(hours=24),
        tmp_path / "files",
    )
    server = TestServer(make_web_app(Health(app.engine, app.leases), files=links), port=port)
    await server.start_server()
    yield links
    await server.close()


@pytest.fixture
async def zalo_channel(app: App, zalo: FakeZalo, web: FileLinks) -> AsyncIterator[ZaloChannel]:
    client = ZaloClient(ZALO_TOKEN, zalo.base_url)
    channel = ZaloChannel(app.conversations, client, web)
    app.delivery.register(channel)
    yield channel
    await client.close()


async def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.read(), dict(response.headers)


async def test_a_chart_goes_to_zalo_by_a_link_that_works_until_it_expires(
    app: App, zalo: FakeZalo, zalo_channel: ZaloChannel, chart: OutFile, clock: FakeClock
) -> None:
    assert zalo_channel.capabilities.photos
    (row,) = await deliver(app, "zalo", ZALO_USER, Reply(CAPTION, BUTTON, file=chart))
    assert row.state == "sent"
    (sent,) = zalo.sent(ZALO_USER)
    assert sent["method"] == "sendPhoto"
    assert sent["caption"] == CAPTION + "\n\n1. Báo cáo ngay"
    status, body, headers = await fetch(sent["photo"])
    assert status == 200 and body == Path(chart.path).read_bytes()
    assert headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(body)).size[0] == 800
    clock.advance(timedelta(hours=24, seconds=1))
    assert (await fetch(sent["photo"]))[0] == 410


async def test_a_link_changed_by_hand_is_not_found(
    app: App, zalo: FakeZalo, zalo_channel: ZaloChannel, chart: OutFile, export: OutFile
) -> None:
    await deliver(app, "zalo", ZALO_USER, Reply(CAPTION, file=chart))
    url = zalo.sent(ZALO_USER)[0]["photo"]
    other = Path(export.path).name
    for changed in (
        url.replace(Path(chart.path).name, other),
        url[:-5] + "b.png",
        url.rsplit("/", 4)[0] + "/files/" + other,
    ):
        assert (await fetch(changed))[0] == 404, changed


async def test_an_export_goes_to_zalo_as_a_link_in_the_text(
    app: App, zalo: FakeZalo, zalo_channel: ZaloChannel, export: OutFile
) -> None:
    (row,) = await deliver(
        app, "zalo", ZALO_USER, Reply("Số liệu tháng 9 đã sẵn sàng.", file=export)
    )
    assert row.state == "sent"
    (sent,) = zalo.sent(ZALO_USER)
    assert sent["method"] == "sendMessage"
    text = sent["text"]
    assert text.startswith("Số liệu tháng 9 đã sẵn sàng.\n\n📎 thidua-2025-09.xlsx: http://")
    assert text.endswith("(Liên kết dùng được đến 08:00 04/10/2025.)")  # 24 hours, Vietnam time
    url = text.split(": ", 1)[1].split("\n", 1)[0]
    status, body, headers = await fetch(url)
    assert status == 200 and body == b"PK\x03\x04 workbook"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and unquote(disposition).endswith(
        "thidua-2025-09.xlsx"
    )


async def test_a_long_text_goes_before_the_picture_on_zalo_and_a_retry_sends_only_the_picture(
    zalo: FakeZalo, chart: OutFile, web: FileLinks
) -> None:
    text = "Dòng dài về tiến độ.\n" * 150
    async with ZaloClient(ZALO_TOKEN, zalo.base_url) as client:
        channel = ZaloChannel(Silent(), client, web)
        zalo.fail_next("sendPhoto", 502, "Bad Gateway")
        first = await channel.send(ZALO_USER, Reply(text, file=chart))
        assert (first.status, first.pieces) == ("retry", 2)
        again = await channel.send(ZALO_USER, Reply(text, file=chart), skip=first.pieces)
    assert (again.status, again.pieces) == ("sent", 3)
    methods = [record["method"] for record in zalo.sent(ZALO_USER)]
    assert methods == ["sendMessage", "sendMessage", "sendPhoto"]


async def test_without_the_web_app_zalo_gets_the_text_alone(
    zalo: FakeZalo, chart: OutFile, export: OutFile
) -> None:
    async with ZaloClient(ZALO_TOKEN, zalo.base_url) as client:
        channel = ZaloChannel(Silent(), client)
        assert not channel.capabilities.photos and not channel.capabilities.documents
        for file in (chart, export):
            assert (await channel.send(ZALO_USER, Reply(CAPTION, file=file))).status == "sent"
    assert [(r["method"], r["text"]) for r in zalo.sent(ZALO_USER)] == [
        ("sendMessage", CAPTION)
    ] * 2


async def test_a_missing_file_on_zalo_fails_with_its_reason(
    zalo: FakeZalo, chart: OutFile, web: FileLinks
) -> None:
    Path(chart.path).unlink()
    async with ZaloClient(ZALO_TOKEN, zalo.base_url) as client:
        outcome = await ZaloChannel(Silent(), client, web).send(
            ZALO_USER, Reply(CAPTION, file=chart)
        )
    assert outcome.status == "failed" and "file missing: tien-do.png" in outcome.reason
    assert zalo.sent(ZALO_USER) == []


class Silent:
    async def handle(self, event: Inbound) -> list[Reply]:
        return []


# Console


async def test_the_console_prints_the_text_and_where_the_file_is(chart: OutFile) -> None:
    out = io.StringIO()
    outcome = await ConsoleChannel(out).send("demo", Reply(CAPTION, BUTTON, file=chart))
    assert outcome.status == "sent"
    assert out.getvalue() == f"\n{CAPTION}\n\n1. Báo cáo ngay\n\n📎 tien-do.png: {chart.path}\n\n"
    Path(chart.path).unlink()
    missing = await ConsoleChannel(out).send("demo", Reply(CAPTION, file=chart))
    assert missing.status == "failed" and "file missing" in missing.reason
