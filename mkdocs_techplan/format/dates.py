"""Dates as the format writes them: `YYYY-MM-DD`, and a day that exists."""

from __future__ import annotations

import datetime
import re

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""`fullmatch`, not `$`: a date followed by a line break is not a date."""


def parse_date(text: str) -> datetime.date | None:
    """The date `text` names, or None when it is not a `YYYY-MM-DD` day of the calendar."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


# ISO 8601 and YAML timestamps: `2025-08-13T00:00:00.000Z`, `2025-08-13 10:30 +02:00`.
_DAY_AND_TIME = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?"
    r" *(?:[Zz]|[+-][0-9]{1,2}(?::?[0-9]{2})?)?"
)


def day_of(written: str) -> str:
    """The day a date and time names as written (its time zone is not applied: the author
    wrote that day), or `written` as it is: validation says what a date must be."""
    found = _DAY_AND_TIME.fullmatch(written.strip())
    return found[1] if found else written


_WRITTEN_FORMATS = (
    "%B %d, %Y",  # October 22, 2025
    "%b %d, %Y",  # Oct 22, 2025
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",  # 22 October 2025
    "%d %b %Y",
    "%d-%b-%Y",  # 04-Aug-2023
    "%d-%B-%Y",
    "%Y/%m/%d",  # 2025/10/22
    "%Y.%m.%d",
)
"""Ways people write a date that name one day only (no `01/02/2025`: day or month first?)."""


def read_written_date(text: str) -> datetime.date | None:
    """The day a date written in prose names (`October 22, 2025`, `04-Aug-2023`), when only
    one day can be meant; None otherwise. English month names, as the formats are read."""
    cleaned = " ".join(text.replace("Sept ", "Sep ").split()).strip(".")
    for pattern in _WRITTEN_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    return None
