"""One inbound event in, replies out: find the person, load the form, route, save, commit.

Every event runs in one database transaction together with the form state, so a restart
resumes exactly where the user was and a crash mid-step stores nothing half-written.
"""

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from handlers import join, menu, report
from handlers.choices import match_choice
from handlers.context import Answer, Ctx, Form, FormState
from handlers.texts import language_of
from handlers.types import Choice, Inbound, Reply
from storage import repo
from storage.campaigns import Catalog
from storage.models import Conversation

FORM_TIMEOUT = timedelta(hours=24)
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
}
FORMS: dict[str, Form] = {"report": report}


def split_command(text: str) -> tuple[str | None, str]:
    """ "/start ABC" → ("start", "ABC"); "/baocao@thidua_bot" → ("report", ""); plain text → (None, text)."""
    if not text.startswith("/"):
        return None, text
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return COMMANDS.get(name, "unknown:" + head[:32]), rest.strip()


class Conversations:
    """The platform-neutral bot: every channel hands its events here."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalog: Catalog | None,
        evidence_channels: frozenset[str] = frozenset({"telegram"}),
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.catalog = catalog
        self.evidence_channels = evidence_channels

    async def handle(self, event: Inbound) -> list[Reply]:
        async with self.sessions() as session:
            try:
                replies = await self._handle(session, event)
                await session.commit()
            except IntegrityError:
                # The same update arriving twice at once: the first one wins, this one says nothing.
                await session.rollback()
                if event.update_key is None:
                    raise
                return []
        return replies

    async def _handle(self, session: AsyncSession, event: Inbound) -> list[Reply]:
        now = self.clock.now()
        if event.update_key and not await repo.first_delivery(
            session, event.channel, event.update_key, now
        ):
            return []
        member = await repo.find_member(session, event.channel, event.user_id)
        row = await repo.conversation(session, event.channel, event.chat_id)
        state = _state_of(row)
        lang = (
            language_of(event.language) if event.language else (member.language if member else "vi")
        )
        ctx = Ctx(
            session=session,
            event=event,
            now=now,
            lang=lang,
            catalog=self.catalog,
            member=member,
            state=state,
            evidence_allowed=event.channel in self.evidence_channels,
        )
        if row is not None and state.flow and now - row.updated_at > FORM_TIMEOUT:
            state.clear()
            ctx.say(ctx.t("form_expired"))
        await _route(ctx)
        if row is None:
            row = Conversation(channel=event.channel, chat_id=event.chat_id)
            session.add(row)
        row.flow, row.step, row.data = state.flow, state.step, state.data
        row.choices = [[choice.id, choice.label] for choice in state.choices]
        row.updated_at = now
        return ctx.replies


def _state_of(row: Conversation | None) -> FormState:
    if row is None:
        return FormState()
    choices = [Choice(choice_id, label) for choice_id, label in row.choices or []]
    return FormState(row.flow, row.step, dict(row.data or {}), choices)


async def _route(ctx: Ctx) -> None:
    text = (ctx.event.text or "").strip()
    command, argument = split_command(text)
    # A typed number refers to the list shown last; whatever is said now shows its own.
    offered, ctx.state.choices = ctx.state.choices, []
    choice = ctx.event.choice
    if choice is None and command is None and text and offered:
        picked = match_choice(text, offered)
        choice = picked.id if picked else None
    elif (
        choice is not None
        and not choice.startswith("cmd:")
        and choice not in {c.id for c in offered}
    ):
        ctx.say(ctx.t("stale_choice"))
        await _where_we_are(ctx)
        return
    if choice and choice.startswith("cmd:"):
        command, choice = choice[4:], None
    if ctx.member is None:
        await join.stranger(ctx, command, argument or text)
        return
    form = FORMS.get(ctx.state.flow or "")
    if command == "cancel":
        await menu.cancel(ctx)
    elif form is not None:
        await _in_form(ctx, form, command, choice, text)
    elif command == "report":
        await report.start(ctx)
    elif command == "me":
        await menu.me(ctx)
    elif command == "help":
        await menu.help_(ctx)
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
    ctx: Ctx, form: Form, command: str | None, choice: str | None, text: str
) -> None:
    """Inside a form, read-only commands are answered and the form keeps its place."""
    if command == "me":
        await menu.me(ctx)
        await form.prompt(ctx)
    elif command == "help":
        await menu.help_(ctx)
        await form.prompt(ctx)
    elif command is not None:
        ctx.say(ctx.t("form_hint"))
        await form.prompt(ctx)
    else:
        await form.step(ctx, Answer(text, choice, ctx.event.attachment))
