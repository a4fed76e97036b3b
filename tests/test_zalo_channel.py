"""The bot on Zalo: the same conversations as numbered text, by polling and by webhook."""

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from bot.app import App, prepare
from bot.channels.render import split_text
from bot.channels.zalo.channel import ZaloChannel, render
from bot.channels.zalo.client import TEXT_LIMIT, ZaloClient
from bot.delivery.engine import MAX_ATTEMPTS
from bot.web import ZALO_SECRET_HEADER, Health, ZaloWebhook, make_web_app
from domain.clock import FakeClock
from domain.invites import display_code
from handlers.types import Inbound, Reply
from storage.models import Conversation, FailedJoin, Identity, Outbox, Report, Unit
from storage.repo import create_invites, last_chat
from tests.conftest import TelegramBot, settings_for
from tests.fake_zalo import FakeZalo
from tests.raw_http import BAD_SECRET_HEADERS, post_json, tracebacks

TOKEN = "8765:zalo-secret-token"
SECRET = "webhook-secret-123"
USER = "zalo-user-1"


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(TOKEN) as server:
        yield server


@pytest.fixture
async def channel(app: App, zalo: FakeZalo) -> AsyncIterator[ZaloChannel]:
    client = ZaloClient(TOKEN, zalo.base_url)
    channel = ZaloChannel(app.conversations, client)
    app.delivery.register(channel)
    yield channel
    await client.close()


@pytest.fixture
async def polling(channel: ZaloChannel) -> AsyncIterator[ZaloChannel]:
    stop = asyncio.Event()
    task = asyncio.create_task(channel.poll(stop, timeout=1, gap=0))
    yield channel
    stop.set()
    await asyncio.wait_for(task, 5)


async def invite(app: App, unit_code: str = "xa-y-ty") -> str:
    async with app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        (code,) = await create_invites(
            session, unit, "reporter", 1, timedelta(days=14), app.clock.now()
        )
    return display_code(code)


async def reports(app: App) -> list[Report]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Report)))


class Chat:
    """One Zalo user: pushes text to the fake service and reads what the bot sent back."""

    def __init__(self, zalo: FakeZalo) -> None:
        self.zalo = zalo
        self.seen = 0

    async def say(self, text: str) -> list[str]:
        self.zalo.push_text(USER, text)
        return await self.answer()

    async def answer(self) -> list[str]:
        await self.zalo.wait_for_sent(USER, self.seen + 1)
        await asyncio.sleep(0.05)  # a reply may come in several messages
        sent = self.zalo.sent(USER)
        new, self.seen = sent[self.seen :], len(sent)
        return [message["text"] for message in new]


async def test_join_and_report_by_polling_with_typed_answers(
    app: App, zalo: FakeZalo, polling: ZaloChannel
) -> None:
    chat = Chat(zalo)
    (welcome,) = await chat.say("/start " + await invite(app))
    assert "Xã Y Tý" in welcome and "1. 📝 Báo cáo số liệu" in welcome
    (periods,) = await chat.say("1")  # August is owed too: which period, by number
    assert "1. Tháng 8/2025 (quá hạn 28 ngày)" in periods and "2. Tháng 9/2025" in periods
    (pick,) = await chat.say("2")
    assert "Chọn chỉ tiêu" in pick and "\n9. Thu ngân sách\n" in pick  # by the directive's number
    number = next(line.split(".")[0] for line in pick.splitlines() if "Thu ngân sách" in line)
    (ask,) = await chat.say(number)
    assert "Nhập số liệu" in ask and "tỷ đồng" in ask
    (note,) = await chat.say("2,5 ty")
    assert "1. Bỏ qua" in note
    (summary,) = await chat.say("bo qua")
    assert "Số liệu: 2,5 tỷ đồng" in summary and "1. ✅ Xác nhận" in summary
    (receipt,) = await chat.say("xac nhan")
    assert receipt.startswith("✅ Đã ghi nhận")
    (report,) = await reports(app)
    assert (report.value, report.channel) == (Decimal("2.5"), "zalo")


async def test_a_photo_is_kept_as_evidence(app: App, zalo: FakeZalo, polling: ZaloChannel) -> None:
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app))
    pick = (await chat.say("/baocao 2025-09"))[0]
    number = next(line.split(".")[0] for line in pick.splitlines() if "Thu ngân sách" in line)
    await chat.say(number)
    await chat.say("2,5 tỷ")
    zalo.push_image(USER, "https://example.invalid/bien-lai.jpg", caption="Biên lai")
    (summary,) = await chat.answer()
    assert "Minh chứng: có (ảnh)" in summary
    await chat.say("1")
    (report,) = await reports(app)
    assert (
        report.evidence == "photo:https://example.invalid/bien-lai.jpg"
        and report.note == "Biên lai"
    )


async def test_a_redelivered_update_makes_one_report(
    app: App, zalo: FakeZalo, polling: ZaloChannel
) -> None:
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app))
    await chat.say("/baocao 2025-09")
    await chat.say("thu ngan sach nha nuoc")  # the option's words, without diacritics
    await chat.say("2,5")
    await chat.say("bo qua")
    (receipt,) = await chat.say("xac nhan")
    assert receipt.startswith("✅ Đã ghi nhận")
    zalo.redeliver_last()
    await chat.say("/toi")  # goes after the redelivered one: once answered, that one was handled
    assert len(await reports(app)) == 1


async def outbox_rows(app: App) -> list[Outbox]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Outbox).order_by(Outbox.id)))


@pytest.mark.parametrize("code", [429, 500])
async def test_an_answer_refused_for_a_while_is_sent_by_a_later_try(
    app: App, zalo: FakeZalo, channel: ZaloChannel, clock: FakeClock, code: int
) -> None:
    zalo.fail_next("sendMessage", code, "Too many requests" if code == 429 else "Internal error")
    await channel.handle(zalo.push_text(USER, "xin chao"))
    await app.delivery.drain()
    assert zalo.sent(USER) == []
    (row,) = await outbox_rows(app)
    assert (row.state, row.attempts) == ("queued", 1)
    assert await app.delivery.run_once() == 0  # not before its pause is over
    clock.advance(timedelta(seconds=5))
    assert await app.delivery.run_once() == 1
    (sent,) = zalo.sent(USER)
    assert "mã mời" in sent["text"]
    (row,) = await outbox_rows(app)
    assert (row.state, row.attempts) == ("sent", 2)


async def test_an_answer_refused_every_time_is_given_up_with_its_reason(
    app: App, zalo: FakeZalo, channel: ZaloChannel, clock: FakeClock
) -> None:
    for _ in range(MAX_ATTEMPTS):
        zalo.fail_next("sendMessage", 500, "Internal error")
    await channel.handle(zalo.push_text(USER, "xin chao"))
    for _ in range(MAX_ATTEMPTS):
        clock.advance(timedelta(minutes=10))
        await app.delivery.run_once()
    assert zalo.sent(USER) == []
    (row,) = await outbox_rows(app)
    assert row.state == "failed" and row.attempts == MAX_ATTEMPTS
    assert row.reason is not None and "(500)" in row.reason
    clock.advance(timedelta(hours=1))
    assert await app.delivery.run_once() == 0  # given up for good


class Silent:
    async def handle(self, event: Inbound) -> list[Reply]:
        return []


async def test_a_reply_over_2000_characters_arrives_in_two_parts(zalo: FakeZalo) -> None:
    async with ZaloClient(TOKEN, zalo.base_url) as client:
        outcome = await ZaloChannel(Silent(), client).send(USER, Reply("Dòng dài. " * 250))
    assert (outcome.status, outcome.pieces) == ("sent", 2)
    parts = [message["text"] for message in zalo.sent(USER)]
    assert len("Dòng dài. " * 250) == 2500
    assert len(parts) == 2 and all(len(part) <= TEXT_LIMIT for part in parts)
    assert "".join(parts).replace(" ", "") == ("Dòng dài. " * 250).replace(" ", "")


def test_choices_are_numbered_under_the_text() -> None:
    from handlers.types import Choice

    (text,) = render(Reply("Chọn:", (Choice("a", "Đạt"), Choice("b", "Chưa đạt"))))
    assert text == "Chọn:\n\n1. Đạt\n2. Chưa đạt"
    assert split_text("a" * 4001, TEXT_LIMIT) == ["a" * 2000, "a" * 2000, "a"]


@pytest.fixture
async def webhook(app: App, channel: ZaloChannel) -> AsyncIterator[tuple[str, ZaloWebhook]]:
    hook = ZaloWebhook(channel, SECRET)
    server = TestServer(make_web_app(Health(app.engine, app.leases), zalo=hook))
    await server.start_server()
    yield str(server.make_url("/zalo/webhook")), hook
    await server.close()


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
async def test_join_and_report_by_webhook(
    app: App, zalo: FakeZalo, webhook: tuple[str, ZaloWebhook], wrapped: bool
) -> None:
    url, hook = webhook
    code = await invite(app)
    for text in ("/start " + code, "/baocao 2025-09", "thu ngan sach", "2,5", "bo qua", "xac nhan"):
        status = await zalo.webhook_post(url, zalo.push_text(USER, text), SECRET, wrapped=wrapped)
        assert status == 200
        await hook.drain()
    assert zalo.sent(USER)[-1]["text"].startswith("✅ Đã ghi nhận")
    assert len(await reports(app)) == 1


@pytest.mark.parametrize(
    "secret", [None, "wrong-secret-123", ""], ids=["missing", "wrong", "empty"]
)
async def test_a_webhook_call_without_the_secret_is_refused(
    app: App, zalo: FakeZalo, webhook: tuple[str, ZaloWebhook], secret: str | None
) -> None:
    url, hook = webhook
    assert await zalo.webhook_post(url, zalo.push_text(USER, "/baocao"), secret) == 403
    await hook.drain()
    assert zalo.sent(USER) == []
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Conversation)) == 0


@pytest.mark.parametrize("value", BAD_SECRET_HEADERS.values(), ids=BAD_SECRET_HEADERS.keys())
async def test_a_secret_header_of_any_bytes_is_refused_without_a_traceback(
    app: App,
    zalo: FakeZalo,
    webhook: tuple[str, ZaloWebhook],
    value: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, hook = webhook
    for secret in (value, SECRET.encode() + value):
        body = zalo.push_text(USER, "/start AAAA-BBBB")
        assert await post_json(url, body, ZALO_SECRET_HEADER.encode(), secret) == 403
    await hook.drain()
    assert zalo.sent(USER) == []
    assert tracebacks(caplog.records) == []
    async with app.sessions() as session:
        for table in (Conversation, FailedJoin):
            assert await session.scalar(select(func.count()).select_from(table)) == 0


async def test_health_check_answers(webhook: tuple[str, ZaloWebhook]) -> None:
    import aiohttp

    url, _ = webhook
    async with (
        aiohttp.ClientSession() as session,
        session.get(url.replace("/zalo/webhook", "/healthz")) as response,
    ):
        assert response.status == 200
        assert (await response.json()) == {"ok": True, "database": True, "scheduler": False}


async def test_a_telegram_member_links_a_zalo_account(
    app: App, telegram: TelegramBot, zalo: FakeZalo, polling: ZaloChannel, clock: FakeClock
) -> None:
    on_telegram = await telegram.member("xa-y-ty")
    (details,) = await on_telegram.say("/toi")
    found = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", details)
    assert found is not None and "24 giờ" in details
    on_zalo = Chat(zalo)
    (linked,) = await on_zalo.say(found.group().lower())
    assert "Đã nối tài khoản" in linked and "Xã Y Tý" in linked
    clock.advance(timedelta(minutes=5))
    (me,) = await on_zalo.say("/toi")
    assert "Đơn vị: Xã Y Tý" in me
    async with app.sessions() as session:
        people = set(await session.scalars(select(Identity.person_id)))
        assert len(people) == 1
        (person_id,) = people
        assert await last_chat(session, person_id) == ("zalo", USER)
    clock.advance(timedelta(minutes=5))
    await on_telegram.say("/toi")
    async with app.sessions() as session:
        assert await last_chat(session, person_id) == ("telegram", str(on_telegram.chat.id))
    (again,) = await on_zalo.say("/start " + found.group())
    assert "Bạn đã tham gia rồi" in again  # the linked Zalo account is already a member


async def test_a_message_seen_before_a_restart_is_still_ignored_after_it(
    app: App, zalo: FakeZalo, database_url: str, clock: FakeClock
) -> None:
    update = zalo.push_text(USER, "xin chào")
    async with ZaloClient(TOKEN, zalo.base_url) as client:
        for running in (app, restarted := await prepare(settings_for(database_url), clock)):
            channel = ZaloChannel(running.conversations, client)
            running.delivery.register(channel)
            await channel.handle(update)
            await running.delivery.drain()
            assert len(zalo.sent(USER)) == 1
        await restarted.engine.dispose()
    assert len(zalo.sent(USER)) == 1


async def test_a_group_conversation_is_told_the_bot_works_in_private(
    app: App, zalo: FakeZalo, polling: ZaloChannel
) -> None:
    code = await invite(app)
    zalo.push_text(USER, "/start " + code, chat={"id": "group-9", "chat_type": "GROUP"})
    await zalo.wait_for_sent("group-9", 1)
    (notice,) = [message["text"] for message in zalo.sent("group-9")]
    assert "trò chuyện riêng" in notice
    async with app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 0
    (welcome,) = await Chat(zalo).say("/start " + code)  # the code still works in private
    assert "Chào mừng" in welcome


async def test_several_figures_in_one_message(
    app: App, zalo: FakeZalo, polling: ZaloChannel
) -> None:
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app))
    (summary,) = await chat.say("thu ngan sach 2,5 ty\nviec lam moi 45")
    assert "• Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9): 2,5 tỷ đồng" in summary
    assert "1. ✅ Xác nhận" in summary
    (receipt,) = await chat.say("1")
    assert receipt.startswith("✅ Đã ghi nhận 2 số liệu")
    assert sorted(r.value for r in await reports(app)) == [Decimal("2.5"), Decimal(45)]
