"""The arithmetic of the limits on wrong invite codes."""

from hypothesis import given
from hypothesis import strategies as st

from domain.invites import (
    GUARD_FIRST,
    GUARD_LONGEST,
    GUESSING_RATE,
    WRONG_CODES_PER_ACCOUNT,
    guard_length,
    guessing,
    may_try_code,
)

trips = st.integers(min_value=0, max_value=10_000)


@given(st.booleans())
def test_an_account_without_wrong_codes_always_gets_its_code_checked(guarded: bool) -> None:
    assert may_try_code(0, guarded)


@given(st.integers(min_value=0, max_value=100))
def test_the_guard_only_ever_lowers_what_an_account_may_try(wrong_codes: int) -> None:
    assert may_try_code(wrong_codes, guarded=True) <= may_try_code(wrong_codes, guarded=False)
    assert may_try_code(wrong_codes, guarded=False) == (wrong_codes < WRONG_CODES_PER_ACCOUNT)


def test_a_guarded_account_gets_one_wrong_code() -> None:
    assert may_try_code(0, guarded=True) and not may_try_code(1, guarded=True)


def test_guessing_is_more_wrong_codes_than_the_rate() -> None:
    assert not guessing(GUESSING_RATE) and guessing(GUESSING_RATE + 1)


@given(trips)
def test_the_guard_doubles_with_each_trip_up_to_a_day(earlier: int) -> None:
    length = guard_length(earlier)
    assert GUARD_FIRST <= length <= GUARD_LONGEST
    assert guard_length(earlier + 1) == min(2 * length, GUARD_LONGEST)


def test_the_first_trips_guard_ten_twenty_forty_minutes() -> None:
    assert [guard_length(n).total_seconds() / 60 for n in range(3)] == [10, 20, 40]
    assert guard_length(8) == GUARD_LONGEST  # 2.560 minutes would be more than a day
