"""The team schedule's settings: what parses, and what an admin is told when it does not."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.learning.schedule_settings import (
    MemberSchedule,
    TeamSchedule,
    Weekday,
    parse_grace,
    parse_holidays,
    parse_lesson_time,
    parse_lessons_per_week,
    parse_team_schedule,
    parse_weekday,
    parse_working_days,
)

MON, TUE, WED, THU, FRI, SAT, SUN = Weekday


def days(*names: Weekday) -> frozenset[Weekday]:
    return frozenset(names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon-fri", days(MON, TUE, WED, THU, FRI)),
        ("sun-thu", days(SUN, MON, TUE, WED, THU)),
        ("mon,tue,thu", days(MON, TUE, THU)),
        ("sat-wed", days(SAT, SUN, MON, TUE, WED)),  # wraps round the week
        ("Mon - Wed, fri", days(MON, TUE, WED, FRI)),
        ("monday-friday", days(MON, TUE, WED, THU, FRI)),
        ("fri-thu", frozenset(Weekday)),
        ("wed", days(WED)),
        ("wed-wed", days(WED)),
    ],
)
def test_working_days_parse(text: str, expected: frozenset[Weekday]) -> None:
    assert parse_working_days(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mon-fry", "WORKING_DAYS: 'mon-fry' is not a day range; write e.g. mon-fri or sun-thu"),
        ("mon,tues", "WORKING_DAYS: 'tues' is not a day; write days like mon,tue,thu"),
        ("", "WORKING_DAYS: an empty entry is not a day"),
        ("mon,,tue", "WORKING_DAYS: an empty entry is not a day"),
    ],
)
def test_bad_working_days_say_what_to_write(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        parse_working_days(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("09:30", time(9, 30)), ("9:05", time(9, 5)), (" 23:59 ", time(23, 59))]
)
def test_lesson_time_parses(text: str, expected: time) -> None:
    assert parse_lesson_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "9.30", "09:60", "nine", "", "9:3", "0930"])
def test_a_bad_lesson_time_shows_the_format(text: str) -> None:
    with pytest.raises(
        ValueError, match=r"LESSON_TIME: .* is not a time of day; write 24-hour HH:MM"
    ):
        parse_lesson_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("30m", timedelta(minutes=30)),
        ("1h30m", timedelta(minutes=90)),
        ("12h", timedelta(hours=12)),
    ],
)
def test_grace_parses(text: str, expected: timedelta) -> None:
    assert parse_grace(text) == expected


@pytest.mark.parametrize("text", ["2 hours", "h", "", "1.5h", "m30"])
def test_a_bad_grace_shows_the_format(text: str) -> None:
    with pytest.raises(
        ValueError, match=r"GRACE: .* is not a duration; write e.g. 2h, 90m or 1h30m"
    ):
        parse_grace(text)


@pytest.mark.parametrize("text", ["0m", "13h", "0h0m", "721m"])
def test_a_grace_out_of_range_says_the_range(text: str) -> None:
    with pytest.raises(ValueError, match="from 1m to 12h"):
        parse_grace(text)


def test_holidays_are_auto_none_or_a_country() -> None:
    assert [parse_holidays(t) for t in ("auto", "NONE", "gr", "US")] == ["auto", "none", "GR", "US"]
    with pytest.raises(ValueError, match="HOLIDAYS: 'Greece' is not auto, none or a two-letter"):
        parse_holidays("Greece")


def test_lessons_per_week_is_one_to_seven() -> None:
    assert parse_lessons_per_week("3") == 3
    for bad in ("0", "8", "three", "-1", "2.5"):
        with pytest.raises(ValueError, match="is not a whole number from 1 to 7"):
            parse_lessons_per_week(bad)


def test_days_name_their_setting() -> None:
    assert parse_weekday("Fri", "DIGEST_DAY") == FRI
    with pytest.raises(
        ValueError, match=r"^QUESTION_DAY: 'mo' is not a day of the week; write one"
    ):
        parse_team_schedule({"QUESTION_DAY": "mo"})


def test_defaults() -> None:
    team = parse_team_schedule({})
    assert team == TeamSchedule()
    assert (team.lesson_time, team.lessons_per_week, team.grace) == (
        time(9, 30),
        5,
        timedelta(hours=2),
    )
    assert (team.question_day, team.reminder_day, team.digest_day) == (MON, WED, FRI)
    assert team.holiday_rule == "auto" and team.week_start == MON


def test_a_full_set_of_settings() -> None:
    team = parse_team_schedule(
        {
            "LESSON_TIME": "08:15",
            "WORKING_DAYS": "sun-thu",
            "LESSONS_PER_WEEK": "",  # blank: the default, one per working day
            "QUESTION_DAY": "sun",
            "REMINDER_DAY": "tue",
            "DIGEST_DAY": "thu",
            "HOLIDAYS": "ae",
            "GRACE": "90m",
        }
    )
    assert team.week_start == SUN and team.lessons_per_week == 5
    assert team.holiday_rule == "AE" and team.grace == timedelta(minutes=90)


def test_more_lessons_than_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match=r"LESSONS_PER_WEEK: 4 does not fit the 3 working days"):
        parse_team_schedule({"WORKING_DAYS": "mon,tue,thu", "LESSONS_PER_WEEK": "4"})


def test_the_reminder_cannot_share_the_question_day() -> None:
    with pytest.raises(ValueError, match="REMINDER_DAY: mon is also the QUESTION_DAY"):
        parse_team_schedule({"REMINDER_DAY": "mon"})


@pytest.mark.parametrize(
    ("working", "start"),
    [("mon-fri", MON), ("sun-thu", SUN), ("sat-wed", SAT), ("mon,tue,thu", MON), ("mon-sun", MON)],
)
def test_the_week_starts_after_the_weekend(working: str, start: Weekday) -> None:
    assert parse_team_schedule({"WORKING_DAYS": working}).week_start == start


@pytest.mark.parametrize(
    ("working", "count", "expected"),
    [
        ("mon-fri", 3, days(MON, WED, FRI)),
        ("mon-fri", 2, days(MON, FRI)),
        ("mon-fri", 4, days(MON, TUE, THU, FRI)),
        ("mon-fri", 1, days(MON)),
        ("sun-thu", 3, days(SUN, TUE, THU)),
        ("sat-wed", 3, days(SAT, MON, WED)),
        ("mon,tue,thu", 2, days(MON, THU)),
    ],
)
def test_thinning_keeps_both_ends_of_the_week(
    working: str, count: int, expected: frozenset[Weekday]
) -> None:
    team = parse_team_schedule({"WORKING_DAYS": working, "LESSONS_PER_WEEK": str(count)})
    assert team.lesson_weekdays == expected


@given(st.sets(st.sampled_from(list(Weekday)), min_size=1), st.data())
def test_thinning_keeps_exactly_the_count(working: set[Weekday], data: st.DataObject) -> None:
    count = data.draw(st.integers(1, len(working)))
    team = TeamSchedule(working_days=frozenset(working), lessons_per_week=count)
    assert len(team.lesson_weekdays) == count and team.lesson_weekdays <= team.working_days
    assert team.week_start in team.lesson_weekdays  # the week's first working day always stays


def test_replace_recomputes_what_depends_on_the_days() -> None:
    team = replace(TeamSchedule(), working_days=days(SUN, MON, TUE, WED, THU), lessons_per_week=3)
    assert team.week_start == SUN and team.lesson_weekdays == days(SUN, TUE, THU)
    from_numbers = TeamSchedule(working_days=frozenset({0, 2, 4}), lessons_per_week=3)  # type: ignore[arg-type]
    assert from_numbers.working_days == days(MON, WED, FRI)
    assert replace(from_numbers, question_day=1).question_day is TUE  # type: ignore[arg-type]


def test_member_overrides_replace_only_what_they_set() -> None:
    team = parse_team_schedule({"LESSONS_PER_WEEK": "5", "HOLIDAYS": "GR"})
    mine = MemberSchedule(lesson_time=time(8, 0), working_days=days(MON, TUE, THU)).apply(team)
    assert mine.lesson_time == time(8, 0) and mine.holiday_rule == "GR"
    assert mine.lessons_per_week == 3  # capped to the member's three days, not an error
    assert MemberSchedule().apply(team) == team
    with pytest.raises(ValueError, match="LESSONS_PER_WEEK"):
        MemberSchedule(working_days=days(MON), lessons_per_week=2).apply(team)
