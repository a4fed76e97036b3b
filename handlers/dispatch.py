"""One inbound event in, replies out: find the person, load the form, route, save, commit.

Every event runs in a database transaction together with its chat's form state, so a restart
resumes exactly where the user was and a crash mid-step stores nothing half-written. On a
database with one writer at a time, events of different chats arriving together share the
transaction (group commit).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple, Protocol

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.text import fold
from handlers import (
    awaiting,
    batch,
    broadcast,
    commendations,
    deliverables,
    due,
    export,
    history,
    join,
    menu,
    reminders,
    report,
    review,
    standings,
    stories,
)
from handlers.choices import match_choice
from handlers.context import Answer, Ctx, Form, FormState, Later, untagged
from handlers.outgoing import stored_file
from handlers.texts import language_of, t
from handlers.types import Capabilities, Choice, Fetch, Inbound, Reply, merged
from storage import outbox, repo
from storage.campaigns import Catalog

FORM_TIMEOUT = timedelta(hours=24)
REMIND_AFTER = timedelta(minutes=10)  # an open form idle this long shows its question again
RECENT_UPDATES = 50  # update ids remembered per chat, to ignore redeliveries
WRITE_ATTEMPTS = 3
MAX_BATCH = 64  # events in one group-committed transaction
log = logging.getLogger(__name__)
COMMANDS = {
    "start": "start",
    "baocao": "report",
    "report": "report",
    "toi": "me",
    "me": "me",
    "huy": "cancel",
    "cancel": "cancel",
    "help": "help",
    "trogiup": "help",
    "menu": "menu",
    "han": "due",
    "due": "due",
    "snooze": "snooze",
    "vang": "away",
    "away": "away",
    "thongbao": "broadcast",
    "broadcast": "broadcast",
    "nopbai": "deliver",
    "deliver": "deliver",
    "dienhinh": "story",
    "story": "story",
    "duyet": "review",
    "review": "review",
    "lichsu": "history",
    "history": "history",
    "xephang": "standing",
    "standing": "standing",
    "bangxephang": "leaderboard",
    "leaderboard": "leaderboard",
    "tiendo": "progress",
    "progress": "progress",
    "xuat": "export",
    "export": "export",
    "khenthuong": "commendations",
    "commendations": "commendations",
}
FORMS: dict[str, Form] = {
    "report": report,
    "batch": batch,
    "broadcast": broadcast,
    "review": review,
    "deliver": deliverables,
    "story": stories,
    "decide": awaiting,
}
# Commands that open a form or act once, outside a form.
STARTED: dict[str, Callable[[Ctx, str], Awaitable[None]]] = {
    "broadcast": broadcast.start,
    "deliver": deliverables.start,
    "story": stories.start,
    "review": awaiting.start,
    "export": export.start,
}
# Steps of a form that only show a list to act on: a command leaves them.
BROWSING = {("review", "list")}
# Commands answered in or out of a form; inside one, its question follows.
ANSWERED_ANYWHERE: dict[str, Callable[[Ctx, str], Awaitable[None]]] = {
    "snooze": reminders.snooze,
    "away": reminders.away,
    "me": lambda ctx, _argument: menu.me(ctx),
    "help": lambda ctx, _argument: menu.help_(ctx),
    "due": lambda ctx, _argument: due.show(ctx),
    "history": history.show,
    "standing": standings.standing,
    "leaderboard": standings.leaderboard,
    "progress": standings.province,
    "commendations": commendations.show,
}


def refuses_choice(replies: list[Reply]) -> bool:
    """Whether these replies turn down the button just pressed (an old one), so that the
    channel does not mark it as answered."""
    notices = {t(lang, "stale_choice") for lang in ("vi", "en")}
    return bool(replies) and replies[0].text in notices


def split_command(text: str) -> tuple[str | None, str]:
    """ "/start ABC" → ("start", "ABC"); "/baocao@thidua_bot" → ("report", ""); plain text → (None, text)."""
    if not text.startswith("/"):
        return None, text
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return COMMANDS.get(name, "unknown:" + head[:32]), rest.strip()


def bare_command(text: str) -> tuple[str | None, str]:
    """ "baocao 9", "báo cáo ngân sách": the report command typed without its slash (only
    outside a form, where a note may well begin with "báo cáo")."""
    for words in (1, 2):
        head = text.split(maxsplit=words)
        if len(head) >= words and fold(" ".join(head[:words])) in ("baocao", "bao cao"):
            return "report", head[words] if len(head) > words else ""
    return None, text


Answers = list[tuple[int | None, Reply]]  # replies to one event, each with its outbox row
AlongSend = Callable[[list[Reply]], Awaitable[None]]


class Handled(NamedTuple):
    """What became of one event: its answers, and for the operator's view the outcome
    ("handled", "duplicate", "error", "refused") and the unit of the person who wrote."""

    answers: Answers
    outcome: str
    unit: str | None = None


class Observer(Protocol):
    """Told of every event once it is handled and answered (bot.metrics)."""

    def handled(self, channel: str, outcome: str, seconds: float) -> None: ...


class Outbound(Protocol):
    """How the answers to an event leave (bot.delivery.Delivery)."""

    owner: str  # names the sender of the outbox rows written for answers

    async def send_answers(self, channel: str, chat_id: str, answers: Answers) -> None: ...

    def fetcher(self, channel: str) -> Fetch | None:
        """How files people send on the channel are downloaded (None: not running)."""
        ...

    def wake(self) -> None:
        """Messages were queued for other chats: send them now."""
        ...


class Conversations:
    """The platform-neutral bot: every channel hands its events here.

    Events of one chat are handled one at a time, and their answers sent before the next is
    taken. The answers are written to the outbox with the event, so an answer whose event
    was committed goes out even if the process dies before sending it.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalog: Catalog | None,
        write_guard: AbstractAsyncContextManager[object],
        capabilities: Mapping[str, Capabilities],
        outbound: Outbound,
        files_dir: Path,
        batch_writes: bool = False,
        observer: Observer | None = None,
    ) -> None:
        self.sessions = sessions
        self.files_dir = files_dir
        self.write_guard = write_guard
        self.clock = clock
        self.catalog = catalog
        self.capabilities = capabilities
        self.outbound = outbound
        self.batch_writes = batch_writes
        self.observer = observer
        self._chat_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._waiting: list[tuple[Inbound, asyncio.Future[Handled]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._later: dict[tuple[str, str], list[Later]] = {}  # committed, not yet started
        self._running_later: set[asyncio.Task[None]] = set()

    async def handle(self, event: Inbound, along_send: AlongSend | None = None) -> list[Reply]:
        """Handle one event and send its answers while the chat is still held, so that the
        answers to two quick messages never interleave; `along_send` lets a channel act on
        the answers while they are sent (Telegram marks the question whose button was
        pressed: one round trip to Telegram less before the person sees the next question)."""
        started = time.perf_counter()
        if not event.private:  # a group, or a press by someone who is not the chat's person
            refusal = Reply(t(language_of(event.language), "private_only"))
            done = Handled([(None, refusal)], "refused")
            await self.outbound.send_answers(event.channel, event.chat_id, done.answers)
        else:
            # Events of one chat one at a time in this process; across processes the chat's
            # row, held in the transaction, makes them wait their turn.
            chat = (event.channel, event.chat_id)
            lock = self._chat_locks.setdefault(chat, asyncio.Lock())
            async with lock:
                if self.batch_writes:
                    done = await self._in_next_batch(event)
                else:
                    done = await self._handle_alone(event)
                sending = self.outbound.send_answers(event.channel, event.chat_id, done.answers)
                if along_send is not None:
                    await asyncio.gather(along_send([reply for _, reply in done.answers]), sending)
                else:
                    await sending
                for job in self._later.pop(chat, []):
                    task = asyncio.create_task(self._run_later(chat, job))
                    self._running_later.add(task)
                    task.add_done_callback(self._running_later.discard)
        seconds = time.perf_counter() - started
        log.info(
            "Update %s",
            done.outcome,
            extra={
                "update": event.update_key,
                "channel": event.channel,
                "unit": done.unit,
                "outcome": done.outcome,
                "ms": round(seconds * 1000, 1),
            },
        )
        if self.observer is not None:
            self.observer.handled(event.channel, done.outcome, seconds)
        return [reply for _, reply in done.answers]

    async def _run_later(self, chat: tuple[str, str], job: Later) -> None:
        """Work an event left for after its commit, outside the chat's turn and the write
        queue, so that a long export holds up neither this person nor anyone else."""
        replies = await job(self.sessions)
        await self.outbound.send_answers(*chat, [(None, reply) for reply in replies])

    async def finish_later(self) -> None:
        """Wait until the work events left for later has ended (tests wait for an export)."""
        while self._running_later:
            await asyncio.gather(*self._running_later)

    async def _in_next_batch(self, event: Inbound) -> Handled:
        """Group commit: events of different chats that arrive together share a transaction.

        On a database that takes one writer at a time (SQLite), each transaction's fixed cost
        (session, commit) is then paid once for many officials writing near a deadline.
        """
        future: asyncio.Future[Handled] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        return await future

    async def _write_batches(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            events = [event for event, _ in batch]
            try:
                results = await self._run(events)
            except Exception:
                # Something in the batch failed: each alone, so that only that one says so.
                results = [await self._handle_alone(event) for event in events]
            for (_, future), done in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(done)

    async def _handle_alone(self, event: Inbound) -> Handled:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                (done,) = await self._run([event])
                return done
            except IntegrityError:
                # Two people of one unit confirming the same figure at the same moment: the
                # loser runs again and is asked for a reason, as for any correction.
                if attempt == WRITE_ATTEMPTS:
                    break
            except DBAPIError as error:
                # A connection the database dropped (a restart) is only found out in use:
                # the event runs again on a fresh one.
                if not error.connection_invalidated or attempt == WRITE_ATTEMPTS:
                    log.exception("Update from %s could not be handled", event.channel)
                    break
            except Exception:
                log.exception("Update from %s could not be handled", event.channel)
                break
        language = language_of(event.language) if event.language else "vi"
        # Nothing was stored, nothing to keep.
        return Handled([(None, Reply(t(language, "error")))], "error")

    async def _run(self, events: list[Inbound]) -> list[Handled]:
        """Handle events of different chats in one transaction, with their answers."""
        chats: dict[tuple[str, str], repo.SavedChat] = {}
        results: list[tuple[list[Reply], str, str | None]] = []
        later: list[tuple[tuple[str, str], Later]] = []
        messages: list[outbox.Message] = []
        queued = False  # messages for other chats (a notice), sent once committed
        async with self.write_guard, self.sessions() as session:
            for event in events:
                chat, who = (event.channel, event.chat_id), (event.channel, event.user_id)
                # Held until the commit: another process's event of this chat waits for it.
                saved = chats.get(chat) or await repo.hold_chat(session, *chat, self.clock.now())
                if event.update_key is not None and event.update_key in saved.recent_updates:
                    results.append(([], "duplicate", None))
                    continue
                # Read each time: an admin or another process may have changed it.
                member = await repo.find_member(session, *who)
                ctx = self._context(session, event, saved, member)
                await _route(ctx)
                queued = queued or ctx.queued
                state = ctx.state
                recent = saved.recent_updates + ((event.update_key,) if event.update_key else ())
                chats[chat] = repo.SavedChat(
                    state.flow,
                    state.step,
                    state.data,
                    [[choice.id, choice.label, choice.key] for choice in state.choices],
                    recent[-RECENT_UPDATES:],
                    ctx.now,
                )
                later += [(chat, job) for job in ctx.later]
                replies = merged(ctx.replies, ctx.capabilities.text_limit)
                person = ctx.member.person_id if ctx.member else None
                messages.extend(
                    outbox.Message(
                        event.channel,
                        event.chat_id,
                        reply.text,
                        tuple((c.id, c.label, c.key) for c in reply.choices),
                        person,
                        file=stored_file(reply),
                    )
                    for reply in replies
                )
                results.append((replies, "handled", ctx.member.unit_code if ctx.member else None))
            await repo.save_chats(session, chats)
            ids = iter(
                await outbox.add_answers(session, messages, self.clock.now(), self.outbound.owner)
            )
            await session.commit()
        if queued:
            self.outbound.wake()
        for chat, job in later:
            self._later.setdefault(chat, []).append(job)
        return [
            Handled([(next(ids), reply) for reply in replies], outcome, unit)
            for replies, outcome, unit in results
        ]

    def _context(
        self,
        session: AsyncSession,
        event: Inbound,
        saved: repo.SavedChat,
        member: repo.Member | None,
    ) -> Ctx:
        now = self.clock.now()
        choices = [Choice(*saved_choice) for saved_choice in saved.choices]  # id, label[, key]
        # A copy: the mirror must not change before the new state commits.
        state = FormState(saved.flow, saved.step, dict(saved.data), choices)
        if event.language:
            lang = language_of(event.language)
        else:
            lang = member.language if member else "vi"
        ctx = Ctx(
            session=session,
            event=event,
            now=now,
            lang=lang,
            catalog=self.catalog,
            member=member,
            state=state,
            capabilities=self.capabilities[event.channel],
            fetch=self.outbound.fetcher(event.channel),
            channels=self.capabilities,
            files_dir=self.files_dir,
        )
        if state.flow and saved.updated_at and now - saved.updated_at > FORM_TIMEOUT:
            state.clear()
            ctx.say(ctx.t("form_expired"))
        elif state.flow == "report" and not report.still_valid(ctx):
            state.clear()
            ctx.say(ctx.t("form_outdated"))
        elif state.flow == "deliver" and not deliverables.still_valid(ctx):
            state.clear()
            ctx.say(ctx.t("deliver_outdated"))
        elif state.flow and saved.updated_at and now - saved.updated_at > REMIND_AFTER:
            ctx.idle_form = True
        return ctx


async def _route(ctx: Ctx) -> None:
    text = (ctx.event.text or "").strip()
    command, argument = split_command(text)
    if command is None and ctx.state.flow is None:
        command, argument = bare_command(text)
    # A typed number refers to the list shown last; whatever is said now shows its own.
    offered, ctx.state.choices = ctx.state.choices, []
    choice = ctx.event.choice
    if choice is None and command is None and text and offered:
        picked = match_choice(text, offered, by_number=ctx.capabilities.numbered)
        choice = picked.id if picked else None
    elif (
        choice is not None
        and choice not in {c.id for c in offered}
        and not untagged(choice).startswith("cmd:")  # a menu's commands never grow old
    ):
        ctx.say(ctx.t("stale_choice"))
        await _where_we_are(ctx)
        return
    choice = untagged(choice) if choice is not None else None
    if choice and choice.startswith("cmd:"):  # "cmd:report", "cmd:report 2025-09"
        (command, _, argument), choice = choice[4:].partition(" "), None
    if ctx.member is None:
        await join.stranger(ctx, command, argument if command else text)
        return
    form = FORMS.get(ctx.state.flow or "")
    if (ctx.state.flow, ctx.state.step) in BROWSING and command not in (None, "cancel"):
        ctx.state.clear()  # a list looked at, not a form half filled: any command leaves it
        form = None
    if form is not None and ctx.idle_form and command is None and ctx.event.choice is None:
        ctx.say(ctx.t("form_reminder"))  # a typed answer, perhaps not to this question
        await form.prompt(ctx)
    elif command is None and choice is None and await batch.start(ctx, text):
        return  # several figures at once, outside a form or in place of choosing one
    elif command == "cancel":
        await menu.cancel(ctx)
    elif form is not None:
        await _in_form(ctx, form, command, argument, choice, text)
    elif command == "report":
        if not await batch.start(ctx, argument):
            await report.start(ctx, argument)
    elif command in STARTED:
        await STARTED[command](ctx, argument)
    elif command in ANSWERED_ANYWHERE:
        await ANSWERED_ANYWHERE[command](ctx, argument)
    elif command == "start":
        await join.already_joined(ctx)
    elif command is not None and command.startswith("unknown:"):
        await menu.unknown_command(ctx, command.removeprefix("unknown:"))
    else:
        await menu.show(ctx)


async def _where_we_are(ctx: Ctx) -> None:
    """Show again what the user can do now: the intro, the current question, or the menu."""
    form = FORMS.get(ctx.state.flow or "")
    if ctx.member is None:
        await join.stranger(ctx, None, "")
    elif form is not None:
        await form.prompt(ctx)
    else:
        await menu.show(ctx)


async def _in_form(
    ctx: Ctx, form: Form, command: str | None, argument: str, choice: str | None, text: str
) -> None:
    """Inside a form, read-only commands are answered and the form keeps its place."""
    if command in ANSWERED_ANYWHERE:
        await ANSWERED_ANYWHERE[command](ctx, argument)
        await form.prompt(ctx)
    elif command is not None:
        ctx.say(ctx.t("form_hint"))
        await form.prompt(ctx)
    else:
        await form.step(ctx, Answer(text, choice, ctx.event.attachment))
