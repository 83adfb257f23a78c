"""The clock's pass, tick by tick over a simulated fortnight: every member's lesson on each of
their working days at their own 09:30, once; the weekly question, one reminder, the digest."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.learning.calendars import is_public_holiday
from bot.learning.model import MemberProfile
from bot.learning.schedule import MemberCalendar, local_instant, slots_on
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.store import tables
from tests.services.conftest import TEAM, PeopleAndDMs

ZONES = [
    "Europe/Athens", "America/New_York", "America/Santiago", "Australia/Sydney",
    "Asia/Kathmandu", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Tehran", "Pacific/Chatham",
    "America/St_Johns", "Europe/London", "Asia/Tokyo", "Africa/Cairo", "Pacific/Auckland",
    "America/Los_Angeles", "Asia/Dubai", "Europe/Berlin", "America/Sao_Paulo", "Asia/Singapore",
    "Africa/Johannesburg", "America/Mexico_City", "Pacific/Honolulu",
]  # fmt: skip
START = datetime(2027, 3, 20, tzinfo=UTC)  # a Saturday, before the EU and southern DST changes
END = datetime(2027, 4, 5, 14, tzinfo=UTC)  # past the southern DST change of 4 April
STEP = timedelta(minutes=30)  # lesson times fall between ticks too (Kathmandu: 03:45 UTC)


def _team(slack: PeopleAndDMs) -> None:
    slack.workspace = {
        f"U{n:09d}": MemberProfile(f"U{n:09d}", zone, zone, "en-US") for n, zone in enumerate(ZONES)
    }
    slack.channel = list(slack.workspace)


def _simulate(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, *, twice: bool = False, end: datetime = END
) -> None:
    clock.set(START)
    refresh_roster(deps, slack, TEAM, clock.now())
    while clock.now() <= end:
        run_tick(deps, slack, TEAM, clock.now())
        if twice:
            run_tick(deps, slack, TEAM, clock.now())
        clock.advance(STEP.total_seconds())


def _sent(deps: Deps, kind: str) -> dict[str, list[tuple[date, datetime]]]:
    member, delivery = tables.Member, tables.Delivery
    query = (
        select(member.slack_user_id, delivery.local_date, delivery.sent_at)
        .join(member, member.id == delivery.member_id)
        .where(delivery.kind == kind, delivery.status == "sent")
        .order_by(delivery.local_date)
    )
    found: dict[str, list[tuple[date, datetime]]] = {}
    with deps.db.engine.connect() as connection:
        for user, day, at in connection.execute(query):
            found.setdefault(user, []).append((day, at.replace(tzinfo=UTC)))
    return found


def _expected(
    deps: Deps, zone: str, kind: str, first_tick: datetime, end: datetime = END
) -> list[date]:
    calendar, days = MemberCalendar(zone), []
    day = (START - timedelta(days=1)).date()
    while day <= (END + timedelta(days=1)).date():
        at = local_instant(day, deps.schedule.lesson_time, calendar.zone)
        slots = slots_on(deps.schedule, calendar, is_public_holiday, day)
        if at and first_tick < at <= end and any(slot.kind == kind for slot in slots):
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.fixture
def team(deps: Deps, slack: PeopleAndDMs) -> Deps:
    _team(slack)
    return replace(deps, settings=deps.settings.model_copy(update={"leads_channel": "C0LEADS001"}))


def test_a_fortnight_brings_each_member_their_lessons_question_and_reminder_once(
    team: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _simulate(team, slack, clock)

    lessons = _sent(team, "lesson")
    for user, profile in slack.workspace.items():
        expected = _expected(team, profile.tz, "lesson", START)
        got = lessons.get(user, [])
        assert [day for day, _at in got] == expected, profile.tz
        zone = MemberCalendar(profile.tz).zone
        for day, at in got:  # within one tick of the member's own lesson time
            due = local_instant(day, team.schedule.lesson_time, zone)
            assert due is not None and timedelta(0) <= at - due < STEP, (profile.tz, day)
    assert len(slack.posts) == sum(len(days) for days in lessons.values())  # none sent twice
    # 25 March is a public holiday in Greece, and not in the United States.
    assert date(2027, 3, 25) not in [day for day, _ in lessons["U000000000"]]
    assert date(2027, 3, 25) in [day for day, _ in lessons["U000000001"]]
    # One question a week, one reminder to whoever has not answered it, one digest a week.

    questions, reminders = _sent(team, "question"), _sent(team, "reminder")
    for user, profile in slack.workspace.items():
        weeks = Counter(day.isocalendar()[1] for day, _ in questions.get(user, []))
        assert set(weeks.values()) <= {1}, profile.tz
        assert [d for d, _ in questions.get(user, [])] == _expected(
            team, profile.tz, "question", START
        )
        assert [d for d, _ in reminders.get(user, [])] == _expected(
            team, profile.tz, "reminder", START
        )
    assert [(d.digest.week_ending, d.channel) for d in slack.digests] == [
        (date(2027, 3, 26), "C0LEADS001"),
        (date(2027, 4, 2), "C0LEADS001"),
    ]
    assert slack.digests[0].digest.nudged == len(ZONES)


def test_every_tick_run_twice_sends_nothing_twice(
    team: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    end = START + timedelta(days=4)
    _simulate(team, slack, clock, twice=True, end=end)
    lessons = _sent(team, "lesson")
    assert len(slack.posts) == sum(len(days) for days in lessons.values()) > 0
    for user, profile in slack.workspace.items():
        assert [day for day, _ in lessons.get(user, [])] == _expected(
            team, profile.tz, "lesson", START, end
        )
