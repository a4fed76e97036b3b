"""Reading the units import file: units, their block or cluster and unit-level targets.

The file is a CSV (UTF-8, comma, semicolon or tab separated) or an XLSX workbook, as an
official would prepare it in Excel. '#' comment lines and blank lines may precede the header.
The whole file is read and every problem is reported with its spreadsheet row number, so
that one round of corrections fixes them all; the caller imports nothing while errors remain.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from domain.numbers import parse_figure
from domain.text import fold, slug

UNIT_KINDS = ("department", "agency", "commune", "ward", "enterprise")

GroupKind = Literal["block", "cluster"]


@dataclass(frozen=True)
class UnitRow:
    row: int
    """1-based row number as the user sees it in the spreadsheet, comment lines counted."""
    code: str
    kind: str
    name: str
    group_code: str
    group_name: str
    """As first written in the file for this group_code."""
    group_kind: GroupKind
    targets: dict[str, Decimal]
    """Indicator code → this unit's target, in the indicator's own unit."""
    new_group: bool = False
    """The file marks the group as new: '(mới)' after its name."""


@dataclass(frozen=True)
class RowError:
    row: int
    """Spreadsheet row number; 0 when the file as a whole cannot be read."""
    message: str


@dataclass(frozen=True)
class UnitsFile:
    rows: list[UnitRow]
    errors: list[RowError]


_COLUMNS = {
    "code": "code",
    "ma": "code",
    "ma don vi": "code",
    "kind": "kind",
    "loai": "kind",
    "loai don vi": "kind",
    "name": "name",
    "ten": "name",
    "ten don vi": "name",
    "group": "group",
    "khoi/cum": "group",
    "khoi cum": "group",
    "nhom": "group",
}
_REQUIRED = {"kind": "loại", "name": "tên", "group": "khối/cụm"}
_TARGET_PREFIXES = ("target", "chi tieu")

_KINDS = {
    "department": "department",
    "so": "department",
    "agency": "agency",
    "co quan": "agency",
    "ban": "agency",
    "nganh": "agency",
    "commune": "commune",
    "xa": "commune",
    "ward": "ward",
    "phuong": "ward",
    "enterprise": "enterprise",
    "doanh nghiep": "enterprise",
    "cong ty": "enterprise",
}
_KIND_HINT = "dùng: sở, cơ quan, xã, phường, doanh nghiệp"
_GROUP_KINDS: dict[str, GroupKind] = {"khoi": "block", "cum": "cluster"}
_NEW_GROUP_MARK = re.compile(r"\s*\(\s*(mới|moi|new)\s*\)$", re.IGNORECASE)
_TYPO_SIMILARITY = 0.85
"""Group names this similar (difflib's ratio, diacritics folded) are one name mistyped:
"Cụm xã Bát Xát" to "Cụm các xã Bát Xát" is 0,88; "Cụm các xã vùng cao" to the closest
bundled cluster, "Cụm các xã Văn Chấn", 0,84."""

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_NOT_READABLE = "tệp không phải bảng tính XLSX hay CSV UTF-8"

Cells = Sequence[object]


def read_units_file(path: Path) -> UnitsFile:
    """Read a units file, recognised by its content rather than its name (uploads get renamed)."""
    data = path.read_bytes()
    if data.startswith(_XLSX_MAGIC):
        try:
            rows = _xlsx_rows(data)
        except Exception:  # openpyxl fails in many ways on a damaged or foreign ZIP file
            return _file_error("tệp XLSX bị hỏng hoặc không phải bảng tính Excel")
        return _read_rows(rows)
    if data.startswith(_XLS_MAGIC):
        return _file_error(
            "tệp Excel 97-2003 (.xls) chưa được hỗ trợ: hãy lưu lại dạng .xlsx hoặc CSV UTF-8"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_error(f"{_NOT_READABLE} (trong Excel chọn Lưu dạng 'CSV UTF-8')")
    if "\x00" in text:
        return _file_error(_NOT_READABLE)
    return _read_rows(_csv_rows(text))


def _file_error(message: str) -> UnitsFile:
    return UnitsFile(rows=[], errors=[RowError(0, message)])


def _xlsx_rows(data: bytes) -> list[Cells]:
    """Rows of the first sheet; cached values of formulas, as Excel shows them."""
    # Imported here: openpyxl is 5 MB of memory a running bot, which reads no Excel, never needs.
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()


def _csv_rows(text: str) -> Iterator[Cells]:
    lines = io.StringIO(text, newline="").readlines()
    top = 0
    # Leading comments are taken whole: their commas and quotes are prose, not CSV.
    while top < len(lines) and _is_skipped(lines[top].strip()):
        yield [lines[top].strip()]
        top += 1
    if top < len(lines):
        header = lines[top]
        # Excel in a Vietnamese locale separates with ';' since ',' is the decimal mark.
        delimiter = max(",;\t", key=header.count)
        yield from csv.reader(lines[top:], delimiter=delimiter)


def _first_cell(cells: Cells) -> str:
    return _cell_text(cells[0]) if cells else ""


def _is_skipped(first_cell: str) -> bool:
    return not first_cell or first_cell.startswith("#")


def _cell_text(value: object) -> str:
    """A cell as text: NFC (some Vietnamese keyboards type decomposed), spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]
    """Role (code, kind, name, group) → column index."""
    targets: dict[str, int]
    """Indicator code → column index."""


def _read_rows(rows: Iterable[Cells]) -> UnitsFile:
    numbered = enumerate(rows, start=1)
    header_row, cells = next(
        ((row_no, cells) for row_no, cells in numbered if not _is_skipped(_first_cell(cells))),
        (0, ()),
    )
    if not header_row:
        return UnitsFile([], [_error(1, f"không có dòng tiêu đề ({_missing(_REQUIRED)})")])

    header, problems = _parse_header(cells)
    missing = {role: label for role, label in _REQUIRED.items() if role not in header.columns}
    if missing:
        detail = f" ({'; '.join(problems)})" if problems else ""
        return UnitsFile([], [_error(header_row, _missing(missing) + detail)])

    errors = [_error(header_row, problem) for problem in problems]
    units: list[UnitRow] = []
    first_row_of_code: dict[str, int] = {}
    group_names: dict[str, str] = {}
    for row_no, cells in numbered:
        if all(_cell_text(value) == "" for value in cells):
            continue
        code, unit, row_errors = _parse_unit(row_no, cells, header)
        if code:
            earlier = first_row_of_code.setdefault(code, row_no)
            if earlier != row_no:
                row_errors.append(_error(row_no, f"mã đơn vị '{code}' trùng với dòng {earlier}"))
        errors.extend(row_errors)
        if unit is not None and not row_errors:
            # "khoi noi chinh" is the same group as "Khối nội chính": the first spelling wins.
            group_name = group_names.setdefault(unit.group_code, unit.group_name)
            units.append(replace(unit, group_name=group_name))
    return UnitsFile(units, errors)


def match_groups(
    rows: list[UnitRow], existing: Mapping[str, str]
) -> tuple[list[UnitRow], list[str], list[RowError]]:
    """Match each row's block or cluster to an existing group (code → name).

    A group whose name differs from an existing one only by diacritics, case or punctuation
    is that group, under its existing name: one row never renames a group. Any other name is
    a new group, unless it is close to an existing name and not marked '(mới)': then it is
    taken for a typo. Returns the rows, the names of the new groups, and the typos.
    """
    matched: list[UnitRow] = []
    new_groups: dict[str, str] = {}
    errors: list[RowError] = []
    for unit in rows:
        if unit.group_code in existing:
            matched.append(replace(unit, group_name=existing[unit.group_code]))
            continue
        similar = _similar_group(unit.group_name, existing.values())
        if similar is not None and not unit.new_group:
            errors.append(
                _error(
                    unit.row,
                    f"khối/cụm '{unit.group_name}' chưa có, gần giống '{similar}': sửa cho đúng,"
                    f" hoặc ghi '{unit.group_name} (mới)' nếu đây là khối/cụm mới",
                )
            )
            continue
        new_groups.setdefault(unit.group_code, unit.group_name)
        matched.append(unit)
    return matched, list(new_groups.values()), errors


def _similar_group(name: str, names: Iterable[str]) -> str | None:
    folded = fold(name)
    scored = [(SequenceMatcher(None, folded, fold(other)).ratio(), other) for other in names]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= _TYPO_SIMILARITY else None


def _missing(labels: dict[str, str]) -> str:
    return "thiếu cột " + ", ".join(labels.values())


def _error(row_no: int, message: str) -> RowError:
    return RowError(row_no, f"dòng {row_no}: {message}")


def _parse_header(cells: Cells) -> tuple[_Header, list[str]]:
    """The header's columns, and its problems (unknown or repeated columns)."""
    header = _Header({}, {})
    problems: list[str] = []
    for index, value in enumerate(cells):
        title = _cell_text(value)
        if not title:
            continue
        role = _COLUMNS.get(re.sub(r"\s*/\s*", "/", fold(title)))
        prefix, _, indicator = title.partition(":")
        indicator = indicator.strip()
        if role is not None:
            seen = header.columns
            key = role
        elif indicator and fold(prefix) in _TARGET_PREFIXES:
            seen = header.targets
            key = indicator
        else:
            problems.append(
                f"cột '{title}' không rõ (dùng: mã, loại, tên, khối/cụm, chỉ tiêu:<mã chỉ tiêu>)"
            )
            continue
        if key in seen:
            problems.append(f"cột '{title}' bị lặp")
        else:
            seen[key] = index
    return header, problems


def _parse_unit(
    row_no: int, cells: Cells, header: _Header
) -> tuple[str, UnitRow | None, list[RowError]]:
    """The unit's code ("" if it has neither code nor name), the unit if the row is valid,
    and the row's errors."""

    def text(role: str) -> str:
        index = header.columns.get(role)
        return _cell_text(cells[index]) if index is not None and index < len(cells) else ""

    errors: list[RowError] = []
    name = text("name")
    code = text("code") or slug(name)
    if not name:
        errors.append(_error(row_no, "thiếu tên đơn vị"))

    raw_kind = text("kind")
    kind = _KINDS.get(fold(raw_kind))
    if not raw_kind:
        errors.append(_error(row_no, f"thiếu loại đơn vị ({_KIND_HINT})"))
    elif kind is None:
        errors.append(_error(row_no, f"loại đơn vị '{raw_kind}' không hợp lệ ({_KIND_HINT})"))

    group_name, marks = _NEW_GROUP_MARK.subn("", text("group"))
    group_kind = _GROUP_KINDS.get(fold(group_name).partition(" ")[0])
    if not group_name:
        errors.append(_error(row_no, "thiếu khối/cụm (tên bắt đầu bằng 'Khối' hoặc 'Cụm')"))
    elif group_kind is None:
        errors.append(
            _error(row_no, f"khối/cụm '{group_name}' phải bắt đầu bằng 'Khối' hoặc 'Cụm'")
        )

    targets: dict[str, Decimal] = {}
    for indicator, index in header.targets.items():
        value = cells[index] if index < len(cells) else None
        try:
            target = _target(value)
        except ValueError as exc:  # FigureError included
            shown = _cell_text(value)
            errors.append(_error(row_no, f"chỉ tiêu '{indicator}' = '{shown}': {exc}"))
            continue
        if target is not None:
            targets[indicator] = target

    if errors or kind is None or group_kind is None:
        return code, None, errors
    unit = UnitRow(
        row=row_no,
        code=code,
        kind=kind,
        name=name,
        group_code=slug(group_name),
        group_name=group_name,
        group_kind=group_kind,
        targets=targets,
        new_group=bool(marks),
    )
    return code, unit, errors


def _target(value: object) -> Decimal | None:
    """A target cell: Excel numbers as they are, text read as officials write figures.

    Raises ValueError with a Vietnamese message.
    """
    if isinstance(value, bool | date | time | timedelta):
        raise ValueError("không phải là số")
    if isinstance(value, int | float | Decimal):
        # Through str(), so that a float such as 0.1 keeps the digits Excel shows.
        return Decimal(str(value))
    text = _cell_text(value)
    if not text:
        return None
    figure = parse_figure(text)
    if figure.scale is not None:
        # The indicator's unit (tỷ đồng, triệu đồng...) is not known here.
        raise ValueError("hãy ghi số theo đơn vị của chỉ tiêu, không kèm 'nghìn', 'triệu', 'tỷ'")
    return figure.candidates[0]
