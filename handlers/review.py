"""Review by the secretariat (/duyet): the figures awaiting review, a few at a time; approve
one, approve all shown, or return one with a comment, which its unit's reporters get at
once with a button that opens the report form on that indicator and period.

The list is a form ("review"): the revisions shown are kept in its state, so "approve all"
approves exactly what the admin saw, never a figure that arrived meanwhile.
"""

from dataclasses import replace
from datetime import date, timedelta

from domain.periods import days_left, find_period, is_on_time, periods_to_report
from handlers import menu
from handlers.context import Answer, Ctx
from handlers.outgoing import Outgoing, notify
from handlers.report import MAX_REASON, _label, read_reason, show
from handlers.types import Choice, Reply
from storage import owed, repo, review

PAGE = 4  # figures shown at a time: each has its two buttons
REOPEN_FOR_FIX = timedelta(days=7)  # a locked period returned for a fix takes figures again


def is_admin(ctx: Ctx) -> bool:
    return ctx.member is not None and ctx.member.role == "admin"


async def start(ctx: Ctx, _argument: str = "") -> None:
    if not is_admin(ctx):
        ctx.say(ctx.t("review_admins_only"))
        return
    ctx.state.clear()
    ctx.state.go("review", "list")
    ctx.state.data["offset"] = 0
    await prompt(ctx)


async def prompt(ctx: Ctx) -> None:
    if ctx.state.step == "comment":
        await _ask_comment(ctx)
    else:
        await _show_list(ctx)


async def step(ctx: Ctx, answer: Answer) -> None:
    if ctx.state.step == "comment":
        await _on_comment(ctx, answer)
    else:
        await _on_list(ctx, answer)


def _parts(ctx: Ctx, item: review.Pending) -> dict[str, str]:
    """The unit, indicator, period and value of a figure, as `ctx`'s reader reads them."""
    assert ctx.catalog is not None
    indicator = ctx.catalog.campaign.indicator(item.indicator_code)
    period = find_period(item.period, ctx.catalog.campaign)
    return {
        "unit": item.unit_name,
        "indicator": _label(ctx, indicator),
        "period": period.label(ctx.lang) if period else item.period,
        "value": show(ctx, indicator, item.value),
    }


def _what(ctx: Ctx, item: review.Pending) -> str:
    """ "Phường Sa Pa — Thu ngân sách … (chỉ tiêu 9), tháng 9/2025: 1.500 tỷ đồng"."""
    return ctx.t("review_what", **_parts(ctx, item))


def _timing(ctx: Ctx, item: review.Pending) -> str:
    """Whether the unit's first value for the indicator and period arrived on time."""
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    period = find_period(item.period, campaign)
    if period is None or is_on_time(period, item.first_at, campaign):
        return ctx.t("review_on_time")
    return ctx.t("review_late", days=-days_left(period, item.first_at, campaign))


def _item(ctx: Ctx, n: int, item: review.Pending) -> str:
    if item.revision == 1:
        revision = ctx.t("review_first")
    else:
        revision = ctx.t("review_revised", n=item.revision - 1, reason=item.reason or "—")
        if item.earlier_decision is not None:
            revision += ctx.t("review_after_" + item.earlier_decision)
    text = ctx.t(
        "review_item",
        n=n,
        what=_what(ctx, item),
        revision=revision,
        timing=_timing(ctx, item),
        who=item.submitted_by or "—",
        channel=ctx.t("channel_" + item.channel),
        time=ctx.local_time(item.submitted_at),
    )
    return text + ("\n" + ctx.t("review_note", note=item.note) if item.note else "")


async def _show_list(ctx: Ctx) -> None:
    total = await review.pending_count(ctx.session)
    offset = ctx.state.data.get("offset", 0)
    if offset >= total:
        offset = 0
    items = await review.pending(ctx.session, PAGE, offset)
    if not items:
        ctx.state.clear()
        ctx.say(ctx.t("review_none"))
        await menu.show(ctx)
        return
    ctx.state.data.update(offset=offset, shown=[item.report_id for item in items])
    lines = "\n\n".join(_item(ctx, n, item) for n, item in enumerate(items, start=1))
    choices: list[Choice] = []
    for n in range(1, len(items) + 1):
        choices.append(Choice(f"ok:{n}", ctx.t("review_approve", n=n), f"D{n}"))
        choices.append(Choice(f"ret:{n}", ctx.t("review_return", n=n), f"T{n}"))
    if len(items) > 1:
        choices.append(Choice("all", ctx.t("review_approve_all", count=len(items)), "D"))
    if total > len(items):
        choices.append(Choice("more", ctx.t("review_more"), "X"))
    if total > len(items):
        head = ctx.t("review_page", total=total, first=offset + 1, last=offset + len(items))
    else:
        head = ctx.t("review_all", total=total)
    text = f"{head}\n\n{lines}"
    ctx.say(text, tuple(choices))


def _picked(ctx: Ctx, choice: str) -> int:
    """The revision a choice "ok:2" or "ret:2" names: the second one shown."""
    number = int(choice.partition(":")[2])
    report_id: int = ctx.state.data["shown"][number - 1]
    return report_id


async def _on_list(ctx: Ctx, answer: Answer) -> None:
    choice = answer.choice or ""
    if choice.startswith("ok:"):
        await _approve(ctx, [_picked(ctx, choice)])
    elif choice == "all":
        await _approve(ctx, ctx.state.data["shown"])
    elif choice.startswith("ret:"):
        report_id = _picked(ctx, choice)
        if not await review.pending_of(ctx.session, [report_id]):
            ctx.say(ctx.t("review_gone"))
        else:
            ctx.state.step = "comment"
            ctx.state.data["returning"] = report_id
    elif choice == "more":
        ctx.state.data["offset"] = ctx.state.data["offset"] + PAGE
    else:
        numbered = "_numbered" if ctx.capabilities.numbered else ""
        ctx.say(ctx.t("review_list_invalid" + numbered))
    await prompt(ctx)


async def _approve(ctx: Ctx, report_ids: list[int]) -> None:
    member = ctx.member
    assert member is not None
    items = await review.pending_of(ctx.session, report_ids)
    decided = await review.decide(
        ctx.session, report_ids, review.APPROVED, member.person_id, ctx.event.channel, None, ctx.now
    )
    approved = [item for item in items if item.report_id in decided]
    if not approved:
        ctx.say(ctx.t("review_gone"))
    elif len(report_ids) == 1:
        ctx.say(ctx.t("review_approved", what=_what(ctx, approved[0])))
    else:
        ctx.say(ctx.t("review_approved_many", count=ctx.number(len(approved))))


async def _ask_comment(ctx: Ctx) -> None:
    items = await review.pending_of(ctx.session, [ctx.state.data["returning"]])
    if not items:  # decided or corrected while the admin was typing
        ctx.say(ctx.t("review_gone"))
        ctx.state.step = "list"
        await _show_list(ctx)
        return
    ctx.say(
        ctx.t("review_ask_comment", what=_what(ctx, items[0]), limit=MAX_REASON),
        (Choice("back", ctx.t("review_back")),),
    )


async def _on_comment(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "back":
        ctx.state.step = "list"
        await _show_list(ctx)
        return
    comment = read_reason(ctx, answer.text) if answer.text else None
    if comment is None:  # said why (a photo: that it must be text); the question stays
        if not answer.text:
            ctx.say(ctx.t("review_comment_text"))
        await _ask_comment(ctx)
        return
    member = ctx.member
    assert member is not None
    report_id = ctx.state.data.pop("returning")
    ctx.state.step = "list"
    items = await review.pending_of(ctx.session, [report_id])
    decided = await review.decide(
        ctx.session,
        [report_id],
        review.RETURNED,
        member.person_id,
        ctx.event.channel,
        comment,
        ctx.now,
    )
    if not items or not decided:
        ctx.say(ctx.t("review_gone"))
    else:
        reopened = await _reopen_for_fix(ctx, items[0])
        told = await _tell_unit(ctx, items[0], comment, reopened)
        what = _what(ctx, items[0])
        if told:
            ctx.say(ctx.t("review_returned", what=what, count=ctx.number(told)))
        else:
            ctx.say(ctx.t("review_returned_nobody", what=what))
    await _show_list(ctx)


async def _reopen_for_fix(ctx: Ctx, item: review.Pending) -> date | None:
    """A returned figure of a period locked for the unit could not be corrected: the period
    takes the unit's figures again for a few days. The last of them, if reopened."""
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    reopened = await owed.reopened(ctx.session, item.unit_id)
    if any(p.code == item.period for p in periods_to_report(ctx.now, campaign, reopened)):
        return None
    until = ctx.today + REOPEN_FOR_FIX
    await owed.reopen(ctx.session, item.unit_id, item.period, until, ctx.now)
    return until


async def _tell_unit(ctx: Ctx, item: review.Pending, comment: str, reopened: date | None) -> int:
    """The returned figure, told to the unit's reporters (and its submitter) at once, with a
    button that opens the report form on it; how many people it was queued for."""
    assert ctx.catalog is not None and ctx.member is not None
    number = ctx.catalog.campaign.indicator(item.indicator_code).number
    reviewer = f"{ctx.member.display_name} ({ctx.member.unit_name})"
    messages = []
    for person_id, lang in await review.people_to_tell(
        ctx.session, item.unit_id, item.submitted_by_id
    ):
        chat = await repo.last_chat(ctx.session, person_id)
        if chat is None:
            continue
        reader = replace(ctx, lang=lang)
        text = reader.t("review_notice", reviewer=reviewer, comment=comment, **_parts(reader, item))
        if reopened is not None:
            text += "\n" + reader.t("review_reopened", date=reopened.strftime("%d/%m/%Y"))
        fix = Choice(f"cmd:report {item.period} {number}", reader.t("review_fix"))
        key = f"review:{item.report_id}:{person_id}"
        messages.append(Outgoing(chat[0], chat[1], Reply(text, (fix,)), person_id, key))
    await notify(ctx, messages, "review")
    return len(messages)
