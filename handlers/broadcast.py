"""Campaign updates (/thongbao): an admin writes one, picks who gets it and when, confirms.

The form stores the update; its recipients' messages are queued when it is due
(`send_due`, run by the scheduler), each keyed "bc:<update>:<person>" so that nobody gets
it twice. When every message has ended sent, blocked or failed, the sender gets a delivery
report counted from the outbox, once, and can ask for it again.
"""

import math
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts import (
    MAX_TEXT,
    Audience,
    Unknown,
    read_audience,
    read_moment,
)
from domain.numbers import format_number
from handlers import menu
from handlers.context import Answer, Ctx
from handlers.outgoing import Outgoing, queue
from handlers.texts import t
from handlers.types import Capabilities, Choice, Reply
from storage import broadcasts, repo, stories
from storage.models import Broadcast, Person

EARLIER = 5  # updates listed under "earlier updates"
PREVIEW = 600  # characters of the text shown in the preview


async def start(ctx: Ctx, argument: str = "") -> None:
    """Open the form; "12" shows update 12's delivery report, "who 12" who it did not reach."""
    member = ctx.member
    assert member is not None
    if member.role != "admin":
        ctx.say(ctx.t("broadcast_admins_only"))
        return
    words = argument.split()
    if words and words[-1].lstrip("#").isdecimal() and len(words[-1]) <= 9:
        number = int(words[-1].lstrip("#"))
        await (_unreached(ctx, number) if words[0] == "who" else _report(ctx, number))
        return
    ctx.state.clear()
    ctx.state.go("broadcast", "text")
    await prompt(ctx)


async def start_with_text(ctx: Ctx, text: str, story_id: int) -> None:
    """The form with its text written (an approved exemplary story), at the audience question;
    the update is linked to the story when stored."""
    ctx.state.clear()
    ctx.state.go("broadcast", "audience")
    ctx.state.data.update({"text": text[:MAX_TEXT], "story": story_id})
    await prompt(ctx)


async def prompt(ctx: Ctx) -> None:
    step = ctx.state.step
    if step == "text":
        ctx.say(ctx.t("broadcast_ask_text"), (Choice("earlier", ctx.t("broadcast_earlier")),))
    elif step == "audience":
        ctx.say(
            ctx.t("broadcast_ask_audience"),
            (Choice("everyone", ctx.t("broadcast_everyone")),),
        )
    elif step == "which":
        options = [Audience.from_spec(*option) for option in ctx.state.data["options"]]
        ctx.say(
            ctx.t("broadcast_which", typed=ctx.state.data["typed"]),
            tuple(
                Choice(f"aud:{n}", audience_label(ctx.lang, option))
                for n, option in enumerate(options)
            ),
        )
    elif step == "when":
        ctx.say(ctx.t("broadcast_ask_when"), (Choice("now", ctx.t("broadcast_now")),))
    else:
        await _preview(ctx)


async def step(ctx: Ctx, answer: Answer) -> None:
    step_name = ctx.state.step
    if step_name == "text":
        await _text(ctx, answer)
    elif step_name in ("audience", "which"):
        await _audience(ctx, answer)
    elif step_name == "when":
        await _when(ctx, answer)
    elif answer.choice == "confirm":
        await _store(ctx)
    elif answer.choice == "cancel":
        await menu.cancel(ctx)
    else:
        ctx.say(ctx.t("broadcast_confirm_hint"))
        await prompt(ctx)


async def _text(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "earlier":
        ctx.state.clear()
        await _earlier(ctx)
        return
    text = answer.text.strip()
    if answer.attachment is not None:
        ctx.say(ctx.t("broadcast_text_only"))
    if not text:
        ctx.say(ctx.t("broadcast_empty"))
    elif len(text) > MAX_TEXT:
        ctx.say(
            ctx.t("broadcast_too_long", length=ctx.number(len(text)), limit=ctx.number(MAX_TEXT))
        )
    else:
        ctx.state.data["text"] = text
        ctx.state.step = "audience"
    await prompt(ctx)


async def _audience(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "everyone":
        await _take_audience(ctx, Audience("everyone"), ctx.t("broadcast_everyone"))
        return
    if answer.choice and answer.choice.startswith("aud:"):
        spec, label = ctx.state.data["options"][int(answer.choice[4:])]
        await _take_audience(ctx, Audience.from_spec(spec, label), ctx.state.data["typed"])
        return
    typed = answer.text.strip()
    reading = read_audience(typed, await broadcasts.directory(ctx.session)) if typed else None
    if isinstance(reading, Audience):
        await _take_audience(ctx, reading, typed)
        return
    if isinstance(reading, list):
        ctx.state.data["typed"] = typed
        ctx.state.data["options"] = [[a.spec, a.label] for a in reading[:8]]
        ctx.state.step = "which"
    else:
        what = reading.what if isinstance(reading, Unknown) else "any"
        typed = reading.typed if isinstance(reading, Unknown) else typed
        ctx.say(ctx.t("broadcast_unknown_" + what, typed=typed[:80]))
        ctx.state.step = "audience"
    await prompt(ctx)


async def _take_audience(ctx: Ctx, audience: Audience, typed: str) -> None:
    label = audience_label(ctx.lang, audience)
    if not await broadcasts.people(ctx.session, audience):
        ctx.say(ctx.t("broadcast_nobody", audience=label))
        ctx.state.step = "audience"
    else:
        ctx.state.data["audience"] = [audience.spec, label, typed]
        ctx.state.step = "when"
    await prompt(ctx)


async def _when(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "now":
        ctx.state.data["at"] = None
        ctx.state.step = "confirm"
        await prompt(ctx)
        return
    zone = ctx.catalog.campaign.zone if ctx.catalog else None
    moment = read_moment(answer.text, zone) if zone else None
    if moment is None:
        ctx.say(ctx.t("broadcast_bad_moment", typed=answer.text.strip()[:40]))
    elif moment <= ctx.now:
        ctx.say(ctx.t("broadcast_past", moment=ctx.local_time(moment)))
    else:
        ctx.state.data["at"] = moment.isoformat()
        ctx.state.step = "confirm"
    await prompt(ctx)


async def _preview(ctx: Ctx) -> None:
    data = ctx.state.data
    spec, label, _ = data["audience"]
    text: str = data["text"]
    count = len(await broadcasts.people(ctx.session, Audience.from_spec(spec)))
    at = data.get("at")
    when = ctx.local_time(datetime.fromisoformat(at)) if at else ctx.t("broadcast_when_now")
    shown = text if len(text) <= PREVIEW else text[:PREVIEW] + "…"
    preview = ctx.t(
        "broadcast_preview", audience=label, count=ctx.number(count), when=when, text=shown
    )
    pieces = _pieces(ctx, len(text))
    if pieces:
        preview += "\n\n" + ctx.t("broadcast_split", length=ctx.number(len(text)), pieces=pieces)
    ctx.say(
        preview,
        (
            Choice("confirm", ctx.t("broadcast_confirm")),
            Choice("cancel", ctx.t("broadcast_cancel")),
        ),
    )


def _pieces(ctx: Ctx, length: int) -> str:
    """How many messages a text this long takes where it must be split: "Telegram 3 tin"."""
    limits = {"Telegram": 4096, "Zalo": 2000}  # the channels' text limits (bot/channels)
    return ", ".join(
        ctx.t("broadcast_pieces", channel=name, count=math.ceil(length / limit))
        for name, limit in limits.items()
        if length > limit
    )


async def _store(ctx: Ctx) -> None:
    data = ctx.state.data
    member = ctx.member
    assert member is not None
    spec, label, typed = data["audience"]
    at = datetime.fromisoformat(data["at"]) if data.get("at") else ctx.now
    number = await broadcasts.add(
        ctx.session,
        data["text"],
        Audience.from_spec(spec, label),
        typed,
        at,
        ctx.now,
        sender_id=member.person_id,
    )
    count = len(await broadcasts.people(ctx.session, Audience.from_spec(spec)))
    if number is not None and data.get("story"):
        await stories.published(ctx.session, int(data["story"]), number)
    ctx.state.clear()
    if data.get("at"):
        ctx.say(ctx.t("broadcast_scheduled", number=number, moment=ctx.local_time(at)))
    else:
        ctx.say(ctx.t("broadcast_queued", number=number, count=ctx.number(count)))


def audience_label(lang: str, audience: Audience) -> str:
    """How an audience is named to people: "Khối kinh tế", "các xã", "vai trò lãnh đạo đơn vị"."""
    if audience.kind == "everyone":
        return t(lang, "broadcast_everyone")
    if audience.kind == "kind":
        return t(lang, "kind_" + audience.codes[0])
    if audience.kind == "role":
        return t(lang, "audience_role", role=t(lang, "role_" + audience.codes[0]))
    if audience.kind == "units" and len(audience.codes) == 1:
        return f"{audience.label} ({t(lang, 'audience_units')})"
    return audience.label


# Earlier updates and their delivery


async def _earlier(ctx: Ctx) -> None:
    items = await broadcasts.recent(ctx.session, EARLIER)
    if not items:
        ctx.say(ctx.t("broadcast_none_yet"))
        await menu.show(ctx)
        return
    lines = [ctx.t("broadcast_list")]
    for item in items:
        summary = await _summary(ctx.session, ctx.lang, item)
        lines.append(
            ctx.t(
                "broadcast_line",
                number=item.id,
                moment=ctx.local_time(item.scheduled_at),
                audience=item.audience_label,
                summary=summary,
            )
        )
    ctx.say("\n".join(lines), tuple(_report_choice(item.id) for item in items))


def _report_choice(number: int) -> Choice:
    return Choice(f"cmd:broadcast {number}", f"#{number}")


async def _report(ctx: Ctx, number: int) -> None:
    item = await broadcasts.get(ctx.session, number)
    if item is None:
        ctx.say(ctx.t("broadcast_not_found", number=number))
        return
    text, choices = await delivery_report(ctx.session, ctx.lang, item)
    ctx.say(text, choices)


async def _unreached(ctx: Ctx, number: int) -> None:
    if await broadcasts.get(ctx.session, number) is None:
        ctx.say(ctx.t("broadcast_not_found", number=number))
        return
    people = await broadcasts.unreached(ctx.session, number)
    if not people:
        ctx.say(ctx.t("broadcast_everyone_reached", number=number))
        return
    lines = [ctx.t("broadcast_unreached", number=number)]
    for person in people:
        why = ctx.t("broadcast_blocked", count=1) if person.state == "blocked" else person.reason
        lines.append(ctx.t("broadcast_unreached_line", name=person.name, unit=person.unit, why=why))
    ctx.say("\n".join(lines))


async def _summary(session: AsyncSession, lang: str, item: Broadcast) -> str:
    """Where an update is: waiting, being sent, or what became of it."""
    if item.state == "scheduled":
        return t(lang, "broadcast_waiting")
    done = await broadcasts.delivered(session, item.id)
    sent = done.states.get("sent", 0)
    if not done.finished:
        return t(lang, "broadcast_in_progress", sent=_n(sent, lang), total=_n(done.total, lang))
    if sent == done.total:
        summary = t(lang, "broadcast_all_sent", sent=_n(sent, lang), total=_n(done.total, lang))
    else:
        failed = done.states.get("failed", 0)
        reasons = [
            t(lang, key, count=_n(count, lang))
            for key, count in (
                ("broadcast_blocked", done.states.get("blocked", 0)),
                ("broadcast_network", done.failed_by_network),
                ("broadcast_other", failed - done.failed_by_network),
            )
            if count
        ]
        summary = t(
            lang,
            "broadcast_some_unsent",
            sent=_n(sent, lang),
            total=_n(done.total, lang),
            unsent=_n(done.total - sent, lang),
            why=", ".join(reasons),
        )
    if item.no_chat:
        summary += t(lang, "broadcast_no_chat", count=_n(item.no_chat, lang))
    return summary


async def delivery_report(
    session: AsyncSession, lang: str, item: Broadcast
) -> tuple[str, tuple[Choice, ...]]:
    """The sender's report on one update, and the choice to see who it did not reach."""
    summary = await _summary(session, lang, item)
    text = t(
        lang, "broadcast_report", number=item.id, audience=item.audience_label, summary=summary
    )
    unreached = await broadcasts.unreached(session, item.id)
    choices = (Choice(f"cmd:broadcast who {item.id}", t(lang, "broadcast_who")),)
    return text, choices if unreached else ()


def _n(count: int, lang: str) -> str:
    return format_number(Decimal(count), locale=lang)


# Sending when due (called by schedules.broadcasts)


async def send_due(
    session: AsyncSession, capabilities: Mapping[str, Capabilities], now: datetime
) -> int:
    """Queue the recipients of every update that is due, and the delivery report of every
    update whose messages have all ended; how many messages were queued."""
    queued = 0
    for item in await broadcasts.due(session, now):
        found, no_chat = await broadcasts.chats(session, Audience.from_spec(item.audience))
        messages = [
            Outgoing(
                channel, chat_id, Reply("📢 " + item.text), person_id, f"bc:{item.id}:{person_id}"
            )
            for person_id, (channel, chat_id) in found.items()
        ]
        queued += await queue(session, capabilities, messages, "broadcast", now)
        item.state, item.recipients, item.no_chat = "sending", len(messages), no_chat
    await session.flush()
    for item in await broadcasts.sending(session):
        if not (await broadcasts.delivered(session, item.id)).finished:
            continue
        item.state = "done"
        sender = await session.get(Person, item.sender_id) if item.sender_id else None
        where = await repo.last_chat(session, sender.id) if sender else None
        if sender is None or where is None:
            continue
        text, choices = await delivery_report(session, sender.language, item)
        report = Outgoing(*where, Reply(text, choices), sender.id, f"bc-report:{item.id}")
        queued += await queue(session, capabilities, [report], "notice", now)
    return queued
