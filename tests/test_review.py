"""Review by the secretariat (/duyet) and a value's history (/lichsu): through the real
Dispatcher, the notices through the delivery engine to Telegram and Zalo, checked in the
database, on SQLite and PostgreSQL."""

import asyncio
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, select

from bot.app import App
from bot.settings import BUNDLED_CAMPAIGN, LOCAL_ZONE
from domain.campaign import load_campaign
from domain.clock import FakeClock
from domain.invites import display_code
from handlers.choices import match_choice
from handlers.types import Choice
from storage import repo, review
from storage.campaigns import save_campaign
from storage.db import alembic_config, make_engine, make_sessions, migrate
from storage.models import (
    Indicator,
    Outbox,
    Person,
    Report,
    ReviewEvent,
    ReviewState,
    Unit,
)
from tests.conftest import TelegramBot, _create_database, _drop_database
from tests.fake_zalo import FakeZalo
from tests.recording import TelegramChat
from tests.test_broadcast import member, received
from tests.test_due import report_everything
from tests.test_zalo_channel import (  # noqa: F401  (fixtures)
    Chat,
    channel,
    invite,
    polling,
    zalo,
)

ADMIN = 900
REPORTER = 1001
RETURN_COMMENT = "Số liệu chưa khớp với Thống kê, đề nghị kiểm tra lại"


async def reporter_and_admin(telegram: TelegramBot) -> tuple[TelegramChat, TelegramChat]:
    reporter = await member(telegram, "phuong-sa-pa", REPORTER)
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    return reporter, admin


async def report_arrivals(chat: TelegramChat, figure: str, reason: str | None = None) -> str:
    """September's tourist arrivals through the form; a correction gives its reason. The receipt."""
    await chat.say("/baocao 2025-09 8a")
    await chat.say(figure)
    if reason is not None:
        await chat.say(reason)
    await chat.press("Bỏ qua")
    return (await chat.press("Xác nhận"))[0]


async def states(app: App) -> list[tuple[int, str]]:
    """(revision, status) of every current value under review."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(Report.revision, ReviewState.status)
            .join(Report, Report.id == ReviewState.report_id)
            .order_by(ReviewState.report_id)
        )
        return [(revision, status) for revision, status in rows]


async def actions(app: App) -> list[tuple[str, int, str | None]]:
    """(action, revision, comment) of every logged step, oldest first."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(ReviewEvent.action, Report.revision, ReviewEvent.comment)
            .join(Report, Report.id == ReviewEvent.report_id)
            .order_by(ReviewEvent.id)
        )
        return [(action, revision, comment) for action, revision, comment in rows]


async def test_an_admin_sees_a_figure_awaiting_review_and_approves_it(
    telegram: TelegramBot,
) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.250.000")
    await admin.say("/menu")
    assert ("🗂️ Duyệt số liệu (1 chờ duyệt)", "cmd:review") in [
        (label, data.partition("|")[2]) for label, data in admin.last_buttons()
    ]
    (listing,) = await admin.say("/duyet")
    assert "Số liệu chờ duyệt: 1" in listing
    assert (
        "1. Phường Sa Pa — Số lượt khách du lịch (chỉ tiêu 8a), tháng 9/2025: 1.250.000 lượt\n"
        "   nộp lần đầu · đúng hạn\n   Cán bộ 1001, Telegram, 08:00 03/10/2025"
    ) in listing
    assert [label for label, _ in admin.last_buttons()] == ["✅ Duyệt 1", "↩️ Trả lại 1"]
    (approved,) = await admin.press("Duyệt 1")
    assert approved.startswith("✅ Đã duyệt: Phường Sa Pa — Số lượt khách du lịch")
    assert "Không còn số liệu nào chờ duyệt" in approved
    assert await states(telegram.app) == [(1, "approved")]
    assert [a for a, _, _ in await actions(telegram.app)] == ["submitted", "approved"]


async def test_non_admins_are_refused_and_nothing_changes(telegram: TelegramBot) -> None:
    reporter, _ = await reporter_and_admin(telegram)
    viewer = await member(telegram, "so-tai-chinh", 7, "viewer")
    await report_arrivals(reporter, "1.250.000")
    for chat in (reporter, viewer):
        (refused,) = await chat.say("/duyet")
        assert refused == "Chỉ quản trị của phong trào (Sở Nội vụ) mới duyệt được."
        await chat.say("/menu")
        assert not any("Duyệt" in label for label, _ in chat.last_buttons())
    (alias,) = await (await member(telegram, "so-y-te", 8)).say("/review")
    assert alias.startswith("Chỉ quản trị")
    assert await states(telegram.app) == [(1, "pending")]


async def test_approving_all_shown_approves_exactly_what_was_shown(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    _, admin = await reporter_and_admin(telegram)
    await report_everything(telegram, "phuong-sa-pa", "2025-09")  # 13 figures
    count = len(await states(telegram.app))
    clock.advance(timedelta(minutes=5))
    (listing,) = await admin.say("/duyet")
    assert f"Số liệu chờ duyệt: {count} (đang xem 1–4" in listing
    labels = [label for label, _ in admin.last_buttons()]
    assert labels[-2:] == ["✅ Duyệt cả 4 số liệu trên", "➡️ Xem các số liệu khác"]
    (more,) = await admin.press("Xem các số liệu khác")
    assert "(đang xem 5–8" in more
    async with telegram.app.writing() as session:
        shown = await review.pending(session, 4, offset=4)
        # The first figure of this page is corrected while the admin looks at it.
        row = await session.get(Report, shown[0].report_id)
        assert row is not None
        await repo.add_report(
            session,
            revision=2,
            indicator_id=row.indicator_id,
            unit_id=row.unit_id,
            period=row.period,
            value=row.value + 1,
            note=None,
            reason="Số liệu mới của phòng Thống kê",
            evidence=None,
            person_id=row.person_id,
            channel="telegram",
            created_at=telegram.app.clock.now(),
        )
    (done,) = await admin.press("Duyệt cả 4")
    assert done.startswith("✅ Đã duyệt 3 số liệu.")
    async with telegram.app.sessions() as session:
        left = {item.report_id for item in await review.pending(session, 100)}
        waiting = await review.pending_count(session)
    assert waiting == count - 3
    assert {item.report_id for item in shown[1:]}.isdisjoint(left)
    assert shown[0].report_id not in left  # the revision shown was replaced, not approved …
    corrected = [item for item in await states(telegram.app) if item[0] == 2]
    assert corrected == [(2, "pending")]  # … and its correction waits for review


async def test_a_return_reaches_the_reporter_who_corrects_it_with_one_tap(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    app = telegram.app
    reporter, admin = await reporter_and_admin(telegram)
    colleague = await member(telegram, "phuong-sa-pa", 1002)
    outsider = await member(telegram, "xa-y-ty", 1003)
    await report_arrivals(reporter, "1.250.000")
    clock.advance(timedelta(hours=2))
    await admin.say("/duyet")
    (ask,) = await admin.press("Trả lại 1")
    assert "Trả lại số liệu: Phường Sa Pa" in ask and "nhận xét" in ask
    (returned,) = await admin.say(RETURN_COMMENT)
    assert "Đã trả lại: Phường Sa Pa" in returned and "Đã báo cho 2 người của đơn vị" in returned
    await app.delivery.run_once()
    for chat in (reporter, colleague):
        notice = received(chat)[-1]
        assert notice.startswith("↩️ Số liệu cần sửa\nCán bộ 900 (Sở Nội vụ) trả lại")
        assert "Số lượt khách du lịch (chỉ tiêu 8a): 1.250.000 lượt" in notice
        assert f"Nhận xét: {RETURN_COMMENT}" in notice
    assert not any("Số liệu cần sửa" in text for text in received(outsider))
    async with app.sessions() as session:
        kinds = await session.scalars(select(Outbox.kind).where(Outbox.key.startswith("review:")))
        assert list(kinds) == ["review", "review"]

    clock.advance(timedelta(hours=1))
    (form,) = await reporter.press("Sửa số liệu")
    assert "Kỳ này đã báo cáo 1.250.000 lượt" in form and "Nhập số liệu tháng 9/2025" in form
    await reporter.say("1.300.000")
    await reporter.say("Theo số liệu của Thống kê")
    await reporter.press("Bỏ qua")
    (receipt,) = await reporter.press("Xác nhận")
    assert "(bản sửa lần 1)" in receipt and "Số liệu sửa được chuyển lại để duyệt." in receipt
    assert await states(app) == [(2, "pending")]

    clock.advance(timedelta(hours=1))
    (listing,) = await admin.say("/duyet")
    assert "1.300.000 lượt" in listing
    assert "sửa lần 1, lý do: Theo số liệu của Thống kê (sửa sau khi bị trả lại)" in listing
    await admin.press("Duyệt 1")
    assert await states(app) == [(2, "approved")]

    (history,) = await reporter.say("/lichsu 8a")
    lines = history.splitlines()
    assert lines[:2] == [
        "📜 Lịch sử số liệu, mới nhất trước",
        "Phường Sa Pa — Số lượt khách du lịch (chỉ tiêu 8a)",
    ]
    assert lines[2:] == [
        "• 12:00 03/10/2025 · tháng 9/2025: duyệt 1.300.000 lượt — Cán bộ 900, Telegram",
        "• 11:00 03/10/2025 · tháng 9/2025: sửa lần 1 thành 1.300.000 lượt — Cán bộ 1001, "
        "Telegram. Lý do: Theo số liệu của Thống kê · đã duyệt",
        "• 10:00 03/10/2025 · tháng 9/2025: trả lại 1.250.000 lượt — Cán bộ 900, Telegram. "
        f"Nhận xét: {RETURN_COMMENT}",
        "• 08:00 03/10/2025 · tháng 9/2025: nộp 1.250.000 lượt — Cán bộ 1001, Telegram · bị trả lại",
    ]


async def test_a_correction_after_approval_goes_back_to_review(telegram: TelegramBot) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.250.000")
    await admin.say("/duyet")
    await admin.press("Duyệt 1")
    receipt = await report_arrivals(reporter, "1.260.000", "Cộng thiếu một điểm du lịch")
    assert "Số liệu sửa được chuyển lại để duyệt." in receipt
    assert await states(telegram.app) == [(2, "pending")]
    (listing,) = await admin.say("/duyet")
    assert "1.260.000 lượt" in listing and "(sửa số đã duyệt)" in listing
    first = await report_arrivals(reporter, "1.270.000", "Cập nhật số liệu cuối ngày")
    assert "chuyển lại để duyệt" not in first  # it was waiting already: nothing changes
    assert [a for a, _, _ in await actions(telegram.app)] == [
        "submitted",
        "approved",
        "revised",
        "revised",
    ]


async def test_bad_input_at_the_comment_step_keeps_the_form_and_stores_nothing(
    telegram: TelegramBot,
) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.250.000")
    await admin.say("/duyet")
    (hint,) = await admin.say("được rồi")  # at the list, words that pick nothing
    assert hint.startswith("Hãy bấm một nút dưới danh sách, hoặc gõ /huy để thoát.")
    await admin.press("Trả lại 1")
    (photo,) = await admin.send_photo()
    assert photo.startswith("Nhận xét cần là chữ: hãy gõ nội dung nhận xét")
    (symbols,) = await admin.say("?!")
    assert symbols.startswith("Cần có chữ hoặc số, không chỉ biểu tượng.\n\n↩️ Trả lại số liệu")
    (short,) = await admin.say("ok")
    assert short.startswith("Lý do cần có chữ, từ 3 đến 300 ký tự.\n\n↩️ Trả lại số liệu")
    (long,) = await admin.say("sai " * 100)
    assert long.startswith("Lý do dài 399 ký tự, tối đa 300. Hãy rút gọn.")
    assert await states(telegram.app) == [(1, "pending")]
    assert [label for label, _ in admin.last_buttons()] == ["⬅️ Quay lại danh sách"]
    (back,) = await admin.press("Quay lại danh sách")
    assert "Số liệu chờ duyệt: 1" in back
    await admin.press("Trả lại 1")
    (returned,) = await admin.say("Thiếu số của tháng 8")
    assert "Đã trả lại" in returned
    assert await states(telegram.app) == [(1, "returned")]
    assert (await actions(telegram.app))[-1] == ("returned", 1, "Thiếu số của tháng 8")


async def test_a_command_leaves_the_list_but_not_a_comment_half_typed(
    telegram: TelegramBot,
) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.250.000")
    (listing,) = await admin.say("/duyet")
    assert listing.startswith("🗂️ Số liệu chờ duyệt: 1, chờ lâu nhất trước\n\n1. Phường Sa Pa")
    (update,) = await admin.say("/thongbao")
    assert "nội dung" in update  # the list is left, the update's form opened
    await admin.say("/huy")
    await admin.say("/duyet")
    await admin.press("Trả lại 1")
    (hint,) = await admin.say("/thongbao")
    assert hint.startswith("Bạn đang nhập") and "\n\n↩️ Trả lại số liệu" in hint
    assert await states(telegram.app) == [(1, "pending")]


async def test_a_figure_corrected_while_the_admin_types_the_comment_is_not_returned(
    telegram: TelegramBot,
) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.250.000")
    await admin.say("/duyet")
    await admin.press("Trả lại 1")
    await report_arrivals(reporter, "1.260.000", "Tự phát hiện sai sót")
    (gone,) = await admin.say("Số liệu chưa khớp")
    assert gone.startswith("Số liệu này không còn chờ duyệt")
    assert "1.260.000 lượt" in gone  # the list again, with the correction
    assert await states(telegram.app) == [(2, "pending")]
    assert "returned" not in [a for a, _, _ in await actions(telegram.app)]


async def test_a_return_reaches_a_zalo_reporter_who_corrects_it_by_number(
    telegram: TelegramBot,
    app: App,
    zalo: FakeZalo,  # noqa: F811
    polling: object,  # noqa: F811
) -> None:
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app, "xa-y-ty"))
    admin = await member(telegram, "so-noi-vu", ADMIN, "admin")
    await chat.say("/baocao 2025-09 9")
    await chat.say("2,5 ty")
    await chat.say("bo qua")
    await chat.say("xac nhan")
    await admin.say("/duyet")
    await admin.press("Trả lại 1")
    await admin.say("Đề nghị ghi rõ số thu nội địa")
    await app.delivery.run_once()
    (notice,) = await chat.answer()
    assert notice.startswith("↩️ Số liệu cần sửa")
    assert "Nhận xét: Đề nghị ghi rõ số thu nội địa" in notice
    assert notice.endswith("\n\n1. ✏️ Sửa số liệu")
    (form,) = await chat.say("1")
    assert "Kỳ này đã báo cáo 2,5 tỷ đồng" in form and "Thu ngân sách" in form
    (reason,) = await chat.say("3 ty")
    assert "Vì sao sửa" in reason
    await chat.say("Bổ sung thu nội địa")
    await chat.say("bo qua")
    (receipt,) = await chat.say("xac nhan")
    assert "Số liệu sửa được chuyển lại để duyệt." in receipt
    assert await states(app) == [(2, "pending")]
    (listing,) = await admin.say("/duyet")
    assert "Xã Y Tý — Thu ngân sách" in listing and "3 tỷ đồng" in listing
    assert "Zalo" in listing


async def test_on_zalo_the_list_is_answered_by_its_keys(
    telegram: TelegramBot,
    app: App,
    zalo: FakeZalo,  # noqa: F811
    polling: object,  # noqa: F811
) -> None:
    reporter = await member(telegram, "phuong-sa-pa", REPORTER)
    await report_everything(telegram, "phuong-sa-pa", "2025-09")
    await report_arrivals(reporter, "1.250.000", "Số liệu chính thức")
    chat = Chat(zalo)  # an admin who uses Zalo
    async with app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "so-noi-vu"))
        assert unit is not None
        (code,) = await repo.create_invites(
            session, unit, "admin", 1, timedelta(days=1), app.clock.now()
        )
    await chat.say("/start " + display_code(code))
    (listing,) = await chat.say("/duyet")
    assert "\nD1. ✅ Duyệt 1\nT1. ↩️ Trả lại 1\n" in listing
    assert "\nD. ✅ Duyệt cả 4 số liệu trên\nX. ➡️ Xem các số liệu khác" in listing
    (approved,) = await chat.say("d1")
    assert approved.startswith("✅ Đã duyệt: Phường Sa Pa")
    (ask,) = await chat.say("tra lai 2")
    assert "Trả lại số liệu: Phường Sa Pa" in ask and "1. ⬅️ Quay lại danh sách" in ask


async def test_who_may_see_which_history(telegram: TelegramBot) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    viewer = await member(telegram, "so-tai-chinh", 7, "viewer")
    await report_arrivals(reporter, "1.250.000")
    (refused,) = await reporter.say("/lichsu xa y ty 9")
    assert refused == "Bạn chỉ xem được lịch sử số liệu của đơn vị mình (Phường Sa Pa)."
    (own,) = await reporter.say("/lichsu sa pa 8a")  # its own unit among the names that fit
    assert "Phường Sa Pa — Số lượt khách du lịch" in own
    (which,) = await admin.say("/lichsu sa pa 8a")
    assert which == "“sa pa 8a” khớp với nhiều đơn vị; chọn một:"
    assert [label for label, _ in admin.last_buttons()] == [
        "Công ty Cổ phần Dịch vụ Cáp treo Fansipan Sa Pa",
        "Phường Sa Pa",
    ]
    (history,) = await admin.press("Phường Sa Pa")
    assert "nộp 1.250.000 lượt — Cán bộ 1001, Telegram · chờ duyệt" in history
    (by_name,) = await viewer.say("/history phuong sa pa luot khach")
    assert by_name == history
    (empty,) = await viewer.say("/lichsu xa-y-ty ct 9")
    assert (
        empty
        == "Chưa có số liệu nào của Xã Y Tý cho Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9)."
    )
    (two,) = await admin.say("/lichsu phuong sa pa 8")
    assert two == "Chọn chỉ tiêu:" and len(admin.last_buttons()) == 2
    (unknown,) = await admin.say("/lichsu khong co gi")
    assert unknown.startswith("Không tìm thấy chỉ tiêu hay đơn vị nào trong “khong co gi”")
    (usage,) = await admin.say("/lichsu")
    assert usage.startswith("Gõ /lichsu, tên đơn vị và chỉ tiêu")
    (pick,) = await reporter.say("/lichsu")
    assert pick == "Xem lịch sử số liệu của chỉ tiêu nào?"
    (picked,) = await reporter.press("Số lượt khách du lịch")
    assert picked == own


async def test_a_long_history_fits_one_message_and_says_how_much_is_left(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    reporter, _ = await reporter_and_admin(telegram)
    await report_arrivals(reporter, "1.000.000")
    for n in range(1, 41):
        clock.advance(timedelta(minutes=1))
        await report_arrivals(reporter, f"1.000.{n:03d}", f"Lần cập nhật thứ {n} theo sổ theo dõi")
    (history,) = await reporter.say("/lichsu 8a")
    assert len(history) <= 4096
    newest, oldest = history.splitlines()[2], history.splitlines()[-1]
    assert "sửa lần 40 thành 1.000.040 lượt" in newest
    shown = len(history.splitlines()) - 3
    assert oldest == f"… và {41 - shown} thay đổi cũ hơn."
    await reporter.say("/baocao 2025-09 8a")
    again, question = await reporter.say("/lichsu 8a")  # answered inside a form, and …
    assert again == history and "Nhập số liệu tháng 9/2025" in question  # … its question after


def test_a_list_keyed_by_letters_is_answered_by_its_keys_on_text_channels() -> None:
    choices = [Choice("ok:1", "✅ Duyệt 1", "D1"), Choice("ret:1", "↩️ Trả lại 1", "T1")]
    choices.append(Choice("all", "✅ Duyệt cả 4 số liệu trên", "D"))
    assert match_choice("d1", choices) == choices[0]
    assert match_choice("T1", choices) == choices[1]
    assert match_choice("D", choices) == choices[2]
    assert match_choice("tra lai 1", choices) == choices[1]
    assert match_choice("1", choices) is None  # never a position where keys were shown
    assert match_choice("d1", choices, by_number=False) is None  # buttons show no keys


async def test_a_returned_figure_of_a_locked_period_is_reopened_for_the_fix(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    reporter, admin = await reporter_and_admin(telegram)
    await reporter.say("/baocao 2025-08 8a")
    await reporter.say("1.250.000")
    await reporter.press("Bỏ qua")
    await reporter.press("Xác nhận")
    clock.set(datetime(2025, 10, 10, 9, 0, tzinfo=LOCAL_ZONE))  # August locked on 05/10
    await admin.say("/duyet")
    await admin.press("Trả lại 1")
    await admin.say("Số của tháng 8 cần lấy theo báo cáo chính thức")
    await telegram.app.delivery.run_once()
    notice = received(reporter)[-1]
    assert "Kỳ này đã khóa nên được mở lại cho đơn vị đến hết ngày 17/10/2025 để sửa." in notice
    (form,) = await reporter.press("Sửa số liệu")
    assert "Nhập số liệu tháng 8/2025" in form


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database of its own, not migrated yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
        return
    server, _, _ = str(request.getfixturevalue("postgres_url")).rpartition("/")
    name = f"thidua_old_{uuid.uuid4().hex[:8]}"
    asyncio.run(_create_database(f"{server}/postgres", name))
    yield f"{server}/{name}"
    asyncio.run(_drop_database(f"{server}/postgres", name))


async def test_figures_stored_before_the_review_existed_wait_for_review(
    empty_database: str, clock: FakeClock
) -> None:
    engine = make_engine(empty_database)

    def before_review(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")

    async with engine.begin() as connection:
        await connection.run_sync(before_review)
    sessions = make_sessions(engine)
    async with sessions.begin() as session:
        await save_campaign(session, load_campaign(BUNDLED_CAMPAIGN), clock.now())
        # The tables of 0007 only: later migrations' own tables are not there yet.
        unit = Unit(code="phuong-sa-pa", kind="ward", name="Phường Sa Pa")
        person = Person(display_name="Cán bộ cũ", language="vi", created_at=clock.now())
        session.add_all([unit, person])
        await session.flush()
        unit_id = unit.id
        indicator_ids = list(await session.scalars(select(Indicator.id).limit(2)))
        for indicator_id, revisions in zip(indicator_ids, (2, 1), strict=True):
            for revision in range(1, revisions + 1):
                session.add(
                    Report(
                        indicator_id=indicator_id,
                        unit_id=unit_id,
                        period="2025-09",
                        revision=revision,
                        value=Decimal(revision),
                        reason="Sửa" if revision > 1 else None,
                        person_id=person.id,
                        channel="zalo",
                        created_at=clock.now(),
                    )
                )
    await migrate(engine)
    async with sessions() as session:
        assert await review.statuses(session) == {
            (unit_id, indicator_ids[0], "2025-09"): "pending",
            (unit_id, indicator_ids[1], "2025-09"): "pending",
        }
        assert [(item.revision, item.value) for item in await review.pending(session, 10)] == [
            (2, Decimal(2)),
            (1, Decimal(1)),
        ]
        steps = await review.history(session, unit_id, indicator_ids[0])
        assert [(s.action, s.revision, s.comment, s.status) for s in steps] == [
            ("revised", 2, "Sửa", "pending"),
            ("submitted", 1, None, "replaced"),
        ]
    await engine.dispose()
