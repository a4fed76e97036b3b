"""XLSX workbooks written row by row in constant memory, for exports of any size.

A sheet is a spec (headers, a number format and a width per column) and an async iterator
of row chunks. xlsxwriter's constant-memory mode flushes each row to disk as soon as the
next begins, so memory does not grow with the rows; it was measured against openpyxl's
write-only mode (bench/export_bench.py, README) and is about twice as fast. Each chunk is
written in a worker thread, so a large export leaves the event loop free between chunks.

Number formats are Excel codes ("#,##0.0", "dd/mm/yyyy hh:mm"): numbers stay numbers, and
Excel shows them with the reader's separators (thousands "." and decimals "," in Vietnamese).
"""

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # imported by write_workbook: a bot that exports nothing does without it
    from xlsxwriter import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

DATE_TIME = "dd/mm/yyyy hh:mm"
DATE = "dd/mm/yyyy"
WHOLE = "#,##0"
PERCENT = "0.0%"
POINTS = "#,##0.00"
SHEET_NAME_LIMIT = 31  # characters Excel allows in a sheet's name


def decimals_format(places: int) -> str:
    """ "#,##0" for whole numbers, "#,##0.00" for two decimals."""
    return WHOLE + ("." + "0" * places if places else "")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    format: str = ""
    """The Excel number format of its cells; "" for text and general numbers."""


@dataclass(frozen=True)
class Cell:
    """A number with a format of its own, where one column holds figures kept to different
    decimals (each indicator keeps its own)."""

    value: Decimal | int | float
    format: str


Value = str | int | float | Decimal | datetime | date | Cell | None
Row = Sequence[Value]


Item = TypeVar("Item")


@dataclass(frozen=True)
class Sheet(Generic[Item]):
    name: str
    columns: Sequence[Column]
    items: AsyncIterator[Sequence[Item]]
    """Chunks of what the rows show, in order; a chunk is written in one go off the event loop."""
    cells: Callable[[Item], Row]
    """An item's cells, one per column: run off the event loop with the writing."""


class _Writer(Generic[Item]):
    """One sheet's cells, each with its column's format unless it brings its own."""

    def __init__(self, workbook: "Workbook", sheet: Sheet[Item]) -> None:
        self._workbook = workbook
        self._formats: dict[str, Format] = {}
        self.worksheet: Worksheet = workbook.add_worksheet(sheet.name[:SHEET_NAME_LIMIT])
        self.columns = [self._format(column.format) for column in sheet.columns]
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        header.set_bg_color("#DDEBF7")
        for number, column in enumerate(sheet.columns):
            self.worksheet.set_column(number, number, column.width, self.columns[number])
        self.worksheet.write_row(0, 0, [column.header for column in sheet.columns], header)
        self.worksheet.freeze_panes(1, 0)
        self.next_row = 1
        self.cells = sheet.cells

    def _format(self, code: str) -> "Format | None":
        if not code:
            return None
        if code not in self._formats:
            self._formats[code] = self._workbook.add_format({"num_format": code})
        return self._formats[code]

    def write(self, items: Sequence[Item]) -> None:
        worksheet, formats, cells = self.worksheet, self.columns, self.cells
        for item in items:
            number = self.next_row
            for column, value in enumerate(cells(item)):
                self._cell(worksheet, number, column, value, formats[column])
            self.next_row += 1

    def _cell(
        self, worksheet: "Worksheet", row: int, column: int, value: Value, form: "Format | None"
    ) -> None:
        if value is None or value == "":
            return
        if isinstance(value, str):
            worksheet.write_string(row, column, value)
        elif isinstance(value, Cell):
            worksheet.write_number(row, column, float(value.value), self._format(value.format))
        elif isinstance(value, datetime | date):
            worksheet.write_datetime(row, column, value, form)
        else:
            worksheet.write_number(row, column, float(value), form)

    def finish(self, width: int) -> None:
        self.worksheet.autofilter(0, 0, max(self.next_row - 1, 0), width - 1)


async def write_workbook(path: Path, sheets: Iterable[Sheet[Any]]) -> dict[str, int]:
    """Write the sheets to `path`, each with a frozen, filtered header row; rows per sheet."""
    from xlsxwriter import Workbook

    options: dict[str, Any] = {"constant_memory": True, "tmpdir": str(path.parent)}
    workbook = Workbook(str(path), options)
    written: dict[str, int] = {}
    try:
        for sheet in sheets:
            writer = _Writer(workbook, sheet)
            async for chunk in sheet.items:
                await asyncio.to_thread(writer.write, chunk)
            writer.finish(len(sheet.columns))
            written[sheet.name] = writer.next_row - 1
    finally:
        await asyncio.to_thread(workbook.close)
    return written
