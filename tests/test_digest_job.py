"""The weekly digests and the monthly summary on a fake clock, through the real Dispatcher and
the delivery engine, on SQLite and PostgreSQL: who gets which, with what, when, and only once."""

from datetime import datetime

from sqlalchemy import func, select

from bot.app import App
from domain.campaign import load_campaign
from domain.clock import FakeClock
from domain.reminders import digest_occasions
from schedules.digests import run_digests
from schedules.runner import JOBS
from storage.models import Outbox
from tests.conftest import TelegramBot
from tests.fake_zalo import FakeZalo
from tests.recording import TelegramChat
from tests.test_campaign_file import BUNDLED_PATH
from tests.test_reminder_job import local
from tests.test_standings_conversation import ON_TIME, sa_pa_with_figures, store
from tests.test_zalo_channel import (  # noqa: F401  (fixtures)
    Chat,
    channel,
    invite,
    polling,
    zalo,
)

SA_PA, SA_PA_HEAD, Y_TY, VIEWER, ADMIN = 1001, 1002, 1003, 1004, 1005


async def run(telegram: TelegramBot, clock: FakeClock, day: str, at: str) -> dict[int, str]:
    """Run the job at that moment (Vietnam time, 2025) and send what it queued: each chat's text."""
    clock.set(local(day, at))
    before = len(telegram.session.requests)
    await run_digests(telegram.app, clock.now())
    await telegram.app.delivery.run_once()
    sent: dict[int, str] = {}
    for request in telegram.session.requests[before:]:
        chat_id = int(getattr(request, "chat_id", 0))
        assert chat_id not in sent, "one digest per person"
        sent[chat_id] = getattr(request, "text", "")
    return sent


async def members(telegram: TelegramBot) -> dict[int, TelegramChat]:
    chats = {
        SA_PA: await telegram.member("phuong-sa-pa", SA_PA),
        SA_PA_HEAD: await telegram.member("phuong-sa-pa", SA_PA_HEAD, role="head"),
        Y_TY: await telegram.member("xa-y-ty", Y_TY, language="en"),
        VIEWER: await telegram.member("so-noi-vu", VIEWER, role="viewer"),
        ADMIN: await telegram.member("so-noi-vu", ADMIN, role="admin"),
    }
    await telegram.app.delivery.drain()
    return chats


async def outbox_count(app: App) -> int:
    async with app.writing() as session:
        return int(await session.scalar(select(func.count()).select_from(Outbox)) or 0)


def test_the_digests_are_a_scheduled_job() -> None:
    assert JOBS["digests"].run is run_digests


def test_digests_go_on_mondays_and_after_the_deadline_shifted_off_holidays() -> None:
    campaign = load_campaign(BUNDLED_PATH)
    after, until = local("01/08", "00:00"), datetime.fromisoformat("2026-02-01T00:00+07:00")
    weekly = digest_occasions("weekly", campaign, after, until)
    assert [f"{o.moment:%d/%m %H:%M}" for o in weekly[:6]] == [
        "04/08 08:00", "11/08 08:00", "18/08 08:00", "25/08 08:00",
        "03/09 08:00",  # Monday 01/09 and Tuesday 02/09 are Quốc khánh
        "08/09 08:00",
    ]  # fmt: skip
    assert weekly[4].scope == "2025-W36"  # the key keeps the planned week
    assert f"{weekly[-1].moment:%d/%m/%Y}" == "05/01/2026"  # December's figures are due that day
    monthly = digest_occasions("monthly", campaign, after, until)
    assert [f"{o.moment:%d/%m/%Y}" for o in monthly] == [
        "06/08/2025", "08/09/2025", "06/10/2025", "06/11/2025",
        "08/12/2025",  # Saturday 06/12 goes on Monday
        "06/01/2026",
    ]  # fmt: skip
    assert [o.scope for o in monthly][:2] == ["2025-08", "2025-09"]


async def test_monday_digest_to_each_focal_point_once(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("26/09", "10:00"))
    chats = await members(telegram)
    await sa_pa_with_figures(telegram)

    assert await run(telegram, clock, "29/09", "07:59") == {}
    sent = await run(telegram, clock, "29/09", "08:00")
    assert set(sent) == {SA_PA, SA_PA_HEAD, Y_TY}  # not the viewer; admins get the monthly one
    digest = sent[SA_PA]
    assert digest == sent[SA_PA_HEAD]
    assert digest.startswith("📬 Bản tin thi đua hằng tuần, ngày 29/09/2025\n\n🏆 Phường Sa Pa\n")
    assert "So với tháng 8/2025: +3,64 điểm, hạng 1 → 1." in digest
    assert "• tháng 8/2025 (hạn 05/09/2025): chỉ tiêu 8a, 8b, 16a, 16b, 17, 18" in digest
    assert [label for label, _ in chats[SA_PA].last_buttons()] == [
        "Báo cáo ngay",
        "🏆 Xếp hạng của đơn vị",
    ]
    standing, _chart = await chats[SA_PA].say("/xephang")
    assert standing.split("\n\n")[0] in digest  # /xephang's head, word for word
    english = sent[Y_TY]
    assert english.startswith("📬 Weekly campaign digest, 29/09/2025\n\n🏆 Xã Y Tý\n")
    assert "Still missing:" in english

    queued = await outbox_count(telegram.app)
    assert await run(telegram, clock, "29/09", "08:01") == {}  # the job runs every minute
    assert await run(telegram, clock, "30/09", "07:30") == {}
    assert await outbox_count(telegram.app) == queued


async def test_a_unit_that_reported_everything_gets_no_report_button(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("26/09", "10:00"))
    chat = await telegram.member("so-tai-chinh", SA_PA)
    await telegram.app.delivery.drain()
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    for indicator in catalog.assigned("so-tai-chinh", "department"):
        await store(telegram, "so-tai-chinh", indicator.code, "2025-08", "1", ON_TIME)
    sent = await run(telegram, clock, "29/09", "08:00")
    assert "Đơn vị đã báo cáo đủ các kỳ đã đến hạn. 👍" in sent[SA_PA]
    assert [label for label, _ in chat.last_buttons()] == ["🏆 Xếp hạng của đơn vị"]


async def test_nothing_at_night_and_nothing_a_day_late(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    clock.set(local("26/09", "10:00"))
    await members(telegram)
    assert await run(telegram, clock, "29/09", "22:00") == {}  # the bot was down until 22:00
    assert await run(telegram, clock, "30/09", "06:59") == {}  # quiet hours still
    assert set(await run(telegram, clock, "30/09", "07:00")) == {SA_PA, SA_PA_HEAD, Y_TY}
    # Down from Sunday to Tuesday 08:01: Monday's digest is more than a day old, skipped.
    assert await run(telegram, clock, "07/10", "08:01") == {}


async def test_admins_get_the_monthly_summary(telegram: TelegramBot, clock: FakeClock) -> None:
    clock.set(local("26/09", "10:00"))
    chats = await members(telegram)
    await sa_pa_with_figures(telegram)
    sent = await run(telegram, clock, "06/10", "08:00")  # a Monday: both digests
    assert set(sent) == {SA_PA, SA_PA_HEAD, Y_TY, ADMIN}
    summary = sent[ADMIN]
    lines = summary.splitlines()
    assert lines[0] == "📊 Tổng hợp thi đua hằng tháng, ngày 06/10/2025 (số liệu đến tháng 10/2025)"
    assert lines[2].startswith("Toàn tỉnh: Báo cáo đầy đủ 0,1%, đúng hạn 0,1% (4/3.292 số liệu")
    assert lines[5].startswith("• Khối ")  # blocks first, then clusters
    assert "Theo khối, cụm thi đua:" in lines
    assert any(
        line.startswith("• Cụm các phường: Báo cáo đầy đủ 1,5%, đúng hạn 1,5% (4/260 ")
        for line in lines
    )
    top = lines.index("Dẫn đầu toàn tỉnh:")
    assert lines[top + 1].startswith("1. Phường Sa Pa — ")
    assert "Cuối bảng:" in lines
    assert lines[-1] == "Số liệu chờ duyệt: 4 (/duyet)."  # Phường Sa Pa's four figures
    assert [label for label, _ in chats[ADMIN].last_buttons()] == ["🗂️ Duyệt số liệu (4 chờ duyệt)"]
    (review, *_) = await chats[ADMIN].press("Duyệt số liệu")
    assert "Phường Sa Pa" in review
    assert "Tổng hợp" not in sent[SA_PA]
    assert await run(telegram, clock, "06/10", "09:00") == {}


async def test_a_digest_on_zalo_is_numbered_and_its_numbers_work(
    app: App,
    zalo: FakeZalo,  # noqa: F811
    polling: object,  # noqa: F811
    clock: FakeClock,
) -> None:
    clock.set(local("26/09", "10:00"))
    chat = Chat(zalo)
    await chat.say("/start " + await invite(app, "xa-y-ty"))
    clock.set(local("29/09", "08:00"))
    assert await run_digests(app, clock.now()) == 1
    await app.delivery.run_once()
    (digest,) = await chat.answer()
    assert digest.startswith("📬 Bản tin thi đua hằng tuần, ngày 29/09/2025\n\n🏆 Xã Y Tý\n")
    assert digest.endswith("1. Báo cáo ngay\n2. 🏆 Xếp hạng của đơn vị")
    (form,) = await chat.say("1")
    assert "Bạn muốn báo cáo cho kỳ nào?" in form and "1. Tháng 8/2025 (quá hạn 24 ngày)" in form
