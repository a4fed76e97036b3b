"""Joining by invite: codes, mistakes, limits, and what strangers are told."""

from datetime import timedelta

from sqlalchemy import func, select

from domain.clock import FakeClock
from storage.models import Identity
from tests.conftest import TelegramBot


async def test_a_stranger_is_told_what_the_bot_is_and_how_to_join(telegram: TelegramBot) -> None:
    (reply,) = await telegram.user().say("xin chào")
    assert "trợ lý báo cáo" in reply and "gửi mã vào đây" in reply and "mã mời" in reply


async def test_a_stranger_writing_in_english_gets_english(telegram: TelegramBot) -> None:
    (reply,) = await telegram.user(language="en").say("hello")
    assert "invite code" in reply


async def test_an_invite_code_joins_the_unit_and_toi_shows_it(telegram: TelegramBot) -> None:
    chat = telegram.user()
    replies = await chat.say("/start " + await telegram.invite("xa-y-ty"))
    assert "cán bộ báo cáo của Xã Y Tý" in replies[0]
    (details,) = await chat.say("/toi")
    assert "Đơn vị: Xã Y Tý" in details
    assert "Vai trò: cán bộ báo cáo" in details
    assert "Cụm thi đua: Cụm các xã Bát Xát" in details
    (same,) = await chat.say("/me")
    assert same.split("\n\n")[0] == details.split("\n\n")[0]  # each shows a fresh link code


async def test_the_code_alone_typed_loosely_also_joins(telegram: TelegramBot) -> None:
    code = await telegram.invite("so-tai-chinh", role="head")
    replies = await telegram.user().say("  " + code.lower().replace("-", " ") + " ")
    assert "lãnh đạo đơn vị của Sở Tài chính" in replies[0]


async def test_an_invite_works_once(telegram: TelegramBot) -> None:
    code = await telegram.invite()
    await telegram.user(1).say("/start " + code)
    (reply,) = await telegram.user(2).say("/start " + code)
    assert "đã được dùng" in reply
    async with telegram.app.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Identity)) == 1


async def test_an_expired_invite_is_refused(telegram: TelegramBot, clock: FakeClock) -> None:
    code = await telegram.invite()
    clock.advance(timedelta(days=15))
    (reply,) = await telegram.user().say("/start " + code)
    assert "đã hết hạn" in reply


async def test_five_wrong_codes_make_the_user_wait_ten_minutes(
    telegram: TelegramBot, clock: FakeClock
) -> None:
    chat = telegram.user()
    for _ in range(5):
        (reply,) = await chat.say("/start AAAA-BBBB")
        assert "không đúng" in reply
    good = await telegram.invite()
    (reply,) = await chat.say("/start " + good)
    assert "chờ 10 phút" in reply
    clock.advance(timedelta(minutes=11))
    replies = await chat.say("/start " + good)
    assert "Chào mừng" in replies[0]


async def test_the_start_button_alone_or_a_word_is_no_wrong_code(telegram: TelegramBot) -> None:
    chat = telegram.user()
    for text in ["/start", "testtest", "xin chào", "/start", "abcdefgh", "/start"]:
        (reply,) = await chat.say(text)
        assert "trợ lý báo cáo" in reply  # the intro, not "wrong code"
    replies = await chat.say("/start " + await telegram.invite())
    assert "Chào mừng" in replies[0]  # six tries above did not lock the user out


async def test_start_again_after_joining_says_so(telegram: TelegramBot) -> None:
    chat = await telegram.member("phuong-sa-pa")
    replies = await chat.say("/start")
    assert "đã tham gia rồi" in replies[0] and "Phường Sa Pa" in replies[0]


async def test_a_link_code_does_not_join_a_second_account_in_the_same_app(
    telegram: TelegramBot,
) -> None:
    owner = await telegram.member("xa-y-ty", user_id=10)
    (details,) = await owner.say("/toi")
    code = details.split("Gửi mã ")[1].split(" ")[0]
    (reply,) = await telegram.user(11).say(code)
    assert "ứng dụng khác" in reply
