"""The Bot API emulator, driven by a real aiogram Bot over HTTP."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from tests.botapi_emulator import PIXEL_PNG, BotApiEmulator, UploadedFile

TOKEN = "123456:TEST-token"
USER = 4242

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="Có", callback_data="yes"),
            InlineKeyboardButton(text="Không", callback_data="no"),
        ]
    ]
)
KEYBOARD_JSON = KEYBOARD.model_dump(exclude_none=True)


def as_json(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """Compare markups by content (objects aiogram received also carry the bot)."""
    return None if markup is None else markup.model_dump(exclude_none=True)


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(TOKEN) as server:
        yield server


class PlainHttpSession(AiohttpSession):
    """aiogram's session without the 250 ms pause it makes on close for TLS connections."""

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


def make_bot(emulator: BotApiEmulator, token: str = TOKEN) -> Bot:
    session = PlainHttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    return Bot(token, session=session)


@pytest.fixture
async def bot(emulator: BotApiEmulator) -> AsyncIterator[Bot]:
    async with make_bot(emulator) as bot:
        yield bot


async def test_get_me_and_wrong_token(emulator: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username) == (123456, True, "thidua_test_bot")

    async with make_bot(emulator, "999:WRONG-secret") as intruder:
        with pytest.raises(TelegramUnauthorizedError) as caught:
            await intruder.get_me()
    assert "WRONG-secret" not in str(caught.value)
    assert [name for name, _ in emulator.calls] == ["getMe"]


async def test_send_and_edit_message(emulator: BotApiEmulator, bot: Bot) -> None:
    first = await bot.send_message(USER, "Báo cáo hôm nay?", reply_markup=KEYBOARD)
    second = await bot.send_message(USER, "Nhắc lại")
    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.type == "private" and first.chat.id == USER
    assert first.from_user is not None and first.from_user.is_bot
    assert as_json(first.reply_markup) == KEYBOARD_JSON
    assert second.reply_markup is None

    edited = await bot.edit_message_text(
        "Đã nhận", chat_id=USER, message_id=first.message_id, reply_markup=KEYBOARD
    )
    assert isinstance(edited, Message)
    assert edited.text == "Đã nhận" and as_json(edited.reply_markup) == KEYBOARD_JSON
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Đã nhận", chat_id=USER, message_id=first.message_id, reply_markup=KEYBOARD
        )
    # Without reply_markup the keyboard goes away, as with the real server.
    edited = await bot.edit_message_text("Xong", chat_id=USER, message_id=first.message_id)
    assert isinstance(edited, Message) and edited.reply_markup is None
    edited = await bot.edit_message_reply_markup(
        chat_id=USER, message_id=second.message_id, reply_markup=KEYBOARD
    )
    assert isinstance(edited, Message) and as_json(edited.reply_markup) == KEYBOARD_JSON
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("?", chat_id=USER, message_id=99)

    assert [
        (r["method"], r["message_id"], r["text"], r["reply_markup"]) for r in emulator.sent()
    ] == [
        ("sendMessage", 1, "Báo cáo hôm nay?", KEYBOARD_JSON),
        ("sendMessage", 2, "Nhắc lại", None),
        ("editMessageText", 1, "Đã nhận", KEYBOARD_JSON),
        ("editMessageText", 1, "Xong", None),
        ("editMessageReplyMarkup", 2, "Nhắc lại", KEYBOARD_JSON),
    ]
    assert emulator.sent(USER + 1) == []


async def test_html_parse_mode_and_limits(emulator: BotApiEmulator, bot: Bot) -> None:
    message = await bot.send_message(USER, "<b>Xã A</b>: 5 &lt; 7", parse_mode="HTML")
    assert message.text == "Xã A: 5 < 7"
    assert message.entities is not None
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 4)]
    assert emulator.sent(USER)[0]["text"] == "<b>Xã A</b>: 5 &lt; 7"

    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "anh"'):
        await bot.send_message(USER, "Chào <Anh>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Can't find end tag"):
        await bot.send_message(USER, "<b>đậm", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "x" * 4097)
    too_long_data = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="d" * 65)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "x", reply_markup=too_long_data)
    assert len(emulator.sent()) == 1


async def test_get_updates_offset_and_long_polling(emulator: BotApiEmulator, bot: Bot) -> None:
    first = emulator.push_message(USER, "/start@thidua_test_bot now", first_name="Lan")
    second = emulator.push_message(USER, "12 hộ")

    updates = await bot.get_updates()
    assert [u.update_id for u in updates] == [first, second]
    start = updates[0].message
    assert start is not None and start.from_user is not None
    assert (start.from_user.first_name, start.from_user.language_code) == ("Lan", "vi")
    assert start.entities is not None
    assert [(e.type, e.offset, e.length) for e in start.entities] == [("bot_command", 0, 22)]
    assert updates[1].message is not None and updates[1].message.message_id == 2

    # Unconfirmed updates come again; an offset confirms the ones before it.
    assert len(await bot.get_updates(limit=1)) == 1
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == []

    poll = asyncio.create_task(bot.get_updates(offset=second + 1, timeout=5))
    await asyncio.sleep(0.05)
    third = emulator.push_message(USER, "thêm")
    async with asyncio.timeout(1):
        assert [u.update_id for u in await poll] == [third]


async def test_concurrent_poll_gets_conflict(emulator: BotApiEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError):
        await first
    update_id = emulator.push_message(USER, "hi")
    assert [u.update_id for u in await second] == [update_id]


async def test_callback_query(emulator: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Chọn", reply_markup=KEYBOARD)
    update_id = emulator.push_callback(USER, sent.message_id, "yes")
    [update] = await bot.get_updates(allowed_updates=["callback_query"])
    query = update.callback_query
    assert update.update_id == update_id and query is not None
    assert query.data == "yes" and query.from_user.id == USER
    assert isinstance(query.message, Message)
    assert query.message.message_id == sent.message_id
    assert as_json(query.message.reply_markup) == KEYBOARD_JSON

    assert await bot.answer_callback_query(query.id, text="OK") is True
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(ValueError, match="no message 99"):
        emulator.push_callback(USER, 99, "yes")

    # Update types outside allowed_updates are not delivered.
    emulator.push_message(USER, "ignored")
    assert await bot.get_updates(offset=update_id + 1) == []


async def test_retry_after_and_other_failures(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    emulator.fail_next("sendmessage", 400, "Bad Request: chat not found")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(USER, "một")
    assert caught.value.retry_after == 3
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(USER, "một")
    await bot.send_message(USER, "một")
    assert [name for name, _ in emulator.calls] == ["sendMessage"] * 3
    assert emulator.calls[0][1]["chat_id"] == USER
    assert len(emulator.sent(USER)) == 1


async def test_photos_and_files(emulator: BotApiEmulator, bot: Bot) -> None:
    emulator.push_photo(USER, "Ảnh hiện trường")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.photo is not None
    assert update.message.caption == "Ảnh hiện trường"
    file = await bot.get_file(update.message.photo[-1].file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == PIXEL_PNG

    upload = BufferedInputFile(b"col1;col2\n", filename="bao-cao.csv")
    document = await bot.send_document(USER, upload, caption="Báo cáo")
    assert document.document is not None
    assert (document.document.file_name, document.document.file_size) == ("bao-cao.csv", 10)
    photo = await bot.send_photo(USER, update.message.photo[-1].file_id)
    assert photo.photo is not None and photo.photo[-1].file_id == file.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(USER, "no-such-file")

    records = emulator.sent(USER)
    uploaded = records[0]["file"]
    assert isinstance(uploaded, UploadedFile)
    assert (uploaded.filename, uploaded.data) == ("bao-cao.csv", b"col1;col2\n")
    assert (records[0]["method"], records[0]["text"]) == ("sendDocument", "Báo cáo")
    assert (records[1]["method"], records[1]["file"]) == ("sendPhoto", file.file_id)


async def test_service_methods(emulator: BotApiEmulator, bot: Bot) -> None:
    commands = [BotCommand(command="baocao", description="Báo cáo số liệu")]
    assert await bot.set_my_commands(commands)
    assert [c.model_dump() for c in await bot.get_my_commands()] == [
        c.model_dump() for c in commands
    ]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == []
    assert await bot.send_chat_action(USER, "typing")

    emulator.push_message(USER, "trước khi khởi động")
    assert (await bot.get_webhook_info()).pending_update_count == 1
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == []


async def test_raw_http(emulator: BotApiEmulator) -> None:
    base = f"{emulator.base_url}/bot{TOKEN}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/sendMessage", json={"chat_id": USER, "text": "json"}) as r:
            body = await r.json()
        assert body["ok"] is True and body["result"]["text"] == "json"
        async with http.get(f"{base}/GETME") as r:
            assert (await r.json())["result"]["username"] == "thidua_test_bot"
        async with http.post(f"{base}/sendMessage", data={"chat_id": "@x", "text": "a"}) as r:
            assert r.status == 400
            assert (await r.json())["description"] == "Bad Request: chat not found"
        async with http.post(f"{base}/noSuchMethod") as r:
            assert r.status == 404
            assert await r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_waits_report_what_happened(emulator: BotApiEmulator, bot: Bot) -> None:
    await bot.send_message(USER, "một")
    with pytest.raises(AssertionError, match=r"expected 2 messages .* got 1: .*'một'"):
        await emulator.wait_for_sent(USER, 2, timeout=0.05)
    with pytest.raises(AssertionError, match=r"sendPhoto calls .* were: \['sendMessage'\]"):
        await emulator.wait_for_call("sendPhoto", timeout=0.05)


async def test_dispatcher_polling(emulator: BotApiEmulator, bot: Bot) -> None:
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}", reply_markup=KEYBOARD)

    @dp.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer()
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"{query.message.text} → {query.data}")

    polling = asyncio.create_task(dp.start_polling(bot, polling_timeout=1, handle_signals=False))
    try:
        [poll] = await emulator.wait_for_call("getUpdates", timeout=5)
        assert sorted(poll["allowed_updates"]) == ["callback_query", "message"]
        emulator.push_message(USER, "xin chào")
        [reply] = await emulator.wait_for_sent(USER, 1, timeout=5)
        assert (reply["text"], reply["method"]) == ("echo: xin chào", "sendMessage")

        emulator.push_callback(USER, reply["message_id"], "no")
        edit = (await emulator.wait_for_sent(USER, 2, timeout=5))[1]
        assert (edit["method"], edit["text"]) == ("editMessageText", "echo: xin chào → no")
        assert "answerCallbackQuery" in [name for name, _ in emulator.calls]
    finally:
        await dp.stop_polling()
        await polling


async def test_standalone_server() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.botapi_emulator",
        "--port",
        "0",
        "--token",
        TOKEN,
        cwd=Path(__file__).resolve().parent.parent,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        async with asyncio.timeout(10):
            banner = (await process.stdout.readline()).decode()
            base_url = banner.rsplit(" ", 1)[-1].strip()
            process.stdin.write(b"msg 7 /start\n")
            await process.stdin.drain()
            assert (await process.stdout.readline()).decode().strip() == "queued update 1"
            async with aiohttp.ClientSession() as http:
                url = f"{base_url}/bot{TOKEN}/getUpdates"
                async with http.post(url, data={"timeout": "5"}) as response:
                    [update] = (await response.json())["result"]
            assert update["message"]["text"] == "/start"
            process.send_signal(signal.SIGINT)
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
