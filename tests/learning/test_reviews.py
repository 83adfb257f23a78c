"""Spaced repetition: fsrs behind `review`, with Nudge's settings. Pure, time passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from fsrs import Card, State
from hypothesis import given
from hypothesis import strategies as st

from bot.learning.reviews import StoredCard, review

T0 = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _replay(answers: list[bool], start: datetime = T0) -> StoredCard | None:
    """The card after answering right/wrong in turn, each answer given the moment it falls due."""
    card, at = None, start
    for correct in answers:
        card = review(card, correct, at)
        at = card.due
    return card


def test_a_wrong_first_answer_comes_back_sooner_than_a_right_one() -> None:
    wrong, right = review(None, False, T0), review(None, True, T0)
    assert wrong.due - T0 == timedelta(days=1)
    assert right.due > wrong.due
    assert wrong.last_review == right.last_review == T0


def test_right_answers_space_the_lesson_out_and_a_wrong_one_brings_it_closer() -> None:
    card = _replay([True, True, True])
    assert card is not None
    gaps = []
    for correct in (True, False):
        after = review(card, correct, card.due)
        gaps.append(after.due - after.last_review)
    assert gaps[0] > card.due - card.last_review > gaps[1]


def test_the_stored_card_is_fsrs_json_and_its_due_is_aware_utc() -> None:
    stored = review(None, True, T0)
    card = Card.from_json(stored.fsrs_card)
    assert card.due == stored.due and stored.due.tzinfo is not None
    assert stored.due.utcoffset() == timedelta(0)
    assert card.state == State.Review  # no minute-long learning steps: days from the first answer


def test_the_same_answers_at_the_same_times_give_the_same_card() -> None:
    assert _replay([True, False, True, True]) == _replay([True, False, True, True])


def test_any_zone_is_read_as_the_same_instant_and_a_naive_time_refused() -> None:
    athens = T0.astimezone(ZoneInfo("Europe/Athens"))
    fixed = T0.astimezone(timezone(timedelta(hours=2)))
    assert review(None, False, athens) == review(None, False, fixed) == review(None, False, T0)
    with pytest.raises(ValueError, match="naive datetime"):
        review(None, True, datetime(2026, 11, 26, 9, 30))


def test_no_lesson_waits_more_than_a_year() -> None:
    card = _replay([True] * 12)
    assert card is not None and card.due - card.last_review <= timedelta(days=365)


@given(
    st.lists(st.booleans(), max_size=12),
    st.integers(min_value=0, max_value=400 * 24),
)
def test_from_any_card_wrong_is_due_no_later_than_right(answers: list[bool], hours: int) -> None:
    """Whatever the member answered before, and however late they answer now."""
    card = _replay(answers)
    now = (card.due if card else T0) + timedelta(hours=hours)
    wrong, right = review(card, False, now), review(card, True, now)
    assert now < wrong.due <= right.due
