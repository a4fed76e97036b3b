"""/dienhinh (/story): exemplary collectives and individuals (gương điển hình tiên tiến).

`/dienhinh` lists the approved stories of the person's block or cluster, newest first, a few
at a time. `/dienhinh gui` sends one: a collective or a person → who → of which unit → what
they achieved → up to five photos → confirm; it goes to the secretariat, which approves it,
asks for more (the sender adds text or photos with one tap) or declines it, each with a note.
An approved story is published as a campaign update through the /thongbao form, opened on
its audience question with the story as the text.
"""

from domain.broadcasts import Audience, read_audience
from domain.text import fold
from handlers import broadcast, menu, report, uploads
from handlers.context import Answer, Ctx
from handlers.outgoing import tell
from handlers.texts import t
from handlers.types import Choice, Reply
from storage import broadcasts, repo, stories
from storage import uploads as stored_files
from storage.models import Story
from storage.stories import MAX_PHOTOS

PAGE = 3  # stories shown at once
MAX_SUBJECT = 200
MAX_ACHIEVEMENT = 2000
REVIEW_LIST = 5
SEND_WORDS = ("gui", "moi", "send", "new")
PHOTO = frozenset({"photo"})


async def start(ctx: Ctx, argument: str = "") -> None:
    """No argument (or "xem 3"): the approved stories; "gui": the form; "bosung 12": add to
    story 12 when asked for more; "dang 12": publish story 12 (admins)."""
    member = ctx.member
    assert member is not None
    word, _, rest = fold(argument).partition(" ")
    number = int(rest) if rest.strip().isdecimal() and len(rest.strip()) <= 9 else None
    if word in SEND_WORDS:
        if member.role == "viewer":
            ctx.say(ctx.t("story_viewer"))
            return
        ctx.state.clear()
        ctx.state.go("story", "kind")
        await prompt(ctx)
    elif word == "bosung" and number is not None:
        await _start_amending(ctx, number)
    elif word == "dang" and number is not None:
        await publish(ctx, number)
    elif word in ("", "xem"):
        await show_approved(ctx, number or 0)
    else:
        ctx.say(ctx.t("story_usage"))


async def show_approved(ctx: Ctx, offset: int) -> None:
    member = ctx.member
    assert member is not None
    listed, total = await stories.approved_near(ctx.session, member.unit_id, offset, PAGE)
    where = member.group_name or member.unit_name
    send = Choice("cmd:story gui", ctx.t("story_send"))
    if not listed:
        ctx.say(ctx.t("story_none_approved", where=where), (send,))
        return
    lines = [
        ctx.t(
            "story_list_head", where=where, first=offset + 1, last=offset + len(listed), total=total
        )
    ]
    for item in listed:
        lines.append(_story_text(ctx.lang, item.story, item.unit_name))
    choices = [send]
    if offset + len(listed) < total:
        choices.insert(0, Choice(f"cmd:story xem {offset + PAGE}", ctx.t("story_more_list")))
    ctx.say("\n\n".join(lines), tuple(choices))


def _story_text(lang: str, story: Story, unit_name: str) -> str:
    """ "🌟 Tổ dân phố 3 (tập thể, Phường Sa Pa)\nĐã …"."""
    return t(
        lang,
        "story_text",
        subject=story.subject,
        kind=t(lang, "story_kind_" + story.subject_kind),
        unit=unit_name,
        achievement=story.achievement,
    )


# The form


async def prompt(ctx: Ctx) -> None:
    step, data = ctx.state.step, ctx.state.data
    if step == "kind":
        ctx.say(
            ctx.t("story_ask_kind"),
            (
                Choice("collective", ctx.t("story_kind_collective").capitalize()),
                Choice("person", ctx.t("story_kind_person").capitalize()),
            ),
        )
    elif step == "subject":
        ctx.say(ctx.t("story_ask_subject_" + data["kind"]))
    elif step == "unit":
        assert ctx.member is not None
        ctx.say(ctx.t("story_ask_unit"), (Choice("own", ctx.member.unit_name),))
    elif step == "achievement":
        if "amend" in data:
            ctx.say(ctx.t("story_ask_more_text"), (Choice("skip", ctx.t("skip")),))
        else:
            ctx.say(ctx.t("story_ask_achievement", limit=ctx.number(MAX_ACHIEVEMENT)))
    elif step == "photos":
        count = len(data.get("photos", []))
        if "photo" not in ctx.capabilities.evidence:
            ctx.say(ctx.t("story_no_photos_here"), (Choice("done", ctx.t("story_photos_done")),))
        else:
            ctx.say(
                ctx.t("story_ask_photos", count=count, limit=_photo_room(ctx)),
                (Choice("done", ctx.t("story_photos_done" if count else "story_no_photos")),),
            )
    else:
        await _ask_confirm(ctx)


def _photo_room(ctx: Ctx) -> int:
    return int(ctx.state.data.get("room", MAX_PHOTOS))


async def step(ctx: Ctx, answer: Answer) -> None:
    step_name, data = ctx.state.step, ctx.state.data
    if step_name == "kind":
        if answer.choice in ("collective", "person"):
            data["kind"] = answer.choice
            ctx.state.step = "subject"
        else:
            ctx.say(ctx.t("story_kind_invalid"))
    elif step_name == "subject":
        subject = _words(ctx, answer, MAX_SUBJECT)
        if subject is not None:
            data["subject"] = subject
            ctx.state.step = "unit"
    elif step_name == "unit":
        await _on_unit(ctx, answer)
    elif step_name == "achievement":
        if "amend" in data and answer.choice == "skip":
            ctx.state.step = "photos"
        elif (achievement := _words(ctx, answer, MAX_ACHIEVEMENT)) is not None:
            data["achievement"] = achievement
            ctx.state.step = "photos"
    elif step_name == "photos":
        await _on_photo(ctx, answer)
        return
    elif answer.choice == "confirm":
        await _store(ctx)
        return
    elif answer.choice == "cancel":
        await menu.cancel(ctx)
        return
    else:
        ctx.say(ctx.t("confirm_invalid"))
    await prompt(ctx)


def _words(ctx: Ctx, answer: Answer, limit: int) -> str | None:
    if answer.attachment is not None and not answer.text:
        ctx.say(ctx.t("story_text_first"))
        return None
    return report.free_text(ctx, answer.text, limit, "note_too_long")


async def _on_unit(ctx: Ctx, answer: Answer) -> None:
    assert ctx.member is not None
    if answer.choice == "own":
        ctx.state.data["unit"] = [ctx.member.unit_code, ctx.member.unit_name]
        ctx.state.step = "achievement"
        return
    typed = answer.text.strip()[:120]
    found = (
        read_audience("units:" + typed, await broadcasts.directory(ctx.session)) if typed else None
    )
    if isinstance(found, Audience) and len(found.codes) == 1:
        ctx.state.data["unit"] = [found.codes[0], found.label]
        ctx.state.step = "achievement"
    else:
        ctx.say(ctx.t("story_unit_unknown", typed=typed[:80]))


async def _on_photo(ctx: Ctx, answer: Answer) -> None:
    """A photo is taken (the form moves on once there is no room left), "done" moves on;
    anything else is answered with the question again, whose choice it needs."""
    photos: list[dict[str, object]] = ctx.state.data.setdefault("photos", [])
    if answer.choice == "done":
        ctx.state.step = "confirm"
    elif answer.attachment is None:
        ctx.say(ctx.t("story_photo_or_done"))
    elif (received := await uploads.receive(ctx, answer.attachment, PHOTO)) is None:
        pass  # said why
    elif any(p["sha256"] == received.facts.sha256 for p in photos):
        ctx.say(ctx.t("story_photo_again"))
    else:
        photos.append(received.saved())
        if len(photos) < _photo_room(ctx):
            ctx.say(
                ctx.t("story_photo_taken", count=len(photos), limit=_photo_room(ctx)),
                (Choice("done", ctx.t("story_photos_done")),),
            )
            return
        ctx.state.step = "confirm"
    await prompt(ctx)


async def _ask_confirm(ctx: Ctx) -> None:
    data = ctx.state.data
    photos = len(data.get("photos", []))
    if "amend" in data:
        text = ctx.t("story_amend_summary", text=data.get("achievement") or "—", photos=photos)
    else:
        text = ctx.t(
            "story_summary",
            subject=data["subject"],
            kind=ctx.t("story_kind_" + data["kind"]),
            unit=data["unit"][1],
            achievement=data["achievement"],
            photos=photos,
        )
    ctx.say(
        text,
        (Choice("confirm", ctx.t("story_confirm")), Choice("cancel", ctx.t("cancel"))),
    )


async def _store(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None
    data = ctx.state.data
    upload_ids = [
        (await stored_files.record(ctx.session, uploads.Received.from_saved(p).facts, ctx.now)).id
        for p in data.get("photos", [])
    ]
    if "amend" in data:
        story = await stories.get(ctx.session, int(data["amend"]))
        if story is None or story.person_id != member.person_id or story.status != "more":
            ctx.state.clear()
            ctx.say(ctx.t("story_not_amendable"))
            return
        await stories.amend(ctx.session, story, data.get("achievement"), upload_ids)
    else:
        unit_id = await repo.unit_id(ctx.session, data["unit"][0])
        if unit_id is None:  # gone since it was picked
            ctx.state.step = "unit"
            ctx.say(ctx.t("story_unit_unknown", typed=data["unit"][1]))
            await prompt(ctx)
            return
        story = await stories.add(
            ctx.session,
            unit_id=unit_id,
            subject_kind=data["kind"],
            subject=data["subject"],
            achievement=data["achievement"],
            person_id=member.person_id,
            channel=ctx.event.channel,
            now=ctx.now,
            upload_ids=upload_ids,
        )
    ctx.state.clear()
    subject = story.subject

    def notice(lang: str) -> Reply:
        return Reply(
            t(lang, "story_to_review", subject=subject, unit=member.unit_name, number=story.id),
            (Choice(f"cmd:review st {story.id}", t(lang, "review_open")),),
        )

    admins = await repo.people_with_role(ctx.session, "admin")
    await tell(ctx, admins, notice)
    ctx.say(ctx.t("story_receipt", number=story.id, subject=subject))
    await menu.show(ctx)


async def _start_amending(ctx: Ctx, story_id: int) -> None:
    member = ctx.member
    assert member is not None
    story = await stories.get(ctx.session, story_id)
    if story is None or story.person_id != member.person_id or story.status != "more":
        ctx.say(ctx.t("story_not_amendable"))
        return
    room = MAX_PHOTOS - await stories.photo_count(ctx.session, story_id)
    ctx.state.clear()
    ctx.state.go("story", "achievement")
    ctx.state.data.update({"amend": story_id, "room": room})
    if story.note:
        ctx.say(ctx.t("review_note_line", note=story.note))
    await prompt(ctx)


# Review by the secretariat (listed by /duyet, handlers/awaiting.py)


async def awaiting(ctx: Ctx) -> tuple[str, list[tuple[int, str]]]:
    """The stories awaiting review: a heading with their count, and the oldest with a label."""
    pending, total = await stories.awaiting_review(ctx.session, REVIEW_LIST)
    items = [
        (
            item.story.id,
            ctx.t("review_story_item", subject=item.story.subject, unit=item.unit_name),
        )
        for item in pending
    ]
    return ctx.t("review_stories", count=total), items


async def show_for_review(ctx: Ctx, story_id: int) -> bool:
    story = await stories.get(ctx.session, story_id)
    if story is None:
        return False
    unit_name = await repo.unit_name(ctx.session, story.unit_id)
    text = "\n".join(
        [
            ctx.t(
                "review_story",
                number=story.id,
                time=ctx.local_time(story.created_at),
                status=ctx.t("story_status_" + story.status),
            ),
            _story_text(ctx.lang, story, unit_name),
            ctx.t("story_photos", count=await stories.photo_count(ctx.session, story.id)),
        ]
    )
    choices = [
        Choice(f"cmd:review st {story.id} approved", ctx.t("items_approve")),
        Choice(f"cmd:review st {story.id} more", ctx.t("items_more")),
        Choice(f"cmd:review st {story.id} declined", ctx.t("review_decline")),
    ]
    if story.status == "approved":
        choices = [Choice(f"cmd:story dang {story.id}", ctx.t("story_publish"))]
    ctx.say(text, tuple(choices))
    return True


DECISIONS = ("approved", "more", "declined")
NOTE_NEEDED = frozenset({"more", "declined"})


async def decide(ctx: Ctx, story_id: int, decision: str, note: str | None) -> bool:
    member = ctx.member
    story = await stories.get(ctx.session, story_id)
    if story is None or member is None or decision not in DECISIONS:
        return False
    await stories.review(ctx.session, story, decision, note, member.person_id, ctx.now)
    subject = story.subject

    def notice(lang: str) -> Reply:
        text = t(lang, "story_" + decision, subject=subject)
        if note:
            text += "\n" + t(lang, "review_note_line", note=note)
        if decision == "more":
            return Reply(text, (Choice(f"cmd:story bosung {story_id}", t(lang, "story_add")),))
        return Reply(text)

    language = await repo.language_of(ctx.session, story.person_id)
    await tell(ctx, [(story.person_id, language)], notice)
    done = ctx.t("review_done_story", decision=ctx.t("story_status_" + decision))
    choices = [Choice("cmd:review", ctx.t("review_next"))]
    if decision == "approved":
        choices.insert(0, Choice(f"cmd:story dang {story_id}", ctx.t("story_publish")))
    ctx.say(done, tuple(choices))
    return True


async def publish(ctx: Ctx, story_id: int) -> None:
    """An approved story as a campaign update: the /thongbao form at its audience question."""
    member = ctx.member
    assert member is not None
    if member.role != "admin":
        ctx.say(ctx.t("broadcast_admins_only"))
        return
    story = await stories.get(ctx.session, story_id)
    if story is None or story.status != "approved":
        ctx.say(ctx.t("story_not_publishable"))
        return
    unit_name = await repo.unit_name(ctx.session, story.unit_id)
    text = ctx.t("story_update_head") + "\n" + _story_text(ctx.lang, story, unit_name)
    await broadcast.start_with_text(ctx, text, story_id)
