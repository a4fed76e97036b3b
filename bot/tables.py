"""Small tables for the command line: aligned on stdout, or one XLSX sheet with numbers kept
as numbers (shown "1.234,5" by a Vietnamese Excel), a frozen header row and filters."""

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

NUMBER_FORMAT = "#,##0.0#"
MAX_WIDTH = 60  # characters of a printed or spreadsheet column; longer text is cut or wrapped

XlsxCell = str | int | Decimal | None


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell (at most MAX_WIDTH, longer cut with "…")."""
    cut = [[_cut(cell) for cell in row] for row in [list(headers), *rows]]
    widths = [max(len(row[i]) for row in cut) for i in range(len(headers))]
    for n, row in enumerate(cut):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if n == 0:
            print("  ".join("-" * width for width in widths))


def _cut(text: str) -> str:
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def write_xlsx(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[XlsxCell]]
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, Decimal):
                cell.number_format = NUMBER_FORMAT
            elif isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(headers, start=1):
        cells = [str(row[index - 1] or "") for row in rows]
        longest = max(len(line) for text in [header, *cells] for line in text.split("\n"))
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)
