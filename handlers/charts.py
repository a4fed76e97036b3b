"""Charts for the standings, drawn as PNG bytes: pure functions, no file and no chat library.

matplotlib is imported only when a chart is drawn, so the bot starts fast. The figure is
built without pyplot (no global state, any thread) on the Agg canvas. Its font is DejaVu Sans,
which matplotlib ships and which has every Vietnamese letter, so nothing is bundled here.

Sized for a phone: 800 pixels wide (4 inches at 200 dpi), each row a label on its own line
above its bar, so long Vietnamese names keep the whole width. Telegram keeps a photo's
longest side up to 2.560 pixels and shrinks larger ones (a too tall chart would come out
thin): rows are drawn closer together so that up to 37 of them (every indicator of the
campaign) stay within that height.

A chart takes 0,1–0,4 s of processor (bench/chart_bench.py): a caller on the event loop
should draw it in a worker thread (`asyncio.to_thread`), which matplotlib allows for
separate figures drawn without pyplot.
"""

import io
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from domain.numbers import format_number
from handlers.texts import t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_INCHES = 4.0
DPI = 200  # 800 pixels wide
ROW_INCHES = 0.42
TIGHT_ROW_INCHES = 0.32  # the closest rows may be while the labels still read well
HEAD_INCHES = 0.7
MAX_HEIGHT_INCHES = 2560 / DPI
LABEL_CHARS = 48  # a longer label is cut with "…" so that it stays on one line
FONT = "DejaVu Sans"
GOOD, FAIR, POOR, MUTED, HIGHLIGHT = "#2e7d32", "#f9a825", "#c62828", "#9e9e9e", "#1565c0"


def progress_chart(
    title: str, rows: Sequence[tuple[str, float | None]], *, lang: str = "vi"
) -> bytes:
    """Each row's progress as a horizontal bar, in percent of its target, with a line at 100%.

    A row whose percent is None has no target of its own: it is said in words, not drawn.
    """
    figure, axes = _figure(title, len(rows))
    known = [percent for _, percent in rows if percent is not None]
    right = max(110.0, min(max(known, default=0.0), 200.0) * 1.08)
    axes.set_xlim(0, right)
    axes.axvline(100, color="#424242", linestyle="--", linewidth=0.8, zorder=1)
    for y, (label, percent) in enumerate(rows):
        _label(axes, y, label, bold=False)
        if percent is None:
            _value(axes, 0, y, t(lang, "chart_no_target"), MUTED)
            continue
        color = GOOD if percent >= 100 else FAIR if percent >= 70 else POOR
        shown = min(max(percent, 0.0), right)
        axes.barh(y, shown, height=0.38, color=color)
        _value(axes, shown, y, _number(percent) + "%", "#212121")
    axes.set_xlabel(t(lang, "chart_percent_of_target"), fontsize=7, family=FONT)
    return _png(figure)


def ranking_chart(
    title: str, rows: Sequence[tuple[str, float, bool]], *, lang: str = "vi"
) -> bytes:
    """Scores as horizontal bars in the order given (the caller ranks), the highlighted
    rows (the asking unit) in another colour and bold."""
    figure, axes = _figure(title, len(rows))
    top = max((score for _, score, _ in rows), default=0.0)
    axes.set_xlim(0, max(top, 1.0) * 1.15)
    for y, (label, score, highlight) in enumerate(rows):
        _label(axes, y, label, bold=highlight)
        axes.barh(y, max(score, 0.0), height=0.38, color=HIGHLIGHT if highlight else MUTED)
        _value(axes, max(score, 0.0), y, _number(score), "#212121", bold=highlight)
    axes.set_xlabel(t(lang, "chart_score"), fontsize=7, family=FONT)
    return _png(figure)


def _figure(title: str, count: int) -> tuple["Figure", "Axes"]:
    from matplotlib.figure import Figure

    rows = max(count, 1)
    fitting = (MAX_HEIGHT_INCHES - HEAD_INCHES) / rows
    height = HEAD_INCHES + rows * max(TIGHT_ROW_INCHES, min(ROW_INCHES, fitting))
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    # Fixed margins in inches: room for the title above, the scale below, and a value
    # written past the longest bar.
    figure.subplots_adjust(
        left=0.06 / WIDTH_INCHES,
        right=1 - 0.55 / WIDTH_INCHES,
        top=1 - 0.3 / height,
        bottom=0.42 / height,
    )
    axes = figure.add_subplot()
    axes.set_title(_clean(title), fontsize=9, fontweight="bold", family=FONT, loc="left")
    axes.set_ylim(max(count, 1) - 0.4, -0.85)  # the first row on top, room for its label
    axes.set_yticks([])
    axes.tick_params(axis="x", labelsize=6)  # digits only: any font has them
    axes.xaxis.set_major_formatter(lambda x, _position: _number(float(x)))  # "0,5", not "0.5"
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _label(axes: "Axes", y: int, label: str, *, bold: bool) -> None:
    """The row's name on its own line above the bar."""
    axes.text(
        0,
        y - 0.27,
        _clean(label),
        fontsize=7,
        family=FONT,
        fontweight="bold" if bold else "normal",
        va="bottom",
        ha="left",
        transform=axes.get_yaxis_transform(),
        zorder=3,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4},  # over the 100% line
    )


def _value(axes: "Axes", x: float, y: int, text: str, color: str, *, bold: bool = False) -> None:
    axes.text(
        x,
        y,
        " " + text,
        fontsize=7,
        family=FONT,
        color=color,
        va="center",
        ha="left",
        fontweight="bold" if bold else "normal",
    )


def _clean(text: str) -> str:
    """Composed letters (some keyboards send "ệ" as e + two marks, which draws badly), cut
    to one line."""
    one_line = " ".join(unicodedata.normalize("NFC", text).split())
    return one_line if len(one_line) <= LABEL_CHARS else one_line[: LABEL_CHARS - 1] + "…"


def _number(value: float) -> str:
    return format_number(Decimal(repr(value)), max_decimals=1)


def _png(figure: "Figure") -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()
