"""A member's own settings as use cases: each bad value refused on its own field with nothing
stored, all six saved at once, the next lesson moved in the same unit of work (real IANA zones,
across a DST change and a public holiday), and the language used everywhere after."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.learning.calendars import holiday_countries
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.home import identify_caller, language_of_caller
from bot.services.lessons import request_lesson_now
from bot.services.membership import why
from bot.services.roster import refresh_roster
from bot.services.settings import (
    COUNTRIES_MAX,
    EU,
    TOO_MANY_LESSONS,
    open_settings,
    save_settings,
)
from bot.services.tick import run_tick
from bot.store import tables
from tests.services.conftest import TEAM, PeopleAndDMs, caller

CHLOE, DIMITRIS = "U0CHLOE001", "U0DIMI0001"  # Europe/London en-GB, Europe/Athens el-GR
COLUMNS = ("lesson_time", "working_days", "lessons_per_week", "language", "holiday_country")
COLUMNS_ALL = (*COLUMNS, "interests")


def _stored(deps: Deps, user: str) -> dict[str, Any] | None:
    with deps.db.engine.connect() as connection:
        row = connection.execute(
            select(tables.Member).where(tables.Member.slack_user_id == user)
        ).one_or_none()
    if row is None:
        return None
    return {name: getattr(row, name) for name in (*COLUMNS_ALL, "next_due_at")}


def _save(deps: Deps, slack: PeopleAndDMs, user: str, **values: object) -> Any:
    return save_settings(deps, slack, caller(user), user, values)


BAD = [
    ("lesson_time", "25:00"),
    ("lesson_time", "9h"),
    ("lesson_time", 930),
    ("working_days", ["mon", "fun"]),
    ("working_days", "mon"),
    ("working_days", [None]),
    ("lessons_per_week", "0"),
    ("lessons_per_week", "6"),
    ("lessons_per_week", "three"),
    ("lessons_per_week", 2.5),
    ("language", "fr"),
    ("language", ["el"]),
    ("holiday_country", "XX"),
    ("holiday_country", "Greece"),
    ("holiday_country", 30),
    ("interests", ["alpha", "no-such-area"]),
    ("interests", "alpha"),
]


@pytest.mark.parametrize(("name", "value"), BAD, ids=[f"{n}={v!r}" for n, v in BAD])
def test_each_bad_value_is_refused_on_its_own_field_and_nothing_is_stored(
    deps: Deps, slack: PeopleAndDMs, name: str, value: object
) -> None:
    _save(deps, slack, CHLOE, lesson_time="08:00")  # what is there stays as it was
    before = _stored(deps, CHLOE)
    good = {"lesson_time": "07:30", "working_days": ["mon", "tue", "wed"], "language": "el"}

    saved = _save(deps, slack, CHLOE, **{**good, name: value})

    assert saved.status == "invalid"
    assert list(saved.problems) == [name] and saved.problems[name].kind == name
    assert _stored(deps, CHLOE) == before


def test_more_lessons_than_working_days_is_refused_on_the_lessons_field(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    saved = _save(deps, slack, CHLOE, working_days=["mon", "thu"], lessons_per_week="3")
    assert saved.status == "invalid"
    (problem,) = saved.problems.values()
    assert list(saved.problems) == ["lessons_per_week"]
    assert (problem.kind, dict(problem.values)) == (TOO_MANY_LESSONS, {"days": 2})
    assert _stored(deps, CHLOE) is None  # not even enrolled
    # The team's five days take five; the member's own two days take two.
    assert _save(deps, slack, CHLOE, lessons_per_week="5").status == "saved"
    assert _save(deps, slack, CHLOE, working_days=["mon", "thu"], lessons_per_week="2").status == (
        "saved"
    )


def test_someone_elses_modal_is_refused_and_nothing_is_stored(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    saved = save_settings(deps, slack, caller(DIMITRIS), CHLOE, {"lesson_time": "07:00"})
    assert saved.status == "not_yours"
    assert _stored(deps, CHLOE) is None and _stored(deps, DIMITRIS) is None


def test_all_six_are_saved_together_and_auto_goes_back_to_the_team_default(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    saved = _save(
        deps,
        slack,
        CHLOE,
        lesson_time="07:30",
        working_days=["tue", "mon", "sun"],
        lessons_per_week="2",
        language="el",
        holiday_country="gr",
        interests=["gamma", "alpha"],
    )
    assert (saved.status, saved.language) == ("saved", "el")
    stored = _stored(deps, CHLOE)
    assert stored is not None
    assert {name: stored[name] for name in COLUMNS_ALL} == {
        "lesson_time": "07:30",
        "working_days": "mon,tue,sun",
        "lessons_per_week": 2,
        "language": "el",
        "holiday_country": "GR",
        "interests": "alpha,gamma",
    }
    screen = open_settings(deps, slack, caller(CHLOE))
    assert screen.language == "el" and screen.current.interests == {"alpha", "gamma"}

    singles = dict.fromkeys(
        ("lesson_time", "lessons_per_week", "language", "holiday_country"), "auto"
    )
    back = _save(deps, slack, CHLOE, **singles, working_days=[], interests=[])
    assert (back.status, back.language) == ("saved", "en")
    assert {name: (_stored(deps, CHLOE) or {})[name] for name in COLUMNS_ALL} == dict.fromkeys(
        COLUMNS_ALL
    )


def test_the_countries_offered_fit_one_select_and_hold_the_eu_and_the_teams_zones(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    slack.workspace["U0CHLOE001"] = slack.workspace["U0CHLOE001"].__class__(
        "U0CHLOE001", "Chloe", "Asia/Tokyo", "en-GB"
    )
    _save(deps, slack, CHLOE)  # known with a Tokyo zone
    screen = open_settings(deps, slack, caller(DIMITRIS))
    assert set(EU) <= set(screen.countries) and "JP" in screen.countries
    assert len(screen.countries) <= COUNTRIES_MAX
    assert set(screen.countries) <= holiday_countries()
    assert screen.zone_country == "GR"  # from Slack: Dimitris has never used Nudge
    assert _stored(deps, DIMITRIS) is None


# -- the next lesson moves at once ---------------------------------------------------------------


@pytest.fixture
def team(deps: Deps, slack: PeopleAndDMs) -> None:
    """Chloe and Dimitris are in the team channel: they get scheduled lessons."""
    refresh_roster(deps, slack, TEAM, deps.clock())


# Friday 26 March 2027, noon UTC: Europe moves its clocks forward on Sunday 28 March.
BEFORE_DST = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)


def test_the_next_lesson_moves_at_once_across_a_dst_change(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, team: None
) -> None:
    clock.set(BEFORE_DST)
    saved = _save(deps, slack, DIMITRIS, lesson_time="09:00", working_days=["mon"])
    # Monday 29 March, 09:00 in Athens: summer time (UTC+3) since Sunday, so 06:00 UTC, not 07:00.
    assert saved.next_due_at == datetime(2027, 3, 29, 6, 0, tzinfo=UTC)
    assert (_stored(deps, DIMITRIS) or {})["next_due_at"] == saved.next_due_at
    upcoming = why(deps, slack, caller(DIMITRIS)).next
    assert upcoming is not None and upcoming.slot is not None
    assert upcoming.slot.due_at == saved.next_due_at

    later = _save(deps, slack, DIMITRIS, lesson_time="17:30", working_days=["fri"])
    assert later.next_due_at == datetime(2027, 3, 26, 15, 30, tzinfo=UTC)  # today, 17:30 EET


def test_the_members_own_holiday_country_moves_the_next_lesson(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, team: None
) -> None:
    clock.set(datetime(2027, 3, 24, 12, 0, tzinfo=UTC))  # Wednesday; 25 March is Greece's day
    plain = _save(deps, slack, CHLOE, lesson_time="09:30")
    assert plain.next_due_at == datetime(2027, 3, 25, 9, 30, tzinfo=UTC)  # London: a workday
    greek = _save(deps, slack, CHLOE, lesson_time="09:30", holiday_country="GR")
    assert greek.next_due_at == datetime(2027, 3, 26, 9, 30, tzinfo=UTC)
    answer = why(deps, slack, caller(CHLOE))
    assert answer.next is not None and answer.next.kind == "holiday" and answer.holiday


def test_fewer_lessons_a_week_thin_the_days(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, team: None
) -> None:
    clock.set(datetime(2027, 3, 8, 12, 0, tzinfo=UTC))  # Monday, after London's 09:30
    saved = _save(deps, slack, CHLOE, lessons_per_week="2")  # mon-fri thinned to mon, fri
    assert saved.next_due_at == datetime(2027, 3, 12, 9, 30, tzinfo=UTC)


# -- the member's language wins over Slack's -----------------------------------------------------


def test_the_members_language_overrides_slacks_for_notices_and_lessons(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    assert _save(deps, slack, CHLOE, language="el").status == "saved"
    assert identify_caller(deps, slack, caller(CHLOE)).language == "el"
    assert language_of_caller(deps, caller(CHLOE)) == "el"
    _save(deps, slack, CHLOE, language="el", interests=["alpha"])  # alpha-1 has a Greek text
    sent = request_lesson_now(deps, slack, caller(CHLOE))
    assert (sent.language, sent.lesson and sent.lesson.id) == ("el", "alpha-1")
    assert slack.posts[-1].language == "el" and slack.posts[-1].lesson.locale == "el"

    _save(deps, slack, DIMITRIS, language="en")
    assert identify_caller(deps, slack, caller(DIMITRIS)).language == "en"


def test_the_clock_sends_at_the_members_own_time_and_not_at_the_teams(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, team: None
) -> None:
    monday = datetime(2027, 3, 8, 0, 0, tzinfo=UTC)
    clock.set(monday)
    run_tick(deps, slack, TEAM, monday)  # the first tick sends nothing from the past
    _save(deps, slack, CHLOE, lesson_time="14:00")
    run_tick(deps, slack, TEAM, monday.replace(hour=7, minute=31))  # 09:30 in Athens
    assert [post.channel for post in slack.posts] == [DIMITRIS]
    run_tick(deps, slack, TEAM, monday.replace(hour=9, minute=31))  # the team's 09:30 in London
    assert [post.channel for post in slack.posts] == [DIMITRIS]
    run_tick(deps, slack, TEAM, monday.replace(hour=14, minute=1))  # London is on GMT
    assert [post.channel for post in slack.posts] == [DIMITRIS, CHLOE]
