"""Several figures in one message: "ngân sách 15.200 tỷ; xuất khẩu 3,12 tỷ USD; ct 8a 9,1 triệu".

Sent outside a form, or in place of choosing an indicator, such a message is read as one
batch: the items that cannot be used are named, each doubt is asked in turn, a reason is
asked once if some figures correct earlier ones, then one summary to confirm and one receipt.
Nothing is stored until confirmed. Each figure is read and checked exactly as in the
one-figure form (handlers/report.py).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from domain.campaign import IndicatorSpec
from domain.figures import Ambiguous, Reading, Refused, judge, read_figure
from domain.periods import Period, period_containing
from domain.progress import Expectation, expectation
from domain.text import fold
from handlers import menu
from handlers.context import Answer, Ctx
from handlers.report import (
    _label,
    _load_target,
    doubt_question,
    find_indicators,
    open_period,
    read_reason,
    refusal,
    show,
)
from handlers.types import Choice
from storage import repo

MAX_TEXT = 4096  # Telegram's longest message; longer text is not read as a batch
MAX_ITEMS = 40  # more than the campaign's indicators
_SHOWN = 60  # characters of an item quoted back

_ITEM_BREAKS = re.compile(r"[\n;]+")
_ITEM_COMMA = re.compile(r",(?!\d)|(?<!\d),")  # "3,12" is a decimal, not two items
_REFERENCE = re.compile(r"\s*(?:ch[ỉi]\s*ti[êe]u|ct)\s*(?:s[ốo]\s*)?\d{1,2}[a-d]?\b", re.I)
_FIGURE = re.compile(r"[-−]?\d")
_FILLER = frozenset({"dat", "uoc", "la", "duoc", "khoang", "con"})  # "xuất khẩu ước đạt 3 tỷ"


@dataclass(frozen=True)
class Item:
    """One item of a batch as typed: the words naming the indicator and the figure."""

    typed: str
    name: str
    figure: str


def split_items(text: str) -> list[Item]:
    """Items at line breaks, semicolons and commas that are not decimal marks. A piece without
    any digit is part of a name holding a comma ("nông, lâm nghiệp") and joins the next."""
    items: list[Item] = []
    for line in _ITEM_BREAKS.split(unicodedata.normalize("NFC", text)):
        pending = ""
        for piece in _ITEM_COMMA.split(line):
            pending = f"{pending},{piece}" if pending else piece
            if any(ch.isdigit() for ch in piece):
                items.append(_item(pending))
                pending = ""
        if pending.strip():
            items.append(_item(pending))
    return [item for item in items if item.typed]


def _item(piece: str) -> Item:
    typed = piece.strip()
    reference = _REFERENCE.match(typed)
    figure = _FIGURE.search(typed, reference.end() if reference else 0)
    if figure is None:
        return Item(typed, typed, "")
    if reference is not None:
        name = reference.group()
    else:
        words = fold(typed[: figure.start()]).strip(" :=-–.").split()
        while words and words[-1] in _FILLER:
            words.pop()
        name = " ".join(words)
    return Item(typed, name, typed[figure.start() :])


async def start(ctx: Ctx, text: str) -> bool:
    """Take a message as a batch if it is one: outside a form or at the indicator list, with
    at least one item naming an indicator and holding a figure. False leaves it to others."""
    catalog, state = ctx.catalog, ctx.state
    if ctx.member is None or catalog is None or not text or len(text) > MAX_TEXT:
        return False
    if state.flow is not None and (state.flow, state.step) != ("report", "pick"):
        return False
    items = split_items(text)
    every = catalog.campaign.indicators
    if not any(item.figure and find_indicators(item.name, every) for item in items[:MAX_ITEMS]):
        return False
    if len(items) > MAX_ITEMS:
        ctx.say(ctx.t("batch_too_many", limit=MAX_ITEMS))
        return True
    period = open_period(ctx)
    if period is None:
        state.clear()
        return True
    state.clear()
    state.go("batch", "question")
    state.data["period"] = period.start.isoformat()
    state.data["items"] = []
    problems = [
        f"• “{item.typed[:_SHOWN]}”: {problem}"
        for item in items
        if (problem := await _read(ctx, item, period)) is not None
    ]
    if problems:
        ctx.say(ctx.t("batch_problems", problems="\n".join(problems)))
    await _next(ctx)
    return True


async def _read(ctx: Ctx, item: Item, period: Period) -> str | None:
    """Add one item to the batch, or say in a few words why it cannot be used."""
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    found = find_indicators(item.name, catalog.campaign.indicators) if item.name else []
    assigned = catalog.assigned(member.unit_code, member.unit_kind)
    mine = [indicator for indicator in found if indicator in assigned]
    if not found:
        return ctx.t("batch_unknown")
    if not mine:
        return ctx.t("batch_not_assigned", unit=member.unit_name)
    if len(mine) > 1:
        numbers = ", ".join(indicator.number for indicator in mine)
        return ctx.t("batch_which", numbers=numbers, example=mine[0].number)
    (indicator,) = mine
    if indicator.options:
        return ctx.t("batch_choice", number=indicator.number)
    if not item.figure:
        return ctx.t("batch_no_figure")
    if any(entry["indicator"] == indicator.code for entry in ctx.state.data["items"]):
        return ctx.t("batch_twice")
    target = await _load_target(ctx, indicator)
    entry: dict[str, Any] = {
        "indicator": indicator.code,
        "typed": item.figure[:_SHOWN],
        "target": str(target) if target is not None else None,
    }
    error = _take(ctx, entry, indicator, item.figure)
    if error is not None:
        return error
    latest = await repo.latest_report(
        ctx.session, member.unit_id, catalog.indicator_ids[indicator.code], period.code
    )
    entry["revises"] = latest.revision if latest is not None else None
    ctx.state.data["items"].append(entry)
    return None


def _take(ctx: Ctx, entry: dict[str, Any], indicator: IndicatorSpec, text: str) -> str | None:
    """Read a figure into an entry (its value, or the readings to choose from) with what to
    ask about it; the reader's message when it cannot be read."""
    reading = read_figure(text, indicator, _expected(ctx, indicator, entry))
    if isinstance(reading, Refused):
        return refusal(ctx, indicator, reading)
    if isinstance(reading, Ambiguous):
        entry["candidates"] = [str(c) for c in reading.candidates]
        entry["doubts"] = []
        entry.pop("unrounded", None)
    else:
        _set_reading(entry, reading)
    return None


def _set_reading(entry: dict[str, Any], reading: Reading) -> None:
    """The value that would be stored, with its doubts and, if rounded, what was typed."""
    entry["value"] = str(reading.value)
    entry["candidates"] = []
    entry["doubts"] = list(reading.doubts)
    entry.pop("unrounded", None)
    if reading.rounded:
        entry["unrounded"] = str(reading.typed)


def _period(ctx: Ctx) -> Period:
    assert ctx.catalog is not None
    start = date.fromisoformat(ctx.state.data["period"])
    return period_containing(start, ctx.catalog.campaign.reporting.frequency)


def _expected(ctx: Ctx, indicator: IndicatorSpec, entry: dict[str, Any]) -> Expectation:
    target = Decimal(entry["target"]) if entry["target"] is not None else None
    return expectation(indicator, target, _period(ctx))


def _entries(ctx: Ctx) -> list[tuple[IndicatorSpec, dict[str, Any]]]:
    assert ctx.catalog is not None
    campaign = ctx.catalog.campaign
    return [(campaign.indicator(entry["indicator"]), entry) for entry in ctx.state.data["items"]]


async def prompt(ctx: Ctx) -> None:
    if not _still_fits(ctx):
        return
    if ctx.state.step == "question":
        _ask_question(ctx)
    elif ctx.state.step == "reason":
        _ask_reason(ctx)
    else:
        _ask_confirm(ctx)


async def step(ctx: Ctx, answer: Answer) -> None:
    if not _still_fits(ctx):
        return
    if ctx.state.step == "question":
        await _on_question(ctx, answer)
    elif ctx.state.step == "reason":
        await _on_reason(ctx, answer)
    else:
        await _on_confirm(ctx, answer)


def _still_fits(ctx: Ctx) -> bool:
    """Whether the campaign still has every indicator of the batch (a reload may drop one)."""
    assert ctx.catalog is not None
    codes = {indicator.code for indicator in ctx.catalog.campaign.indicators}
    if all(entry["indicator"] in codes for entry in ctx.state.data["items"]):
        return True
    ctx.state.clear()
    ctx.say(ctx.t("form_outdated"))
    return False


async def _next(ctx: Ctx) -> None:
    """The next open question, then the reason for corrections, then the summary."""
    data = ctx.state.data
    for index, (_, entry) in enumerate(_entries(ctx)):
        if entry["candidates"] or entry["doubts"] or "unrounded" in entry:
            ctx.state.step, data["at"] = "question", index
            _ask_question(ctx)
            return
    if not data["items"]:
        ctx.state.clear()
        ctx.say(ctx.t("batch_nothing"))
        await menu.show(ctx)
    elif "reason" not in data and any(entry["revises"] is not None for _, entry in _entries(ctx)):
        ctx.state.step = "reason"
        _ask_reason(ctx)
    else:
        ctx.state.step = "confirm"
        _ask_confirm(ctx)


# Each doubt in turn: which reading of "1.500", or whether an implausible figure is right


def _asked(ctx: Ctx) -> tuple[IndicatorSpec, dict[str, Any]]:
    at: int = ctx.state.data["at"]
    return _entries(ctx)[at]


def _ask_question(ctx: Ctx) -> None:
    indicator, entry = _asked(ctx)
    drop = Choice("drop", ctx.t("batch_drop"))
    if entry["candidates"]:
        shown = [show(ctx, indicator, Decimal(c)) for c in entry["candidates"]]
        choices = tuple(Choice(f"val:{i}", label) for i, label in enumerate(shown))
        question = ctx.t("ask_ambiguous", typed=entry["typed"], first=shown[0], second=shown[1])
        ctx.say(f"{_label(ctx, indicator)}\n{question}", (*choices, drop))
        return
    unrounded = Decimal(entry["unrounded"]) if "unrounded" in entry else None
    question, keep = doubt_question(
        ctx,
        indicator,
        Decimal(entry["value"]),
        unrounded,
        entry["doubts"],
        _expected(ctx, indicator, entry),
    )
    ctx.say(f"{_label(ctx, indicator)}\n{question}", (Choice("keep", keep), drop))


async def _on_question(ctx: Ctx, answer: Answer) -> None:
    indicator, entry = _asked(ctx)
    if answer.choice == "drop":
        ctx.state.data["items"].remove(entry)
    elif answer.choice == "keep" and not entry["candidates"]:
        entry["doubts"] = []
        entry.pop("unrounded", None)
    elif answer.choice is not None and answer.choice.startswith("val:") and entry["candidates"]:
        value = Decimal(entry["candidates"][int(answer.choice[4:])])
        _set_reading(entry, judge(indicator, value, _expected(ctx, indicator, entry)))
    elif answer.text:  # a new figure for this indicator replaces the one in question
        entry["typed"] = answer.text.strip()[:_SHOWN]
        error = _take(ctx, entry, indicator, answer.text)
        if error is not None:
            ctx.say(error)
            _ask_question(ctx)
            return
    else:
        ctx.say(ctx.t("attachment_not_now"))
        _ask_question(ctx)
        return
    await _next(ctx)


# One reason for every correction in the batch


def _ask_reason(ctx: Ctx) -> None:
    names = ", ".join(
        indicator.short or indicator.name
        for indicator, entry in _entries(ctx)
        if entry["revises"] is not None
    )
    ctx.say(ctx.t("batch_revisions", names=names) + "\n" + ctx.t("ask_reason"))


async def _on_reason(ctx: Ctx, answer: Answer) -> None:
    reason = read_reason(ctx, answer.text)
    if reason is None:
        return
    ctx.state.data["reason"] = reason
    await _next(ctx)


# One summary, one confirmation, one receipt


def _lines(ctx: Ctx) -> list[str]:
    """One line a figure, as it will be stored."""
    lines = []
    for indicator, entry in _entries(ctx):
        revision = ctx.t("batch_correction") if entry["revises"] is not None else ""
        value = show(ctx, indicator, Decimal(entry["value"]))
        lines.append(f"• {_label(ctx, indicator)}: {value}{revision}")
    return lines


def _ask_confirm(ctx: Ctx) -> None:
    member = ctx.member
    assert member is not None
    text = ctx.t(
        "batch_summary",
        unit=member.unit_name,
        period=_period(ctx).label(ctx.lang),
        figures="\n".join(_lines(ctx)),
    )
    if ctx.state.data.get("reason"):
        text += "\n" + ctx.t("summary_reason", reason=ctx.state.data["reason"])
    choices = (Choice("confirm", ctx.t("confirm")), Choice("cancel", ctx.t("cancel")))
    ctx.say(text, choices)


async def _on_confirm(ctx: Ctx, answer: Answer) -> None:
    if answer.choice == "confirm":
        await _store(ctx)
    elif answer.choice == "cancel":
        await menu.cancel(ctx)
    else:
        ctx.say(ctx.t("batch_confirm_invalid"))
        _ask_confirm(ctx)


async def _store(ctx: Ctx) -> None:
    member, catalog = ctx.member, ctx.catalog
    assert member is not None and catalog is not None
    period, data = _period(ctx), ctx.state.data
    latest = {
        indicator.code: await repo.latest_report(
            ctx.session, member.unit_id, catalog.indicator_ids[indicator.code], period.code
        )
        for indicator, _ in _entries(ctx)
    }
    changed = False
    for indicator, entry in _entries(ctx):
        last = latest[indicator.code]
        if (last.revision if last else None) != entry["revises"]:
            # A colleague stored a figure meanwhile: this one becomes a correction of it.
            assert last is not None
            entry["revises"] = last.revision
            shown = show(ctx, indicator, last.value)
            when = ctx.local_time(last.created_at)
            ctx.say(
                f"{_label(ctx, indicator)}\n" + ctx.t("changed_meanwhile", value=shown, time=when)
            )
            changed = True
    if changed:
        data.pop("reason", None)
        await _next(ctx)
        return
    for indicator, entry in _entries(ctx):
        revision = entry["revises"] + 1 if entry["revises"] is not None else 1
        await repo.add_report(
            ctx.session,
            revision=revision,
            indicator_id=catalog.indicator_ids[indicator.code],
            unit_id=member.unit_id,
            period=period.code,
            value=Decimal(entry["value"]),
            note=None,
            reason=data.get("reason") if revision > 1 else None,
            evidence=None,
            person_id=member.person_id,
            channel=ctx.event.channel,
            created_at=ctx.now,
        )
    receipt = ctx.t(
        "batch_receipt",
        count=len(data["items"]),
        period=period.label(ctx.lang),
        figures="\n".join(_lines(ctx)),
    )
    ctx.say(receipt)
    ctx.state.clear()
    await menu.show(ctx)
