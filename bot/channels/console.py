"""The local console chat: the same conversations, choices as a numbered list answered by typing."""

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.channels.render import merged, numbered
from handlers.dispatch import Conversations
from handlers.types import Inbound

CHANNEL = "console"
DEMO_USER = "demo"
SCREEN_LIMIT = 4096


async def chat(
    conversations: Conversations,
    banner: str,
    read_line: Callable[[], str] = input,
    out: TextIO = sys.stdout,
) -> None:
    """Read lines until end of input or /thoat, printing the bot's replies."""
    print(banner, file=out)
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            break
        if line.strip().lower() in ("/thoat", "/quit", "/exit"):
            break
        event = Inbound(channel=CHANNEL, user_id=DEMO_USER, chat_id=DEMO_USER, text=line)
        for reply in merged(await conversations.handle(event), SCREEN_LIMIT):
            print("\n" + numbered(reply.text, reply.choices) + "\n", file=out, flush=True)
