"""A bare aiogram echo bot, the yardstick of bench/e2e_bench.py: every text message is
answered with its own text, through aiogram's own long polling, logging as aiogram's examples
do (INFO). Its own process, so that its CPU and memory can be compared with the bot's.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_URL=http://127.0.0.1:8081 .venv/bin/python -m bench.echo_bot
"""

import asyncio
import logging
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def main() -> None:
    logging.basicConfig(level=logging.INFO)
    api = TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"], session=AiohttpSession(api=api))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    await dispatcher.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())
