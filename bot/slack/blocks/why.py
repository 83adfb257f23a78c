"""`/learn why`: one sentence on the last lesson and one on the next, in the member's words."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.i18n import Translator
from bot.library import escape_mrkdwn

if TYPE_CHECKING:  # the learning rules, named for their types only: `web` starts without them
    from bot.learning.schedule import NextReason

NEXT = {
    "normal": "why.next_normal",
    "weekend": "why.next_weekend",
    "spaced": "why.next_spaced",
    "holiday": "why.next_holiday",
    "paused": "why.next_paused",
    "away": "why.next_away",
    "no_such_time": "why.next_normal",
}


def _last(
    t: Translator,
    command: str,
    tz: str,
    title: str | None,
    at: datetime | None,
    review: bool,
    new_area: bool,
) -> str:
    if title is None or at is None:
        return t("why.no_lesson_yet", command=command)
    key = "why.last_review" if review else "why.last_new_area" if new_area else "why.last_new"
    return t(key, title=escape_mrkdwn(title), when=t.when(at, tz))


def _next(t: Translator, tz: str, upcoming: NextReason, holiday: str) -> str:
    assert upcoming.slot is not None
    until: date | datetime | None = upcoming.until
    back = ""
    if isinstance(until, datetime):
        back = t.when(until, tz)
    elif isinstance(until, date):
        back = t.day(until)
    return t(
        NEXT[upcoming.kind],
        when=t.when(upcoming.slot.due_at, tz),
        zone=tz,
        day=t.day(upcoming.day) if upcoming.day else "",
        holiday=holiday,
        until=back,
    )


def why_text(
    t: Translator,
    command: str,
    *,
    tz: str,
    learns: bool,
    last_title: str | None,
    last_at: datetime | None,
    last_review: bool,
    upcoming: NextReason | None,
    holiday: str = "",
    last_new_area: bool = False,
    blind_spot: str | None = None,
) -> str:
    """`holiday` names the public holiday that moved the next lesson, when one did;
    `last_new_area`, that the last lesson opened an area never met; `blind_spot`, for a lead, the
    team's blind spot, with the rule that names it (`bot.learning.team.blind_spot`)."""
    last = _last(t, command, tz, last_title, last_at, last_review, last_new_area)
    lines = [last, next_text(t, command, tz=tz, learns=learns, upcoming=upcoming, holiday=holiday)]
    if blind_spot is not None:
        # Imported here: only a lead's answer names it, and the Home tab (which `web` imports at
        # start for next_text) does without the team report's module.
        from bot.learning.team import DEFAULT_WEEKS

        lines.append(
            t("why.team_blind_spot", area=blind_spot, weeks=DEFAULT_WEEKS, command=command)
        )
    return "\n".join(lines)


def next_text(
    t: Translator,
    command: str,
    *,
    tz: str,
    learns: bool,
    upcoming: NextReason | None,
    holiday: str = "",
) -> str:
    """When the next scheduled lesson comes and why then (the Home tab and `/learn me` too)."""
    if not learns:
        return t("why.not_learning", command=command)
    if upcoming is None or upcoming.slot is None:
        return t("why.next_none")
    return _next(t, tz, upcoming, holiday)
