"""A simulated fortnight: a scheduler ticks, `due` answers, and every member gets what they should.

The window, 21 March 00:00 UTC to 5 April 14:00 UTC 2027, holds two whole team weeks in every zone
from UTC-8 to UTC+13:45, the EU change (28 March), Israel's (26 March), and the southern autumn
(4 April: Sydney, Lord Howe's 30 minutes, Chatham, Auckland, and Santiago at local midnight), plus
Greek Independence Day, Easter in the west, Holi and Nowruz. The US change (14 March) and the
northern autumn (25 October, 1 November 2026) have their own runs below.

Speed: a minute tick over 15 days is 21,600 calls per member. The whole team (30 members) ticks
every 15 minutes, so that every lesson (09:30 at quarter-hour offsets: 03:45 UTC in Kathmandu) lands
on a tick and the closed end of (last_tick, now] is exercised; the hardest zones also tick every
minute, and the whole team once more on irregular ticks of 1 second to 20 minutes. Each run asserts
that every slot came from the tick whose interval holds its due_at, so coarser ticks lose nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from bot.learning.calendars import country_of_zone, is_public_holiday
from bot.learning.schedule import MemberCalendar, Slot, due, next_lesson
from bot.learning.schedule_settings import TeamSchedule, parse_team_schedule

START = datetime(2027, 3, 21, tzinfo=UTC)
END = datetime(2027, 4, 5, 14, tzinfo=UTC)
QUARTER = timedelta(minutes=15)
MINUTE = timedelta(minutes=1)

MON_FRI = parse_team_schedule({"WORKING_DAYS": "mon-fri"})
SUN_THU = parse_team_schedule({"WORKING_DAYS": "sun-thu", "QUESTION_DAY": "sun"})
SAT_WED = parse_team_schedule({"WORKING_DAYS": "sat-wed"})  # a range that wraps the week

ZONES = [
    "Europe/Athens", "America/New_York", "America/Santiago", "Australia/Sydney",
    "Asia/Kathmandu", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Tehran", "Pacific/Chatham",
    "America/St_Johns", "Europe/London", "Asia/Tokyo", "Africa/Cairo", "Pacific/Auckland",
    "America/Los_Angeles", "Asia/Dubai", "America/Sao_Paulo", "Africa/Johannesburg",
    "Europe/Berlin", "America/Denver", "Asia/Jerusalem", "Pacific/Honolulu",
]  # fmt: skip
SUN_THU_ZONES = ["Asia/Dubai", "Asia/Riyadh", "Asia/Jerusalem", "Africa/Cairo"]
TEAMS: dict[str, tuple[TeamSchedule, dict[str, MemberCalendar]]] = {
    "mon-fri": (
        MON_FRI,
        {
            **{tz: MemberCalendar(tz) for tz in ZONES},
            "athens, paused to Wed": MemberCalendar(
                "Europe/Athens", paused_until=date(2027, 3, 24)
            ),
            "berlin, away to Wed 08:00Z": MemberCalendar(
                "Europe/Berlin", away_until=datetime(2027, 3, 24, 8, tzinfo=UTC)
            ),
            "kolkata, in Greece": MemberCalendar("Asia/Kolkata", country="GR"),
        },
    ),
    "sun-thu": (SUN_THU, {tz: MemberCalendar(tz) for tz in SUN_THU_ZONES}),
    "sat-wed": (SAT_WED, {"Asia/Tehran": MemberCalendar("Asia/Tehran")}),
}
MEMBERS = [(team, name) for team, (_, members) in TEAMS.items() for name in members]

Sent = dict[str, list[Slot]]


def simulate(
    team: TeamSchedule, members: Mapping[str, MemberCalendar], ticks: Iterator[datetime]
) -> Sent:
    """Run a scheduler loop; assert each slot came from the tick whose interval holds it."""
    sent: Sent = {name: [] for name in members}
    last = next(ticks)  # the first tick after install: last_tick = now, nothing from the past
    for now in ticks:
        for name, member in members.items():
            result = due(team, member, is_public_holiday, last, now)
            assert result.missed == ()  # a steady tick is never GRACE late
            for slot in result.send:
                assert last < slot.due_at <= now, (name, slot)
            sent[name].extend(result.send)
        last = now
    return sent


def every(step: timedelta, start: datetime = START, end: datetime = END) -> Iterator[datetime]:
    now = start
    while now <= end:
        yield now
        now += step


def irregular(seed: int) -> Iterator[datetime]:
    rng, now = random.Random(seed), START
    while now < END:
        yield now
        now += timedelta(seconds=rng.randint(1, 20 * 60))
    yield END


def expected_lesson_days(team: TeamSchedule, member: MemberCalendar) -> list[date]:
    """Written out plainly from the rules, independently of the schedule module."""
    zone = ZoneInfo(member.tz)
    country = member.country or country_of_zone(member.tz)
    day, days = START.astimezone(zone).date(), []
    while day <= END.astimezone(zone).date():
        at = datetime.combine(day, team.lesson_time, tzinfo=zone)
        if (
            START < at <= END
            and day.weekday() in team.working_days
            and not (country and is_public_holiday(country, day))
            and not (member.paused_until and day <= member.paused_until)
            and not (member.away_until and at < member.away_until)
        ):
            days.append(day)
        day += timedelta(days=1)
    return days


def whole_weeks(team: TeamSchedule, member: MemberCalendar) -> list[date]:
    """First dates of the team weeks whose seven lesson times all fall inside the window."""
    zone, starts = ZoneInfo(member.tz), []
    day = START.astimezone(zone).date()
    while day <= END.astimezone(zone).date():
        week = [day + timedelta(days=n) for n in range(7)]
        if day.weekday() == team.week_start and all(
            START < datetime.combine(d, team.lesson_time, tzinfo=zone) <= END for d in week
        ):
            starts.append(day)
        day += timedelta(days=1)
    return starts


@pytest.fixture(scope="module")
def quarter_hourly() -> dict[str, Sent]:
    return {key: simulate(team, members, every(QUARTER)) for key, (team, members) in TEAMS.items()}


@pytest.mark.parametrize(("team_key", "name"), MEMBERS)
def test_one_lesson_per_local_working_day_at_the_local_time(
    quarter_hourly: dict[str, Sent], team_key: str, name: str
) -> None:
    team, members = TEAMS[team_key]
    member, zone = members[name], ZoneInfo(members[name].tz)
    lessons = [slot for slot in quarter_hourly[team_key][name] if slot.kind == "lesson"]
    assert [slot.local_date for slot in lessons] == expected_lesson_days(team, member)
    for slot in lessons:
        local = slot.due_at.astimezone(zone)
        assert (local.date(), local.time()) == (slot.local_date, team.lesson_time)
        assert slot.local_date.weekday() in team.working_days
    # Each lesson is what next_lesson predicted from the one before.
    for before, slot in pairwise(lessons):
        assert next_lesson(team, member, is_public_holiday, before.due_at) == slot


@pytest.mark.parametrize(("team_key", "name"), MEMBERS)
def test_one_question_and_at_most_one_reminder_a_week(
    quarter_hourly: dict[str, Sent], team_key: str, name: str
) -> None:
    team, members = TEAMS[team_key]
    sent = quarter_hourly[team_key][name]
    lesson_days = {slot.local_date for slot in sent if slot.kind == "lesson"}
    by_week: dict[tuple[date, str], list[date]] = defaultdict(list)
    for slot in sent:
        if slot.kind != "lesson":
            assert slot.local_date in lesson_days  # a second message, always with a lesson
            start = slot.local_date - timedelta(
                days=(slot.local_date.weekday() - team.week_start) % 7
            )
            by_week[start, slot.kind].append(slot.local_date)
    assert all(len(days) == 1 for days in by_week.values()), by_week
    for week in whole_weeks(team, members[name]):
        has_lessons = any(week <= d < week + timedelta(days=7) for d in lesson_days)
        assert len(by_week[week, "question"]) == has_lessons
        for reminder in by_week[week, "reminder"]:
            assert by_week[week, "question"][0] < reminder
    # Within one tick a lesson always comes before the question that goes with it.
    kinds = [(slot.due_at, slot.kind) for slot in sent]
    assert kinds == sorted(
        kinds, key=lambda k: (k[0], ["lesson", "question", "reminder"].index(k[1]))
    )


def test_the_calendar_differences_show(quarter_hourly: dict[str, Sent]) -> None:
    def days(name: str, team: str = "mon-fri") -> set[date]:
        return {s.local_date for s in quarter_hourly[team][name] if s.kind == "lesson"}

    independence_day, good_friday = date(2027, 3, 25), date(2027, 3, 26)
    assert independence_day not in days("Europe/Athens")
    assert independence_day in days("America/New_York")
    assert independence_day not in days("kolkata, in Greece")  # own country, not the zone's
    assert good_friday not in days("Australia/Sydney") and good_friday in days("America/New_York")
    assert date(2027, 3, 22) not in days("Asia/Tokyo")  # the equinox's substitute Monday
    assert min(days("athens, paused to Wed")) == good_friday  # Thursday is Independence Day
    assert min(days("berlin, away to Wed 08:00Z")) == date(2027, 3, 24)
    # Nowruz fills Tehran's whole first week: no lesson, so that week's question is skipped.
    tehran = quarter_hourly["sat-wed"]["Asia/Tehran"]
    assert [s.local_date for s in tehran if s.kind == "question"] == [
        date(2027, 3, 29),
        date(2027, 4, 5),  # the window ends on that Monday afternoon in Tehran
    ]
    assert days("Asia/Dubai", "sun-thu") >= {date(2027, 3, 21), date(2027, 3, 28)}  # Sundays


def test_the_same_instant_in_utc_moves_with_dst(quarter_hourly: dict[str, Sent]) -> None:
    def utc_time(name: str, day: date) -> time:
        sent = quarter_hourly["mon-fri"][name]
        (slot,) = [s for s in sent if s.local_date == day and s.kind == "lesson"]
        return slot.due_at.time()

    before, monday = date(2027, 3, 25), date(2027, 3, 29)  # Friday 26th is Good Friday in the UK
    thursday, next_monday = date(2027, 4, 1), date(2027, 4, 5)
    assert utc_time("Europe/London", before) == time(9, 30)  # GMT
    assert utc_time("Europe/London", monday) == time(8, 30)  # BST
    assert utc_time("America/Santiago", thursday) == time(12, 30)  # -03
    assert utc_time("America/Santiago", next_monday) == time(13, 30)  # -04
    assert utc_time("Australia/Lord_Howe", thursday) == time(22, 30)  # +11, the day before
    assert utc_time("Australia/Lord_Howe", next_monday) == time(23, 0)  # +10:30
    assert utc_time("Asia/Kathmandu", monday) == time(3, 45)


HARD = ["Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kathmandu", "America/Santiago",
        "Europe/Athens"]  # fmt: skip


def test_minute_ticks_in_the_hardest_zones_match_quarter_hours(
    quarter_hourly: dict[str, Sent],
) -> None:
    members = {tz: MemberCalendar(tz) for tz in HARD}
    sent = simulate(MON_FRI, members, every(MINUTE))
    assert sent == {tz: quarter_hourly["mon-fri"][tz] for tz in HARD}


def test_irregular_ticks_find_the_same_slots(quarter_hourly: dict[str, Sent]) -> None:
    for seed, (key, (team, members)) in enumerate(TEAMS.items()):
        assert simulate(team, members, irregular(seed)) == quarter_hourly[key]


@pytest.mark.parametrize(
    ("tz", "lesson_time", "first", "changed", "expected_local"),
    [
        # Spring gaps: the lesson moves forward by the gap, once, on that day only.
        ("America/New_York", "02:30", date(2027, 3, 12), date(2027, 3, 14), time(3, 30)),
        ("Australia/Lord_Howe", "02:15", date(2026, 10, 2), date(2026, 10, 4), time(2, 45)),
        ("America/Santiago", "00:15", date(2026, 9, 4), date(2026, 9, 6), time(1, 15)),
        # Autumn folds: the first occurrence, and never a second lesson an hour later.
        ("America/New_York", "01:30", date(2026, 10, 30), date(2026, 11, 1), time(1, 30)),
        ("America/St_Johns", "01:30", date(2026, 10, 30), date(2026, 11, 1), time(1, 30)),
        ("Europe/London", "01:30", date(2026, 10, 23), date(2026, 10, 25), time(1, 30)),
        ("Europe/Athens", "03:30", date(2026, 10, 23), date(2026, 10, 25), time(3, 30)),
        ("Australia/Lord_Howe", "01:45", date(2027, 4, 2), date(2027, 4, 4), time(1, 45)),
        ("America/Santiago", "23:30", date(2027, 4, 1), date(2027, 4, 3), time(23, 30)),
    ],
)
def test_a_lesson_time_in_a_gap_or_fold_ticked_by_the_minute(
    tz: str, lesson_time: str, first: date, changed: date, expected_local: time
) -> None:
    team = parse_team_schedule({"WORKING_DAYS": "mon-sun", "LESSON_TIME": lesson_time})
    zone = ZoneInfo(tz)
    start = datetime.combine(first, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=5), time(), tzinfo=zone).astimezone(UTC)
    sent = simulate(team, {tz: MemberCalendar(tz)}, every(MINUTE, start, end))[tz]
    assert [s.local_date for s in sent if s.kind == "lesson"] == [
        first + timedelta(days=n) for n in range(5)
    ]
    for slot in sent:
        local = slot.due_at.astimezone(zone)
        assert local.date() == slot.local_date
        expected = expected_local if slot.local_date == changed else team.lesson_time
        assert local.time() == expected, slot
        if slot.local_date == changed and expected_local == team.lesson_time:
            assert local.fold == 0 and local.utcoffset() == zone.utcoffset(  # the earlier one
                datetime.combine(changed, team.lesson_time)
            )


def test_the_northern_autumn_by_quarter_hours() -> None:
    start, end = datetime(2026, 10, 18, tzinfo=UTC), datetime(2026, 11, 8, tzinfo=UTC)
    zones = ["Europe/London", "Europe/Athens", "America/New_York", "America/Los_Angeles",
             "America/St_Johns", "Africa/Cairo", "Asia/Jerusalem"]  # fmt: skip
    sent = simulate(MON_FRI, {tz: MemberCalendar(tz) for tz in zones}, every(QUARTER, start, end))
    for tz in zones:
        lessons = [s for s in sent[tz] if s.kind == "lesson"]
        assert len({s.local_date for s in lessons}) == len(lessons) >= 13
        assert all(s.due_at.astimezone(ZoneInfo(tz)).time() == time(9, 30) for s in lessons)
        assert all(s.local_date.weekday() < 5 for s in lessons)
