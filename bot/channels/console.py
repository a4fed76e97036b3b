"""The local console chat: the same conversations, choices as a numbered list answered by typing."""

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.channels.base import Outcome
from bot.channels.render import numbered
from handlers.dispatch import Conversations
from handlers.types import Capabilities, Inbound, Reply

CHANNEL = "console"
DEMO_USER = "demo"
SCREEN_LIMIT = 4096


class ConsoleChannel:
    """Prints replies to the terminal, choices numbered under them."""

    name = CHANNEL
    capabilities = Capabilities(
        numbered=True,
        evidence=frozenset(),
        linkable=False,
        documents=False,
        text_limit=SCREEN_LIMIT,
    )

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        print("\n" + numbered(reply.text, reply.choices) + "\n", file=self.out, flush=True)
        return Outcome("sent", 1)


async def chat(
    conversations: Conversations,
    banner: str,
    read_line: Callable[[], str] = input,
    out: TextIO = sys.stdout,
) -> None:
    """Read lines until end of input or /thoat; the replies come through the console channel."""
    print(banner, file=out)
    while True:
        try:
            line = await asyncio.to_thread(read_line)
        except EOFError:
            break
        if line.strip().lower() in ("/thoat", "/quit", "/exit"):
            break
        event = Inbound(channel=CHANNEL, user_id=DEMO_USER, chat_id=DEMO_USER, text=line)
        await conversations.handle(event)
