"""Periods and deadlines in the conversations: which period, late figures, locked and reopened
periods, /han; and the owed read model. Through the real Dispatcher, on SQLite and PostgreSQL,
with the fake clock moved across deadlines and locks."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from bot.settings import LOCAL_ZONE
from domain.clock import FakeClock
from domain.periods import find_period
from storage import owed, repo
from storage.models import Identity, Report, Unit
from tests.conftest import TelegramBot
from tests.recording import TelegramChat


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_ZONE)


async def stored(telegram: TelegramBot) -> list[tuple[str, int, Decimal]]:
    async with telegram.app.sessions() as session:
        rows = await session.execute(
            select(Report.period, Report.revision, Report.value).order_by(Report.id)
        )
        return [(period, revision, value) for period, revision, value in rows]


async def report_everything(telegram: TelegramBot, unit_code: str, period: str) -> None:
    """Every indicator of the unit reported for the period, as the first joined member."""
    app = telegram.app
    catalog = app.conversations.catalog
    assert catalog is not None
    async with app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
        person_id = await session.scalar(select(Identity.person_id).limit(1))
        assert unit is not None and person_id is not None
        for indicator in catalog.assigned(unit.code, unit.kind):
            await repo.add_report(
                session,
                revision=1,
                indicator_id=catalog.indicator_ids[indicator.code],
                unit_id=unit.id,
                period=period,
                value=Decimal(1),
                note=None,
                reason=None,
                evidence=None,
                person_id=person_id,
                channel="telegram",
                created_at=app.clock.now(),
            )


async def store_figure(chat: TelegramChat, figure: str = "1.250.000") -> str:
    """At the indicator list: tourist arrivals, the figure, no note, confirm; the receipt."""
    await chat.press("lượt khách")
    await chat.say(figure)
    await chat.press("Bỏ qua")
    return (await chat.press("Xác nhận"))[0]


async def test_the_oldest_owed_period_is_offered_first_and_its_figure_is_late(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (question,) = await chat.say("/baocao")  # 03/10: August is 28 days late, September due 05/10
    assert "Tháng 8/2025 – hạn 05/09/2025, quá hạn 28 ngày: thiếu 13/13 chỉ tiêu" in question
    labels = [label for label, _ in chat.last_buttons()]
    assert labels == ["Tháng 8/2025 (quá hạn 28 ngày)", "Tháng 9/2025 (còn 2 ngày)"]
    (pick,) = await chat.press("Tháng 8/2025")
    assert "Báo cáo tháng 8/2025 (hạn 05/09/2025)" in pick
    receipt = await store_figure(chat)
    assert "tháng 8/2025 (nộp muộn 28 ngày)" in receipt
    assert await stored(telegram) == [("2025-08", 1, Decimal(1250000))]


async def test_a_figure_by_the_deadline_is_not_marked_and_a_revision_never_is(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    assert "nộp muộn" not in await store_figure(chat)
    clock.set(at(date(2025, 10, 8)))
    await chat.say("/baocao 2025-09")
    await chat.press("lượt khách")
    await chat.say("1.300.000")
    await chat.say("Số liệu của Sở Văn hóa")  # the reason for the correction
    await chat.press("Bỏ qua")
    (receipt,) = await chat.press("Xác nhận")
    assert "(bản sửa lần 1)" in receipt and "nộp muộn" not in receipt
    assert [row[:2] for row in await stored(telegram)] == [("2025-09", 1), ("2025-09", 2)]


async def test_a_first_figure_after_the_deadline_says_how_late(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    clock.set(at(date(2025, 10, 8)))  # September was due 05/10; August locked
    await report_everything(telegram, "phuong-sa-pa", "2025-10")  # nothing else owed
    (pick,) = await chat.say("/baocao")
    assert "Chọn chỉ tiêu" not in pick  # September is owed: which period first
    await chat.press("Tháng 9/2025")
    assert "tháng 9/2025 (nộp muộn 3 ngày)" in await store_figure(chat)


async def test_nothing_owed_before_today_s_period_asks_no_question(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_everything(telegram, "phuong-sa-pa", "2025-08")
    (pick,) = await chat.say("/baocao")
    assert "Báo cáo tháng 9/2025 (hạn 05/10/2025)" in pick


async def test_an_indicator_argument_still_opens_it_for_today_s_period(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("so-tai-chinh")
    (ask,) = await chat.say("/baocao 9")  # August owed, but the official named an indicator
    assert "Thu ngân sách" in ask and "tháng 9/2025" in ask
    await chat.say("/huy")
    (ask,) = await chat.say("/baocao 2025-08 9")  # a period and an indicator
    assert "Thu ngân sách" in ask and "tháng 8/2025" in ask


async def test_a_wrong_answer_to_the_period_question_asks_it_again(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao")
    replies = await chat.say("tháng mười")
    assert "Hãy chọn một kỳ trong danh sách." in replies[0]
    assert "Bạn muốn báo cáo cho kỳ nào?" in replies[-1]
    (pick,) = await chat.press("Tháng 9/2025")
    assert "Báo cáo tháng 9/2025" in pick


async def test_a_locked_period_is_closed_with_a_clear_message_until_reopened(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    clock.set(at(date(2025, 11, 5)))  # September locked at the end of 04/11
    (reply,) = await chat.say("/baocao 2025-09")
    assert "Kỳ tháng 9/2025 đã khóa sổ từ hết ngày 04/11/2025" in reply
    assert "liên hệ Sở Nội vụ" in reply
    (reply,) = await chat.say("/baocao 2025-07")
    assert "không có kỳ báo cáo 2025-07" in reply
    (reply,) = await chat.say("/baocao 2025-12")
    assert "chưa đến lúc nhận báo cáo" in reply
    catalog = telegram.app.conversations.catalog
    assert catalog is not None
    async with telegram.app.writing() as session:
        unit = await session.scalar(select(Unit).where(Unit.code == "phuong-sa-pa"))
        assert unit is not None
        await owed.reopen(session, unit.id, "2025-09", date(2025, 11, 7), clock.now())
    await chat.say("/baocao 2025-09")
    assert "tháng 9/2025 (nộp muộn 31 ngày)" in await store_figure(chat)
    clock.set(at(date(2025, 11, 8)))
    (reply,) = await chat.say("/baocao 2025-09")
    assert "đã khóa sổ" in reply
    assert [row[0] for row in await stored(telegram)] == ["2025-09"]


async def test_a_form_confirmed_after_the_lock_stores_nothing(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    clock.set(at(date(2025, 10, 5), 23))
    await chat.say("/baocao 2025-08")  # August locks at the end of 05/10
    await chat.press("lượt khách")
    await chat.say("1.250.000")
    await chat.press("Bỏ qua")
    clock.advance(timedelta(hours=1, minutes=5))
    replies = await chat.press("Xác nhận")
    assert "Kỳ tháng 8/2025 đã khóa sổ" in replies[0]
    assert await stored(telegram) == []


async def test_due_lists_what_is_owed_and_starts_the_form_on_the_first_missing_item(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    (reply,) = await chat.say("/han")
    assert reply.startswith("Phường Sa Pa còn thiếu số liệu:")
    assert "Tháng 8/2025 – hạn 05/09/2025, quá hạn 28 ngày: thiếu 13/13 chỉ tiêu" in reply
    assert "Tháng 9/2025 – hạn 05/10/2025, còn 2 ngày: thiếu 13/13 chỉ tiêu" in reply
    assert reply.index("Tháng 8/2025") < reply.index("Tháng 9/2025")
    (ask,) = await chat.press("Báo cáo ngay")
    assert "Nhập số liệu" in ask and "tháng 8/2025" in ask
    assert "(chỉ tiêu 8a)" in ask  # the first of the ward's indicators


async def test_due_inside_a_form_answers_and_the_form_keeps_its_question(
    telegram: TelegramBot,
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    await chat.press("lượt khách")
    replies = await chat.say("/han")
    assert replies[0].startswith("Phường Sa Pa còn thiếu số liệu:")
    assert "Nhập số liệu" in replies[-1]
    (note,) = await chat.say("1.250.000")  # the form took the figure where it was
    assert "ghi chú" in note.lower()


async def test_due_says_when_everything_is_reported(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await report_everything(telegram, "phuong-sa-pa", "2025-08")
    await report_everything(telegram, "phuong-sa-pa", "2025-09")
    (reply,) = await chat.say("/due")
    assert reply.startswith(
        "✅ Phường Sa Pa đã báo cáo đủ các chỉ tiêu của tháng 8/2025, tháng 9/2025"
    )
    # Only the unit's deliverable, not handed in yet, is left to do.
    assert [label for label, _ in chat.last_buttons()] == [
        "📎 Nộp Kế hoạch triển khai phong trào thi đua"
    ]


async def test_due_on_the_deadline_day(telegram: TelegramBot, clock: FakeClock) -> None:
    chat = await telegram.member("phuong-sa-pa")
    clock.set(at(date(2025, 10, 5), 20))
    (reply,) = await chat.say("/han")
    assert "Tháng 9/2025 – hạn 05/10/2025, hạn hôm nay" in reply


async def test_owed_for_all_units_agrees_with_owed_for_each(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/baocao 2025-09")
    await store_figure(chat)
    await report_everything(telegram, "xa-y-ty", "2025-09")
    app = telegram.app
    catalog = app.conversations.catalog
    assert catalog is not None
    september = find_period("2025-09", catalog.campaign)
    assert september is not None
    async with app.sessions() as session:
        every = await owed.owed(session, catalog, [september])
        units = {item.unit.code: item for item in every}
        assert "xa-y-ty" not in units
        sa_pa = units["phuong-sa-pa"]
        assert (len(sa_pa.missing), sa_pa.assigned) == (12, 13)
        assert "tourist_arrivals" not in [i.code for i in sa_pa.missing]
        (alone,) = await owed.owed(session, catalog, [september], [sa_pa.unit.id])
        assert alone == sa_pa
        first = await owed.first_submissions(session, [september], [sa_pa.unit.id])
        (moment,) = first.values()
        assert moment == app.clock.now()
        late = await owed.late(session, catalog, [september], app.clock.now())
        assert late == []  # not yet due
        late = await owed.late(session, catalog, [september], at(date(2025, 10, 6)))
        groups = owed.by_group(late)
        assert sum(len(group.owed) for group in groups) == len(every)
        names = [group.name for group in groups]
        assert "Cụm các phường" in names and names == sorted(names, key=lambda n: (n is None, n))
        assert sum(g.owed.count(sa_pa) for g in groups if g.name == "Cụm các phường") == 1


async def test_the_reminder_s_report_now_on_a_period_now_closed_is_answered(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = await telegram.member("phuong-sa-pa")
    await chat.say("/han")
    clock.advance(timedelta(days=3))  # 06/10: August locked
    (reply,) = await chat.press("Báo cáo ngay")  # it named August
    assert "Kỳ tháng 8/2025 đã khóa sổ" in reply
