import zipfile
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from unicodedata import combining, normalize

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from domain.text import slug
from domain.units_file import UNIT_KINDS, RowError, UnitsFile, match_groups, read_units_file

BUNDLED = Path(__file__).resolve().parent.parent / "campaigns" / "lao-cai-units.csv"


def write_csv(tmp_path: Path, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / "units.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def error_rows(result: UnitsFile) -> list[int]:
    return [error.row for error in result.errors]


# The bundled file


def test_bundled_file_reads_without_errors() -> None:
    result = read_units_file(BUNDLED)
    assert result.errors == []
    assert len(result.rows) > 99


def test_bundled_file_has_the_99_communes_and_wards_and_14_departments() -> None:
    kinds = Counter(unit.kind for unit in read_units_file(BUNDLED).rows)
    assert kinds["commune"] + kinds["ward"] == 99
    assert kinds["ward"] == 10
    assert kinds["department"] == 14
    assert set(kinds) <= set(UNIT_KINDS)


def test_bundled_codes_are_unique_slugs_of_the_names() -> None:
    units = read_units_file(BUNDLED).rows
    codes = [unit.code for unit in units]
    assert len(codes) == len(set(codes))
    assert all(unit.code == slug(unit.name) for unit in units)
    assert {
        "thue-tinh",
        "thong-ke-tinh",
        "bhxh-tinh",
        "kho-bac",
        "ban-quan-ly-khu-kinh-te",
        "cong-an-tinh",
        "bo-chi-huy-quan-su-tinh",
        "so-van-hoa-the-thao-va-du-lich",
        "xa-y-ty",
    } <= set(codes)


def test_bundled_units_are_all_in_a_block_or_cluster() -> None:
    units = read_units_file(BUNDLED).rows
    for unit in units:
        assert unit.group_name.split()[0] in {"Khối", "Cụm"}
        expected = "cluster" if unit.kind in {"commune", "ward"} else "block"
        assert unit.group_kind == expected, unit
    assert {unit.group_name for unit in units if unit.kind == "ward"} == {"Cụm các phường"}
    assert all(unit.kind == "ward" for unit in units if unit.group_name == "Cụm các phường")


# Round trips


VIETNAMESE_CSV = """\
# Danh sách đơn vị, có chỉ tiêu giao riêng
#
Mã đơn vị,Loại,Tên đơn vị,Khối/Cụm,Chỉ tiêu:thu_ngan_sach,Chỉ tiêu: grdp_growth
,Xã,Xã Y Tý,Cụm các xã Bát Xát,21.000,"8,5"
phuong-lao-cai,phường,Phường Lào Cai,Cụm các phường,,
so-y-te,Sở,Sở Y tế,Khối văn hóa - xã hội,"1.250,5",
"""


def test_csv_with_vietnamese_headers_and_targets(tmp_path: Path) -> None:
    result = read_units_file(write_csv(tmp_path, VIETNAMESE_CSV, bom=True))
    assert result.errors == []
    y_ty, lao_cai, y_te = result.rows
    assert (y_ty.row, y_ty.code, y_ty.kind, y_ty.name) == (4, "xa-y-ty", "commune", "Xã Y Tý")
    assert (y_ty.group_code, y_ty.group_name, y_ty.group_kind) == (
        "cum-cac-xa-bat-xat",
        "Cụm các xã Bát Xát",
        "cluster",
    )
    assert y_ty.targets == {"thu_ngan_sach": Decimal(21000), "grdp_growth": Decimal("8.5")}
    assert (lao_cai.row, lao_cai.kind, lao_cai.targets) == (5, "ward", {})
    assert (y_te.kind, y_te.group_kind, y_te.group_code) == (
        "department",
        "block",
        "khoi-van-hoa-xa-hoi",
    )
    assert y_te.targets == {"thu_ngan_sach": Decimal("1250.5")}


def test_csv_separated_by_semicolons(tmp_path: Path) -> None:
    text = "Mã;Loại;Tên;Khối/Cụm;Chỉ tiêu:x\nxa-y-ty;xã;Xã Y Tý;Cụm A;1,5\n"
    (unit,) = read_units_file(write_csv(tmp_path, text)).rows
    assert (unit.code, unit.name, unit.targets) == ("xa-y-ty", "Xã Y Tý", {"x": Decimal("1.5")})


def test_xlsx_with_vietnamese_headers_and_targets(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["# Ghi chú: chỉ tiêu giao năm 2025"])
    sheet.append(["Mã đơn vị", "Loại", "Tên đơn vị", "Khối cụm", "chỉ tiêu:thu_ngan_sach"])
    sheet.append([None, "xã", "Xã Y Tý", "Cụm các xã Bát Xát", 21000])
    sheet.append([])
    sheet.append(["cong-an-tinh", "cơ quan", "Công an tỉnh", "Khối nội chính", 0.1])
    sheet.append([None, "doanh nghiệp", "Công ty Apatit Việt Nam", "Khối doanh nghiệp", "21.000"])
    sheet.append([None, "công ty", "Công ty Điện lực Lào Cai", "Khối doanh nghiệp", None])
    path = tmp_path / "units.xlsx"
    workbook.save(path)

    result = read_units_file(path)
    assert result.errors == []
    assert [(unit.row, unit.code, unit.kind, unit.targets) for unit in result.rows] == [
        (3, "xa-y-ty", "commune", {"thu_ngan_sach": Decimal(21000)}),
        (5, "cong-an-tinh", "agency", {"thu_ngan_sach": Decimal("0.1")}),
        (6, "cong-ty-apatit-viet-nam", "enterprise", {"thu_ngan_sach": Decimal(21000)}),
        (7, "cong-ty-dien-luc-lao-cai", "enterprise", {}),
    ]


def test_headers_and_kinds_without_diacritics(tmp_path: Path) -> None:
    text = (
        "MA,LOAI,TEN DON VI,khoi / cum,chi tieu:x,Target:y\n"
        ",xa,Xa Y Ty,Cum cac xa Bat Xat,1,2\n"
        ",phuong,Phuong Sa Pa,Cum cac phuong,,\n"
        ",so,So Noi vu,Khoi tong hop,,\n"
        ",co quan,Cong an tinh,khoi noi chinh,,\n"
        ",department,Department of Health,Khối văn hóa - xã hội,,\n"
    )
    result = read_units_file(write_csv(tmp_path, text))
    assert result.errors == []
    assert [(unit.code, unit.kind, unit.group_kind) for unit in result.rows] == [
        ("xa-y-ty", "commune", "cluster"),
        ("phuong-sa-pa", "ward", "cluster"),
        ("so-noi-vu", "department", "block"),
        ("cong-an-tinh", "agency", "block"),
        ("department-of-health", "department", "block"),
    ]
    assert result.rows[0].targets == {"x": Decimal(1), "y": Decimal(2)}


def test_english_headers(tmp_path: Path) -> None:
    text = "code,kind,name,group,target:x\nyt,agency,Sở Y tế,Khối văn hóa - xã hội,3\n"
    (unit,) = read_units_file(write_csv(tmp_path, text)).rows
    assert (unit.code, unit.kind, unit.targets) == ("yt", "agency", {"x": Decimal(3)})


def test_a_group_keeps_its_first_spelling(tmp_path: Path) -> None:
    text = "kind,name,group\nsở,Sở Y tế,Khối văn hóa - xã hội\nsở,Sở Nội vụ,khoi van hoa - xa hoi\n"
    units = read_units_file(write_csv(tmp_path, text)).rows
    assert [(unit.group_code, unit.group_name) for unit in units] == [
        ("khoi-van-hoa-xa-hoi", "Khối văn hóa - xã hội"),
        ("khoi-van-hoa-xa-hoi", "Khối văn hóa - xã hội"),
    ]


# Errors


def test_bad_rows_are_reported_by_row_and_good_rows_kept(tmp_path: Path) -> None:
    text = (
        "# comment\n"
        "mã,loại,tên,khối/cụm,chỉ tiêu:x\n"
        ",xã,Xã Y Tý,Cụm các xã Bát Xát,1\n"  # 3: good
        ",xã,,Cụm các xã Bát Xát,\n"  # 4: no name
        ",xa phuong,Xã Bản Xèo,Cụm các xã Bát Xát,\n"  # 5: bad kind
        ",xã,Xã Mường Hum,Nhóm 1,\n"  # 6: bad group
        ",xã,Xã Cốc San,,\n"  # 7: no group
        ",xã,Xã Y Tý,Cụm các xã Bát Xát,\n"  # 8: same code as row 3
        ",xã,Xã Dền Sáng,Cụm các xã Bát Xát,mười\n"  # 9: bad target
        ",phường,Phường Lào Cai,Cụm các phường,2\n"  # 10: good
    )
    result = read_units_file(write_csv(tmp_path, text))
    assert [(unit.row, unit.code) for unit in result.rows] == [
        (3, "xa-y-ty"),
        (10, "phuong-lao-cai"),
    ]
    assert error_rows(result) == [4, 5, 6, 7, 8, 9]
    messages = {error.row: error.message for error in result.errors}
    assert messages[4] == "dòng 4: thiếu tên đơn vị"
    assert messages[5] == (
        "dòng 5: loại đơn vị 'xa phuong' không hợp lệ (dùng: sở, cơ quan, xã, phường, doanh nghiệp)"
    )
    assert "'Nhóm 1'" in messages[6]
    assert "thiếu khối/cụm" in messages[7]
    assert messages[8] == "dòng 8: mã đơn vị 'xa-y-ty' trùng với dòng 3"
    assert messages[9].startswith("dòng 9: chỉ tiêu 'x' = 'mười': ")


def test_xlsx_target_cells_that_are_not_figures(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["tên", "loại", "khối/cụm", "chỉ tiêu:x"])
    sheet.append(["Xã Y Tý", "xã", "Cụm 1", date(2025, 1, 1)])
    sheet.append(["Xã Bản Xèo", "xã", "Cụm 1", "21 tỷ"])
    sheet.append(["Xã Mường Hum", "xã", "Cụm 1", True])
    sheet.append(["Xã Cốc San", "xã", "Cụm 1", "-2,5%"])
    path = tmp_path / "units.xlsx"
    workbook.save(path)

    result = read_units_file(path)
    assert error_rows(result) == [2, 3, 4]
    assert "không kèm 'nghìn', 'triệu', 'tỷ'" in result.errors[1].message
    assert [(unit.row, unit.targets) for unit in result.rows] == [(5, {"x": Decimal("-2.5")})]


def test_every_problem_on_a_row_is_reported(tmp_path: Path) -> None:
    text = "code,kind,name,group\n,,,Ban 1\n"
    result = read_units_file(write_csv(tmp_path, text))
    assert result.rows == []
    assert error_rows(result) == [2, 2, 2]


def test_duplicate_of_an_invalid_row_is_still_reported(tmp_path: Path) -> None:
    text = "code,kind,name,group\na,bad,A,Khối 1\na,sở,A,Khối 1\n"
    result = read_units_file(write_csv(tmp_path, text))
    assert error_rows(result) == [2, 3]
    assert result.errors[1].message == "dòng 3: mã đơn vị 'a' trùng với dòng 2"


def test_unknown_and_repeated_header_columns(tmp_path: Path) -> None:
    text = "code,kind,name,group,ghi chú,chỉ tiêu:x,target:x,tên\na,sở,A,Khối 1,,1,2,\n"
    result = read_units_file(write_csv(tmp_path, text))
    assert [unit.code for unit in result.rows] == ["a"]
    assert error_rows(result) == [1, 1, 1]
    assert "'ghi chú' không rõ" in result.errors[0].message
    assert result.errors[1].message == "dòng 1: cột 'target:x' bị lặp"
    assert result.errors[2].message == "dòng 1: cột 'tên' bị lặp"


def test_missing_required_header_is_a_single_error(tmp_path: Path) -> None:
    text = "# comment\nmã,tên đv,khối\na,A,Khối 1\nb,B,Khối 1\n"
    result = read_units_file(write_csv(tmp_path, text))
    assert result.rows == []
    assert len(result.errors) == 1
    assert result.errors[0].row == 2
    assert result.errors[0].message.startswith("dòng 2: thiếu cột loại, tên, khối/cụm (")
    assert "'tên đv' không rõ" in result.errors[0].message


def test_file_without_header(tmp_path: Path) -> None:
    result = read_units_file(write_csv(tmp_path, "# only a comment\n\n"))
    assert result.errors == [
        RowError(1, "dòng 1: không có dòng tiêu đề (thiếu cột loại, tên, khối/cụm)")
    ]


def test_files_that_are_not_csv_or_xlsx(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("code,kind,name,group\n".encode("utf-16"))
    legacy = tmp_path / "units.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    cp1258 = tmp_path / "cp1258.csv"
    cp1258.write_bytes(
        normalize("NFD", "code,kind,name,group\n,xã,Xã Y Tý,Cụm 1\n").encode("cp1258")
    )
    other_zip = tmp_path / "units.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + bytes(100))
    for path in (utf16, legacy, cp1258, other_zip, damaged):
        result = read_units_file(path)
        assert result.rows == []
        assert len(result.errors) == 1
        assert result.errors[0].row == 0, path
    assert ".xls" in read_units_file(legacy).errors[0].message
    assert "CSV UTF-8" in read_units_file(cp1258).errors[0].message


# Matching the file's blocks and clusters to those already stored

BUNDLED_GROUPS = {unit.group_code: unit.group_name for unit in read_units_file(BUNDLED).rows}


def strip_diacritics(text: str) -> str:
    decomposed = normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return normalize("NFC", "".join(ch for ch in decomposed if not combining(ch)))


@given(
    name=st.sampled_from(sorted(BUNDLED_GROUPS.values())),
    stripped=st.booleans(),
    cases=st.lists(st.booleans(), min_size=60, max_size=60),
)
def test_a_group_differing_only_by_diacritics_or_case_is_the_existing_one(
    tmp_path_factory: pytest.TempPathFactory, name: str, stripped: bool, cases: list[bool]
) -> None:
    spelt = strip_diacritics(name) if stripped else name
    spelt = "".join(ch.upper() if up else ch.lower() for ch, up in zip(spelt, cases, strict=False))
    path = write_csv(tmp_path_factory.mktemp("units"), f"mã,loại,tên,khối/cụm\nx,sở,X,{spelt}\n")
    rows, new_groups, errors = match_groups(read_units_file(path).rows, BUNDLED_GROUPS)
    assert (new_groups, errors) == ([], [])
    assert [row.group_name for row in rows] == [name]


def test_a_group_close_to_an_existing_one_is_a_typo_unless_marked_new(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        "mã,loại,tên,khối/cụm\n"
        "a,xã,A,Cụm xã Bát Xát\n"
        "b,xã,B,Cụm các xã Bát Xát 2 (mới)\n"
        "c,xã,C,Cụm các xã vùng cao\n"
        "d,xã,D,cum cac xa vung cao\n",
    )
    rows, new_groups, errors = match_groups(read_units_file(path).rows, BUNDLED_GROUPS)
    assert [error.row for error in errors] == [2]
    assert "gần giống 'Cụm các xã Bát Xát'" in errors[0].message
    assert new_groups == ["Cụm các xã Bát Xát 2", "Cụm các xã vùng cao"]
    assert [row.group_name for row in rows] == [
        "Cụm các xã Bát Xát 2",
        "Cụm các xã vùng cao",
        "Cụm các xã vùng cao",
    ]
