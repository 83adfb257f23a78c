"""Lesson selection: pure rules, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.learning.model import CatalogLesson, History, LessonEvent
from bot.learning.reviews import StoredCard, review
from bot.learning.selection import REVIEW_DUE, REVIEW_OF_A_MISS, choose_next_lesson

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CATALOG = [
    CatalogLesson(f"{skill}-{level}", skill, level)
    for skill in ("strategy", "analytics", "care")
    for level in (2, 1, 3)
]


def event(lesson_id: str, day: int, correct: bool | None = True) -> LessonEvent:
    return LessonEvent(lesson_id, lesson_id.split("-")[0], T0 + timedelta(days=day), correct)


def test_a_new_member_starts_with_a_foundation_lesson() -> None:
    choice = choose_next_lesson(CATALOG, History(), seed="U1")
    assert choice is not None and choice.lesson_id.endswith("-1")


def test_the_least_engaged_area_comes_next() -> None:
    history = [event("strategy-1", 0), event("analytics-1", 1), event("strategy-2", 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None
    assert (choice.lesson_id, choice.reason) == ("care-1", "your least-practised skill area")


def test_unanswered_lessons_count_less_than_answered_ones() -> None:
    # Delivered but never answered: analytics is less engaged than care, which was answered.
    history = [event("analytics-1", 0, None), event("care-1", 1), event("strategy-1", 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None and choice.skill == "analytics"


def test_a_tie_avoids_repeating_the_last_area() -> None:
    history = [event("strategy-1", 0), event("analytics-1", 1), event("care-1", 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None and choice.skill != "care"


def test_members_with_no_history_spread_over_areas() -> None:
    firsts = {choose_next_lesson(CATALOG, History(), seed=f"U{n}").skill for n in range(12)}  # type: ignore[union-attr]
    assert len(firsts) > 1


def test_when_everything_was_seen_the_oldest_comes_back() -> None:
    history = [event(lesson.id, day) for day, lesson in enumerate(CATALOG)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None and choice.lesson_id == CATALOG[0].id


def test_an_empty_library_chooses_nothing() -> None:
    assert choose_next_lesson([], History(), seed="U1") is None


@given(st.lists(st.sampled_from(CATALOG), max_size=30), st.text(max_size=8))
def test_a_choice_is_always_in_the_catalog_and_unseen_while_any_is(
    seen: list[CatalogLesson], seed: str
) -> None:
    history = [event(lesson.id, day) for day, lesson in enumerate(seen)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed=seed)
    assert choice is not None and choice.lesson_id in {lesson.id for lesson in CATALOG}
    if len({lesson.id for lesson in seen}) < len(CATALOG):
        assert choice.lesson_id not in {lesson.id for lesson in seen}


def test_engagement_counts_delivered_answered_and_correct() -> None:
    history = [event("care-1", 0, True), event("care-2", 1, False), event("care-3", 2, None)]
    care = History.of(history).engagement(["care", "strategy"])
    assert (care["care"].delivered, care["care"].answered, care["care"].correct) == (3, 2, 1)
    assert care["strategy"].delivered == 0


def test_the_last_lesson_is_the_latest_even_at_the_same_instant() -> None:
    """A clock that did not move between two lessons still leaves them in the order sent."""
    same = [event("strategy-1", 0), event("care-1", 0)]
    last = History.of(same).last
    assert last is not None and last.lesson_id == "care-1"


def _due(cards: dict[str, StoredCard], now: datetime) -> list[str]:
    """What the store's `Cards.due` answers: lessons due by `now`, most overdue first."""
    return [lesson for due, lesson in sorted((c.due, k) for k, c in cards.items()) if due <= now]


def test_a_lesson_got_wrong_comes_back_as_a_review_once_due_before_one_got_right() -> None:
    answered = T0 + timedelta(days=2)
    history = History.of([event("strategy-1", 0, False), event("care-1", 1, True)])
    cards = {
        "strategy-1": review(None, False, answered),
        "care-1": review(None, True, answered),
    }

    not_yet = choose_next_lesson(
        CATALOG, history, due_reviews=_due(cards, answered + timedelta(hours=1)), seed="U1"
    )
    due_wrong = cards["strategy-1"].due
    back = choose_next_lesson(CATALOG, history, due_reviews=_due(cards, due_wrong), seed="U1")
    both = choose_next_lesson(
        CATALOG, history, due_reviews=_due(cards, cards["care-1"].due), seed="U1"
    )

    assert not_yet is not None and (not_yet.kind, not_yet.lesson_id) == ("lesson", "analytics-1")
    assert back is not None
    assert (back.kind, back.lesson_id, back.reason) == ("review", "strategy-1", REVIEW_OF_A_MISS)
    assert both is not None and both.lesson_id == "strategy-1"  # the most overdue first


def test_a_review_of_a_lesson_only_ever_got_right_says_it_is_due() -> None:
    history = History.of([event("care-1", 0, True)])
    choice = choose_next_lesson(CATALOG, history, due_reviews=["care-1"], seed="U1")
    assert choice is not None and (choice.kind, choice.reason) == ("review", REVIEW_DUE)


def test_a_review_of_a_lesson_no_longer_in_the_catalog_is_skipped() -> None:
    history = History.of([event("strategy-1", 0, False)])
    skips = choose_next_lesson(CATALOG, history, due_reviews=["gone-1", "strategy-1"], seed="U1")
    only_gone = choose_next_lesson(CATALOG, history, due_reviews=["gone-1"], seed="U1")
    assert skips is not None and (skips.kind, skips.lesson_id) == ("review", "strategy-1")
    assert only_gone is not None and only_gone.kind == "lesson"
    assert only_gone.lesson_id.endswith("-1") and only_gone.skill != "strategy"


def test_a_member_who_never_touched_an_area_gets_it_next_when_nothing_is_due() -> None:
    history = [event(f"{skill}-{n}", n, True) for skill in ("strategy", "care") for n in (1, 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), due_reviews=[], seed="U1")
    assert choice is not None
    assert (choice.kind, choice.lesson_id) == ("lesson", "analytics-1")


def test_an_empty_library_has_no_review_to_give() -> None:
    assert choose_next_lesson([], History(), due_reviews=["care-1"], seed="U1") is None


@given(
    st.lists(st.sampled_from(CATALOG), max_size=12),
    st.lists(st.sampled_from([*CATALOG, CatalogLesson("gone-1", "gone", 1)]), max_size=5),
)
def test_the_first_due_review_in_the_catalog_always_wins(
    seen: list[CatalogLesson], due: list[CatalogLesson]
) -> None:
    history = History.of([event(lesson.id, day) for day, lesson in enumerate(seen)])
    choice = choose_next_lesson(CATALOG, history, due_reviews=[d.id for d in due], seed="U1")
    first = next((d.id for d in due if d in CATALOG), None)
    assert choice is not None
    if first is None:
        assert choice.kind == "lesson"
    else:
        assert (choice.kind, choice.lesson_id) == ("review", first)
