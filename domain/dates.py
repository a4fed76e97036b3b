"""Dates as officials type them: 20/10/2025, 20-10-2025, 20.10.2025, 20/10."""

import re
from datetime import date

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?\s*$")


def parse_day(text: str, today: date) -> date | None:
    """The date written, or None if it is not one.

    Without a year it is the next such date from today on (20/01 typed in December is next
    January's); a two-digit year is in the 2000s.
    """
    match = _DATE.match(text)
    if match is None:
        return None
    day, month, year = int(match[1]), int(match[2]), match[3]
    try:
        if year is not None:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        this_year = date(today.year, month, day)
    except ValueError:
        return None
    if this_year >= today:
        return this_year
    try:
        return date(today.year + 1, month, day)
    except ValueError:  # 29/02 of a leap year, typed after it
        return None
