"""The streak: answered days in a row, where only a lesson day left unanswered breaks the run.

The lesson days come from the real schedule (working days, a pause, Greek public holidays), so
what the member had off is exactly what the schedule never sent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.learning.calendars import is_public_holiday
from bot.learning.schedule import MemberCalendar, is_lesson_day
from bot.learning.schedule_settings import TeamSchedule
from bot.learning.streak import streak

TEAM = TeamSchedule()  # Monday to Friday, a lesson each working day, holidays from the zone


def _lesson_days(calendar: MemberCalendar, first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if is_lesson_day(TEAM, calendar, is_public_holiday, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def test_weekends_public_holidays_and_a_pause_do_not_break_the_streak() -> None:
    # Athens, March to April 2026: 25 March and Good Friday to Easter Monday (10-13 April) are
    # Greek public holidays, and the member paused 30 March to 3 April.
    before = _lesson_days(MemberCalendar("Europe/Athens"), date(2026, 3, 16), date(2026, 3, 29))
    paused = MemberCalendar("Europe/Athens", paused_until=date(2026, 4, 3))
    days = before + _lesson_days(paused, date(2026, 3, 30), date(2026, 4, 15))
    assert date(2026, 3, 25) not in days and date(2026, 4, 1) not in days
    assert date(2026, 4, 13) not in days and date(2026, 3, 21) not in days
    answered = dict.fromkeys(days, True)
    now = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
    assert streak(answered, [], "Europe/Athens", now) == len(days) == 15


def test_a_lesson_day_left_unanswered_breaks_it() -> None:
    days = {date(2026, 3, 2): True, date(2026, 3, 3): False, date(2026, 3, 4): True}
    days[date(2026, 3, 5)] = True
    now = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    assert streak(days, [], "Europe/London", now) == 2


def test_today_breaks_nothing_while_it_lasts() -> None:
    days = {date(2026, 3, 4): True, date(2026, 3, 5): False}
    assert streak(days, [], "Europe/London", datetime(2026, 3, 5, 18, 0, tzinfo=UTC)) == 1
    # The next day, Thursday's unanswered lesson is a break.
    assert streak(days, [], "Europe/London", datetime(2026, 3, 6, 8, 0, tzinfo=UTC)) == 0


def test_a_lesson_asked_for_counts_on_the_members_own_date() -> None:
    # Monday's lesson was not answered, but at 23:30 UTC on Monday it is already Tuesday in
    # Athens: the answer to a lesson asked for then does not mend Monday there, and does in London.
    days = {date(2026, 3, 2): False, date(2026, 3, 3): True}
    asked = [datetime(2026, 3, 2, 23, 30, tzinfo=UTC)]
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert streak(days, asked, "Europe/Athens", now) == 1
    assert streak(days, asked, "Europe/London", now) == 2


def test_answers_on_days_without_a_scheduled_lesson_count_too() -> None:
    # Saturday in Auckland, a lesson asked for: Friday and Saturday both answered.
    days = {date(2026, 3, 6): True}
    asked = [datetime(2026, 3, 6, 20, 0, tzinfo=UTC)]  # 09:00 on Saturday 7 March in Auckland
    now = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)
    assert streak(days, asked, "Pacific/Auckland", now) == 2


def test_no_history_is_no_streak() -> None:
    assert streak({}, [], "UTC", datetime(2026, 3, 7, tzinfo=UTC)) == 0
