"""Small tables for the command line: aligned on stdout, or one XLSX sheet with numbers kept
as numbers (shown "1.234,5" by a Vietnamese Excel), a frozen header row and filters."""

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from pathlib import Path

from storage.workbook import SHEET_NAME_LIMIT, Column, Sheet, write_workbook

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


async def write_xlsx(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[XlsxCell]]
) -> None:
    """One sheet through the export's writer (storage/workbook.py): frozen, filtered header
    row; a column holding numbers shows them with thousands and decimals."""
    columns = [
        Column(
            header,
            min(
                max(len(line) for text in [header, *_texts(rows, i)] for line in text.split("\n"))
                + 2,
                MAX_WIDTH,
            ),
            NUMBER_FORMAT if any(isinstance(row[i], Decimal) for row in rows) else "",
        )
        for i, header in enumerate(headers)
    ]

    async def chunks() -> AsyncIterator[Sequence[Sequence[XlsxCell]]]:
        yield rows

    await write_workbook(path, [Sheet(title[:SHEET_NAME_LIMIT], columns, chunks(), list)])


def _texts(rows: Sequence[Sequence[XlsxCell]], column: int) -> list[str]:
    return [str(row[column] or "") for row in rows]
