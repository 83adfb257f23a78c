"""What a member, or the team, still remembers today: the expected recall of the lessons answered,
from the stored fsrs cards.

A card's retrievability is fsrs's forgetting curve R(t, S) = (1 + FACTOR * t / S) ** DECAY, with t
the whole days since its last review and S its stability: the probability of answering the
lesson's check right today. The sum of a member's retrievabilities in an area is the number of its
checks they would likely get right today; the mean over the team's cards is the share of the
area's checks the team still remembers.

The database sums the curve per lesson (`bot.store.recall`, the same DECAY and FACTOR); this module
is the curve itself and the sums per area, so that a request reads a row per lesson, never a row
per card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.learning.reviews import SCHEDULER

# fsrs 6's own constants (`Scheduler._DECAY`, `_FACTOR`), from the scheduler's parameters, so that
# the curve here and in SQL is the one fsrs schedules with: R(S, S) = 0.9.
DECAY = -SCHEDULER.parameters[20]
FACTOR = 0.9 ** (1 / DECAY) - 1
SECONDS_PER_DAY = 86_400


def retrievability(stability: float, elapsed_days: int) -> float:
    """fsrs's `Scheduler.get_card_retrievability` for a card of this stability last reviewed
    `elapsed_days` whole days ago (a negative count, a review after now, counts as 0)."""
    return float((1 + FACTOR * max(0, elapsed_days) / stability) ** DECAY)


@dataclass(frozen=True)
class Recall:
    """Cards in some set (an area, a member's area) and the sum of their retrievabilities."""

    cards: int = 0
    expected: float = 0.0  # the checks one would likely get right today

    @property
    def share(self) -> float | None:
        """The mean retrievability: the share still remembered (None without a card)."""
        return self.expected / self.cards if self.cards else None

    @property
    def likely_right(self) -> int:
        """`expected` in whole checks, as a person reads it: 7.6 of 10 is 8 of 10."""
        return round(self.expected)

    def __add__(self, other: Recall) -> Recall:
        return Recall(self.cards + other.cards, self.expected + other.expected)


def by_area(
    per_lesson: Iterable[tuple[str, Recall]], skill_of: Mapping[str, str]
) -> dict[str, Recall]:
    """The lessons' recall summed per skill area. `skill_of` maps the library's lesson ids to
    their areas; a card of a lesson no longer in the library counts nowhere, as it is no longer
    sent either."""
    areas: dict[str, Recall] = {}
    for lesson_id, recall in per_lesson:
        skill = skill_of.get(lesson_id)
        if skill is not None:
            areas[skill] = areas.get(skill, Recall()) + recall
    return areas
