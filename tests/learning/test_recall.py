"""The forgetting curve against fsrs's own, and the sums per skill area."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, State

from bot.learning.recall import Recall, by_area, retrievability
from bot.learning.reviews import SCHEDULER, review

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("stability", [0.2, 1.0, 3.17, 30.0, 365.0])
@pytest.mark.parametrize(
    "elapsed",
    [
        timedelta(0),
        timedelta(hours=23),
        timedelta(days=1),
        timedelta(days=6, hours=20),
        timedelta(days=400),
        timedelta(days=-2),
    ],
)
def test_retrievability_is_fsrs_own(stability: float, elapsed: timedelta) -> None:
    card = Card(
        card_id=1,
        state=State.Review,
        stability=stability,
        difficulty=5.0,
        due=NOW,
        last_review=NOW - elapsed,
    )
    expected = SCHEDULER.get_card_retrievability(card, NOW)
    assert retrievability(stability, elapsed.days) == pytest.approx(expected, rel=1e-12)


def test_a_card_just_reviewed_is_remembered_and_fades_after() -> None:
    stored = review(None, True, NOW)
    assert stored.stability is not None
    today = retrievability(stored.stability, 0)
    # At its due date a card is at the scheduler's desired retention, as fsrs schedules it.
    due_in = (stored.due - NOW).days
    assert today == 1.0
    assert retrievability(stored.stability, due_in) == pytest.approx(
        SCHEDULER.get_card_retrievability(Card.from_json(stored.fsrs_card), stored.due)
    )
    assert (
        0
        < retrievability(stored.stability, due_in + 30)
        < retrievability(stored.stability, due_in)
        < 1
    )


def test_recall_sums_per_area_and_counts_only_the_library_lessons() -> None:
    per_lesson = [
        ("a-1", Recall(2, 1.5)),
        ("a-2", Recall(1, 0.25)),
        ("b-1", Recall(4, 3.0)),
        ("gone-1", Recall(9, 9.0)),
    ]
    areas = by_area(per_lesson, {"a-1": "a", "a-2": "a", "b-1": "b", "c-1": "c"})
    assert areas == {"a": Recall(3, 1.75), "b": Recall(4, 3.0)}
    assert areas["a"].share == pytest.approx(1.75 / 3)
    assert areas["a"].likely_right == 2 and areas["b"].likely_right == 3
    assert Recall().share is None and Recall().likely_right == 0
