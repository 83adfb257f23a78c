"""The team report's rules: the tie rules, the period, the weeks typed, the next focus."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.learning.recall import Recall
from bot.learning.team import (
    AreaCounts,
    LessonRate,
    QuestionCount,
    blind_spot,
    most_and_fewest,
    next_focus,
    parse_weeks,
    participation,
    periods,
    strongest,
    trend,
)


def test_the_blind_spot_has_the_fewest_answers_then_fewest_right_then_the_first_id() -> None:
    areas = [AreaCounts("b", answers=3, correct=1), AreaCounts("a", answers=3, correct=1)]
    assert blind_spot(areas, {}) == "a"  # a full tie: the first id
    areas.append(AreaCounts("c", answers=3, correct=0))
    assert blind_spot(areas, {}) == "c"  # fewer right answers breaks the tie on answers
    areas.append(AreaCounts("d", answers=2, correct=2))
    assert blind_spot(areas, {}) == "d"


def test_the_strongest_has_the_most_right_answers_then_most_answers_then_the_first_id() -> None:
    areas = [
        AreaCounts("z", answers=0),
        AreaCounts("b", answers=4, correct=3),
        AreaCounts("a", answers=4, correct=3),
        AreaCounts("c", answers=5, correct=3),
    ]
    assert strongest(areas, blind_spot(areas, {})) == "c"
    assert strongest(areas[:3], "z") == "a"  # a full tie: the first id
    assert strongest([AreaCounts("a", answers=2)], None) is None  # no right answer, no strength


def test_a_period_without_answers_has_no_blind_spot() -> None:
    assert blind_spot([AreaCounts("a"), AreaCounts("b")], {}) is None


def test_the_period_and_the_one_before_meet_and_have_the_same_length() -> None:
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    span = periods(3, now)
    assert span.now.until == now and span.now.since == now - timedelta(weeks=3)
    assert span.before.until == span.now.since
    assert span.before.until - span.before.since == timedelta(weeks=3)
    assert span.week_starts[0] == span.before.since and span.week_starts[-1] == now
    assert len(span.week_starts) == 7


@pytest.mark.parametrize(
    ("typed", "weeks"),
    [((), 4), (("1",), 1), (("52",), 52), (("0",), None), (("53",), None), (("x",), None)],
)
def test_weeks_are_a_whole_number_from_1_to_52(typed: tuple[str, ...], weeks: int | None) -> None:
    assert parse_weeks(typed) == weeks


def test_trend_and_participation() -> None:
    assert (trend(0.5, 0.4), trend(0.4, 0.5), trend(0.4, 0.4)) == ("up", "down", "same")
    assert participation(7, 5, 2) == 0.7
    assert participation(0, 0, 4) == 0.0


def test_the_next_focus_is_the_lowest_right_answer_rate_else_the_easiest_lesson() -> None:
    lessons = [(2, "a-2"), (1, "a-1"), (3, "a-3")]
    rates = [LessonRate("a-1", 4, 2), LessonRate("a-2", 2, 1), LessonRate("gone", 5, 0)]
    assert next_focus(rates, lessons) == "a-1"  # a tie at 50%: more answers first
    assert next_focus([], lessons) == "a-1"  # nothing answered: the easiest
    assert next_focus([], []) is None


def test_most_and_fewest_answered_questions() -> None:
    questions = [QuestionCount("q2", 5, 1), QuestionCount("q1", 4, 3), QuestionCount("q3", 4, 1)]
    most, fewest = most_and_fewest(questions)
    assert (most, fewest) == (questions[1], questions[0])  # the tie at 1: the first id, q2
    assert most_and_fewest(questions[:1]) == (questions[0], None)
    assert most_and_fewest([]) == (None, None)


def test_the_blind_spot_weighs_answers_by_the_share_still_remembered() -> None:
    areas = [AreaCounts("a", answers=10, correct=9), AreaCounts("b", answers=4, correct=1)]
    remembered = {"a": Recall(10, 3.0), "b": Recall(4, 4.0)}
    # a: 10 answers x 30% remembered = 3; b: 4 x 100% = 4. The most answered area is the blind
    # spot, because most of it is forgotten.
    assert blind_spot(areas, remembered) == "a"
    assert blind_spot(areas, {"a": Recall(10, 5.0), "b": Recall(4, 4.0)}) == "b"
    # an area without a card remembers nothing: 0, whatever its answers
    assert blind_spot(areas, {"b": Recall(4, 0.5)}) == "a"
    # a tie on remembered answers (4 x 50% = 2 x 100%): fewer answers, then fewer right, then id
    tied = [AreaCounts("a", answers=4, correct=1), AreaCounts("b", answers=2, correct=2)]
    assert blind_spot(tied, {"a": Recall(2, 1.0), "b": Recall(1, 1.0)}) == "b"
    same = [AreaCounts("b", answers=2, correct=1), AreaCounts("a", answers=2, correct=1)]
    assert blind_spot(same, {"a": Recall(1, 1.0), "b": Recall(1, 1.0)}) == "a"
