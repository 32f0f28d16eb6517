"""Days as quanze reads them from text: `YYYY-MM-DD`, ASCII digits, a day that exists.

One parser for every date a user can write — a list's `effective_from`, a case's or a request's
`on`, `--on`, a date fact — so that no path accepts what another refuses. `datetime.date.fromisoformat`
alone is not it: on Python 3.11 it also reads `20211101` and `2021-W44-1`, and a check of the
length alone lets `2021-13-45` through to string comparisons.
"""
from __future__ import annotations

import datetime
import re

DAY_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def day(text) -> datetime.date | None:
    """The day `text` names, or None when it is not `YYYY-MM-DD` or names no day (`2021-02-30`)."""
    if not isinstance(text, str) or DAY_FORM.fullmatch(text) is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def has_day_form(text) -> bool:
    """Whether `text` has the form `YYYY-MM-DD` (whether or not that day exists)."""
    return isinstance(text, str) and DAY_FORM.fullmatch(text) is not None
