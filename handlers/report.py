"""The report form: choose an indicator, type the figure, add a note, confirm, get a receipt.

Nothing is stored until the user confirms; every step is saved in the form state.
See report.md beside this file for the diagram.
"""

import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from decimal import Decimal
from string import ascii_lowercase

from domain.campaign import IndicatorSpec
from domain.figures import Ambiguous, Reading, Refused, judge, kept_decimals, read_figure
from domain.numbers import STORED_DECIMALS, STORED_INTEGER_DIGITS
from domain.periods import (
    Period,
    days_left,
    deadline,
    find_period,
    is_on_time,
    lock_date,
    period_containing,
    periods_to_report,
    reporting_period,
)
from domain.progress import Expectation, Progress, expectation, is_total, progress, unit_target
from domain.text import fold
from handlers import menu
from handlers.choices import MAX_MATCHED, match_choice
from handlers.context import Answer, Ctx
from handlers.types import Choice
from storage import owed, repo, review, standings

MAX_NOTE = 500
MAX_REASON = 300


async def start(ctx: Ctx, argument: str = "") -> None:
    """Open the form; an argument ("9", "ct 8a", "ngân sách") opens that indicator directly,
    one starting with a period code ("2025-09", "2025-09 9") that period.

    With no argument, when the unit still owes figures for a period before the current one,
    the form first asks which period, the oldest owed first.
    """
    if not may_report(ctx):
        return
    assert ctx.catalog is not None and ctx.member is not None
    periods = await reportable_periods(ctx)
    code, _, rest = argument.strip().partition(" ")
    named = _PERIOD_CODE.fullmatch(code) is not None
    if named:
        period = next((p for p in periods if p.code == code), None)
        if period is None:
            _say_not_open(ctx, code)
            return
        argument = rest.strip()
    elif periods:
        period = periods[-1]
    else:
        say_campaign_closed(ctx)
        return
    ctx.state.clear()
    ctx.state.go("report", "pick")
    ctx.state.data["period"] = period.start.isoformat()
    if argument:
        await _pick_by_text(ctx, argument)
    elif not named and await owed.owed(
        ctx.session, ctx.catalog, periods[:-1], [ctx.member.unit_id]
    ):
        ctx.state.step = "period"
        await _ask_period(ctx)
    else:
        await _ask_pick(ctx)


def may_report(ctx: Ctx) -> bool:
    """Whether the member reports at all; if not, say why."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None
    if catalog is None:
        ctx.say(ctx.t("no_campaign"))
        return False
    if member.role == "viewer":
        ctx.say(ctx.t("viewer_cannot_report"))
        return False
    if not catalog.assigned(member.unit_code, member.unit_kind):
        ctx.say(ctx.t("no_indicators", unit=member.unit_name))
        return False
    return True


def open_period(ctx: Ctx) -> Period | None:
    """The period officials report for today, or None after saying why the member cannot."""
    if not may_report(ctx):
        return None
    assert ctx.catalog is not None
    period = reporting_period(ctx.today, ctx.catalog.campaign)
    if period is None:
        say_campaign_closed(ctx)
    return period


async def reportable_periods(ctx: Ctx) -> list[Period]:
    """The periods the member's unit may report for now (reopened ones included), oldest first."""
    assert ctx.catalog is not None and ctx.member is not None
    reopened = await owed.reopened(ctx.session, ctx.member.unit_id)
    return periods_to_report(ctx.now, ctx.catalog.campaign, reopened)


def say_campaign_closed(ctx: Ctx) -> None:
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    if ctx.today < campaign.starts:
        ctx.say(ctx.t("closed_before", date=date_text(campaign.starts)))
    else:
        ctx.say(ctx.t("closed_after", date=date_text(campaign.ends)))


def _say_not_open(ctx: Ctx, code: str) -> None:
    """Why a period asked for by its code takes no figures now."""
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    period = find_period(code, campaign)
    if period is None:
        ctx.say(ctx.t("period_unknown", code=code[:16]))
    elif ctx.today > lock_date(period, campaign.reporting):
        lock = date_text(lock_date(period, campaign.reporting))
        ctx.say(ctx.t("period_locked", period=period.label(ctx.lang), date=lock))
    else:
        ctx.say(ctx.t("period_not_yet", period=period.label(ctx.lang)))


def due_status(ctx: Ctx, period: Period) -> str:
    """ "còn 2 ngày", "hạn hôm nay", "quá hạn 3 ngày"."""
    assert ctx.catalog is not None
    left = days_left(period, ctx.now, ctx.catalog.campaign)
    if left > 0:
        return ctx.t("due_left", days=left)
    return ctx.t("due_overdue", days=-left) if left < 0 else ctx.t("due_today")


def owed_line(ctx: Ctx, item: owed.Owed) -> str:
    """ "Tháng 9/2025 – hạn 05/10/2025, còn 2 ngày: thiếu 5/15 chỉ tiêu"."""
    assert ctx.catalog is not None
    due = deadline(item.period, ctx.catalog.campaign.reporting)
    return ctx.t(
        "owed_period",
        period=_capitalized(item.period.label(ctx.lang)),
        date=date_text(due),
        status=due_status(ctx, item.period),
        missing=len(item.missing),
        assigned=item.assigned,
    )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


async def prompt(ctx: Ctx) -> None:
    await _PROMPTS[ctx.state.step or "pick"](ctx)


async def step(ctx: Ctx, answer: Answer) -> None:
    await _STEPS[ctx.state.step or "pick"](ctx, answer)


# What the form keeps between steps


def _period(ctx: Ctx) -> Period:
    assert ctx.catalog is not None
    start = date.fromisoformat(ctx.state.data["period"])
    return period_containing(start, ctx.catalog.campaign.reporting.frequency)


def _indicator(ctx: Ctx) -> IndicatorSpec:
    assert ctx.catalog is not None
    return ctx.catalog.campaign.indicator(ctx.state.data["indicator"])


def still_valid(ctx: Ctx) -> bool:
    """Whether a saved form still fits the campaign (a reload may have dropped its indicator)."""
    code = ctx.state.data.get("indicator")
    catalog = ctx.catalog
    return catalog is not None and (
        code is None or any(i.code == code for i in catalog.campaign.indicators)
    )


def _label(ctx: Ctx, indicator: IndicatorSpec) -> str:
    """ "Thu ngân sách nhà nước trên địa bàn (chỉ tiêu 9)": the directive's number last, so
    that it is not read as the position in a numbered list."""
    return ctx.t("indicator_label", name=indicator.name, number=indicator.number)


def date_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def show(
    ctx: Ctx, indicator: IndicatorSpec, value: Decimal, max_decimals: int = STORED_DECIMALS
) -> str:
    """A value as the user reads it: "8,5%", "21.000 tỷ đồng", or the option's label.

    Every digit the database keeps is shown, so what is shown is what is stored; only an
    estimate (the period's share of a target) passes fewer `max_decimals`.
    """
    for option in indicator.options:
        if option.value == value:
            return option.label
    number = ctx.number(value, max_decimals)
    return f"{number}%" if indicator.unit == "%" else f"{number} {indicator.unit}"


async def _load_target(ctx: Ctx, indicator: IndicatorSpec) -> Decimal | None:
    """The unit's own target, else the province's where it applies to the unit as it is."""
    member = ctx.member
    assert member is not None
    own = await repo.unit_target(ctx.session, member.unit_id, indicator.code)
    return unit_target(indicator, own, member.unit_code)


def _target(ctx: Ctx) -> Decimal | None:
    """The target read when the indicator was chosen."""
    target = ctx.state.data.get("target")
    return Decimal(target) if target is not None else None


def _expectation(ctx: Ctx) -> Expectation:
    return expectation(_indicator(ctx), _target(ctx), _period(ctx))


# Step 0: which period, when the unit owes figures for an earlier one


async def _ask_period(ctx: Ctx) -> None:
    """The periods owed, oldest first, then the current one."""
    assert ctx.catalog is not None and ctx.member is not None
    periods = await reportable_periods(ctx)
    owing = await owed.owed(ctx.session, ctx.catalog, periods[:-1], [ctx.member.unit_id])
    offered = [item.period for item in owing] + periods[-1:]
    choices = tuple(
        Choice(
            "per:" + period.code,
            ctx.t(
                "period_choice",
                period=_capitalized(period.label(ctx.lang)),
                status=due_status(ctx, period),
            ),
        )
        for period in offered
    )
    lines = "\n".join("• " + owed_line(ctx, item) for item in owing)
    ctx.say(ctx.t("ask_period", owed=lines), choices)


async def _on_period(ctx: Ctx, answer: Answer) -> None:
    periods = await reportable_periods(ctx)
    period = next((p for p in periods if "per:" + p.code == answer.choice), None)
    if period is None:  # typed words, or a period that closed meanwhile
        ctx.say(ctx.t("period_invalid"))
        await _ask_period(ctx)
        return
    ctx.state.data["period"] = period.start.isoformat()
    ctx.state.step = "pick"
    await _ask_pick(ctx)


# Step 1: choose an indicator


async def _ask_pick(ctx: Ctx) -> None:
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    period = _period(ctx)
    choices = await _indicator_choices(ctx, catalog.assigned(member.unit_code, member.unit_kind))
    due = deadline(period, catalog.campaign.reporting)
    ctx.say(ctx.t("pick", period=period.label(ctx.lang), deadline=date_text(due)), choices)


async def _indicator_choices(ctx: Ctx, indicators: list[IndicatorSpec]) -> tuple[Choice, ...]:
    """Buttons with the short name (✅ when reported this period); a numbered list shows each
    under the directive's number, so that a typed "9" is always target 9, never a position."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    reported = await repo.reported_indicators(ctx.session, member.unit_id, _period(ctx).code)
    return tuple(
        Choice(
            "ind:" + indicator.code,
            (indicator.short or indicator.name)
            + (" ✅" if catalog.indicator_ids[indicator.code] in reported else ""),
            indicator.number,
        )
        for indicator in indicators
    )


async def _on_pick(ctx: Ctx, answer: Answer) -> None:
    assert ctx.catalog is not None
    if answer.choice is not None and answer.choice.startswith("ind:"):
        await _open(ctx, ctx.catalog.campaign.indicator(answer.choice.removeprefix("ind:")))
    else:
        await _pick_by_text(ctx, answer.text)


async def _pick_by_text(ctx: Ctx, text: str) -> None:
    """An indicator typed by number or name: open it if it is the unit's, else say why not."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    assigned = catalog.assigned(member.unit_code, member.unit_kind)
    found = find_indicators(text, catalog.campaign.indicators)
    mine = [indicator for indicator in found if indicator in assigned]
    if len(mine) == 1:
        await _open(ctx, mine[0])
        return
    if mine:
        typed = text.strip()[:40]
        ctx.say(ctx.t("pick_which", typed=typed), await _indicator_choices(ctx, mine))
        return
    if 0 < len(found) <= 3:  # more would be a list of what the unit does not report
        names = ", ".join(_label(ctx, indicator) for indicator in found)
        ctx.say(ctx.t("not_assigned", name=names, unit=member.unit_name))
    else:
        ctx.say(ctx.t("pick_invalid"))
    await _ask_pick(ctx)


async def _open(ctx: Ctx, indicator: IndicatorSpec) -> None:
    """The indicator chosen: read its target and any figure already reported, ask the figure."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    ctx.state.data["indicator"] = indicator.code
    target = await _load_target(ctx, indicator)
    ctx.state.data["target"] = str(target) if target is not None else None
    existing = await repo.latest_report(
        ctx.session, member.unit_id, catalog.indicator_ids[indicator.code], _period(ctx).code
    )
    if existing is not None:
        ctx.state.data["revises"] = existing.revision
        ctx.say(
            ctx.t(
                "already_reported",
                value=show(ctx, indicator, existing.value),
                time=ctx.local_time(existing.created_at),
            )
        )
    ctx.state.step = "value"
    await _ask_value(ctx)


_PERIOD_CODE = re.compile(r"\d{4}-(?:\d{2}|W\d{2}|Q\d)")
_REFERENCE = re.compile(r"(?:(?:chi tieu|ct)\s*(?:so\s*)?)?0*(\d{1,2})([a-z]?)")


def find_indicators(text: str, indicators: list[IndicatorSpec]) -> list[IndicatorSpec]:
    """The indicators typed text names, whether or not the unit reports them.

    By the directive's number ("9", "ct 9", "chỉ tiêu 8a"; "8" is both 8a and 8b), else by
    full or short name, by a part of one, or by a close spelling: the first of these that fits
    anything. Only the first characters are looked at, so that no message holds the loop.
    """
    if len(text) > 4 * MAX_MATCHED:
        return []
    typed = fold(text).strip(" .:;-")
    if not typed or len(typed) > MAX_MATCHED:
        return []
    reference = _REFERENCE.fullmatch(typed)
    if reference is not None:
        number, letter = reference.groups()
        return [
            indicator
            for indicator in indicators
            if indicator.number == number + letter
            or (not letter and indicator.number.rstrip(ascii_lowercase) == number)
        ]
    names = {indicator.code: _names(indicator) for indicator in indicators}
    exact = [i for i in indicators if typed in names[i.code]]
    if exact or len(typed) < 4:
        return exact
    partial = [i for i in indicators if any(typed in name for name in names[i.code])]
    if partial:
        return partial
    every = [Choice(i.code, name) for i in indicators for name in names[i.code]]
    near = match_choice(typed, every, by_number=False)
    return [i for i in indicators if near is not None and i.code == near.id]


def _names(indicator: IndicatorSpec) -> set[str]:
    return {fold(indicator.name), fold(indicator.short or indicator.name)}


# Step 2: the figure


async def _ask_value(ctx: Ctx) -> None:
    indicator, period = _indicator(ctx), _period(ctx)
    head = {"indicator": _label(ctx, indicator), "period": period.label(ctx.lang)}
    hint = "\n" + indicator.hint if indicator.hint else ""
    if indicator.options:
        options = tuple(Choice("opt:" + o.code, o.label) for o in indicator.options)
        ctx.say(ctx.t("ask_option", **head) + hint, options)
        return
    text = ctx.t(
        "ask_value",
        **head,
        unit=indicator.unit,
        example=_example(ctx, indicator),
        ytd=ctx.t("ytd") if indicator.accumulation == "ytd" else "",
    )
    ctx.say(text + hint)


def _example(ctx: Ctx, indicator: IndicatorSpec) -> str:
    return _EXAMPLES[indicator.kind][ctx.lang == "en"]


_EXAMPLES = {
    "percent": ("8,5", "8.5"),
    "amount": ("1.250,5", "1,250.5"),
    "count": ("1.200", "1200"),
    "ratio": ("12,8", "12.8"),
    "years": ("71,7", "71.7"),
}


async def _on_value(ctx: Ctx, answer: Answer) -> None:
    indicator = _indicator(ctx)
    if indicator.options:
        option = next((o for o in indicator.options if "opt:" + o.code == answer.choice), None)
        if option is None:
            ctx.say(ctx.t("option_invalid"))
            await _ask_value(ctx)
        else:
            await _accept(ctx, option.value)
        return
    if answer.attachment is not None and not answer.text:
        ctx.say(ctx.t("attachment_not_now"))
        return
    await _take_figure(ctx, answer.text)


async def _take_figure(ctx: Ctx, text: str) -> None:
    indicator = _indicator(ctx)
    reading = read_figure(text, indicator, _expectation(ctx))
    if isinstance(reading, Refused):
        ctx.say(refusal(ctx, indicator, reading))
    elif isinstance(reading, Ambiguous):
        ctx.state.step = "ambiguous"
        ctx.state.data["typed"] = text.strip()[:40]
        ctx.state.data["candidates"] = [str(c) for c in reading.candidates]
        await _ask_ambiguous(ctx)
    else:
        await _check(ctx, reading)


def refusal(ctx: Ctx, indicator: IndicatorSpec, refused: Refused) -> str:
    """Why a typed text gives no figure: the parser explains itself in Vietnamese, with an
    example fitting the mistake; everything else is in the texts."""
    if refused.message is not None and ctx.lang == "vi":
        return refused.message
    return ctx.t(
        "figure_" + refused.reason,
        unit=indicator.unit,
        example=_example(ctx, indicator),
        digits=STORED_INTEGER_DIGITS,
        decimals=STORED_DECIMALS,
    )


async def _check(ctx: Ctx, reading: Reading) -> None:
    """Question an implausible or rounded figure instead of refusing it."""
    if not reading.questioned:
        await _accept(ctx, reading.value)
        return
    data = ctx.state.data
    ctx.state.step = "doubt"
    data["pending"] = str(reading.value)
    data["doubts"] = list(reading.doubts)
    if reading.rounded:
        data["unrounded"] = str(reading.typed)
    await _ask_doubt(ctx)


async def _accept(ctx: Ctx, value: Decimal) -> None:
    data = ctx.state.data
    for key in ("pending", "doubts", "unrounded", "typed", "candidates"):
        data.pop(key, None)
    data["value"] = str(value)
    if "revises" in data and "reason" not in data:
        ctx.state.step = "reason"
        await _ask_reason(ctx)
    else:
        ctx.state.step = "note"
        await _ask_note(ctx)


async def _ask_ambiguous(ctx: Ctx) -> None:
    indicator = _indicator(ctx)
    shown = [show(ctx, indicator, Decimal(c)) for c in ctx.state.data["candidates"]]
    choices = tuple(Choice(f"val:{i}", label) for i, label in enumerate(shown))
    ctx.say(
        ctx.t("ask_ambiguous", typed=ctx.state.data["typed"], first=shown[0], second=shown[1]),
        choices,
    )


async def _on_ambiguous(ctx: Ctx, answer: Answer) -> None:
    if answer.choice is not None and answer.choice.startswith("val:"):
        value = Decimal(ctx.state.data["candidates"][int(answer.choice[4:])])
        await _check(ctx, judge(_indicator(ctx), value, _expectation(ctx)))
    else:
        await _retyped(ctx, answer, _ask_ambiguous)


async def _retyped(ctx: Ctx, answer: Answer, ask_again: Callable[[Ctx], Awaitable[None]]) -> None:
    """A new figure typed instead of a choice replaces the one in question."""
    if answer.text:
        ctx.state.step = "value"
        await _take_figure(ctx, answer.text)
    else:
        ctx.say(ctx.t("attachment_not_now"))
        await ask_again(ctx)


async def _ask_doubt(ctx: Ctx) -> None:
    """What is questioned about the pending value; keeping it stores exactly what is shown."""
    indicator, data = _indicator(ctx), ctx.state.data
    unrounded = Decimal(data["unrounded"]) if "unrounded" in data else None
    question, keep = doubt_question(
        ctx, indicator, Decimal(data["pending"]), unrounded, data["doubts"], _expectation(ctx)
    )
    ctx.say(question, (Choice("keep", keep), Choice("retype", ctx.t("retype_value"))))


def doubt_question(
    ctx: Ctx,
    indicator: IndicatorSpec,
    value: Decimal,
    unrounded: Decimal | None,
    reasons: Sequence[str],
    expected: Expectation,
) -> tuple[str, str]:
    """The question about a figure to check before storing it (rounded, or implausible), and
    the label of the choice that keeps it."""
    shown = show(ctx, indicator, value)
    lines = []
    if unrounded is not None:
        lines.append(
            ctx.t(
                "doubt_rounded_count" if indicator.kind == "count" else "doubt_rounded",
                typed=show(ctx, indicator, unrounded),
                value=shown,
                decimals=kept_decimals(indicator),
            )
        )
    if reasons:
        bounds = _shown_bounds(ctx, indicator, expected)
        said = ", ".join(ctx.t("doubt_" + reason, **bounds) for reason in reasons)
        lines.append(ctx.t("doubt", value=shown, reasons=said))
    keep = ctx.t("keep_rounded", value=shown) if unrounded is not None else ctx.t("keep_value")
    return "\n".join(lines), keep


def _shown_bounds(ctx: Ctx, indicator: IndicatorSpec, expected: Expectation) -> dict[str, str]:
    """What a doubt may quote: the indicator's limits and what the unit was expected to report."""
    low, high = indicator.plausible or (None, None)
    bounds = {
        "minimum": indicator.minimum,
        "maximum": indicator.maximum,
        "low": low,
        "high": high,
        "province_target": expected.province_target,
    }
    shown = {name: show(ctx, indicator, v) if v is not None else "" for name, v in bounds.items()}
    if expected.expected is not None:  # an estimate: rounded as the indicator's figures are
        shown["expected"] = show(ctx, indicator, expected.expected, kept_decimals(indicator))
    return shown


async def _on_doubt(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "keep":
        await _accept(ctx, Decimal(ctx.state.data["pending"]))
    elif answer.choice == "retype":
        ctx.state.step = "value"
        ctx.say(ctx.t("retype"))
    else:
        await _retyped(ctx, answer, _ask_doubt)


# Step 3: the reason for a correction, then an optional note and evidence


def free_text(ctx: Ctx, text: str, limit: int, too_long: str) -> str | None:
    """Text worth storing, or None after telling the user what is wrong with it."""
    cleaned = "".join(ch for ch in text if ch.isprintable() or ch == "\n").strip()
    if len(cleaned) > limit:
        ctx.say(ctx.t(too_long, length=ctx.number(len(cleaned)), limit=limit))
        return None
    if not any(ch.isalnum() for ch in cleaned):
        ctx.say(ctx.t("text_needs_words"))
        return None
    return cleaned


async def _ask_reason(ctx: Ctx) -> None:
    ctx.say(ctx.t("ask_reason"))


def read_reason(ctx: Ctx, text: str) -> str | None:
    """The reason for a correction, or None after saying what is wrong with it."""
    reason = free_text(ctx, text, MAX_REASON, "reason_too_long")
    if reason is not None and len(reason) < 3:
        ctx.say(ctx.t("reason_invalid", limit=MAX_REASON))
        return None
    return reason


async def _on_reason(ctx: Ctx, answer: Answer) -> None:
    reason = read_reason(ctx, answer.text)
    if reason is None:
        return
    ctx.state.data["reason"] = reason
    ctx.state.step = "note"
    await _ask_note(ctx)


async def _ask_note(ctx: Ctx) -> None:
    kinds = ctx.capabilities.evidence
    evidence = ""
    if kinds:
        evidence = ctx.t("ask_note_evidence_" + ("document" if "document" in kinds else "photo"))
    ctx.say(ctx.t("ask_note", evidence=evidence), (Choice("skip", ctx.t("skip")),))


async def _on_note(ctx: Ctx, answer: Answer) -> None:
    data = ctx.state.data
    attachment = answer.attachment
    if attachment is not None and attachment.kind not in ctx.capabilities.evidence:
        attachment = None
    if answer.choice != "skip" and (answer.text or attachment is None):
        note = free_text(ctx, answer.text, MAX_NOTE, "note_too_long")
        if note is None:
            await _ask_note(ctx)
            return
        data["note"] = note
    if answer.choice != "skip" and attachment is not None:
        data["evidence"] = {"kind": attachment.kind, "ref": attachment.ref}
    ctx.state.step = "confirm"
    await _ask_confirm(ctx)


# Step 4: confirm, then the receipt


async def _ask_confirm(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None
    indicator, data = _indicator(ctx), ctx.state.data
    lines = [
        ctx.t(
            "summary",
            unit=member.unit_name,
            period=_period(ctx).label(ctx.lang),
            indicator=_label(ctx, indicator),
            value_label=ctx.t("summary_result" if indicator.options else "summary_figure"),
            value=show(ctx, indicator, Decimal(data["value"])),
        )
    ]
    if data.get("note"):
        lines.append(ctx.t("summary_note", note=data["note"]))
    if data.get("evidence"):
        lines.append(ctx.t("summary_evidence", kind=ctx.t("evidence_" + data["evidence"]["kind"])))
    if data.get("reason"):
        lines.append(ctx.t("summary_reason", reason=data["reason"]))
    choices = (
        Choice("confirm", ctx.t("confirm")),
        Choice("edit", ctx.t("edit_value")),
        Choice("cancel", ctx.t("cancel")),
    )
    ctx.say("\n".join(lines), choices)


async def _on_confirm(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "confirm":
        await _store(ctx)
    elif answer.choice == "edit":
        ctx.state.step = "value"
        await _ask_value(ctx)
    elif answer.choice == "cancel":
        await menu.cancel(ctx)
    else:
        ctx.say(ctx.t("confirm_invalid"))
        await _ask_confirm(ctx)


async def _store(ctx: Ctx) -> None:
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    indicator, period, data = _indicator(ctx), _period(ctx), ctx.state.data
    if period not in await reportable_periods(ctx):  # locked while the form was open
        _say_not_open(ctx, period.code)
        ctx.state.clear()
        await menu.show(ctx)
        return
    indicator_id = catalog.indicator_ids[indicator.code]
    latest = await repo.latest_report(ctx.session, member.unit_id, indicator_id, period.code)
    if (latest.revision if latest else None) != data.get("revises"):
        # A colleague of the unit stored a figure while this form was open: this one becomes
        # a correction of it, so it needs a reason too.
        assert latest is not None
        data["revises"] = latest.revision
        data.pop("reason", None)
        shown = show(ctx, indicator, latest.value)
        ctx.say(ctx.t("changed_meanwhile", value=shown, time=ctx.local_time(latest.created_at)))
        ctx.state.step = "reason"
        await _ask_reason(ctx)
        return
    revision = latest.revision + 1 if latest else 1
    decided = latest is not None and (
        await review.status(ctx.session, member.unit_id, indicator_id, period.code)
        in review.DECISIONS
    )
    evidence = data.get("evidence")
    value = Decimal(data["value"])
    await repo.add_report(
        ctx.session,
        revision=revision,
        indicator_id=indicator_id,
        unit_id=member.unit_id,
        period=period.code,
        value=value,
        note=data.get("note"),
        reason=data.get("reason"),
        evidence=f"{evidence['kind']}:{evidence['ref']}" if evidence else None,
        person_id=member.person_id,
        channel=ctx.event.channel,
        created_at=ctx.now,
    )
    ctx.say(
        ctx.t(
            "receipt",
            name=indicator.name,
            value=show(ctx, indicator, value),
            period=period.label(ctx.lang),
            revision=ctx.t("receipt_revision", n=revision - 1) if revision > 1 else "",
            late=_late(ctx, period) if revision == 1 else "",
            progress=await _progress_line(ctx, indicator, period, value),
        )
        + ("\n" + ctx.t("receipt_back_in_review") if decided else "")
    )
    ctx.state.clear()
    await menu.show(ctx)


def _late(ctx: Ctx, period: Period) -> str:
    """ " (nộp muộn 3 ngày)" for a first value that is not on time, else nothing."""
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    if is_on_time(period, ctx.now, campaign):
        return ""
    return ctx.t("receipt_late", days=-days_left(period, ctx.now, campaign))


async def _progress_line(ctx: Ctx, indicator: IndicatorSpec, period: Period, value: Decimal) -> str:
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    target = _target(ctx)
    if target is None:
        return ctx.t("progress_no_target")
    so_far = await standings.figure_so_far(ctx.session, catalog, member.unit_id, indicator, period)
    return _progress_text(
        ctx, indicator, progress(indicator, so_far if so_far is not None else value, target)
    )


def _progress_text(ctx: Ctx, indicator: IndicatorSpec, result: Progress) -> str:
    """A unit's progress on an indicator in a sentence: the receipt, /xephang."""
    target, achieved = result.target, result.achieved
    assert target is not None
    shown_target = show(ctx, indicator, target)
    if indicator.direction == "target_band":
        return ctx.t(
            "progress_band", target=shown_target, gap=_gap(ctx, indicator, achieved - target)
        )
    if indicator.options:  # yes/no and milestones: met or not, no percentage
        return (
            ctx.t("progress_met") if result.met else ctx.t("progress_not_met", target=shown_target)
        )
    if result.met:
        status = ctx.t("progress_met")
    elif indicator.direction == "higher":
        status = ctx.t("progress_short", gap=_gap(ctx, indicator, target - achieved))
    else:
        status = ""
    percent = f"{ctx.number(result.percent, 1)}%" if result.percent is not None else "—"
    if is_total(indicator):
        key = "progress_total"
    else:  # a rate is measured by its gap in points, never as a percent of a percent
        key = "progress_rate" if indicator.kind == "percent" else "progress_level"
    line = ctx.t(key, achieved=show(ctx, indicator, achieved), target=shown_target, percent=percent)
    return f"{line} {status}".strip()


def _gap(ctx: Ctx, indicator: IndicatorSpec, amount: Decimal) -> str:
    """A difference from the target: in percentage points for rates, else in the unit."""
    if indicator.unit == "%":
        return ctx.t("points", value=ctx.number(abs(amount), STORED_DECIMALS))
    return show(ctx, indicator, abs(amount))


_PROMPTS: dict[str, Callable[[Ctx], Awaitable[None]]] = {
    "period": _ask_period,
    "pick": _ask_pick,
    "value": _ask_value,
    "ambiguous": _ask_ambiguous,
    "doubt": _ask_doubt,
    "reason": _ask_reason,
    "note": _ask_note,
    "confirm": _ask_confirm,
}
_STEPS: dict[str, Callable[[Ctx, Answer], Awaitable[None]]] = {
    "period": _on_period,
    "pick": _on_pick,
    "value": _on_value,
    "ambiguous": _on_ambiguous,
    "doubt": _on_doubt,
    "reason": _on_reason,
    "note": _on_note,
    "confirm": _on_confirm,
}
