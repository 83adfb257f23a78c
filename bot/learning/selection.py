"""Which lesson a member gets next.

Until a member has met every skill area of the library once (the first round), a new lesson from
an area they have never met comes before any review: with one lesson a working day, reviews
first left members after twelve weeks with only 8 of 13 areas met on average, some with 3
(bench/RESULTS.md, "Learning"). After that a due review comes first (see `bot.learning.reviews`):
what a member got wrong falls due sooner than what they got right, so it returns sooner, and
reviewing what was learned before adding more is what keeps it.

Of several due reviews, the one the member most likely still remembers (the highest fsrs
retrievability today, `bot.learning.recall`) comes first, not the most overdue: when more is due
than one lesson a day can review, as after the first round, the most overdue is the likeliest
already forgotten, and reviewing it first lets the others lapse too, while a review that succeeds
keeps its lesson for longer (the same 12-week simulation: 2.5 lessons remembered per member with
the most overdue first, 4.7 with the most retrievable).

Otherwise new lessons lean toward the member's least-engaged skill area and interleave areas (a
different area from the last lesson when there is a tie), because mixing topics helps retention
more than blocks of one. Areas the member chose as interests count their engagement at
1/INTEREST_WEIGHT (see `choose_next_lesson`), so they come more often without starving the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.learning.model import CatalogLesson, History
from bot.learning.recall import retrievability
from bot.learning.reviews import DueCard


@dataclass(frozen=True)
class LessonChoice:
    lesson_id: str
    skill: str
    reason: str
    kind: Literal["lesson", "review"] = "lesson"  # the delivery kind to send it as


# A miss: some answer to the lesson was wrong (History counts answers; it keeps no order of them).
REVIEW_OF_A_MISS = "a review of a lesson you got wrong"
REVIEW_DUE = "a review of a lesson that is due"
NEW_AREA = "a skill area you have not met yet"
LEAST_PRACTISED = "your least-practised skill area"
# An area of interest gets this many new lessons for every one of another area.
INTEREST_WEIGHT = 2


def _spread(seed: str, skill: str) -> str:
    """A stable per-member order of skills, so that a new team does not all start on one area."""
    return hashlib.sha256(f"{seed}:{skill}".encode()).hexdigest()


def most_retrievable_first(due: Sequence[DueCard], now: datetime) -> list[str]:
    """The due cards' lesson ids, the one the member most likely still remembers at `now` first
    (fsrs's retrievability, in whole days as fsrs counts them); on a tie the earlier due, then
    the lesson id. A card without a stability, which fsrs never wrote, comes last."""

    def likely(card: DueCard) -> float:
        if not card.stability:
            return -1.0
        return retrievability(card.stability, (now - card.last_review).days)

    ordered = sorted(due, key=lambda card: (-likely(card), card.due, card.lesson_id))
    return [card.lesson_id for card in ordered]


def unmet_areas(catalog: Sequence[CatalogLesson], history: History) -> set[str]:
    """The catalog's skill areas of which the member was never sent a lesson."""
    met = {row.skill for row in history.seen.values()}
    return {lesson.skill for lesson in catalog} - met


def choose_next_lesson(
    catalog: Sequence[CatalogLesson],
    history: History,
    *,
    due_reviews: Sequence[DueCard] = (),
    now: datetime | None = None,
    seed: str = "",
    interests: frozenset[str] = frozenset(),
) -> LessonChoice | None:
    """A new lesson from an area never met while there is one; else the due review still in the
    catalog the member most likely remembers (`most_retrievable_first`); else the next new
    lesson, or the least recently seen one when the member has seen them all.

    `due_reviews` are the member's cards due by `now` (the store's `Cards.due`); `now` is needed
    only to weigh them. `seed` (the member's id) breaks ties between equally engaged areas
    differently per member.

    A new lesson comes from the least-engaged area with unseen lessons, where engagement is the
    lessons answered, then delivered, each multiplied by INTEREST_WEIGHT for an area that is not
    among `interests`. So the least-engaged rule still holds on the weighted counts: an area of
    interest runs ahead of another by at most about twice its count (answered(interest) <=
    INTEREST_WEIGHT * answered(other) + INTEREST_WEIGHT), never starving it, and a tie goes to the
    area of interest. Without interests the choice is the plain least-engaged one.
    """
    if not catalog:
        return None
    seen = history.seen
    unmet = unmet_areas(catalog, history)
    if unmet or not due_reviews:
        due = None
    elif now is None:
        raise ValueError("due reviews given without now; pass the time to weigh them at")
    else:
        in_catalog = {lesson.id: lesson for lesson in catalog}
        ordered = most_retrievable_first(due_reviews, now)
        # A card outlives its lesson's removal from the library: such a review is skipped.
        due = next((in_catalog[id_] for id_ in ordered if id_ in in_catalog), None)
    if due is not None:
        past = seen.get(due.id)
        missed = past is not None and past.correct < past.answered
        return LessonChoice(due.id, due.skill, REVIEW_OF_A_MISS if missed else REVIEW_DUE, "review")
    unseen = [lesson for lesson in catalog if lesson.id not in seen]
    if not unseen:
        oldest = min(catalog, key=lambda lesson: (seen[lesson.id].last_delivered_at, lesson.id))
        return LessonChoice(
            oldest.id, oldest.skill, "you have seen every lesson; this is the oldest"
        )

    # In the first round only the areas never met; their engagement is nil, so the usual order
    # (interests first, then the member's own spread) decides among them.
    skills = sorted(unmet or {lesson.skill for lesson in unseen})
    engagement = history.engagement(skills)
    last = history.last
    last_skill = last.skill if last else None

    def rank(skill: str) -> tuple[int, int, bool, bool]:
        weight = 1 if skill in interests else INTEREST_WEIGHT
        engaged = engagement[skill]
        return (
            engaged.answered * weight,
            engaged.delivered * weight,
            skill not in interests,
            skill == last_skill,
        )

    ranks = {skill: rank(skill) for skill in skills}
    lowest = min(ranks.values())
    tied = [skill for skill in skills if ranks[skill] == lowest]
    # The member's own spread breaks the tie: a hash per area, so only for those tied.
    skill = min(tied, key=lambda tie: _spread(seed, tie)) if len(tied) > 1 else tied[0]
    lesson = min(
        (lesson for lesson in unseen if lesson.skill == skill),
        key=lambda lesson: (lesson.level, lesson.id),
    )
    return LessonChoice(lesson.id, skill, NEW_AREA if unmet else LEAST_PRACTISED)
