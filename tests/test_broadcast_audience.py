"""Reading an update's audience and moment: pure functions."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from domain.broadcasts import Audience, Directory, Named, Unknown, read_audience, read_moment

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTORY = Directory(
    blocks=(Named("khoi-kinh-te", "Khối kinh tế"), Named("khoi-noi-chinh", "Khối nội chính")),
    clusters=(Named("cum-cac-xa-bat-xat", "Cụm các xã Bát Xát"),),
    units=(
        Named("xa-bat-xat", "Xã Bát Xát"),
        Named("xa-y-ty", "Xã Y Tý"),
        Named("so-tai-chinh", "Sở Tài chính"),
        Named("so-y-te", "Sở Y tế"),
        Named("ban-quan-ly-khu-kinh-te", "Ban Quản lý Khu kinh tế"),
    ),
)


def test_the_strict_forms() -> None:
    assert read_audience("everyone", DIRECTORY) == Audience("everyone")
    assert read_audience("block:Khối kinh tế", DIRECTORY) == Audience(
        "block", ("khoi-kinh-te",), "Khối kinh tế"
    )
    assert read_audience("block:khoi-kinh-te", DIRECTORY) == Audience(
        "block", ("khoi-kinh-te",), "Khối kinh tế"
    )
    assert read_audience("kind:commune", DIRECTORY) == Audience("kind", ("commune",), "commune")
    assert read_audience("role:lanh dao", DIRECTORY) == Audience("role", ("head",), "head")
    units = read_audience("units:so-tai-chinh,so-y-te", DIRECTORY)
    assert isinstance(units, Audience) and units.codes == ("so-tai-chinh", "so-y-te")


def test_an_unknown_name_says_what_was_looked_for() -> None:
    assert read_audience("block:Khối không có", DIRECTORY) == Unknown("block", "Khối không có")
    assert read_audience("cluster:Khối kinh tế", DIRECTORY) == Unknown("cluster", "Khối kinh tế")
    assert read_audience("kind:huyen", DIRECTORY) == Unknown("kind", "huyen")
    assert read_audience("so tai chinh, so khong co", DIRECTORY) == Unknown("units", "so khong co")
    assert read_audience("xyz", DIRECTORY) == Unknown("any", "xyz")


def test_loose_names_and_their_ambiguities() -> None:
    assert read_audience("Tất cả", DIRECTORY) == Audience("everyone")
    assert read_audience("khoi kinh te", DIRECTORY) == Audience(
        "block", ("khoi-kinh-te",), "Khối kinh tế"
    )
    assert read_audience("cum bat xat", DIRECTORY) == Audience(
        "cluster", ("cum-cac-xa-bat-xat",), "Cụm các xã Bát Xát"
    )
    both = read_audience("bat xat", DIRECTORY)
    assert isinstance(both, list) and [a.spec for a in both] == [
        "cluster:cum-cac-xa-bat-xat",
        "units:xa-bat-xat",
    ]
    economy = read_audience("kinh te", DIRECTORY)
    assert isinstance(economy, list) and len(economy) == 2  # the block and the zone's board
    assert read_audience("cac xa", DIRECTORY) == Audience("kind", ("commune",), "commune")
    assert read_audience("y te", DIRECTORY) == Audience("units", ("so-y-te",), "Sở Y tế")


def test_an_audience_keeps_its_codes_through_its_strict_form() -> None:
    for typed in ("everyone", "block:khoi-kinh-te", "units:so-tai-chinh,so-y-te", "role:head"):
        audience = read_audience(typed, DIRECTORY)
        assert isinstance(audience, Audience)
        assert Audience.from_spec(audience.spec).codes == audience.codes
        assert Audience.from_spec(audience.spec).spec == audience.spec


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_a_written_moment_reads_back_to_the_minute(moment: datetime) -> None:
    wall = moment.replace(second=0, microsecond=0)
    assert read_moment(f"{wall:%d/%m/%Y %H:%M}", ZONE) == wall.replace(tzinfo=ZONE)
    assert read_moment(f"{wall.day}/{wall.month}/{wall.year} {wall.hour}h{wall:%M}", ZONE) == (
        wall.replace(tzinfo=ZONE)
    )


def test_what_is_not_a_moment() -> None:
    for typed in ("ngay mai", "31/02/2026 08:00", "15/11/2025", "15/11/2025 25:00", "08:00"):
        assert read_moment(typed, ZONE) is None
