"""Properties of the schedule for any zone, lesson time, working week, count and date.

Holidays here are a deterministic scatter of days (about one in eight), so that skipping is exercised
without depending on one country's calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.learning.schedule import (
    MemberCalendar,
    Slot,
    due,
    next_lesson,
    slots_on,
    weekly_question,
    weekly_reminder,
)
from bot.learning.schedule_settings import TeamSchedule, Weekday

ZONES = sorted(available_timezones())
FAST = settings(max_examples=150, deadline=None)


def scattered(country: str, day: date) -> bool:
    return (day.toordinal() * 7919) % 8 == 0


@st.composite
def teams(draw: st.DrawFn) -> TeamSchedule:
    working = draw(st.frozensets(st.sampled_from(list(Weekday)), min_size=1))
    question = draw(st.sampled_from(list(Weekday)))
    return TeamSchedule(
        lesson_time=time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 15, 30, 45, 59]))),
        working_days=working,
        lessons_per_week=draw(st.integers(1, len(working))),
        question_day=question,
        reminder_day=draw(st.sampled_from([d for d in Weekday if d != question])),
        holiday_rule="ZZ",  # every day is asked about: the scatter above decides
        grace=timedelta(hours=2),
    )


members = st.builds(
    MemberCalendar,
    tz=st.sampled_from(ZONES),
    paused_until=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2060, 1, 1))),
)
instants = st.datetimes(datetime(1990, 1, 1), datetime(2060, 1, 1), timezones=st.just(UTC))


def wall_clock_holds(slot: Slot, at: time, zone: ZoneInfo) -> bool:
    """The slot is `at` on its date; or, in a gap, `at` moved forward by the gap; in a fold, the
    first occurrence. Offsets come from PEP 495's fold: 0 is before a change, 1 after it."""
    naive = datetime.combine(slot.local_date, at)
    before = naive.replace(tzinfo=zone, fold=0).utcoffset()
    after = naive.replace(tzinfo=zone, fold=1).utcoffset()
    assert before is not None and after is not None
    local = slot.due_at.astimezone(zone)
    if before < after:  # a gap: clocks jumped forward over `at`
        return local.replace(tzinfo=None) == naive + (after - before)
    return local.replace(tzinfo=None) == naive and local.fold == 0


@FAST
@given(teams(), members, instants)
def test_lessons_keep_their_time_and_days_and_increase(
    team: TeamSchedule, member: MemberCalendar, start: datetime
) -> None:
    slot, previous = next_lesson(team, member, scattered, start), start
    for _ in range(12):
        if slot is None:  # possible only when paused beyond the search
            assert member.paused_until is not None
            break
        assert slot.due_at > previous and slot.due_at.tzinfo is UTC
        assert slot.local_date.weekday() in team.lesson_weekdays
        assert team.lesson_weekdays <= team.working_days
        assert not scattered("ZZ", slot.local_date)
        assert member.paused_until is None or slot.local_date > member.paused_until
        assert wall_clock_holds(slot, team.lesson_time, member.zone)
        previous, slot = slot.due_at, next_lesson(team, member, scattered, slot.due_at)


@FAST
@given(teams(), members, instants, st.lists(st.integers(1, 36 * 3600), min_size=1, max_size=30))
def test_any_ticking_finds_each_slot_once_sent_or_missed(
    team: TeamSchedule, member: MemberCalendar, start: datetime, gaps: list[int]
) -> None:
    ticks = [start]
    for gap in gaps:
        ticks.append(ticks[-1] + timedelta(seconds=gap))
    found: list[Slot] = []
    for last, now in pairwise(ticks):
        result = due(team, member, scattered, last, now)
        for slot in result.send:
            assert last < slot.due_at <= now and now - slot.due_at <= team.grace
        for missed in result.missed:
            assert last < missed.slot.due_at and missed.late_by == now - missed.slot.due_at
            assert missed.late_by > team.grace
        found += [*result.send, *(m.slot for m in result.missed)]
    zone, expected = member.zone, []
    day = ticks[0].astimezone(zone).date()
    while day <= ticks[-1].astimezone(zone).date():
        expected += [
            s for s in slots_on(team, member, scattered, day) if start < s.due_at <= ticks[-1]
        ]
        day += timedelta(days=1)
    # One tick may send a slot and report an older one missed: compare in due order.
    assert sorted(found, key=lambda slot: slot.sort_key) == expected
    assert len(set(found)) == len(found)


@FAST
@given(teams(), members, st.dates(date(1990, 1, 1), date(2060, 1, 1)))
def test_the_question_stays_in_its_week_and_the_reminder_after_it(
    team: TeamSchedule, member: MemberCalendar, day: date
) -> None:
    week = day - timedelta(days=(day.weekday() - team.week_start) % 7)
    nominal = week + timedelta(days=(team.question_day - team.week_start) % 7)
    question = weekly_question(team, member, scattered, day)
    reminder = weekly_reminder(team, member, scattered, nominal)
    if question is None:
        assert reminder is None
        return
    assert nominal <= question.local_date < week + timedelta(days=7)
    lessons = slots_on(team, member, scattered, question.local_date)
    assert [s.kind for s in lessons[:2]] == ["lesson", "question"]
    if reminder is not None:
        assert question.local_date < reminder.local_date < nominal + timedelta(days=7)
        assert "reminder" in [
            s.kind for s in slots_on(team, member, scattered, reminder.local_date)
        ]


def _changes(zone: ZoneInfo, year: int) -> list[tuple[datetime, timedelta, timedelta]]:
    """(instant, offset before, offset after) of each change of `zone`'s offset in `year`."""
    found, t = [], datetime(year, 1, 1, tzinfo=UTC)
    offset = t.astimezone(zone).utcoffset()
    while t.year == year:
        step = t + timedelta(days=1)
        new = step.astimezone(zone).utcoffset()
        if new != offset:
            low, high = t, step  # the change is in (low, high]: halve it down to a minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                low, high = (
                    (mid, high) if mid.astimezone(zone).utcoffset() == offset else (low, mid)
                )
            assert offset is not None and new is not None
            found.append((high, offset, new))
            offset = new
        t = step
    return found


def test_every_zones_gaps_and_folds_in_2027() -> None:
    """Every IANA zone: a lesson time in the middle of each 2027 gap or fold follows the rule."""
    checked = 0
    for name in ZONES:
        zone = ZoneInfo(name)
        for instant, before, after in _changes(zone, 2027):
            low, high = sorted((instant + before, instant + after))  # the wall times affected
            middle = (low + (high - low) / 2).replace(tzinfo=None, second=0, microsecond=0)
            day, at = middle.date(), middle.time()
            team = TeamSchedule(lesson_time=at, working_days=frozenset(Weekday), lessons_per_week=7)
            slot = next_lesson(team, MemberCalendar(name), scattered, instant - timedelta(days=2))
            while slot is not None and slot.local_date < day:
                slot = next_lesson(team, MemberCalendar(name), scattered, slot.due_at)
            if slot is None or slot.local_date != day:
                continue  # the scatter took that day off
            expected_utc = middle.replace(tzinfo=UTC) - before  # the offset from before the change
            assert slot.due_at == expected_utc, (name, instant, slot)
            assert wall_clock_holds(slot, at, zone)
            checked += 1
    assert checked > 100  # the EU, North America, Oceania, Chile... each has two a year
