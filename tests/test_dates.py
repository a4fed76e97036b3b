"""Dates as officials type them (domain/dates.py)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.dates import parse_day

days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


@given(days, st.sampled_from(["/", "-", "."]), days)
def test_a_full_date_reads_back_whatever_the_separator(day: date, mark: str, today: date) -> None:
    assert parse_day(f"{day.day}{mark}{day.month}{mark}{day.year}", today) == day
    assert parse_day(f"{day:%d}{mark}{day:%m}{mark}{day:%y}", today) == day


@given(days, st.integers(min_value=0, max_value=364))
def test_without_a_year_it_is_the_next_such_day(today: date, ahead: int) -> None:
    day = today + timedelta(days=ahead)
    if (day.month, day.day) == (2, 29):
        return  # the next 29/02 may be years away
    assert parse_day(f"{day.day}/{day.month}", today) == day


def test_what_is_not_a_date() -> None:
    today = date(2025, 9, 1)
    for text in ("", "mai", "31/02", "31/02/2025", "1/13", "0/5", "20/10/20255", "20 10"):
        assert parse_day(text, today) is None, text
    assert parse_day(" 5 / 9 ", today) == date(2025, 9, 5)
