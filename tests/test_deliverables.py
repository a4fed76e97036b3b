"""Deliverables (/nopbai) through the real Dispatcher on Telegram: on time, late, a new
version, returned and handed in again; the files refused; the export rows and completeness;
the reminders of a unit that has not delivered. On SQLite and PostgreSQL."""

from datetime import timedelta
from pathlib import Path

from aiogram.methods import GetFile, SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import select

from bot.app import App
from bot.channels.zalo.channel import ZaloChannel
from domain.campaign import DeliverableSpec
from domain.clock import FakeClock
from schedules.reminders import run_reminders
from storage import deliverables
from storage.campaigns import save_campaign
from storage.models import DeliverableVersion, Outbox, Upload
from tests.conftest import TelegramBot
from tests.fake_zalo import FakeZalo
from tests.files import docx, jpeg, pdf
from tests.recording import TelegramChat
from tests.test_reminder_job import local
from tests.test_zalo_channel import (  # noqa: F401  (fixtures)
    USER,
    Chat,
    channel,
    invite,
    polling,
    zalo,
)

PLAN = "Kế hoạch triển khai phong trào thi đua"
ADMIN = 900


async def member(
    telegram: TelegramBot, unit: str, user_id: int, role: str = "reporter"
) -> TelegramChat:
    await telegram.app.delivery.drain()
    chat = telegram.user(user_id)
    await chat.say("/start " + await telegram.invite(unit, role))
    await telegram.app.delivery.drain()
    return chat


async def versions(app: App) -> list[DeliverableVersion]:
    async with app.sessions() as session:
        return list(
            await session.scalars(select(DeliverableVersion).order_by(DeliverableVersion.id))
        )


async def stored_files(app: App) -> list[Upload]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Upload).order_by(Upload.id)))


async def export(app: App) -> list[deliverables.ExportRow]:
    catalog = app.conversations.catalog
    assert catalog is not None
    async with app.sessions() as session:
        return await deliverables.export_rows(session, catalog.campaign)


def received(chat: TelegramChat) -> list[str]:
    return [
        m.text
        for m in chat.session.requests
        if isinstance(m, SendMessage) and int(m.chat_id) == chat.chat.id
    ]


async def press_in(chat: TelegramChat, text: str, label_part: str) -> list[str]:
    """Press a button of an earlier message (with exactly this text), not of the last one."""
    (message,) = [
        m
        for m in chat.session.requests
        if isinstance(m, SendMessage) and int(m.chat_id) == chat.chat.id and m.text == text
    ]
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    buttons = [b for row in message.reply_markup.inline_keyboard for b in row]
    (button,) = [b for b in buttons if label_part in b.text]
    return await chat.press_data(str(button.callback_data))


def files_dir(app: App) -> Path:
    return app.conversations.files_dir


async def test_a_plan_handed_in_on_time_then_a_new_version(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("10/08", "09:00"))
    chat = await member(telegram, "phuong-sa-pa", 1)
    (ask,) = await chat.say("/nopbai")
    assert f"📎 {PLAN} của Phường Sa Pa: hạn nộp 15/08/2025 (còn 5 ngày)" in ask
    assert "Gửi vào đây PDF, DOCX, XLSX hoặc ảnh chụp (tối đa 20 MB)." in ask
    (text,) = await chat.send_document(pdf("v1"), "Kế hoạch số 12.pdf")
    assert "Thêm vài dòng" in text
    assert await versions(telegram.app) == []  # nothing stored before the last step
    (receipt,) = await chat.press("Bỏ qua")
    assert receipt.startswith(
        f"✅ Đã nhận {PLAN} của Phường Sa Pa: phiên bản 1, lúc 09:00 10/08/2025."
    )
    assert "nộp muộn" not in receipt
    (first,) = await versions(telegram.app)
    (upload,) = await stored_files(telegram.app)
    assert (first.version, first.status, first.file_name, first.channel) == (
        1, "submitted", "Kế hoạch số 12.pdf", "telegram",
    )  # fmt: skip
    kept = files_dir(telegram.app) / "uploads" / upload.path
    assert kept.read_bytes() == pdf("v1")
    assert kept.name == f"{upload.sha256}.pdf"  # the bot's name, never the sender's

    clock.set(local("12/08", "15:30"))
    await chat.say("/nopbai")
    (receipt,) = await chat.send_document(docx("v2"), "ke hoach.docx", caption="Bản có chữ ký")
    assert "phiên bản 2, lúc 15:30 12/08/2025" in receipt  # the caption was the text: no question
    assert [(v.version, v.text) for v in await versions(telegram.app)] == [
        (1, None), (2, "Bản có chữ ký"),
    ]  # fmt: skip
    rows = [row for row in await export(telegram.app) if row.unit_code == "phuong-sa-pa"]
    assert [(r.version, r.status, r.on_time, r.days_late, r.file_type) for r in rows] == [
        (1, "submitted", True, 0, "pdf"), (2, "submitted", True, 0, "docx"),
    ]  # fmt: skip
    assert rows[0].submitted_at == local("10/08", "09:00") and rows[0].channel == "telegram"
    others = [row for row in await export(telegram.app) if row.unit_code == "xa-y-ty"]
    assert [(r.status, r.version) for r in others] == [("missing", None)]


async def test_late_returned_with_a_comment_and_handed_in_again(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("20/08", "10:00"))
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    chat = await member(telegram, "xa-y-ty", 2)
    await chat.say("/nopbai")
    await chat.send_document(pdf("draft"), "kh.pdf")
    (receipt,) = await chat.say("Bản dự thảo")
    assert "phiên bản 1, lúc 10:00 20/08/2025 (nộp muộn 5 ngày)" in receipt

    waiting, *_figures = await admin.say("/duyet")  # the figures' review list follows
    assert "📎 Sản phẩm: 1" in waiting and f"Xã Y Tý – {PLAN} (phiên bản 1)" in waiting
    (item,) = await press_in(admin, waiting, "Xã Y Tý")
    assert "Tệp: kh.pdf" in item and "Kèm lời nhắn: Bản dự thảo" in item
    assert "Nộp muộn 5 ngày." in item
    (ask,) = await admin.press("Trả lại")
    assert "cần sửa hoặc bổ sung gì" in ask
    (empty,) = await admin.say("   ")  # a return needs a comment: the form waits
    assert "Cần có chữ hoặc số" in empty
    (done,) = await admin.say("Thiếu chữ ký của thủ trưởng")
    assert done.startswith("Đã ghi: đã trả lại; người nộp đã được báo.")
    await telegram.app.delivery.run_once()
    notice = received(chat)[-1]
    assert notice == (
        f"↩️ {PLAN} (phiên bản 1) được trả lại để chỉnh sửa.\nGhi chú: Thiếu chữ ký của thủ trưởng"
    )

    clock.set(local("21/08", "08:00"))
    (ask,) = await chat.press("Nộp lại")  # one tap on the notice's button
    assert (
        "• Đã nộp phiên bản 1 lúc 10:00 20/08/2025: đã trả lại (Thiếu chữ ký của thủ trưởng)" in ask
    )
    due = await chat.say("/han")  # answered inside the form, whose question follows
    assert "(bản đã nộp bị trả lại)" in due[0] and "Gửi vào đây" in due[-1]
    await chat.send_document(pdf("signed"), "kh-ky.pdf")
    (receipt,) = await chat.press("Bỏ qua")
    assert "phiên bản 2" in receipt

    waiting, *_figures = await admin.say("/duyet")
    await press_in(admin, waiting, "Xã Y Tý")
    await admin.press("Chấp nhận")
    (done,) = await admin.press("Bỏ qua")
    assert done.startswith("Đã ghi: đã chấp nhận")
    await telegram.app.delivery.run_once()
    assert received(chat)[-1] == f"✅ {PLAN} (phiên bản 2) đã được Sở Nội vụ chấp nhận."
    (nothing,) = await admin.say("/duyet")  # only the figures' list: nothing of ours waits
    assert nothing.startswith("✅ Không còn số liệu nào chờ duyệt.")

    rows = [row for row in await export(telegram.app) if row.unit_code == "xa-y-ty"]
    assert [(r.version, r.status, r.review_note, r.on_time, r.days_late) for r in rows] == [
        (1, "returned", "Thiếu chữ ký của thủ trưởng", False, 5),
        (2, "accepted", None, False, 5),
    ]
    assert rows[0].reviewed_by == "Cán bộ 900" and rows[0].text == "Bản dự thảo"
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    async with telegram.app.sessions() as session:
        counted = await deliverables.completeness(
            session, catalog.campaign, catalog.campaign.deliverables[0]
        )
    assert (counted.delivered, counted.on_time) == (1, 0)
    assert counted.expected == 126 and 0 < counted.completeness < 1


async def test_files_that_do_not_fit_are_refused_and_the_form_waits(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("11/08", "09:00"))
    chat = await member(telegram, "phuong-sa-pa", 3)
    await chat.say("/nopbai")
    calls = len(telegram.session.requests)
    (large,) = await chat.send_document(pdf(), "kh.pdf", declared_size=25 * 1024 * 1024)
    assert large.startswith("Tệp lớn quá 20 MB.")
    assert not any(isinstance(m, GetFile) for m in telegram.session.requests[calls:])
    (program,) = await chat.send_document(b"MZ\x90\x00", "setup.exe")
    assert program == "Không nhận được loại tệp này. Chỉ nhận PDF, DOCX, XLSX hoặc ảnh chụp."
    (disguised,) = await chat.send_document(b"just text", "ke-hoach.pdf")
    assert disguised.startswith("Không nhận được loại tệp này.")
    (typed,) = await chat.say("gửi sau")
    assert typed.startswith("Hãy gửi tệp cần nộp")
    assert await versions(telegram.app) == [] and await stored_files(telegram.app) == []

    odd = "..\\..\\C:/Windows/system32/../Kế hoạch\u202e\x07 năm 2025.pdf"
    await chat.send_document(pdf("odd"), odd)
    (receipt,) = await chat.press("Bỏ qua")
    assert "phiên bản 1" in receipt
    (version,) = await versions(telegram.app)
    assert version.file_name == "Kế hoạch năm 2025.pdf"
    (upload,) = await stored_files(telegram.app)
    kept = list((files_dir(telegram.app) / "uploads").rglob("*.pdf"))
    assert [path.name for path in kept] == [f"{upload.sha256}.pdf"]

    await chat.say("/nopbai")
    (again,) = await chat.send_document(pdf("odd"), "copy.pdf")
    assert again.startswith("Tệp này đã được nộp lúc 09:00 11/08/2025 (phiên bản 1)")
    assert len(await versions(telegram.app)) == 1 and len(await stored_files(telegram.app)) == 1


async def test_a_photo_where_only_a_document_counts(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    plan = catalog.campaign.deliverables[0].model_copy(update={"accepts": ["document"]})
    campaign = catalog.campaign.model_copy(update={"deliverables": [plan]})
    telegram.app.conversations.catalog = type(catalog)(campaign, catalog.indicator_ids)
    clock.set(local("11/08", "09:00"))
    chat = await member(telegram, "phuong-sa-pa", 4)
    (ask,) = await chat.say("/nopbai")
    assert "Gửi vào đây PDF, DOCX hoặc XLSX (tối đa 20 MB)." in ask
    (photo,) = await chat.send_photo(data=jpeg())
    assert photo.startswith("Mục này cần tệp PDF, DOCX hoặc XLSX, không nhận ảnh chụp.")
    (as_file,) = await chat.send_document(jpeg(), "scan.jpg")  # a photo sent as a file
    assert as_file.startswith("Không nhận được loại tệp này.")
    (text,) = await chat.send_document(pdf(), "kh.pdf")
    assert "Thêm vài dòng" in text  # the form waited at the file


async def test_reminders_go_only_to_units_that_have_not_delivered(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("08/08", "10:00"))
    done = await member(telegram, "phuong-sa-pa", 5)
    owing = await member(telegram, "xa-y-ty", 6)
    await done.say("/nopbai")
    await done.send_document(pdf("done"), "kh.pdf")
    await done.press("Bỏ qua")

    clock.set(local("12/08", "08:00"))  # three days before Friday 15/08
    assert await run_reminders(telegram.app, clock.now()) == 1
    await telegram.app.delivery.run_once()
    reminder = received(owing)[-1]
    assert reminder == f"⏰ Nhắc nộp {PLAN} của Xã Y Tý: hạn nộp 15/08/2025 (còn 3 ngày)."
    assert not any("Nhắc nộp" in text for text in received(done))
    assert await run_reminders(telegram.app, clock.now()) == 0  # once
    async with telegram.app.sessions() as session:
        keys = list(await session.scalars(select(Outbox.key).where(Outbox.kind == "reminder")))
    assert [(key or "").partition(":")[2] for key in keys] == ["dl-ke_hoach:before-3"]

    clock.set(local("16/08", "08:00"))  # Saturday: the day after goes on Monday
    assert await run_reminders(telegram.app, clock.now()) == 0
    clock.set(local("18/08", "08:00"))
    assert await run_reminders(telegram.app, clock.now()) == 1
    await telegram.app.delivery.run_once()
    assert received(owing)[-1].endswith("(đã quá hạn 3 ngày).")
    (form,) = await owing.press("Nộp Kế hoạch")
    assert "Gửi vào đây" in form


async def test_a_viewer_and_an_unknown_deliverable(telegram: TelegramBot, clock: FakeClock) -> None:
    viewer = await member(telegram, "phuong-sa-pa", 7, "viewer")
    (refused,) = await viewer.say("/nopbai")
    assert refused.startswith("Vai trò người theo dõi không nộp được")
    chat = await member(telegram, "phuong-sa-pa", 8)
    (unknown,) = await chat.say("/nopbai bao cao tong ket")
    assert unknown == "Không có sản phẩm nào tên “bao cao tong ket”.\n\nNộp sản phẩm nào?"
    (ask,) = await chat.say("ke hoach")
    assert ask.startswith(f"📎 {PLAN}")


async def test_only_admins_review(telegram: TelegramBot, clock: FakeClock) -> None:
    clock.set(local("11/08", "09:00"))
    chat = await member(telegram, "phuong-sa-pa", 9)
    await chat.say("/nopbai")
    await chat.send_document(pdf("mine"), "kh.pdf")
    await chat.press("Bỏ qua")
    (refused,) = await chat.say("/duyet")
    assert refused.startswith("Chỉ quản trị của phong trào (Sở Nội vụ) mới duyệt được.")
    (version,) = await versions(telegram.app)
    (again,) = await chat.press_data(f"cmd:review dl {version.id} accepted")
    assert again.startswith("Chỉ quản trị của phong trào (Sở Nội vụ) mới duyệt được.")
    (version,) = await versions(telegram.app)
    assert (version.status, version.reviewed_by) == ("submitted", None)


async def test_on_zalo_the_plan_is_a_photo(
    app: App,
    zalo: FakeZalo,  # noqa: F811
    polling: ZaloChannel,  # noqa: F811
    clock: FakeClock,
) -> None:
    clock.set(local("14/08", "09:00"))
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app, "xa-y-ty"))
    (ask,) = await chat.say("/nopbai")
    assert "Gửi vào đây ảnh chụp (tối đa 20 MB)." in ask
    zalo.push_image(USER, zalo.host_photo(jpeg("trang 1")), caption="Kế hoạch đã ký")
    (receipt,) = await chat.answer()
    assert receipt.startswith(f"✅ Đã nhận {PLAN} của Xã Y Tý: phiên bản 1, lúc 09:00 14/08/2025.")
    (version,) = await versions(app)
    assert (version.channel, version.text, version.file_name) == ("zalo", "Kế hoạch đã ký", "")

    catalog = app.conversations.catalog
    assert catalog is not None
    plan = catalog.campaign.deliverables[0].model_copy(update={"accepts": ["document"]})
    campaign = catalog.campaign.model_copy(update={"deliverables": [plan]})
    app.conversations.catalog = type(catalog)(campaign, catalog.indicator_ids)
    (not_here,) = await chat.say("/nopbai")
    assert (
        not_here
        == f"Ứng dụng này không gửi được {PLAN} (cần tệp PDF, DOCX hoặc XLSX). Hãy nộp qua Telegram."
    )


async def test_loading_the_campaign_says_what_changed_in_its_deliverables(app: App) -> None:
    catalog = app.conversations.catalog
    assert catalog is not None
    bundled = catalog.campaign
    plan = bundled.deliverables[0]
    moved = plan.model_copy(update={"due": plan.due + timedelta(days=7)})
    report = DeliverableSpec(code="bao_cao", name="Báo cáo sơ kết", due=plan.due)
    async with app.writing() as session:
        first = await save_campaign(
            session, bundled.model_copy(update={"deliverables": []}), app.clock.now()
        )
        added = await save_campaign(session, bundled, app.clock.now())
        changed = await save_campaign(
            session, bundled.model_copy(update={"deliverables": [moved, report]}), app.clock.now()
        )
        dropped = await save_campaign(
            session, bundled.model_copy(update={"deliverables": [moved]}), app.clock.now()
        )
    assert first.lines == ["- sản phẩm ke_hoach không còn trong tệp; các bản đã nộp vẫn được giữ"]
    assert added.lines == [f"+ sản phẩm ke_hoach: {PLAN}, hạn 15/08/2025"]
    assert changed.lines == [
        "~ sản phẩm ke_hoach: due: 2025-08-15 → 2025-08-22",
        "+ sản phẩm bao_cao: Báo cáo sơ kết, hạn 15/08/2025",
    ]
    assert dropped.lines == ["- sản phẩm bao_cao không còn trong tệp; các bản đã nộp vẫn được giữ"]


async def test_a_form_open_on_a_deliverable_the_campaign_dropped(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("11/08", "09:00"))
    chat = await member(telegram, "phuong-sa-pa", 10)
    await chat.say("/nopbai")
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    telegram.app.conversations.catalog = type(catalog)(
        catalog.campaign.model_copy(update={"deliverables": []}), catalog.indicator_ids
    )
    (outdated,) = await chat.send_document(pdf("late"), "kh.pdf")
    assert outdated.startswith("Đợt thi đua vừa được cập nhật, sản phẩm đang nộp dở")
    assert await versions(telegram.app) == []
    (none,) = await chat.say("/nopbai")
    assert none == "Phường Sa Pa không có sản phẩm nào phải nộp trong phong trào này."
