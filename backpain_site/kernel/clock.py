"""The one clock and the one date formatter: every date the site checks or prints comes through here.

"Today" is the machine's date, unless the environment variable SITE_TODAY=YYYY-MM-DD fixes it
(`today()`): the test suite sets it so that it passes on any date, while the publish build,
`make build` and `make check` leave it unset (or empty) and so check against the real day. A
malformed SITE_TODAY is one message (`BadToday`), never a traceback.

Dates are written the British way, without a locale (the site is in English):
`long_date(2026-11-29)` is "29 November 2026", `month_text((2026, 11))` is "November 2026".
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping

TODAY_VARIABLE = "SITE_TODAY"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class BadToday(ValueError):
    """SITE_TODAY is set but is not a real YYYY-MM-DD date (str() is the message to show)."""


def parse_date(value: object) -> tuple[dt.date | None, str | None]:
    """(date, None) or (None, why it is not a YYYY-MM-DD date)."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        return None, f"{value!r} is not a date written YYYY-MM-DD (e.g. 2026-11-29)"
    try:
        return dt.date.fromisoformat(value.strip()), None
    except ValueError as error:
        return None, f"{value.strip()} is not a real date ({error})"


def today(environ: Mapping[str, str] = os.environ) -> dt.date:
    """SITE_TODAY when set (the tests fix it), else the machine's clock."""
    value = environ.get(TODAY_VARIABLE)
    if value is None or value == "":  # unset, or cleared with `SITE_TODAY=`
        return dt.date.today()
    day, why = parse_date(value)
    if day is None:
        raise BadToday(
            f"{TODAY_VARIABLE}={value!r}: {why}; set {TODAY_VARIABLE}=YYYY-MM-DD to check review "
            f"dates as of that day, or unset it to use today's date"
        )
    return day


def long_date(value: str | dt.date) -> str:
    """'2026-11-29' (or the date) -> '29 November 2026'."""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_text(value: tuple[int, int] | dt.date) -> str:
    """(2026, 11) or a date in November 2026 -> 'November 2026'."""
    year, month = (value.year, value.month) if isinstance(value, dt.date) else value
    return f"{MONTHS[month - 1]} {year}"
