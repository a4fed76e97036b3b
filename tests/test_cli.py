"""The `thidua` command line against a SQLite file: in-process for what it prints, as its own
process for exit codes, pipes and tracebacks."""

import os
import re
import signal
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import campaign_window, main
from bot.settings import BUNDLED_CAMPAIGN, LOCAL_ZONE, ROOT
from domain.campaign import load_campaign

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


def thidua_command(database: Path, **env: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment to run `thidua` as its own process on this checkout."""
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith("LC_")},
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        **env,
    }
    return [sys.executable, "-m", "bot.cli"], environment


def thidua(database: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command, environment = thidua_command(database, **env)
    return subprocess.run(
        [*command, *args],
        env=environment,
        cwd=database.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_units_list_into_a_closed_pipe_exits_quietly(database: Path) -> None:
    command, environment = thidua_command(database)
    with subprocess.Popen(
        [*command, "units", "list"],
        env=environment,
        cwd=database.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `| head` does once it has its lines
        stderr = process.stderr.read()
        code = process.wait(timeout=120)
    assert (code, stderr) == (0, "")


@pytest.mark.parametrize("command", [("campaign", "load"), ("units", "import")])
def test_a_missing_file_is_named_in_one_line_with_exit_code_2(
    database: Path, command: tuple[str, str]
) -> None:
    missing = thidua(database, *command, "khong-co.yaml")
    assert missing.returncode == 2 and "khong-co.yaml" in one_line(missing.stderr)
    folder = thidua(database, *command, str(database.parent))
    assert folder.returncode == 2 and str(database.parent) in one_line(folder.stderr)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATABASE_URL": "khong-phai-url"}, "DATABASE_URL"),
        (
            {"DATABASE_URL": "postgresql+asyncpg://postgres:mat-khau-bi-mat@127.0.0.1:1/thidua"},
            "127.0.0.1:1",
        ),
        ({"THIDUA_CLOCK": "hom qua"}, "THIDUA_CLOCK"),
        ({"LOG_LEVEL": "ồn ào"}, "LOG_LEVEL"),
        ({"THIDUA_CAMPAIGN_FILE": "khong-co.yaml"}, "khong-co.yaml"),
    ],
    ids=["bad-url", "database-down", "bad-clock", "bad-log-level", "no-campaign-file"],
)
def test_an_operators_mistake_is_one_line_without_traceback(
    database: Path, env: dict[str, str], named: str
) -> None:
    result = thidua(database, "units", "list", **env)
    assert result.returncode == 1 and result.stdout == ""
    line = one_line(result.stderr)
    assert line.startswith("thidua: ") and named in line and "mat-khau-bi-mat" not in line


def test_the_unknown_settings_are_named_and_the_traceback_shown_only_with_debug(
    database: Path,
) -> None:
    quiet = thidua(database, "units", "list", THIDUA_CLOCK="hom qua")
    assert "THIDUA_CLOCK" in one_line(quiet.stderr)
    debug = thidua(database, "units", "list", DATABASE_URL="khong-phai-url", LOG_LEVEL="DEBUG")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1].startswith("thidua: DATABASE_URL")


def test_invite_days_are_from_1_to_90_and_the_role_is_said_in_vietnamese(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_CLOCK", "2025-10-03T08:00")
    for days in ("0", "91", "mười"):
        refused = thidua(
            database, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter", "--days", days
        )
        assert refused.returncode == 2 and "--days" in one_line(refused.stderr)
    out, err = run(
        capsys, "invite", "create", "--unit", "xa-y-ty", "--role", "reporter", "--days", "90"
    )
    assert CODE.match(out.strip())
    assert "vai trò cán bộ báo cáo, hạn 90 ngày (đến 08:00 01/01/2026)" in err


def test_a_reporter_unit_that_does_not_exist_is_refused_with_file_line_and_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = BUNDLED_CAMPAIGN.read_text(encoding="utf-8")
    reporters = "units: [so-tai-chinh, thong-ke-tinh]"
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(reporters, "units: [so-tai-chinh, so-khong-co]", 1))
    line = text[: text.index(reporters)].count("\n") + 1
    with pytest.raises(SystemExit) as exit_info:
        main(["campaign", "load", str(broken)])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert f"broken.yaml, dòng {line}, indicators[0].reporters.units[1]" in err
    assert "'so-khong-co'" in err
    again, _ = run(capsys, "campaign", "load", str(BUNDLED_CAMPAIGN))
    assert "(0 mới, 0 cập nhật)" in again  # nothing of the refused file was stored


def test_changed_reporters_are_an_update_and_every_change_is_printed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        BUNDLED_CAMPAIGN.read_text(encoding="utf-8")
        .replace("units: [so-tai-chinh, thong-ke-tinh]", "units: [thong-ke-tinh, so-noi-vu]", 1)
        .replace("target: 21000", "target: 21500", 1)
        .replace("ends: 2025-12-31", "ends: 2026-01-15", 1),
        encoding="utf-8",
    )
    out, _ = run(capsys, "campaign", "load", str(changed))
    assert "(0 mới, 2 cập nhật)" in out
    assert "  đợt thi đua: ends: 2025-12-31 → 2026-01-15" in out
    assert "  ~ chỉ tiêu 1 (grdp_growth): reporters.units: thêm so-noi-vu; bỏ so-tai-chinh" in out
    assert "  ~ chỉ tiêu 9 (state_budget_revenue): target: 21000 → 21500" in out


def test_units_import_matches_a_group_spelt_without_diacritics_and_keeps_its_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "mã,loại,tên,khối/cụm\nso-tu-phap,sở,Sở Tư pháp,KHOI NOI CHINH\n",
        encoding="utf-8",
    )
    out, _ = run(capsys, "units", "import", str(sheet))
    assert out == "Đã nhập 1 đơn vị (0 mới, 1 cập nhật)\n"
    listed, _ = run(capsys, "units", "list")
    groups = {line.split("\t")[2] for line in listed.splitlines()}
    assert "Khối nội chính" in groups and "KHOI NOI CHINH" not in groups


def test_units_import_creates_a_distinct_group_and_names_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text(
        "mã,loại,tên,khối/cụm\n"
        "xa-y-ty,xã,Xã Y Tý,Cụm các xã vùng cao\n"
        "xa-a-mu-sung,xã,Xã A Mú Sung,Cụm các xã vùng cao\n",
        encoding="utf-8",
    )
    out, _ = run(capsys, "units", "import", str(sheet))
    assert out.splitlines()[-1] == "Khối/cụm mới: Cụm các xã vùng cao"
    listed, _ = run(capsys, "units", "list")
    assert "xa-y-ty\tcommune\tCụm các xã vùng cao\tXã Y Tý" in listed.splitlines()


def test_units_import_takes_a_group_close_to_an_existing_one_for_a_typo_unless_marked_new(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sheet = tmp_path / "units.csv"
    sheet.write_text("mã,loại,tên,khối/cụm\nxa-y-ty,xã,Xã Y Tý,Cụm xã Bát Xát\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["units", "import", str(sheet)])
    err = capsys.readouterr().err
    assert "dòng 2: khối/cụm 'Cụm xã Bát Xát' chưa có, gần giống 'Cụm các xã Bát Xát'" in err
    listed, _ = run(capsys, "units", "list")
    assert "xa-y-ty\tcommune\tCụm các xã Bát Xát\tXã Y Tý" in listed.splitlines()
    sheet.write_text(
        "mã,loại,tên,khối/cụm\nxa-y-ty,xã,Xã Y Tý,Cụm xã Bát Xát (mới)\n", encoding="utf-8"
    )
    out, _ = run(capsys, "units", "import", str(sheet))
    assert out.splitlines()[-1] == "Khối/cụm mới: Cụm xã Bát Xát"


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("run",),
        ("campaign",),
        ("campaign", "load"),
        ("units",),
        ("units", "list"),
        ("units", "import"),
        ("invite",),
        ("invite", "create"),
    ],
)
@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("vi_VN.UTF-8", ("cách dùng: thidua", "Ví dụ:")),
        ("en_US.UTF-8", ("usage: thidua", "Example")),
    ],
)
def test_help_is_in_the_locales_language_with_examples(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    lang: str,
    words: tuple[str, str],
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", lang)
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert all(word in out for word in words), out
    english = ("usage:", "options:", "positional arguments", "show this help")
    if lang.startswith("vi"):
        assert not any(word in out for word in english), out


def test_the_console_banner_says_where_the_clock_is_against_the_campaign() -> None:
    spec = load_campaign(BUNDLED_CAMPAIGN)

    def at(day: date) -> str:
        return campaign_window(spec, datetime(day.year, day.month, day.day, 8, tzinfo=LOCAL_ZONE))

    assert at(date(2025, 7, 31)) == "trước khi đợt thi đua bắt đầu ngày 01/08/2025"
    assert at(date(2025, 8, 1)).startswith("trong thời gian đợt thi đua")
    assert at(date(2025, 12, 31)).startswith("trong thời gian đợt thi đua")
    assert at(date(2026, 1, 1)) == "sau khi đợt thi đua kết thúc ngày 31/12/2025"


def test_the_console_started_before_the_campaign_says_so(database: Path) -> None:
    command, environment = thidua_command(database, THIDUA_CLOCK="2025-06-01T08:00")
    result = subprocess.run(
        [*command, "run"],
        env=environment,
        cwd=database.parent,
        input="/thoat\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "08:00 01/06/2025 (trước khi đợt thi đua bắt đầu ngày 01/08/2025" in result.stdout
    assert "trong thời gian" not in result.stdout


def test_ctrl_c_ends_the_console_at_once(database: Path) -> None:
    """The console waits for a line on an open input; Ctrl-C must end it without an Enter."""
    command, environment = thidua_command(database)
    with subprocess.Popen(
        [*command, "run"],
        env=environment,
        cwd=database.parent,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        banner = [process.stdout.readline() for _ in range(4)]
        assert "/baocao" in banner[-1]
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=60)  # a hang, not a speed: before, it waited for input
        finally:
            process.kill()
        assert code == 0 and "Traceback" not in process.stderr.read()
