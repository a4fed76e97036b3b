"""Campaign updates (/thongbao) through the real Dispatcher, sent by the delivery engine,
checked in the database: on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from sqlalchemy import func, select

from bot.app import App
from bot.channels.zalo.channel import ZaloChannel
from bot.channels.zalo.client import ZaloClient
from bot.delivery.engine import MAX_ATTEMPTS
from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from schedules.broadcasts import run_broadcasts
from storage import outbox
from storage.models import Broadcast, Outbox
from tests.conftest import TelegramBot
from tests.fake_zalo import FakeZalo
from tests.recording import RecordingSession, TelegramChat

ADMIN = 900
ZALO_TOKEN = "8765:zalo-secret-token"


async def member(
    telegram: TelegramBot, unit_code: str, user_id: int, role: str = "reporter"
) -> TelegramChat:
    """Joined with an invite. The engine records outcomes in the background; the invite is
    written outside its write guard, so each waits for the other (SQLite's busy timeout)."""
    await telegram.app.delivery.drain()
    code = await telegram.invite(unit_code, role)
    chat = telegram.user(user_id)
    await chat.say("/start " + code)
    await telegram.app.delivery.drain()
    return chat


async def admin(telegram: TelegramBot) -> TelegramChat:
    return await member(telegram, "so-noi-vu", ADMIN, "admin")


async def rows(app: App, key_prefix: str = "bc:") -> list[Outbox]:
    async with app.sessions() as session:
        return list(
            await session.scalars(
                select(Outbox).where(Outbox.key.startswith(key_prefix)).order_by(Outbox.id)
            )
        )


async def stored(app: App) -> list[Broadcast]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Broadcast).order_by(Broadcast.id)))


async def write_update(chat: TelegramChat, text: str, audience: str) -> list[str]:
    """Through the form up to the preview, sending now."""
    await chat.say("/thongbao")
    await chat.say(text)
    await chat.say(audience)
    return await chat.press("Gửi ngay")


async def deliver(app: App, clock: FakeClock, rounds: int = 1) -> None:
    """The job and the engine, as the running bot does them."""
    for _ in range(rounds):
        await run_broadcasts(app, clock.now())
        await app.delivery.run_once()


def received(chat: TelegramChat) -> list[str]:
    session = chat.session
    return [
        m.text
        for m in session.requests
        if isinstance(m, SendMessage) and int(m.chat_id) == chat.chat.id
    ]


async def test_an_admin_sends_an_update_to_a_block_and_gets_the_report(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    economy = [
        await member(telegram, "so-cong-thuong", 1),
        await member(telegram, "so-xay-dung", 2),
    ]
    outsider = await member(telegram, "xa-y-ty", 3)
    (ask,) = await sender.say("/thongbao")
    assert "nội dung" in ask
    (who,) = await sender.say("Họp giao ban thi đua lúc 14:00 thứ Sáu.")
    assert "Gửi cho ai" in who
    (when,) = await sender.say("khoi kinh te")
    assert "dd/mm/yyyy hh:mm" in when
    (preview,) = await sender.press("Gửi ngay")
    assert "Khối kinh tế — 2 người" in preview and "Họp giao ban" in preview
    assert "chia thành" not in preview
    (done,) = await sender.press("Gửi thông báo")
    assert "#1" in done and "2 người" in done
    (update,) = await stored(telegram.app)
    assert (update.audience, update.audience_typed) == ("block:khoi-kinh-te", "khoi kinh te")

    await deliver(telegram.app, clock)
    for chat in economy:
        assert received(chat)[-1] == "📢 Họp giao ban thi đua lúc 14:00 thứ Sáu."
    assert not any("Họp giao ban" in text for text in received(outsider))
    assert [row.state for row in await rows(telegram.app)] == ["sent", "sent"]

    await deliver(telegram.app, clock, rounds=3)  # the report once, nothing sent twice
    reports = [text for text in received(sender) if text.startswith("Thông báo #1")]
    assert reports == ["Thông báo #1 (Khối kinh tế): đã gửi 2/2."]
    assert sum("Họp giao ban" in text for text in received(economy[0])) == 1
    (update,) = await stored(telegram.app)
    assert (update.state, update.recipients, update.no_chat) == ("done", 2, 0)


async def test_only_admins_may_send_updates(telegram: TelegramBot, clock: FakeClock) -> None:
    reporter = await member(telegram, "so-cong-thuong", 1)
    (refused,) = await reporter.say("/thongbao")
    assert "Chỉ quản trị" in refused
    (again,) = await reporter.say("/broadcast")
    assert "Chỉ quản trị" in again
    await reporter.say("Tin nhắn gửi mọi người")  # not taken as an update's text
    await deliver(telegram.app, clock)
    assert await stored(telegram.app) == []
    assert await rows(telegram.app) == []


async def test_bad_input_at_each_step_is_answered_and_nothing_is_queued(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    await member(telegram, "so-cong-thuong", 1)
    await sender.say("/thongbao")
    (empty,) = await sender.send_photo()
    assert "chỉ gửi được nội dung chữ" in empty and "đang trống" in empty
    await sender.say("Nội dung")
    (unknown,) = await sender.say("block:Khối không có")
    assert "Không có khối thi đua nào tên “Khối không có”" in unknown
    (unknown,) = await sender.say("xyz abc")
    assert "Không tìm thấy" in unknown and "xyz abc" in unknown
    (nobody,) = await sender.say("khoi doanh nghiep")
    assert "Khối doanh nghiệp" in nobody and "chưa có ai" in nobody
    (when,) = await sender.say("cac so")
    assert "Gửi ngay" in when
    (bad,) = await sender.say("ngay mai")
    assert "Không đọc được" in bad
    (past,) = await sender.say("02/10/2025 08:00")
    assert "đã qua" in past and "08:00 02/10/2025" in past
    (impossible,) = await sender.say("31/02/2026 08:00")
    assert "Không đọc được" in impossible
    (preview,) = await sender.say("03/10/2025 09:30")
    assert "09:30 03/10/2025" in preview and "các sở — 2 người" in preview
    (hint,) = await sender.say("có lẽ")
    assert "Gửi thông báo" in hint
    await sender.press("Hủy")
    await deliver(telegram.app, clock)
    assert await stored(telegram.app) == []
    assert await rows(telegram.app) == []


async def test_an_ambiguous_name_is_asked_about(telegram: TelegramBot, clock: FakeClock) -> None:
    sender = await admin(telegram)
    in_cluster = await member(telegram, "xa-y-ty", 1)
    in_commune = await member(telegram, "xa-bat-xat", 2)
    await sender.say("/thongbao")
    await sender.say("Lịch tiếp dân")
    (which,) = await sender.say("bat xat")
    assert "có thể là" in which
    labels = [label for label, _ in sender.last_buttons()]
    assert labels == ["Cụm các xã Bát Xát", "Xã Bát Xát (đơn vị)"]
    await sender.press("(đơn vị)")
    (preview,) = await sender.press("Gửi ngay")
    assert "Xã Bát Xát (đơn vị) — 1 người" in preview
    await sender.press("Gửi thông báo")
    await deliver(telegram.app, clock)
    assert received(in_commune)[-1] == "📢 Lịch tiếp dân"
    assert "📢 Lịch tiếp dân" not in received(in_cluster)


async def test_units_by_name_roles_and_kinds(telegram: TelegramBot, clock: FakeClock) -> None:
    sender = await admin(telegram)
    await member(telegram, "so-tai-chinh", 1)
    await member(telegram, "so-y-te", 2)
    await member(telegram, "xa-y-ty", 3)
    for typed, expected in [
        ("so tai chinh, so y te", "Sở Tài chính, Sở Y tế — 2 người"),
        ("cac xa", "các xã — 1 người"),
        ("quan tri", "vai trò quản trị — 1 người"),
        ("role:reporter", "vai trò cán bộ báo cáo — 3 người"),
        ("units:xa-y-ty", "Xã Y Tý (đơn vị) — 1 người"),
        ("tat ca", "Tất cả — 4 người"),
    ]:
        preview = await write_update(sender, "Nội dung", typed)
        assert expected in preview[-1], typed
        await sender.say("/huy")


async def test_a_long_update_is_split_with_a_warning(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    reader = await member(telegram, "so-cong-thuong", 1)
    text = "\n".join(f"Dòng {n:05d} của bản tin dài." for n in range(358))
    assert len(text) == 10_023
    (preview,) = await write_update(sender, text, "tat ca")
    assert "10.023 ký tự" in preview and "Telegram khoảng 3 tin, Zalo khoảng 6 tin" in preview
    await sender.press("Gửi thông báo")
    await deliver(telegram.app, clock)
    pieces = [piece for piece in received(reader) if "bản tin dài" in piece]
    assert len(pieces) == 3 and "\n".join(pieces) == "📢 " + text


async def test_a_scheduled_update_waits_for_its_moment(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    reader = await member(telegram, "so-cong-thuong", 1)
    await sender.say("/thongbao")
    await sender.say("Chào tuần mới")
    await sender.say("tat ca")
    (preview,) = await sender.say("03/10/2025 10:00")
    assert "10:00 03/10/2025" in preview
    (scheduled,) = await sender.press("Gửi thông báo")
    assert "lúc 10:00 03/10/2025" in scheduled
    await deliver(telegram.app, clock)
    assert "📢 Chào tuần mới" not in received(reader) and await rows(telegram.app) == []
    clock.advance(timedelta(hours=2))
    await deliver(telegram.app, clock)
    assert received(reader)[-1] == "📢 Chào tuần mới"


async def test_earlier_updates_and_who_was_not_reached(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    await member(telegram, "so-cong-thuong", 1)
    await write_update(sender, "Bản tin 1", "khoi kinh te")
    await sender.press("Gửi thông báo")
    await deliver(telegram.app, clock, rounds=2)
    await sender.say("/thongbao")
    (listing,) = await sender.press("Các thông báo trước")
    assert "#1" in listing and "Khối kinh tế: đã gửi 1/1." in listing
    (report,) = await sender.press("#1")
    assert report == "Thông báo #1 (Khối kinh tế): đã gửi 1/1."
    (unknown,) = await sender.say("/thongbao 7")
    assert "Không có thông báo #7" in unknown
    (huge,) = await sender.say("/thongbao 99999999999999999999")  # not an update's number
    assert "nội dung" in huge
    await sender.say("/huy")


class FaultySession(RecordingSession):
    """Telegram answering sendMessage to some chats with an error, as many times as listed."""

    def __init__(self, faults: dict[int, list[Exception]]) -> None:
        super().__init__()
        self.faults = faults

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendMessage) and self.faults.get(int(method.chat_id or 0)):
            raise self.faults[int(method.chat_id or 0)].pop(0)
        return await super().make_request(bot, method, timeout)


async def test_outbound_faults_end_sent_failed_or_blocked_and_the_report_matches(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    sender = await admin(telegram)
    for user in (1, 2, 3, 4, 5):
        await member(telegram, "so-cong-thuong", user)
    send = SendMessage(chat_id=0, text="")
    faulty = FaultySession(
        {
            1: [TelegramRetryAfter(send, "Too Many Requests", retry_after=3)],
            2: [TelegramServerError(send, "Internal Server Error") for _ in range(MAX_ATTEMPTS)],
            3: [TimeoutError()],
            4: [TelegramForbiddenError(send, "Forbidden: bot was blocked by the user")],
        }
    )
    faulty.requests = telegram.session.requests
    faulty.sent_to = telegram.session.sent_to
    telegram.bot.session = faulty
    await write_update(sender, "Số liệu quý III", "khoi kinh te")
    await sender.press("Gửi thông báo")
    for _ in range(MAX_ATTEMPTS + 2):
        await deliver(telegram.app, clock)
        clock.advance(timedelta(minutes=10))
    outcomes = {row.chat_id: (row.state, row.attempts) for row in await rows(telegram.app)}
    assert outcomes == {  # waiting out the 429's pause is no try of its own
        "1": ("sent", 2),
        "2": ("failed", MAX_ATTEMPTS),
        "3": ("sent", 2),
        "4": ("blocked", 1),
        "5": ("sent", 1),
    }
    async with telegram.app.sessions() as session:
        counted = await outbox.states(session, "bc:1:")
    assert counted == {"sent": 3, "failed": 1, "blocked": 1}
    reports = [text for text in received(sender) if text.startswith("Thông báo #1")]
    assert reports == [
        "Thông báo #1 (Khối kinh tế): đã gửi 3/5; 2 không gửi được: 1 đã chặn bot, 1 lỗi mạng."
    ]
    (unreached,) = await sender.press("Ai chưa nhận được")
    assert "Cán bộ 2 — Sở Công Thương" in unreached and "Cán bộ 4" in unreached
    assert "Cán bộ 1 " not in unreached


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    async with FakeZalo(ZALO_TOKEN) as server:
        yield server


async def test_an_update_reaches_telegram_and_zalo_users(
    telegram: TelegramBot, clock: FakeClock, zalo: FakeZalo
) -> None:
    app = telegram.app
    client = ZaloClient(ZALO_TOKEN, zalo.base_url)
    channel = ZaloChannel(app.conversations, client)
    app.delivery.register(channel)
    try:
        await channel.handle(zalo.push_text("z1", "/start " + await telegram.invite("xa-y-ty")))
        await app.delivery.drain()
        on_telegram = await member(telegram, "xa-a-mu-sung", 1)
        sender = await admin(telegram)
        await write_update(sender, "Thông báo cho cụm Bát Xát", "cum bat xat")
        await sender.press("Gửi thông báo")
        await deliver(app, clock)
        assert zalo.sent("z1")[-1]["text"] == "📢 Thông báo cho cụm Bát Xát"
        assert received(on_telegram)[-1] == "📢 Thông báo cho cụm Bát Xát"
        assert {row.channel for row in await rows(app)} == {"zalo", "telegram"}
    finally:
        await client.close()


async def test_the_campaign_files_weekly_update_goes_once(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    reader = await member(telegram, "so-cong-thuong", 1)
    monday = datetime(2025, 10, 6, 8, 0, tzinfo=LOCAL_ZONE)
    clock.advance(monday - clock.now())
    await deliver(telegram.app, clock)
    clock.advance(timedelta(minutes=5))
    await deliver(telegram.app, clock, rounds=2)
    weekly = [text for text in received(reader) if "Tuần mới của phong trào" in text]
    assert len(weekly) == 1
    (update,) = await stored(telegram.app)
    assert (update.recurring, update.audience) == ("tuan-moi:2025-10-06", "everyone")
    async with telegram.app.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Broadcast))
    assert count == 1


async def test_an_answer_held_back_goes_before_an_earlier_broadcasts_rows(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    app, now = telegram.app, clock.now()
    update = [outbox.Message("telegram", str(n), "📢 Bản tin", key=f"bc:9:{n}") for n in range(3)]
    answer = [outbox.Message("telegram", "7", "Câu trả lời")]
    async with app.writing() as session:
        await outbox.enqueue(session, update, "broadcast", now, now)
        await outbox.enqueue(session, answer, "answer", now, now)
    async with app.writing() as session:
        (first,) = await outbox.claim_due(session, now, "test", ["telegram"], 1)
    assert first.text == "Câu trả lời"
