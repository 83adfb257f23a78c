"""The learning bench's simulated team at a small size (3 members, 3 weeks, one seed).

Asserts only what the model and the rules guarantee, never the bench's ratios: reviews are of
lessons already seen, recall numbers are probabilities, every lesson day gets a lesson, Nudge's
rule meets every area before any review, and a seed repeats exactly.
"""

from __future__ import annotations

import pytest

from bench.learning import BEFORE, NUDGE, POLICIES, Outcome, make_team, shipped_library, simulate

MEMBERS, WEEKS, SEED = 3, 3, 7


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    team = make_team(shipped_library(), SEED, MEMBERS)
    return {name: simulate(team, name, WEEKS) for name in POLICIES}


@pytest.mark.parametrize("policy", list(POLICIES))
def test_a_review_is_always_of_a_lesson_already_seen(
    outcomes: dict[str, Outcome], policy: str
) -> None:
    assert outcomes[policy].reviews_of_unseen == 0


def test_the_review_policies_do_send_reviews_in_three_weeks(outcomes: dict[str, Outcome]) -> None:
    """Otherwise the check above would hold for want of a review."""
    for policy in ("fsrs reviews, library order", BEFORE, NUDGE):
        assert outcomes[policy].reviews > 0


def test_nudges_rule_meets_every_area_first(outcomes: dict[str, Outcome]) -> None:
    """14 or 15 lesson days, 13 areas in the shipped library: an area never met comes before any
    review, so every member has met all of them; the rule before the change had not."""
    areas = len({lesson.skill for lesson in shipped_library()})
    assert outcomes[NUDGE].areas == [areas] * MEMBERS
    assert min(outcomes[BEFORE].areas) < areas


@pytest.mark.parametrize("policy", list(POLICIES))
def test_recall_numbers_are_probabilities(outcomes: dict[str, Outcome], policy: str) -> None:
    outcome = outcomes[policy]
    numbers = [*outcome.recalls, *outcome.recall, *outcome.weakest]
    assert len(outcome.recalls) > 0
    assert all(0.0 <= number <= 1.0 for number in numbers)


@pytest.mark.parametrize("policy", list(POLICIES))
def test_every_lesson_day_delivers_one_lesson(outcomes: dict[str, Outcome], policy: str) -> None:
    """Monday to Friday for three weeks from 4 January 2027 (members in Athens, London and New
    York), less the two public holidays in it: Epiphany (6 January) in Athens and Martin Luther
    King Jr. Day (18 January) in New York."""
    assert outcomes[policy].delivered == MEMBERS * 5 * WEEKS - 2


def test_the_same_seed_gives_the_same_result(outcomes: dict[str, Outcome]) -> None:
    team = make_team(shipped_library(), SEED, MEMBERS)
    for name in POLICIES:
        assert simulate(team, name, WEEKS) == outcomes[name]
