"""The local console chat: the same conversations, choices as a numbered list answered by typing."""

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.channels.base import Outcome
from bot.channels.render import missing_file, numbered
from handlers.dispatch import Conversations
from handlers.texts import t
from handlers.types import Attachment, Capabilities, FileUnavailable, Inbound, Reply

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
        documents=True,
        text_limit=SCREEN_LIMIT,
        photos=True,
    )

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out

    async def send(self, chat_id: str, reply: Reply, skip: int = 0) -> Outcome:
        """A picture or a document is shown by its path, to open beside the terminal."""
        text = numbered(reply.text, reply.choices)
        if reply.file is not None:
            if (missing := missing_file(reply.file)) is not None:
                return Outcome("failed", skip, reason=missing)
            line = t("vi", "file_on_disk", name=reply.file.name, path=reply.file.path)
            text = f"{text}\n\n{line}" if text else line
        print("\n" + text + "\n", file=self.out, flush=True)
        return Outcome("sent", 1)

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        raise FileUnavailable("the console takes no files")


class StdinLines:
    """Lines of standard input, read on the event loop instead of in a thread.

    A thread blocked reading the terminal would keep the process alive after Ctrl-C until
    Enter was pressed (asyncio waits for its threads when it closes); waiting here, Ctrl-C
    ends the console at once.
    """

    def __init__(self, fd: int = 0) -> None:
        self._fd = fd
        self._buffer = b""
        self._ended = False

    async def __call__(self) -> str:
        while b"\n" not in self._buffer and not self._ended:
            chunk = await self._read()
            self._ended = not chunk
            self._buffer += chunk
        if not self._buffer:
            raise EOFError
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "replace")

    async def _read(self) -> bytes:
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()

        def ready() -> None:
            if not readable.done():
                readable.set_result(None)

        try:
            loop.add_reader(self._fd, ready)
        except PermissionError:  # a regular file (`< script.txt`) never makes a read wait
            return os.read(self._fd, 65536)
        try:
            await readable
        finally:
            loop.remove_reader(self._fd)
        return os.read(self._fd, 65536)


async def chat(
    conversations: Conversations,
    banner: str,
    read_line: Callable[[], Awaitable[str]],
    out: TextIO = sys.stdout,
) -> None:
    """Read lines until end of input or /thoat; the replies come through the console channel."""
    print(banner, file=out, flush=True)
    while True:
        try:
            line = await read_line()
        except EOFError:
            break
        if line.strip().lower() in ("/thoat", "/quit", "/exit"):
            break
        event = Inbound(channel=CHANNEL, user_id=DEMO_USER, chat_id=DEMO_USER, text=line)
        await conversations.handle(event)
