"""The files folder, the signed links to its files, and the settings that place them."""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from pydantic import SecretStr

from bot.app import App, capabilities
from bot.file_links import FileLinks, link_key
from bot.serve import file_links
from domain.clock import FakeClock
from handlers.types import OutFile
from storage import files
from tests.conftest import CAMPAIGN_MORNING, settings_for


def test_saved_files_get_unguessable_names_and_whole_contents(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    paths = [files.save(folder, b"PNG %d" % n, ".png") for n in range(50)]
    assert len({path.name for path in paths}) == 50
    assert all(len(path.stem) == 24 and path.suffix == ".png" for path in paths)
    assert paths[7].read_bytes() == b"PNG 7"
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths)  # no .part


@pytest.mark.parametrize("suffix", ["png", ".PNG", "../x", ".tar.gz", ""])
def test_a_suffix_that_is_not_a_plain_extension_is_refused(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(ValueError, match="suffix"):
        files.save(tmp_path, b"x", suffix)


def test_only_names_the_folder_gave_out_are_found(tmp_path: Path) -> None:
    path = files.save(tmp_path / "files", b"x", ".xlsx")
    (tmp_path / "secret.txt").write_text("not for download")
    assert files.stored(tmp_path / "files", path.name) == path
    for name in ("../secret.txt", "secret.txt", path.name + ".part", path.stem[:-1], ""):
        assert files.stored(tmp_path / "files", name) is None
    path.unlink()
    assert files.stored(tmp_path / "files", path.name) is None


def test_the_files_folder_sits_beside_the_sqlite_database(tmp_path: Path) -> None:
    beside = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'thidua.db'}")
    assert beside.files_folder() == tmp_path / "files"
    postgres = settings_for("postgresql+asyncpg://bot@db:5432/thidua")
    assert postgres.files_folder() == Path("files")
    chosen = postgres.model_copy(update={"files_dir": tmp_path / "out"})
    assert chosen.files_folder() == tmp_path / "out"


def test_zalo_takes_pictures_and_documents_only_when_the_web_app_serves_them() -> None:
    plain = settings_for("sqlite+aiosqlite:///x.db").model_copy(
        update={"zalo_bot_token": SecretStr("1:z")}
    )
    served = plain.model_copy(update={"webhook_base_url": "https://bot.example.vn"})
    assert not capabilities(plain)["zalo"].photos and not capabilities(plain)["zalo"].documents
    zalo = capabilities(served)["zalo"]
    assert zalo.photos and zalo.documents and zalo.file_links
    assert (
        capabilities(served)["telegram"].photos and not capabilities(served)["telegram"].file_links
    )


@pytest.fixture
def links(tmp_path: Path) -> tuple[FileLinks, FakeClock, OutFile]:
    clock = FakeClock(CAMPAIGN_MORNING)
    folder = tmp_path / "files"
    path = files.save(folder, b"xlsx", ".xlsx")
    made = FileLinks("https://bot.example.vn/", link_key("1:z"), clock, timedelta(hours=24), folder)
    return made, clock, OutFile("document", str(path), "Thi đua tháng 9.xlsx")


def parts(url: str) -> list[str]:
    from urllib.parse import unquote

    expires, signature, stored, display = url.split("/files/", 1)[1].split("/")
    return [expires, signature, unquote(stored), unquote(display)]


def test_a_link_finds_its_file_until_it_expires(
    links: tuple[FileLinks, FakeClock, OutFile],
) -> None:
    made, clock, file = links
    link = made.link(file)
    assert link.url.startswith("https://bot.example.vn/files/")
    assert link.expires == CAMPAIGN_MORNING + timedelta(hours=24)
    assert made.find(*parts(link.url)) == Path(file.path)
    clock.advance(timedelta(hours=24))
    assert made.find(*parts(link.url)) == Path(file.path)
    clock.advance(timedelta(seconds=1))
    assert made.find(*parts(link.url)) == "expired"


def test_a_changed_or_foreign_link_finds_nothing(
    links: tuple[FileLinks, FakeClock, OutFile],
) -> None:
    made, _, file = links
    expires, signature, stored, display = parts(made.link(file).url)
    other = files.save(made.folder, b"other", ".xlsx")
    tampered = [
        [str(int(expires) + 3600), signature, stored, display],  # a longer life
        [expires, signature, other.name, display],  # another file
        [expires, signature, stored, "khac.xlsx"],
        [expires, signature[:-1] + ("A" if signature[-1] != "A" else "B"), stored, display],
        [expires, "", stored, display],
        ["-1", signature, stored, display],
    ]
    for link in tampered:
        assert made.find(*link) == "unknown", link
    elsewhere = FileLinks(made.base_url, link_key("2:z"), made.clock, made.lifetime, made.folder)
    assert elsewhere.find(expires, signature, stored, display) == "unknown"
    Path(file.path).unlink()
    assert made.find(expires, signature, stored, display) == "unknown"


def test_the_running_bot_links_files_only_with_a_public_address(tmp_path: Path) -> None:
    clock = FakeClock(CAMPAIGN_MORNING)
    app = cast(App, SimpleNamespace(clock=clock))
    plain = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'thidua.db'}").model_copy(
        update={"zalo_bot_token": SecretStr("1:z"), "file_link_hours": 2}
    )
    assert file_links(plain, app) is None
    served = file_links(plain.model_copy(update={"webhook_base_url": "https://bot.vn/"}), app)
    assert served is not None and served.folder == tmp_path / "files"
    link = served.link(OutFile("photo", str(files.save(served.folder, b"png", ".png")), "a.png"))
    assert link.url.startswith("https://bot.vn/files/")
    assert link.expires == CAMPAIGN_MORNING + timedelta(hours=2)
