"""Interests tilt the choice of new lessons, and the least-engaged rule still holds (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.learning.model import CatalogLesson, History, LessonEvent
from bot.learning.selection import INTEREST_WEIGHT, choose_next_lesson

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SKILLS = ("strategy", "analytics", "care", "ops")
LEVELS = 30  # more lessons per area than any run below takes, so no area runs out
CATALOG = [
    CatalogLesson(f"{skill}-{level:02d}", skill, level)
    for skill in SKILLS
    for level in range(1, LEVELS + 1)
]


def _run(lessons: int, interests: frozenset[str], seed: str) -> dict[str, int]:
    """Lessons answered per area after taking the chosen lesson `lessons` times."""
    events: list[LessonEvent] = []
    for day in range(lessons):
        choice = choose_next_lesson(CATALOG, History.of(events), seed=seed, interests=interests)
        assert choice is not None and choice.kind == "lesson"
        events.append(LessonEvent(choice.lesson_id, choice.skill, T0 + timedelta(days=day), True))
    counts = dict.fromkeys(SKILLS, 0)
    for event in events:
        counts[event.skill] += 1
    return counts


INTERESTS = st.frozensets(st.sampled_from(SKILLS))
SEEDS = st.text(max_size=8)


@given(lessons=st.integers(0, 60), interests=INTERESTS, seed=SEEDS)
def test_an_interest_runs_ahead_of_another_area_by_at_most_its_weight(
    lessons: int, interests: frozenset[str], seed: str
) -> None:
    counts = _run(lessons, interests, seed)
    for liked in interests:
        for other in set(SKILLS) - interests:
            assert counts[liked] <= INTEREST_WEIGHT * counts[other] + INTEREST_WEIGHT
            # ... and never behind it by more than one lesson: no area is starved either way.
            assert counts[other] <= counts[liked] + 1


@given(lessons=st.integers(0, 60), interests=INTERESTS, seed=SEEDS)
def test_areas_alike_in_interest_stay_within_one_lesson_of_each_other(
    lessons: int, interests: frozenset[str], seed: str
) -> None:
    counts = _run(lessons, interests, seed)
    for group in (interests, set(SKILLS) - interests):
        if group:
            assert max(counts[s] for s in group) - min(counts[s] for s in group) <= 1


@given(lessons=st.integers(8, 60), seed=SEEDS)
def test_one_interest_gets_about_twice_the_share_of_each_other_area(
    lessons: int, seed: str
) -> None:
    counts = _run(lessons, frozenset({"care"}), seed)
    others = [counts[s] for s in SKILLS if s != "care"]
    assert all(counts["care"] >= INTEREST_WEIGHT * other - 1 for other in others)
    assert counts["care"] > max(others)


@given(lessons=st.integers(0, 40), seed=SEEDS)
def test_no_interest_or_interests_outside_the_catalog_change_nothing(
    lessons: int, seed: str
) -> None:
    assert _run(lessons, frozenset({"gone", "elsewhere"}), seed) == _run(lessons, frozenset(), seed)


def test_an_interest_wins_a_tie_but_not_against_a_less_engaged_area() -> None:
    done = [LessonEvent("strategy-01", "strategy", T0, True)]
    tie = choose_next_lesson(CATALOG, History(), seed="U1", interests=frozenset({"ops"}))
    assert tie is not None and tie.skill == "ops"
    after = History.of([*done, LessonEvent("ops-01", "ops", T0 + timedelta(days=1), True)])
    behind = choose_next_lesson(CATALOG, after, seed="U1", interests=frozenset({"strategy"}))
    # strategy (liked, 1 answered) weighs 1; analytics and care (0 answered) weigh 0: they first.
    assert behind is not None and behind.skill in ("analytics", "care")
