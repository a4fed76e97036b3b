"""Charts: PNG bytes a phone shows well, Vietnamese drawn with every diacritic."""

import io
import subprocess
import sys
import unicodedata
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from handlers.charts import HIGHLIGHT, progress_chart, ranking_chart

VIETNAMESE = (
    "ẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ"
    "ỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹĂăĐđĨĩŨũƠơƯưÀàÁáÂâÃãÈèÉéÊêÌìÍíÒòÓóÔôÕõÙùÚúÝý"
)


def image(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG"
    return picture


def drawn_without_missing_glyphs(draw: object) -> list[str]:
    """The warnings matplotlib gave while drawing (it warns of every glyph the font lacks)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert callable(draw)
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_progress_chart_is_800_pixels_wide_and_grows_with_its_rows() -> None:
    rows = [("9. Thu ngân sách nhà nước", 73.5), ("8a. Khách du lịch", 104.2)]
    few = image(progress_chart("Phường Sa Pa — tháng 9/2025", rows))
    many = image(progress_chart("Phường Sa Pa — tháng 9/2025", rows * 10))
    assert few.size[0] == many.size[0] == 800
    assert 300 <= few.size[1] < many.size[1]
    assert many.size[1] > 2 * few.size[1]  # every row keeps its height: readable on a phone


def test_every_vietnamese_letter_is_drawn_by_the_font() -> None:
    # Titles, labels and the "no target" words, lowercase and capital, composed or not
    # (some keyboards send "ệ" as e and two combining marks).
    labels = [VIETNAMESE[i : i + 40] for i in range(0, len(VIETNAMESE), 40)]
    typed = unicodedata.normalize("NFD", "Tiến độ thu ngân sách")
    rows = [(label, 50.0) for label in labels] + [(typed, None)]
    assert drawn_without_missing_glyphs(lambda: progress_chart("Xếp hạng Cụm xã", rows)) == []
    ranked = [(label, 80.0, i == 0) for i, label in enumerate(labels)]
    assert drawn_without_missing_glyphs(lambda: ranking_chart("Đồng hạng", ranked)) == []


def test_a_letter_the_font_lacks_would_be_caught() -> None:
    """The check above can fail: a glyph DejaVu Sans does not have is reported."""
    missing = drawn_without_missing_glyphs(lambda: progress_chart("漢", [("x", 1.0)]))
    assert missing != []


def highlighted_pixels(png: bytes) -> int:
    target = tuple(int(HIGHLIGHT[i : i + 2], 16) for i in (1, 3, 5))
    colours = image(png).convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(count for count, colour in colours if colour == target)


def test_the_asking_unit_stands_out_in_the_ranking() -> None:
    rows = [
        ("1. Xã Y Tý", 91.5, False),
        ("2. Xã Bát Xát", 88.0, True),
        ("3. Xã A Mú Sung", 70, False),
    ]
    assert highlighted_pixels(ranking_chart("Cụm các xã vùng cao", rows)) > 1000
    plain = [(label, score, False) for label, score, _ in rows]
    assert highlighted_pixels(ranking_chart("Cụm các xã vùng cao", plain)) == 0


@pytest.mark.parametrize(
    "rows",
    [[], [("Chưa có chỉ tiêu nào", None)], [("Âm", -20.0), ("Rất cao", 10_000.0)]],
    ids=["empty", "no-target", "extremes"],
)
def test_edge_cases_still_make_a_picture(rows: list[tuple[str, float | None]]) -> None:
    assert image(progress_chart("Tiến độ", rows)).size[0] == 800


labels = st.text(alphabet=VIETNAMESE + "abc xyz0123456789.-—", min_size=0, max_size=80)


@settings(max_examples=25)  # each example draws two charts
@given(
    st.lists(st.tuples(labels, st.none() | st.floats(-1e6, 1e6, allow_nan=False)), max_size=12),
    st.lists(st.tuples(labels, st.floats(-1e6, 1e6, allow_nan=False), st.booleans()), max_size=12),
)
def test_any_rows_make_an_800_pixel_png(
    progress: list[tuple[str, float | None]], ranking: list[tuple[str, float, bool]]
) -> None:
    assert image(progress_chart("Tiến độ", progress)).size[0] == 800
    assert image(ranking_chart("Xếp hạng", ranking)).size[0] == 800


def test_the_bot_starts_without_loading_matplotlib() -> None:
    """The charts module is imported with the bot; matplotlib only when a chart is drawn."""
    code = (
        "import sys, bot.app, bot.serve, handlers.charts; "
        "print('matplotlib' in sys.modules); "
        "handlers.charts.ranking_chart('x', []); print('matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
