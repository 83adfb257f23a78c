"""Lesson selection: pure rules, no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.learning.model import CatalogLesson, History, LessonEvent
from bot.learning.reviews import DueCard, StoredCard, review
from bot.learning.selection import (
    LEAST_PRACTISED,
    NEW_AREA,
    REVIEW_DUE,
    REVIEW_OF_A_MISS,
    choose_next_lesson,
    most_retrievable_first,
)

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
    history = [event(f"{skill}-1", day) for day, skill in enumerate(("strategy", "analytics"))]
    history += [event("care-1", 2), event("strategy-2", 3), event("analytics-2", 4)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None
    assert (choice.lesson_id, choice.reason) == ("care-2", LEAST_PRACTISED)


def test_an_area_never_met_says_so() -> None:
    history = [event("strategy-1", 0), event("analytics-1", 1), event("strategy-2", 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), seed="U1")
    assert choice is not None and (choice.lesson_id, choice.reason) == ("care-1", NEW_AREA)


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


def _due(cards: dict[str, StoredCard], now: datetime) -> list[DueCard]:
    """What the store's `Cards.due` answers: the cards due by `now`, oldest due first."""
    due = [DueCard(k, c.due, c.last_review, c.stability) for k, c in cards.items() if c.due <= now]
    return sorted(due, key=lambda card: (card.due, card.lesson_id))


def _card(lesson_id: str, days_ago: int = 1, stability: float | None = 1.0) -> DueCard:
    """A card due now, reviewed `days_ago` days before T0."""
    return DueCard(lesson_id, T0, T0 - timedelta(days=days_ago), stability)


# Every area met once: after the first round, a due review can come before a new lesson.
MET_ALL = [event(f"{skill}-1", day) for day, skill in enumerate(("strategy", "analytics", "care"))]


def test_once_every_area_was_met_a_lesson_got_wrong_comes_back_once_due() -> None:
    """The promise since the first round: a wrong answer comes back once due, unless an area
    the member has never met is still waiting."""
    answered = T0 + timedelta(days=3)
    history = History.of([*MET_ALL, event("strategy-2", 3, False), event("care-2", 3, True)])
    cards = {
        "strategy-2": review(None, False, answered),
        "care-2": review(None, True, answered),
    }

    early = answered + timedelta(hours=1)
    not_yet = choose_next_lesson(CATALOG, history, due_reviews=_due(cards, early), now=early)
    due_wrong = cards["strategy-2"].due
    back = choose_next_lesson(CATALOG, history, due_reviews=_due(cards, due_wrong), now=due_wrong)

    assert not_yet is not None and (not_yet.kind, not_yet.lesson_id) == ("lesson", "analytics-2")
    assert back is not None
    assert (back.kind, back.lesson_id, back.reason) == ("review", "strategy-2", REVIEW_OF_A_MISS)


def test_an_area_never_met_comes_before_a_due_review() -> None:
    """In the first round (care never met) the lesson got wrong waits for the new area."""
    history = History.of([event("strategy-1", 0, False), event("analytics-1", 1)])
    cards = {"strategy-1": review(None, False, T0)}
    later = T0 + timedelta(days=2)
    choice = choose_next_lesson(CATALOG, history, due_reviews=_due(cards, later), now=later)
    assert choice is not None and (choice.kind, choice.lesson_id) == ("lesson", "care-1")


def test_of_two_due_reviews_the_one_more_likely_remembered_comes_first() -> None:
    """Not the most overdue: a wrong answer long ago is likelier forgotten than a right one of
    last week, so the right one is reviewed first, while it can still be kept."""
    history = History.of([*MET_ALL, event("strategy-2", 3, False), event("care-2", 4, True)])
    missed = review(None, False, T0)  # due a day later, and forgotten since
    known = review(None, True, T0 + timedelta(days=4))
    now = known.due + timedelta(hours=1)
    both = choose_next_lesson(
        CATALOG, history, due_reviews=_due({"strategy-2": missed, "care-2": known}, now), now=now
    )
    assert missed.due < known.due
    assert both is not None and (both.kind, both.lesson_id) == ("review", "care-2")


def test_due_cards_are_ordered_by_retrievability_then_due_then_id() -> None:
    stable, shaky, equal = _card("b-1", 2, 30.0), _card("a-1", 2, 1.0), _card("a-2", 2, 30.0)
    no_stability = _card("0-1", 1, None)
    order = most_retrievable_first([no_stability, shaky, equal, stable], T0)
    assert order == ["a-2", "b-1", "a-1", "0-1"]


def test_due_reviews_without_the_time_to_weigh_them_are_refused() -> None:
    with pytest.raises(ValueError, match="without now"):
        choose_next_lesson(CATALOG, History.of(MET_ALL), due_reviews=[_card("care-1")])


def test_a_review_of_a_lesson_only_ever_got_right_says_it_is_due() -> None:
    history = History.of(MET_ALL)
    choice = choose_next_lesson(CATALOG, history, due_reviews=[_card("care-1")], now=T0)
    assert choice is not None and (choice.kind, choice.reason) == ("review", REVIEW_DUE)


def test_a_review_of_a_lesson_no_longer_in_the_catalog_is_skipped() -> None:
    history = History.of([*MET_ALL, event("strategy-2", 3, False)])
    gone, strategy = _card("gone-1", 1), _card("strategy-2", 2)
    skips = choose_next_lesson(CATALOG, history, due_reviews=[gone, strategy], now=T0)
    only_gone = choose_next_lesson(CATALOG, history, due_reviews=[gone], now=T0)
    assert skips is not None and (skips.kind, skips.lesson_id) == ("review", "strategy-2")
    assert only_gone is not None and only_gone.kind == "lesson"
    assert only_gone.lesson_id.endswith("-2") and only_gone.skill != "strategy"


def test_a_member_who_never_touched_an_area_gets_it_next_when_nothing_is_due() -> None:
    history = [event(f"{skill}-{n}", n, True) for skill in ("strategy", "care") for n in (1, 2)]
    choice = choose_next_lesson(CATALOG, History.of(history), due_reviews=[], seed="U1")
    assert choice is not None
    assert (choice.kind, choice.lesson_id) == ("lesson", "analytics-1")


def test_an_empty_library_has_no_review_to_give() -> None:
    assert choose_next_lesson([], History(), due_reviews=[_card("care-1")], now=T0) is None


@given(
    st.lists(st.sampled_from(CATALOG), max_size=12),
    st.lists(st.sampled_from([*CATALOG, CatalogLesson("gone-1", "gone", 1)]), max_size=5),
    st.lists(st.floats(min_value=0.1, max_value=400), min_size=5, max_size=5),
)
def test_a_review_comes_only_after_the_first_round_and_is_the_likeliest_remembered(
    seen: list[CatalogLesson], due: list[CatalogLesson], stabilities: list[float]
) -> None:
    history = History.of([event(lesson.id, day) for day, lesson in enumerate(seen)])
    cards = [_card(d.id, 3, s) for d, s in zip(due, stabilities, strict=False)]
    choice = choose_next_lesson(CATALOG, history, due_reviews=cards, now=T0, seed="U1")
    met = {lesson.skill for lesson in seen}
    first = next((id_ for id_ in most_retrievable_first(cards, T0) if id_ in CATALOG_IDS), None)
    assert choice is not None
    if first is None or met != {lesson.skill for lesson in CATALOG}:
        assert choice.kind == "lesson"
        assert choice.skill not in met or met == {lesson.skill for lesson in CATALOG}
    else:
        assert (choice.kind, choice.lesson_id) == ("review", first)


CATALOG_IDS = {lesson.id for lesson in CATALOG}
