"""A member's streak: the days in a row on which they answered, counted from their lessons.

Only a day on which a scheduled lesson reached the member and went unanswered breaks it. Days
without one (weekends and other non-working days, public holidays, a pause, an away status, a
day the team's lessons are spread away from, or a day Nudge was down) are passed over, so taking
time off never costs a streak. Today breaks nothing while it lasts: there is still time to answer.
No SQL, no wall clock: the caller passes the days and `now`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from bot.learning.schedule import zone_of


def streak(
    lesson_days: Mapping[date, bool],
    extra_answers: Iterable[datetime],
    tz: str,
    now: datetime,
) -> int:
    """How many answered days run back from today without a break.

    `lesson_days` maps each local date a scheduled lesson reached the member to whether it was
    answered (whenever the answer came); `extra_answers` are the instants the member answered
    lessons they asked for themselves, which count on their own local date in `tz`.
    """
    zone = zone_of(tz)
    today = now.astimezone(zone).date()
    answered = {day for day, done in lesson_days.items() if done}
    answered.update(moment.astimezone(zone).date() for moment in extra_answers)
    broken = {day for day, done in lesson_days.items() if not done and day < today} - answered
    count = 0
    for day in sorted(answered | broken, reverse=True):
        if day > today:  # a clock moved back in tests, or a zone changed: not part of the run
            continue
        if day in broken:
            break
        count += 1
    return count
