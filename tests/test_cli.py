"""The `thidua` command line, run in-process against a SQLite file."""

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import BUNDLED_CAMPAIGN

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)  # no developer .env
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[str, str]:
    main(list(args))
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_loading_the_campaign_twice_changes_nothing_the_second_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, _ = run(capsys, "campaign", "load", str(BUNDLED_CAMPAIGN))
    again, _ = run(capsys, "campaign", "load", str(BUNDLED_CAMPAIGN))
    assert "lao-cai-2025: 37 chỉ tiêu" in first
    assert "(0 mới, 0 cập nhật)" in again


def test_a_changed_target_is_reported_as_an_update(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        BUNDLED_CAMPAIGN.read_text(encoding="utf-8").replace("target: 21000", "target: 21500", 1),
        encoding="utf-8",
    )
    run(capsys, "campaign", "load", str(BUNDLED_CAMPAIGN))
    out, _ = run(capsys, "campaign", "load", str(changed))
    assert "(0 mới, 1 cập nhật)" in out


def test_a_malformed_campaign_names_the_line_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = BUNDLED_CAMPAIGN.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("kind: amount", "kind: amountt", 1), encoding="utf-8")
    line = text[: text.index("kind: amount")].count("\n") + 1
    with pytest.raises(SystemExit) as exit_info:
        main(["campaign", "load", str(broken)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"dòng {line}" in err and ".kind" in err


def test_units_list_prints_one_unit_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(capsys, "units", "list")
    lines = out.splitlines()
    assert len(lines) == 126
    assert "xa-y-ty\tcommune\tCụm các xã Bát Xát\tXã Y Tý" in lines


def test_units_import_updates_in_place_with_targets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "mã,loại,tên,khối/cụm,chỉ tiêu:state_budget_revenue\n"
        'xa-y-ty,xã,Xã Y Tý,Cụm các xã Bát Xát,"120,5"\n'
        ",doanh nghiệp,Công ty Du lịch Sa Pa,Khối doanh nghiệp,\n",
        encoding="utf-8",
    )
    out, _ = run(capsys, "units", "import", str(sheet))
    assert "Đã nhập 2 đơn vị (1 mới, 1 cập nhật)" in out
    listed, _ = run(capsys, "units", "list")
    assert (
        "cong-ty-du-lich-sa-pa\tenterprise\tKhối doanh nghiệp\tCông ty Du lịch Sa Pa"
        in listed.splitlines()
    )
    assert len(listed.splitlines()) == 127


def test_a_bad_units_file_imports_nothing_and_names_the_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "code,kind,name,group,target:no_such_indicator\n"
        "xa-moi,xã,Xã Mới,Cụm các xã Bát Xát,5\n"
        "xa-sai,hợp tác xã,Xã Sai,Cụm các xã Bát Xát,\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit):
        main(["units", "import", str(sheet)])
    err = capsys.readouterr().err
    assert "dòng 3" in err and "no_such_indicator" in err
    listed, _ = run(capsys, "units", "list")
    assert "xa-moi" not in listed


def test_invite_create_prints_one_code_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = run(
        capsys, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter", "--count", "3"
    )
    codes = out.splitlines()
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(CODE.match(code) for code in codes)
    single, _ = run(capsys, "invite", "create", "--unit", "so-noi-vu", "--role", "admin")
    assert CODE.match(single.splitlines()[-1])


def test_invite_for_an_unknown_unit_says_how_to_find_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["invite", "create", "--unit", "xa-khong-co", "--role", "reporter"])
    assert "thidua units list" in capsys.readouterr().err
