"""The schedule, case by case: DST in both hemispheres, odd offsets, gaps and folds, pauses,
holidays, the weekly question, grace. Real IANA zones; time is always passed in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.learning.calendars import is_public_holiday
from bot.learning.schedule import (
    HolidayLookup,
    MemberCalendar,
    Slot,
    digest_due,
    due,
    explain_next,
    local_instant,
    next_lesson,
    weekly_question,
    weekly_reminder,
)
from bot.learning.schedule_settings import TeamSchedule, Weekday, parse_team_schedule

TEAM = TeamSchedule()  # 09:30, mon-fri, question mon, reminder wed, digest fri, holidays auto
EVERY_DAY = parse_team_schedule({"WORKING_DAYS": "mon-sun"})
H = timedelta(hours=1)


def none(country: str, day: date) -> bool:
    return False


def on(*days: date) -> HolidayLookup:
    def lookup(country: str, day: date) -> bool:
        return day in days

    return lookup


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(slot: Slot | None, tz: str) -> str:
    assert slot is not None
    return slot.due_at.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M %z")


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        # Northern spring: the same 09:30, one hour earlier in UTC after the change.
        ("Europe/Athens", utc(2027, 3, 26, 12), "Mon 2027-03-29 09:30 +0300"),
        ("Europe/London", utc(2027, 3, 26, 12), "Mon 2027-03-29 09:30 +0100"),
        ("America/New_York", utc(2027, 3, 12, 18), "Mon 2027-03-15 09:30 -0400"),
        ("America/St_Johns", utc(2027, 3, 12, 18), "Mon 2027-03-15 09:30 -0230"),
        # Northern autumn.
        ("Europe/Athens", utc(2026, 10, 23, 12), "Mon 2026-10-26 09:30 +0200"),
        ("America/Los_Angeles", utc(2026, 10, 30, 20), "Mon 2026-11-02 09:30 -0800"),
        # Southern autumn, the same weekend as Easter 2027.
        ("Australia/Sydney", utc(2027, 4, 1, 23), "Mon 2027-04-05 09:30 +1000"),
        ("Australia/Lord_Howe", utc(2027, 4, 1, 23), "Mon 2027-04-05 09:30 +1030"),
        ("Pacific/Chatham", utc(2027, 4, 1, 23), "Mon 2027-04-05 09:30 +1245"),
        ("Australia/Sydney", utc(2027, 3, 31, 12), "Thu 2027-04-01 09:30 +1100"),
        ("America/Santiago", utc(2027, 4, 2, 18), "Mon 2027-04-05 09:30 -0400"),
        # No DST, odd offsets.
        ("Asia/Kathmandu", utc(2027, 3, 22, 4), "Tue 2027-03-23 09:30 +0545"),
        ("Asia/Kolkata", utc(2027, 3, 22, 4), "Tue 2027-03-23 09:30 +0530"),
        ("Asia/Tehran", utc(2027, 3, 22, 6), "Tue 2027-03-23 09:30 +0330"),
    ],
)
def test_the_lesson_keeps_its_local_time_across_offsets(
    tz: str, after: datetime, expected: str
) -> None:
    assert wall(next_lesson(TEAM, MemberCalendar(tz), none, after), tz) == expected


@pytest.mark.parametrize(
    ("tz", "at", "day", "expected"),
    [
        # Gaps: the time moves forward by the gap's length.
        ("America/New_York", time(2, 30), date(2027, 3, 14), "03:30 -0400"),
        ("Europe/London", time(1, 15), date(2027, 3, 28), "02:15 +0100"),
        ("Australia/Lord_Howe", time(2, 15), date(2026, 10, 4), "02:45 +1100"),  # 30-min gap
        ("America/Santiago", time(0, 30), date(2026, 9, 6), "01:30 -0300"),  # midnight gap
        ("Pacific/Chatham", time(3, 0), date(2026, 9, 27), "04:00 +1345"),
        # Folds: the first of the two occurrences.
        ("America/New_York", time(1, 30), date(2026, 11, 1), "01:30 -0400"),
        ("Europe/Athens", time(3, 30), date(2026, 10, 25), "03:30 +0300"),
        ("Australia/Lord_Howe", time(1, 45), date(2027, 4, 4), "01:45 +1100"),  # 30-min fold
        ("America/Santiago", time(23, 30), date(2027, 4, 3), "23:30 -0300"),
        ("Pacific/Chatham", time(3, 0), date(2027, 4, 4), "03:00 +1345"),
    ],
)
def test_gap_and_fold(tz: str, at: time, day: date, expected: str) -> None:
    team = TeamSchedule(lesson_time=at, working_days=EVERY_DAY.working_days, lessons_per_week=7)
    midnight = datetime.combine(day, time(), ZoneInfo(tz))
    slot = next_lesson(team, MemberCalendar(tz), none, midnight - timedelta(minutes=1))
    assert slot is not None and slot.local_date == day
    assert wall(slot, tz)[15:] == expected


def test_a_date_that_never_happened_has_no_lesson() -> None:
    # Samoa skipped 30 December 2011 when it moved across the date line.
    assert local_instant(date(2011, 12, 30), time(9, 30), ZoneInfo("Pacific/Apia")) is None
    slot = next_lesson(EVERY_DAY, MemberCalendar("Pacific/Apia"), none, utc(2011, 12, 29, 0))
    assert slot is not None and slot.local_date == date(2011, 12, 29)
    after = next_lesson(EVERY_DAY, MemberCalendar("Pacific/Apia"), none, slot.due_at)
    assert after is not None and wall(after, "Pacific/Apia") == "Sat 2011-12-31 09:30 +1400"


def test_next_lesson_is_strictly_after() -> None:
    member = MemberCalendar("Europe/Athens")
    monday = next_lesson(TEAM, member, none, utc(2027, 3, 22, 0))
    assert monday is not None and monday.due_at == utc(2027, 3, 22, 7, 30)
    tuesday = next_lesson(TEAM, member, none, monday.due_at)
    assert tuesday is not None and tuesday.local_date == date(2027, 3, 23)


def test_holidays_follow_each_members_country() -> None:
    athens, new_york = MemberCalendar("Europe/Athens"), MemberCalendar("America/New_York")
    wednesday_evening = utc(2027, 3, 24, 20)
    greek = next_lesson(TEAM, athens, is_public_holiday, wednesday_evening)
    american = next_lesson(TEAM, new_york, is_public_holiday, wednesday_evening)
    assert greek is not None and greek.local_date == date(2027, 3, 26)
    assert american is not None and american.local_date == date(2027, 3, 25)


def test_the_holiday_rule() -> None:
    athens = MemberCalendar("Europe/Athens")
    evening = utc(2027, 3, 24, 20)
    everyone_us = parse_team_schedule({"HOLIDAYS": "US"})
    nobody = parse_team_schedule({"HOLIDAYS": "none"})
    for team, expected in ((everyone_us, 25), (nobody, 25), (TEAM, 26)):
        slot = next_lesson(team, athens, is_public_holiday, evening)
        assert slot is not None and slot.local_date.day == expected
    # A member's own country replaces the zone's guess under HOLIDAYS=auto.
    in_greece = MemberCalendar("America/New_York", country="GR")
    slot = next_lesson(TEAM, in_greece, is_public_holiday, evening)
    assert slot is not None and slot.local_date == date(2027, 3, 26)
    # Etc/UTC has no country: no holidays, no crash.
    slot = next_lesson(TEAM, MemberCalendar("Etc/UTC"), is_public_holiday, evening)
    assert slot is not None and slot.local_date == date(2027, 3, 25)


def test_pause_and_away() -> None:
    paused = MemberCalendar("Europe/Athens", paused_until=date(2027, 3, 24))
    slot = next_lesson(TEAM, paused, none, utc(2027, 3, 22))
    assert slot is not None and slot.local_date == date(2027, 3, 25)  # inclusive pause
    # Away ends 07:00 UTC on Wednesday; Athens' 09:30 is 07:30 UTC, so Wednesday's lesson comes.
    away = MemberCalendar("Europe/Athens", away_until=utc(2027, 3, 24, 7))
    slot = next_lesson(TEAM, away, none, utc(2027, 3, 22))
    assert slot is not None and slot.local_date == date(2027, 3, 24)
    # Away until 08:00 UTC: Wednesday's 07:30 UTC lesson is skipped.
    away = MemberCalendar("Europe/Athens", away_until=utc(2027, 3, 24, 8))
    slot = next_lesson(TEAM, away, none, utc(2027, 3, 22))
    assert slot is not None and slot.local_date == date(2027, 3, 25)


def test_paused_for_years_gives_none() -> None:
    member = MemberCalendar("Europe/Athens", paused_until=date(2031, 1, 1))
    assert next_lesson(TEAM, member, none, utc(2027, 3, 22)) is None
    why = explain_next(TEAM, member, none, utc(2027, 3, 22))
    assert (why.kind, why.slot, why.until) == ("paused", None, date(2031, 1, 1))


def test_members_must_be_real_and_times_aware() -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus' is not an IANA time zone"):
        MemberCalendar("Mars/Olympus")
    with pytest.raises(ValueError, match="away_until must be an aware datetime"):
        MemberCalendar("Europe/Athens", away_until=datetime(2027, 3, 22))
    with pytest.raises(ValueError, match="now must be an aware datetime"):
        due(TEAM, MemberCalendar("Europe/Athens"), none, utc(2027, 3, 22), datetime(2027, 3, 23))


def test_thinned_weeks() -> None:
    team = parse_team_schedule({"LESSONS_PER_WEEK": "3"})
    member, after, days = MemberCalendar("Asia/Tokyo"), utc(2027, 3, 21), []
    for _ in range(6):
        slot = next_lesson(team, member, none, after)
        assert slot is not None
        days.append(slot.local_date.strftime("%a %d"))
        after = slot.due_at
    assert days == ["Mon 22", "Wed 24", "Fri 26", "Mon 29", "Wed 31", "Fri 02"]


# The weekly question and its reminder ------------------------------------------------------
ATHENS = MemberCalendar("Europe/Athens")
WEEK = date(2027, 3, 22)  # a Monday


def test_the_question_goes_with_mondays_lesson() -> None:
    question = weekly_question(TEAM, ATHENS, none, WEEK + timedelta(days=4))
    reminder = weekly_reminder(TEAM, ATHENS, none, WEEK + timedelta(days=4))
    assert question == Slot("question", WEEK, utc(2027, 3, 22, 7, 30))
    assert reminder is not None and reminder.local_date == date(2027, 3, 24)


def test_a_question_on_a_holiday_moves_to_the_next_lesson_day() -> None:
    holidays = on(WEEK, WEEK + timedelta(days=1))  # Monday and Tuesday off
    question = weekly_question(TEAM, ATHENS, holidays, WEEK)
    assert question is not None and question.local_date == date(2027, 3, 24)
    # The reminder never shares the question's day: Wednesday's moves to Thursday.
    reminder = weekly_reminder(TEAM, ATHENS, holidays, WEEK)
    assert reminder is not None and reminder.local_date == date(2027, 3, 25)


def test_a_question_that_cannot_move_within_its_week_is_skipped() -> None:
    holidays = on(*(WEEK + timedelta(days=n) for n in range(5)))
    assert weekly_question(TEAM, ATHENS, holidays, WEEK) is None
    assert weekly_reminder(TEAM, ATHENS, holidays, WEEK) is None
    # A question pushed to Friday leaves no day for its reminder that week.
    late = on(*(WEEK + timedelta(days=n) for n in range(4)))
    question = weekly_question(TEAM, ATHENS, late, WEEK)
    assert question is not None and question.local_date == date(2027, 3, 26)
    assert weekly_reminder(TEAM, ATHENS, late, WEEK) is None


def test_a_paused_member_gets_the_question_when_back() -> None:
    member = MemberCalendar("Europe/Athens", paused_until=date(2027, 3, 23))
    question = weekly_question(TEAM, member, none, WEEK)
    assert question is not None and question.local_date == date(2027, 3, 24)


def test_a_sunday_to_thursday_week() -> None:
    team = parse_team_schedule({"WORKING_DAYS": "sun-thu", "QUESTION_DAY": "sun"})
    dubai = MemberCalendar("Asia/Dubai")
    question = weekly_question(team, dubai, none, date(2027, 3, 27))  # a Saturday
    assert question is not None and question.local_date == date(2027, 3, 21)  # that week's Sunday


# due(), grace and missed slots --------------------------------------------------------------
def test_due_takes_the_half_open_interval() -> None:
    member, at = MemberCalendar("Europe/Athens"), utc(2027, 3, 22, 7, 30)
    assert [s.kind for s in due(TEAM, member, none, at - H, at).send] == ["lesson", "question"]
    assert due(TEAM, member, none, at, at + H).send == ()  # found once, never again
    assert due(TEAM, member, none, at, at).send == ()  # first tick after install: nothing


def test_late_within_grace_is_sent_and_beyond_it_missed() -> None:
    member, at = MemberCalendar("Europe/Athens"), utc(2027, 3, 22, 7, 30)
    late = due(TEAM, member, none, at - H, at + 2 * H)  # exactly GRACE late: still sent
    assert [s.kind for s in late.send] == ["lesson", "question"] and late.missed == ()
    down = due(TEAM, member, none, at - H, at + 2 * H + timedelta(seconds=1))
    assert down.send == ()
    assert [(m.slot.kind, m.reason) for m in down.missed] == [
        ("lesson", "past_grace"),
        ("question", "past_grace"),
    ]
    assert down.missed[0].late_by == 2 * H + timedelta(seconds=1)


def test_a_long_outage_reports_each_missed_day_and_sends_only_todays() -> None:
    member = MemberCalendar("Europe/Athens")
    result = due(TEAM, member, none, utc(2027, 3, 22, 6), utc(2027, 3, 24, 8))
    assert [s.local_date.day for s in result.send] == [24, 24]  # Wednesday's lesson and reminder
    assert [(m.slot.kind, m.slot.local_date.day) for m in result.missed] == [
        ("lesson", 22),
        ("question", 22),
        ("lesson", 23),
    ]


def test_the_digest_is_a_team_slot_in_the_team_zone() -> None:
    friday = utc(2027, 3, 26, 9, 30)
    assert [s.kind for s in digest_due(TEAM, last_tick=friday - H, now=friday).send] == ["digest"]
    athens = digest_due(TEAM, "Europe/Athens", last_tick=friday - 3 * H, now=friday)
    assert athens.send == (Slot("digest", date(2027, 3, 26), utc(2027, 3, 26, 7, 30)),)
    assert digest_due(TEAM, last_tick=friday, now=friday + 24 * H).send == ()


# explain_next -------------------------------------------------------------------------------
def test_why_names_the_holiday() -> None:
    why = explain_next(TEAM, ATHENS, is_public_holiday, utc(2027, 3, 24, 20))
    assert why.kind == "holiday" and why.day == date(2027, 3, 25) and why.country == "GR"
    assert why.local_at is not None and why.local_at.strftime("%a %H:%M") == "Fri 09:30"
    assert why.zone == "Europe/Athens"


def test_why_over_a_weekend_and_on_an_ordinary_day() -> None:
    friday_evening = utc(2027, 3, 26, 18)
    why = explain_next(TEAM, ATHENS, none, friday_evening)
    assert (why.kind, why.day) == ("weekend", date(2027, 3, 27))
    assert [s.reason for s in why.skipped] == ["weekend", "weekend"]
    assert explain_next(TEAM, ATHENS, none, utc(2027, 3, 22, 12)).kind == "normal"


def test_why_prefers_the_holiday_to_the_weekend() -> None:
    # Easter 2027 in Australia, asked on Thursday evening: Good Friday, the weekend, Easter Monday.
    sydney = MemberCalendar("Australia/Sydney")
    why = explain_next(TEAM, sydney, is_public_holiday, utc(2027, 3, 25, 12))
    assert (why.kind, why.day, why.country) == ("holiday", date(2027, 3, 26), "AU")
    assert [s.reason for s in why.skipped] == ["holiday", "weekend", "weekend", "holiday"]
    assert why.slot is not None and why.slot.local_date == date(2027, 3, 30)


def test_why_away_and_spaced() -> None:
    away = MemberCalendar("Europe/Athens", away_until=utc(2027, 3, 24, 8))
    why = explain_next(TEAM, away, none, utc(2027, 3, 22))
    assert (why.kind, why.until, len(why.skipped)) == ("away", utc(2027, 3, 24, 8), 3)
    thinned = parse_team_schedule({"LESSONS_PER_WEEK": "3"})
    why = explain_next(thinned, ATHENS, none, utc(2027, 3, 22, 12))
    assert (why.kind, why.day) == ("spaced", date(2027, 3, 23))


def test_the_weekday_numbers_match_dates() -> None:
    assert date(2027, 3, 22).weekday() == Weekday.MON
