"""/nopbai (/deliver): a unit hands in a deliverable of the campaign file (the implementation
plan), and the secretariat accepts it or returns it with a comment.

The form: which deliverable (when the unit owes several) → the file → a short text (when the
campaign file asks for one; a caption sent with the file is taken as it) → receipt. A newer
version keeps the earlier ones. Nothing is stored before the last step; the file itself is
kept on disk under its checksum's name as soon as it arrives (handlers/uploads.py).
"""

from collections.abc import Sequence
from decimal import Decimal

from domain import deliverables as rules
from domain.campaign import DeliverableSpec
from domain.text import fold
from handlers import menu, report, uploads
from handlers.context import Answer, Ctx
from handlers.outgoing import tell
from handlers.texts import t
from handlers.types import Choice, Reply
from storage import deliverables, repo
from storage import uploads as stored_files
from storage.models import DeliverableVersion

MAX_TEXT = 500
REVIEW_LIST = 5  # versions shown at once in /duyet


async def owed_here(ctx: Ctx) -> list[DeliverableSpec]:
    """The deliverables the member's unit owes, in the campaign file's order."""
    assert ctx.member is not None
    if ctx.catalog is None:
        return []
    unit_id = ctx.member.unit_id
    return [
        deliverable
        for deliverable in ctx.catalog.campaign.deliverables
        if await deliverables.owes(ctx.session, deliverable, unit_id)
    ]


async def start(ctx: Ctx, argument: str = "") -> None:
    """Open the form; an argument names the deliverable by code or by (a part of) its name."""
    member = ctx.member
    assert member is not None
    if ctx.catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return
    if member.role == "viewer":
        ctx.say(ctx.t("deliver_viewer"))
        return
    owed = await owed_here(ctx)
    if not owed:
        ctx.say(ctx.t("deliver_none", unit=member.unit_name))
        return
    ctx.state.clear()
    ctx.state.go("deliver", "pick")
    typed = argument.strip()
    chosen = _named(typed, owed) if typed else owed
    if len(chosen) == 1:
        ctx.state.data["code"] = chosen[0].code
        ctx.state.step = "file"
    elif typed:
        ctx.say(ctx.t("deliver_unknown", typed=typed[:40]))
    await prompt(ctx)


def _named(typed: str, owed: Sequence[DeliverableSpec]) -> list[DeliverableSpec]:
    folded = fold(typed)
    exact = [d for d in owed if folded in (d.code, fold(d.name))]
    return exact or [d for d in owed if folded in fold(d.name)]


def still_valid(ctx: Ctx) -> bool:
    """Whether a saved form still fits the campaign (a reload may have dropped its deliverable)."""
    code = ctx.state.data.get("code")
    return ctx.catalog is not None and (
        code is None or ctx.catalog.campaign.deliverable(code) is not None
    )


def _deliverable(ctx: Ctx) -> DeliverableSpec:
    assert ctx.catalog is not None
    found = ctx.catalog.campaign.deliverable(ctx.state.data["code"])
    assert found is not None
    return found


def due_status(ctx: Ctx, deliverable: DeliverableSpec) -> str:
    """ "còn 2 ngày", "hạn hôm nay", "quá hạn 3 ngày"."""
    left = rules.days_left(deliverable, ctx.today)
    if left > 0:
        return ctx.t("due_left", days=left)
    return ctx.t("due_overdue", days=-left) if left < 0 else ctx.t("due_today")


async def prompt(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None
    step = ctx.state.step
    if step == "pick":
        owed = await owed_here(ctx)
        ctx.say(ctx.t("deliver_pick"), tuple(Choice("dl:" + d.code, d.name) for d in owed))
        return
    deliverable = _deliverable(ctx)
    if step == "file":
        types = uploads.accepted_types(ctx, frozenset(deliverable.accepts))
        if not types:  # documents only, on Zalo
            ctx.state.clear()
            ctx.say(ctx.t("deliver_not_here", name=deliverable.name))
            return
        lines = [
            ctx.t(
                "deliver_ask_file",
                name=deliverable.name,
                unit=member.unit_name,
                date=f"{deliverable.due:%d/%m/%Y}",
                status=due_status(ctx, deliverable),
                types=types,
            )
        ]
        for version in await deliverables.unit_versions(
            ctx.session, deliverable.code, member.unit_id
        ):
            lines.append(_version_line(ctx, version))
        ctx.say("\n".join(lines))
    else:  # text
        skip = (Choice("skip", ctx.t("skip")),) if deliverable.text == "optional" else ()
        ctx.say(ctx.t("deliver_ask_text", limit=MAX_TEXT), skip)


def _version_line(ctx: Ctx, version: DeliverableVersion) -> str:
    """ "• Phiên bản 1, 10:15 14/08/2025: đã trả lại (thiếu chữ ký)"."""
    note = f" ({version.review_note})" if version.review_note else ""
    return ctx.t(
        "deliver_version",
        version=version.version,
        time=ctx.local_time(version.created_at),
        status=ctx.t("deliver_status_" + version.status),
        note=note,
    )


async def step(ctx: Ctx, answer: Answer) -> None:
    step_name = ctx.state.step
    if step_name == "pick":
        owed = await owed_here(ctx)
        if answer.choice:
            picked = [d for d in owed if answer.choice == "dl:" + d.code]
        else:
            picked = _named(answer.text, owed) if answer.text.strip() else []
        if len(picked) == 1:
            ctx.state.data["code"] = picked[0].code
            ctx.state.step = "file"
        else:
            ctx.say(ctx.t("deliver_pick_invalid"))
        await prompt(ctx)
    elif step_name == "file":
        await _on_file(ctx, answer)
    else:
        await _on_text(ctx, answer)


async def _on_file(ctx: Ctx, answer: Answer) -> None:
    member = ctx.member
    assert member is not None
    deliverable = _deliverable(ctx)
    if answer.attachment is None:
        types = uploads.accepted_types(ctx, frozenset(deliverable.accepts))
        ctx.say(ctx.t("deliver_needs_file", types=types))
        return
    received = await uploads.receive(ctx, answer.attachment, frozenset(deliverable.accepts))
    if received is None:
        return
    known = await stored_files.find(ctx.session, received.facts.sha256)
    earlier = (
        await deliverables.with_upload(ctx.session, deliverable.code, member.unit_id, known.id)
        if known is not None
        else None
    )
    if earlier is not None:
        ctx.say(
            ctx.t(
                "deliver_same_file",
                version=earlier.version,
                time=ctx.local_time(earlier.created_at),
            )
        )
        ctx.state.clear()
        await menu.show(ctx)
        return
    ctx.state.data["file"] = received.saved()
    caption = answer.text.strip()
    if deliverable.text == "none":
        await _store(ctx)
    elif caption:  # the text, sent with the file
        if await _take_text(ctx, caption):
            await _store(ctx)
    else:
        ctx.state.step = "text"
        await prompt(ctx)


async def _take_text(ctx: Ctx, text: str) -> bool:
    """Keep the text, or say what is wrong with it and ask for it again."""
    cleaned = report.free_text(ctx, text, MAX_TEXT, "note_too_long")
    if cleaned is None:
        ctx.state.step = "text"
        await prompt(ctx)
        return False
    ctx.state.data["text"] = cleaned
    return True


async def _on_text(ctx: Ctx, answer: Answer) -> None:
    deliverable = _deliverable(ctx)
    if answer.choice == "skip" and deliverable.text == "optional":
        await _store(ctx)
    elif answer.attachment is not None and not answer.text:
        ctx.say(ctx.t("deliver_text_not_file"))
        await prompt(ctx)
    elif await _take_text(ctx, answer.text):
        await _store(ctx)


async def _store(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None and ctx.catalog is not None
    deliverable, data = _deliverable(ctx), ctx.state.data
    received = uploads.Received.from_saved(data["file"])
    upload = await stored_files.record(ctx.session, received.facts, ctx.now)
    version = await deliverables.submit(
        ctx.session,
        deliverable.code,
        member.unit_id,
        upload,
        received.name,
        data.get("text"),
        member.person_id,
        ctx.event.channel,
        ctx.now,
    )
    zone = ctx.catalog.campaign.zone
    late = rules.days_late(deliverable, ctx.now, zone)
    ctx.say(
        ctx.t(
            "deliver_receipt",
            name=deliverable.name,
            unit=member.unit_name,
            version=version.version,
            time=ctx.local_time(ctx.now),
            late=ctx.t("receipt_late", days=late) if late else "",
            kind=ctx.t("evidence_" + received.facts.kind),
            size=_size(ctx, received.facts.size),
            checksum=received.facts.sha256[:12],
        )
    )
    ctx.state.clear()
    await menu.show(ctx)


def _size(ctx: Ctx, size: int) -> str:
    """ "1,2 MB", "35 KB"."""
    if size >= 1024 * 1024:
        return f"{ctx.number(Decimal(size) / (1024 * 1024), 1)} MB"
    return f"{ctx.number(max(1, round(size / 1024)), 0)} KB"


# /han


async def owed_note(ctx: Ctx) -> tuple[str, tuple[Choice, ...]] | None:
    """What the unit has yet to deliver, for /han: a line each and a button to hand it in."""
    member = ctx.member
    if member is None or member.role == "viewer":
        return None
    lines, choices = [], []
    for deliverable in await owed_here(ctx):
        versions = await deliverables.unit_versions(ctx.session, deliverable.code, member.unit_id)
        status = rules.unit_status(deliverables.as_rules(versions))
        if status in ("submitted", "accepted"):
            continue
        lines.append(
            ctx.t(
                "deliver_owed_line",
                name=deliverable.name,
                date=f"{deliverable.due:%d/%m/%Y}",
                status=due_status(ctx, deliverable),
                returned=ctx.t("deliver_owed_returned") if status == "returned" else "",
            )
        )
        choices.append(
            Choice(f"cmd:deliver {deliverable.code}", ctx.t("deliver_now", name=deliverable.name))
        )
    if not lines:
        return None
    return "\n".join([ctx.t("deliver_owed_head"), *lines]), tuple(choices)


# Review by the secretariat (listed by /duyet, handlers/awaiting.py)


async def awaiting(ctx: Ctx) -> tuple[str, list[tuple[int, str]]]:
    """The versions awaiting review: a heading with their count, and the oldest with a label."""
    pending, total = await deliverables.awaiting_review(ctx.session, REVIEW_LIST)
    items = [
        (
            item.version.id,
            ctx.t(
                "review_deliverable_item",
                unit=item.unit_name,
                name=_name(ctx, item.version.deliverable),
                version=item.version.version,
            ),
        )
        for item in pending
    ]
    return ctx.t("review_deliverables", count=total), items


def _name(ctx: Ctx, code: str) -> str:
    found = ctx.catalog.campaign.deliverable(code) if ctx.catalog else None
    return found.name if found else code


async def show_for_review(ctx: Ctx, version_id: int) -> bool:
    """One version, with its file's details and the reviewer's choices; False if none."""
    version = await deliverables.get(ctx.session, version_id)
    if version is None:
        return False
    assert ctx.catalog is not None
    lines = [
        ctx.t(
            "review_deliverable",
            name=_name(ctx, version.deliverable),
            unit=await repo.unit_name(ctx.session, version.unit_id),
            version=version.version,
            time=ctx.local_time(version.created_at),
            status=ctx.t("deliver_status_" + version.status),
            file=version.file_name or "—",
        )
    ]
    if version.text:
        lines.append(ctx.t("review_text", text=version.text))
    deliverable = ctx.catalog.campaign.deliverable(version.deliverable)
    if deliverable is not None:
        late = rules.days_late(deliverable, version.created_at, ctx.catalog.campaign.zone)
        lines.append(ctx.t("items_late", days=late) if late else ctx.t("items_on_time"))
    ctx.say(
        "\n".join(lines),
        (
            Choice(f"cmd:review dl {version.id} accepted", ctx.t("review_accept")),
            Choice(f"cmd:review dl {version.id} returned", ctx.t("items_return")),
        ),
    )
    return True


DECISIONS = ("accepted", "returned")
NOTE_NEEDED = frozenset({"returned"})


async def decide(ctx: Ctx, version_id: int, decision: str, note: str | None) -> bool:
    """Record the decision and tell the unit's sender at once; False if no such version."""
    member = ctx.member
    version = await deliverables.get(ctx.session, version_id)
    if version is None or member is None or decision not in DECISIONS:
        return False
    await deliverables.review(ctx.session, version, decision, note, member.person_id, ctx.now)  # type: ignore[arg-type]
    name = _name(ctx, version.deliverable)
    code = version.deliverable

    def notice(lang: str) -> Reply:
        text = t(lang, "deliver_" + decision, name=name, version=version.version)
        if note:
            text += "\n" + t(lang, "review_note_line", note=note)
        if decision == "returned":
            return Reply(text, (Choice(f"cmd:deliver {code}", t(lang, "deliver_again")),))
        return Reply(text)

    language = await repo.language_of(ctx.session, version.person_id)
    await tell(ctx, [(version.person_id, language)], notice)
    ctx.say(
        ctx.t("review_done_deliverable", decision=ctx.t("deliver_status_" + decision)),
        (Choice("cmd:review", ctx.t("review_next")),),
    )
    return True
