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
