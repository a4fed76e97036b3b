"""/duyet (/review): besides the figures (handlers/review.py), the deliverables and stories
awaiting the secretariat's review, and the note that goes with a decision on one.

Each kind of item is a module with `awaiting(ctx)` (a heading with the count, and the ids
and labels of the oldest items), `show_for_review(ctx, id)`, `decide(ctx, id, decision,
note)`, `DECISIONS` and `NOTE_NEEDED`; another kind joins by adding its module to ITEMS.
`/duyet` shows these sections first, then the figures' list (whose numbered choices must come
last, to be answered by typing). A decision is chosen on an item ("cmd:review dl 12
returned", or typed as "/duyet dl 12"), then the note is asked (skippable unless the decision
needs one), then the sender is told at once.
"""

from typing import Protocol

from handlers import deliverables, report, review, stories
from handlers.context import Answer, Ctx
from handlers.types import Choice

MAX_NOTE = 500


class Reviewed(Protocol):
    DECISIONS: tuple[str, ...]
    NOTE_NEEDED: frozenset[str]

    async def awaiting(self, ctx: Ctx) -> tuple[str, list[tuple[int, str]]]: ...

    async def show_for_review(self, ctx: Ctx, item_id: int) -> bool: ...

    async def decide(self, ctx: Ctx, item_id: int, decision: str, note: str | None) -> bool: ...


ITEMS: dict[str, Reviewed] = {"dl": deliverables, "st": stories}  # type: ignore[dict-item]


async def start(ctx: Ctx, argument: str = "") -> None:
    """No argument: the sections, then the figures; "dl 12": item 12 of a kind; "dl 12
    returned": decide on it."""
    kind, _, rest = argument.strip().partition(" ")
    number, _, decision = rest.partition(" ")
    module = ITEMS.get(kind)
    if module is None or not number.isdecimal() or len(number) > 9:
        if review.is_admin(ctx):
            await show_sections(ctx)
        await review.start(ctx, argument)  # the figures; it turns a non-admin away
    elif not review.is_admin(ctx):
        ctx.say(ctx.t("review_admins_only"))
    elif not decision:
        if not await module.show_for_review(ctx, int(number)):
            ctx.say(ctx.t("items_gone"))
    elif decision in module.DECISIONS:
        ctx.state.clear()
        ctx.state.go("decide", "note")
        ctx.state.data.update({"kind": kind, "id": int(number), "decision": decision})
        await prompt(ctx)
    else:
        ctx.say(ctx.t("items_gone"))


async def show_sections(ctx: Ctx) -> None:
    """The deliverables and stories awaiting review, if any: a button for each on Telegram,
    and the command to type on a numbered channel (the figures' list below takes the
    numbers): "• Xã Y Tý – Kế hoạch … (phiên bản 1): /duyet dl 12"."""
    numbered = ctx.capabilities.numbered
    lines: list[str] = []
    choices: list[Choice] = []
    for kind, module in ITEMS.items():
        heading, items = await module.awaiting(ctx)
        if not items:
            continue
        section = [heading]
        for item_id, label in items:
            section.append(f"• {label}" + (f": /duyet {kind} {item_id}" if numbered else ""))
            if not numbered:
                choices.append(Choice(f"cmd:review {kind} {item_id}", label))
        lines += ["", *section] if lines else section
    if lines:
        ctx.say("\n".join([ctx.t("review_head"), *lines]), tuple(choices))


def _module(ctx: Ctx) -> Reviewed:
    return ITEMS[ctx.state.data["kind"]]


async def prompt(ctx: Ctx) -> None:
    decision = ctx.state.data["decision"]
    if decision in _module(ctx).NOTE_NEEDED:
        ctx.say(ctx.t("review_ask_note_needed"))
    else:
        ctx.say(ctx.t("review_ask_note"), (Choice("skip", ctx.t("skip")),))


async def step(ctx: Ctx, answer: Answer) -> None:
    data = ctx.state.data
    module = _module(ctx)
    note: str | None = None
    if answer.choice != "skip" or data["decision"] in module.NOTE_NEEDED:
        note = report.free_text(ctx, answer.text, MAX_NOTE, "note_too_long")
        if note is None:
            await prompt(ctx)
            return
    ctx.state.clear()
    if not await module.decide(ctx, int(data["id"]), data["decision"], note):
        ctx.say(ctx.t("items_gone"))
