"""Exemplary stories (/dienhinh) through review to publication, on Telegram and on Zalo: the
recipients of the update, the list of a cluster's stories, and the stories beside the
commendation candidates. On SQLite and PostgreSQL."""

from datetime import timedelta

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import App
from bot.channels.zalo.channel import ZaloChannel
from domain.clock import FakeClock
from schedules.broadcasts import run_broadcasts
from storage import stories
from storage.models import Person, Story, StoryPhoto, Unit
from tests.conftest import TelegramBot
from tests.fake_zalo import FakeZalo
from tests.files import jpeg
from tests.recording import TelegramChat
from tests.test_deliverables import ADMIN, member
from tests.test_zalo_channel import (  # noqa: F401  (fixtures)
    USER,
    Chat,
    channel,
    invite,
    polling,
    zalo,
)


def received(chat: TelegramChat) -> list[str]:
    return [
        m.text
        for m in chat.session.requests
        if isinstance(m, SendMessage) and int(m.chat_id) == chat.chat.id
    ]


def button_of(chat: TelegramChat, text: str) -> str:
    """The choice id of the button under a message the chat received."""
    (message,) = [
        m
        for m in chat.session.requests
        if isinstance(m, SendMessage) and int(m.chat_id) == chat.chat.id and m.text == text
    ]
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    (button,) = [b for row in message.reply_markup.inline_keyboard for b in row]
    return str(button.callback_data)


async def all_stories(app: App) -> list[Story]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Story).order_by(Story.id)))


async def photo_rows(app: App) -> list[StoryPhoto]:
    async with app.sessions() as session:
        return list(await session.scalars(select(StoryPhoto).order_by(StoryPhoto.position)))


async def candidates_evidence(app: App, unit_code: str) -> list[str]:
    """What the commendation candidates list shows beside a unit: its approved stories."""
    async with app.sessions() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == unit_code))
        by_unit = await stories.approved_by_unit(session)
    return [item.story.subject for item in by_unit.get(unit_id or 0, [])]


async def test_a_story_through_review_to_publication_on_telegram(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    sender = await member(telegram, "xa-y-ty", 11)
    neighbour = await member(telegram, "xa-bat-xat", 12)  # same cluster
    elsewhere = await member(telegram, "phuong-sa-pa", 13)

    (empty,) = await sender.say("/dienhinh")
    assert empty == "Chưa có gương điển hình nào của Cụm các xã Bát Xát được duyệt."
    (kind,) = await sender.press("Gửi gương điển hình")
    assert "tập thể hay một cá nhân" in kind
    (who,) = await sender.press("Tập thể")
    assert "Tên tập thể" in who
    (unit,) = await sender.say("Thôn Sín Chải")
    assert "Thuộc đơn vị nào?" in unit
    (wrong,) = await sender.say("xa khong co that")
    assert wrong.startswith("Không tìm thấy đúng một đơn vị tên “xa khong co that”.")
    (what,) = await sender.press("Xã Y Tý")
    assert "Thành tích" in what
    (photos,) = await sender.say("Hoàn thành 100% đường bê tông nông thôn trước hạn 2 tháng.")
    assert "tối đa 5 ảnh, đã có 0" in photos
    (first,) = await sender.send_photo(data=jpeg("1"))
    assert first == "Đã nhận ảnh 1/5. Gửi thêm hoặc chọn Xong."
    (twice,) = await sender.send_photo(data=jpeg("1"))
    assert twice.startswith("Ảnh này đã gửi rồi.") and "đã có 1" in twice
    await sender.send_photo(data=jpeg("2"))
    (summary,) = await sender.press("Xong")
    assert "🌟 Thôn Sín Chải (tập thể, Xã Y Tý)" in summary and "Ảnh: 2" in summary
    assert await all_stories(telegram.app) == []
    (receipt,) = await sender.press("Gửi Sở Nội vụ")
    assert receipt.startswith("✅ Đã gửi gương điển hình #1 (Thôn Sín Chải)")
    (story,) = await all_stories(telegram.app)
    assert (story.status, story.subject_kind) == ("pending", "collective")
    assert [p.position for p in await photo_rows(telegram.app)] == [1, 2]

    await telegram.app.delivery.run_once()
    assert received(admin)[-1] == "🌟 Gương điển hình mới #1: Thôn Sín Chải, gửi từ Xã Y Tý."
    (item,) = await admin.press("Xem và duyệt")
    assert "Hoàn thành 100% đường bê tông" in item and "Ảnh kèm theo: 2" in item
    await admin.press("✅ Duyệt")
    (done,) = await admin.say("Gương rất tiêu biểu, đề nghị nhân rộng.")
    assert done.startswith("Đã ghi: đã duyệt; người gửi đã được báo.")
    await telegram.app.delivery.run_once()
    assert received(sender)[-1] == (
        "🌟 Gương điển hình “Thôn Sín Chải” đã được Sở Nội vụ duyệt. Cảm ơn bạn!\n"
        "Ghi chú: Gương rất tiêu biểu, đề nghị nhân rộng."
    )
    assert await candidates_evidence(telegram.app, "xa-y-ty") == ["Thôn Sín Chải"]

    (listed,) = await neighbour.say("/dienhinh")
    assert listed.startswith("Gương điển hình của Cụm các xã Bát Xát (1–1 trên 1, mới nhất trước)")
    assert "🌟 Thôn Sín Chải (tập thể, Xã Y Tý)" in listed
    (other,) = await elsewhere.say("/dienhinh")
    assert other.startswith("Chưa có gương điển hình nào của Cụm các phường")

    (refused,) = await sender.say("/dienhinh dang 1")
    assert refused.startswith("Chỉ quản trị")
    await admin.say("/duyet st 1")
    (audience,) = await admin.press("Đăng thành thông báo")
    assert "Gửi cho ai" in audience
    await admin.say("cum cac xa bat xat")
    (preview,) = await admin.press("Gửi ngay")
    assert "Cụm các xã Bát Xát — 2 người" in preview and "Thôn Sín Chải" in preview
    await admin.press("Gửi thông báo")
    await run_broadcasts(telegram.app, clock.now())
    await telegram.app.delivery.run_once()
    update = "📢 Gương điển hình tiên tiến:\n🌟 Thôn Sín Chải (tập thể, Xã Y Tý)"
    assert received(neighbour)[-1].startswith(update)
    assert received(sender)[-1].startswith(update)
    assert not any(text.startswith(update) for text in received(elsewhere))
    (story,) = await all_stories(telegram.app)
    assert story.broadcast_id == 1


async def test_asked_for_more_the_sender_adds_and_a_declined_story_is_not_listed(
    telegram: TelegramBot,
) -> None:
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    sender = await member(telegram, "phuong-sa-pa", 14)
    for subject in ("Bà Lò Thị Mai, tổ trưởng", "Ông A"):
        await sender.say("/dienhinh gui")
        await sender.press("Cá nhân")
        await sender.say(subject)
        await sender.press("Phường Sa Pa")
        await sender.say("Vận động 30 hộ hiến đất làm đường.")
        await sender.press("Không có ảnh")
        await sender.press("Gửi Sở Nội vụ")
    waiting, *_figures = await admin.say("/duyet")
    assert "🌟 Gương điển hình: 2" in waiting
    await admin.say("/duyet st 1 more")
    (done,) = await admin.say("Xin thêm ảnh và số liệu cụ thể")
    assert done.startswith("Đã ghi: cần bổ sung")
    (ask,) = await admin.say("/duyet st 2 declined")
    assert ask.endswith("vì sao?") and not admin.last_buttons()  # a decline needs its reason
    (needs,) = await admin.say("...")
    assert needs.startswith("Cần có chữ hoặc số")
    await admin.say("Chưa đủ tiêu chí")
    await telegram.app.delivery.run_once()
    notices = received(sender)
    assert "Gương điển hình “Ông A” chưa được duyệt.\nGhi chú: Chưa đủ tiêu chí" in notices
    asked = next(text for text in notices if "đề nghị bổ sung" in text)
    assert asked.endswith("Ghi chú: Xin thêm ảnh và số liệu cụ thể")

    await sender.press_data(button_of(sender, asked))  # one tap on that notice's button
    await sender.say("Đã vận động thêm 12 hộ trong tháng 9.")
    (taken,) = await sender.send_photo(data=jpeg("mai"))
    assert taken == "Đã nhận ảnh 1/5. Gửi thêm hoặc chọn Xong."
    (summary,) = await sender.press("Xong")
    assert "Đã vận động thêm 12 hộ" in summary and "Ảnh thêm: 1" in summary
    await sender.press("Gửi Sở Nội vụ")
    first, second = await all_stories(telegram.app)
    assert first.status == "pending" and first.achievement.endswith("thêm 12 hộ trong tháng 9.")
    assert second.status == "declined"
    assert len(await photo_rows(telegram.app)) == 1
    (again,) = await sender.say("/dienhinh bosung 1")
    assert again == "Gương điển hình này không chờ bổ sung."
    assert await candidates_evidence(telegram.app, "phuong-sa-pa") == []


async def test_a_story_sent_on_zalo_with_photos(
    app: App,
    telegram: TelegramBot,
    zalo: FakeZalo,  # noqa: F811
    polling: ZaloChannel,  # noqa: F811
    clock: FakeClock,
) -> None:
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app, "xa-y-ty"))
    (kind,) = await chat.say("/dienhinh gui")
    assert kind.endswith("\n\n1. Tập thể\n2. Cá nhân")
    await chat.say("2")
    await chat.say("Ông Giàng A Lử, trưởng thôn")
    (what,) = await chat.say("1")  # the member's own unit, by number
    assert "Thành tích" in what
    await chat.say("Dẫn đầu phong trào trồng quế")
    zalo.push_image(USER, zalo.host_photo(jpeg("que")))
    (taken,) = await chat.answer()
    assert taken == "Đã nhận ảnh 1/5. Gửi thêm hoặc chọn Xong.\n\n1. Xong"
    zalo.push_image(USER, "https://example.invalid/het-han.jpg")
    (gone,) = await chat.answer()
    assert gone.startswith("Chưa tải được tệp về. Vui lòng gửi lại sau ít phút.")
    assert gone.endswith("(tối đa 5 ảnh, đã có 1).\n\n1. Xong")
    (summary,) = await chat.say("xong")
    assert "Ảnh: 1" in summary
    (receipt,) = await chat.say("1")
    assert receipt.startswith("✅ Đã gửi gương điển hình #1")
    (story,) = await all_stories(app)
    assert story.channel == "zalo" and story.subject_kind == "person"

    await app.delivery.run_once()
    await admin.press("Xem và duyệt")
    await admin.press("✅ Duyệt")
    await admin.press("Bỏ qua")
    await app.delivery.run_once()
    (notice,) = await chat.answer()
    assert (
        notice
        == "🌟 Gương điển hình “Ông Giàng A Lử, trưởng thôn” đã được Sở Nội vụ duyệt. Cảm ơn bạn!"
    )
    await admin.press("Đăng thành thông báo")
    await admin.say("cum cac xa bat xat")
    await admin.press("Gửi ngay")
    await admin.press("Gửi thông báo")
    await run_broadcasts(app, clock.now())
    await app.delivery.run_once()
    (update,) = await chat.answer()
    assert update.startswith("📢 Gương điển hình tiên tiến:\n🌟 Ông Giàng A Lử, trưởng thôn")
    assert await candidates_evidence(app, "xa-y-ty") == ["Ông Giàng A Lử, trưởng thôn"]


async def test_approved_stories_come_newest_first_a_few_at_a_time(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    reader = await member(telegram, "xa-bat-xat", 15)
    async with telegram.app.writing() as session:
        unit_id = await session.scalar(select(Unit.id).where(Unit.code == "xa-y-ty"))
        person_id = await session.scalar(select(Person.id))  # the reader sent them all
        assert unit_id is not None and person_id is not None
        for n in range(1, 5):
            story = await stories.add(
                session,
                unit_id=unit_id,
                subject_kind="person",
                subject=f"Gương {n}",
                achievement="Việc tốt",
                person_id=person_id,
                channel="telegram",
                now=clock.now(),
                upload_ids=[],
            )
            await stories.review(session, story, "approved", None, person_id, clock.now())
            clock.advance(timedelta(hours=1))
    (first,) = await reader.say("/dienhinh")
    assert first.startswith("Gương điển hình của Cụm các xã Bát Xát (1–3 trên 4, mới nhất trước)")
    assert [line for line in first.splitlines() if line.startswith("🌟")] == [
        "🌟 Gương 4 (cá nhân, Xã Y Tý)",
        "🌟 Gương 3 (cá nhân, Xã Y Tý)",
        "🌟 Gương 2 (cá nhân, Xã Y Tý)",
    ]
    (rest,) = await reader.press("Xem tiếp")
    assert rest.startswith("Gương điển hình của Cụm các xã Bát Xát (4–4 trên 4")
    assert "🌟 Gương 1 (cá nhân" in rest
    assert [label for label, _ in reader.last_buttons()] == ["🌟 Gửi gương điển hình"]
