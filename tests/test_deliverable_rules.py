"""Pure rules of deliverables and uploaded files: the campaign file's `deliverables:`, file
types and names, on time and completeness, and when the reminders go."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import BUNDLED_CAMPAIGN, LOCAL_ZONE
from domain.campaign import CampaignFileError, load_campaign, parse_campaign
from domain.deliverables import Version, completeness, has_delivered, is_on_time, unit_status
from domain.reminders import deliverable_occasions
from domain.uploads import MAX_SHOWN_NAME, facts, file_type, refused_by_name, shown_name
from tests.files import docx, jpeg, pdf, xlsx
from tests.test_reminder_job import local

BUNDLED = BUNDLED_CAMPAIGN.read_text(encoding="utf-8")
CAMPAIGN = load_campaign(BUNDLED_CAMPAIGN)
PLAN = CAMPAIGN.deliverables[0]


def test_the_bundled_campaign_owes_the_implementation_plan_two_weeks_after_launch() -> None:
    assert (PLAN.code, PLAN.name, PLAN.owed_by) == (
        "ke_hoach", "Kế hoạch triển khai phong trào thi đua", "everyone",
    )  # fmt: skip
    assert PLAN.due == CAMPAIGN.starts + timedelta(days=14)
    assert PLAN.accepts == ["document", "photo"] and PLAN.text == "optional"


def _with_deliverables(block: str) -> str:
    position = BUNDLED.index("\ndeliverables:\n")
    end = BUNDLED.index("\nindicators:\n")
    return BUNDLED[:position] + "\n" + block + BUNDLED[end:]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            "deliverables:\n  - {code: kh, name: A, due: 2025-08-15}\n"
            "  - {code: kh, name: B, due: 2025-08-20}\n",
            "deliverables[1].code: mã sản phẩm 'kh' bị trùng",
        ),
        (
            "deliverables:\n  - {code: kh, name: A, due: 2026-02-01}\n",
            "deliverables[0].due: hạn nộp 01/02/2026 nằm ngoài thời gian phong trào"
            " (01/08/2025–31/12/2025)",
        ),
        (
            "deliverables:\n  - {code: kh, name: A, due: 2025-08-15, owed_by: 'role:head'}\n",
            "deliverables[0].owed_by: đơn vị nộp không chọn theo vai trò",
        ),
        (
            "deliverables:\n  - {code: kh, name: A, due: 2025-08-15, accepts: [video]}\n",
            "deliverables[0].accepts[0]: giá trị 'video' không hợp lệ (cho phép: document, photo)",
        ),
    ],
)
def test_wrong_deliverables_are_named_with_their_field(block: str, message: str) -> None:
    with pytest.raises(CampaignFileError) as caught:
        parse_campaign(_with_deliverables(block), "lao-cai-2025.yaml")
    assert message in str(caught.value)


def test_file_types_are_read_from_the_content() -> None:
    assert [file_type(data) for data in (pdf(), docx(), xlsx(), jpeg())] == [
        "pdf", "docx", "xlsx", "jpg",
    ]  # fmt: skip
    assert file_type(b"MZ\x90\x00") is None
    assert file_type(b"PK\x03\x04not a zip") is None
    found = facts(pdf("x"))
    assert found is not None and found.kind == "document"
    assert found.stored_name == f"{found.sha256[:2]}/{found.sha256}.pdf"
    assert facts(b"plain text") is None


def test_a_name_that_says_another_type_is_refused_before_downloading() -> None:
    assert refused_by_name("setup.exe") and refused_by_name("virus.pdf.exe")
    assert not refused_by_name("Ke hoach.PDF") and not refused_by_name("")
    assert not refused_by_name("plan")  # no suffix: the content decides


@given(st.text(max_size=300))
def test_a_shown_name_never_holds_a_path_or_a_control_character(name: str) -> None:
    shown = shown_name(name)
    assert "/" not in shown and "\\" not in shown
    assert all(ch.isprintable() for ch in shown)
    assert len(shown) <= MAX_SHOWN_NAME


def test_a_plain_name_is_shown_as_sent() -> None:
    assert shown_name("Kế hoạch số 12.pdf") == "Kế hoạch số 12.pdf"
    assert shown_name("C:\\Users\\a\\kh.docx") == "kh.docx"


def _at(day: str, hour: str = "10:00") -> datetime:
    return local(day, hour)


def test_on_time_is_by_the_end_of_the_due_day_local_time() -> None:
    assert is_on_time(PLAN, _at("15/08", "23:59"), LOCAL_ZONE)
    assert not is_on_time(PLAN, _at("16/08", "00:00"), LOCAL_ZONE)
    # 16:59 UTC on the 15th is 23:59 in Vietnam; 17:00 UTC is already the 16th.
    assert is_on_time(PLAN, datetime(2025, 8, 15, 16, 59, tzinfo=UTC), LOCAL_ZONE)
    assert not is_on_time(PLAN, datetime(2025, 8, 15, 17, 0, tzinfo=UTC), LOCAL_ZONE)


def test_a_returned_latest_version_is_not_delivered() -> None:
    returned = [Version(1, _at("10/08"), "returned")]
    again = [*returned, Version(2, _at("20/08"), "submitted")]
    assert unit_status([]) == "missing" and not has_delivered([])
    assert unit_status(returned) == "returned" and not has_delivered(returned)
    assert unit_status(again) == "submitted" and has_delivered(again)
    counted = completeness(PLAN, [again, returned, []], LOCAL_ZONE)
    assert (counted.expected, counted.delivered, counted.on_time) == (3, 1, 1)  # first on 10/08


_VERSIONS = st.lists(
    st.lists(
        st.tuples(
            st.dates(date(2025, 8, 1), date(2025, 12, 31)),
            st.sampled_from(["submitted", "accepted", "returned"]),
        ),
        max_size=3,
    ),
    max_size=20,
)


@given(_VERSIONS)
def test_completeness_and_timeliness_stay_between_0_and_100(
    units: list[list[tuple[date, str]]],
) -> None:
    versions = [
        [
            Version(n, datetime.combine(day, datetime.min.time(), LOCAL_ZONE), status)  # type: ignore[arg-type]
            for n, (day, status) in enumerate(sorted(unit), start=1)
        ]
        for unit in units
    ]
    counted = completeness(PLAN, versions, LOCAL_ZONE)
    assert counted.on_time <= counted.delivered <= counted.expected == len(units)
    assert 0 <= counted.timeliness <= counted.completeness <= 100


def test_reminders_before_and_after_the_due_date_keep_to_working_days() -> None:
    occasions = deliverable_occasions(PLAN, CAMPAIGN)
    assert [(o.moment, o.scope, o.rule) for o in occasions] == [
        (_at("12/08", "08:00"), "dl-ke_hoach", "before-3"),
        (_at("14/08", "08:00"), "dl-ke_hoach", "before-1"),
        (_at("15/08", "08:00"), "dl-ke_hoach", "deadline"),
        # Saturday 16/08 moves to Monday 18/08, where the third day after already is.
        (_at("18/08", "08:00"), "dl-ke_hoach", "after-3"),
    ]
    assert occasions[0].key(42) == "42:dl-ke_hoach:before-3"
