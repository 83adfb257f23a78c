"""`/learn pause 1w|3d|until YYYY-MM-DD`: the words a member types, to the last paused day."""

from __future__ import annotations

import re
from datetime import date, timedelta

LONGEST = timedelta(days=365)
_SPAN = re.compile(r"^(\d{1,3})([dw])$")


class BadPause(ValueError):
    """Not a pause Nudge understands; the message suggests one that is."""


def paused_through(words: tuple[str, ...], today: date) -> date:
    """The last local date without lessons; lessons come back the day after.

    `3d` is today and the next two days, `1w` seven days from today, and `until D` every day
    before D (the member is back on D).
    """
    if len(words) == 1 and (span := _SPAN.match(words[0])):
        days = int(span[1]) * (7 if span[2] == "w" else 1)
        if days < 1:
            raise BadPause("zero")
        last = today + timedelta(days=days - 1)
    elif len(words) == 2 and words[0] == "until":
        try:
            back = date.fromisoformat(words[1])
        except ValueError:
            raise BadPause("date") from None
        if back <= today:
            raise BadPause("past")
        last = back - timedelta(days=1)
    else:
        raise BadPause("words")
    if last - today >= LONGEST:
        raise BadPause("long")
    return last
