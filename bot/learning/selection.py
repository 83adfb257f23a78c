"""Which lesson a member gets next.

A due review comes first (see `bot.learning.reviews`): what a member got wrong falls due sooner than
what they got right, so it returns sooner, and reviewing what was learned before adding more is what
keeps it. Otherwise new lessons lean toward the member's least-engaged skill area and interleave
areas (a different area from the last lesson when there is a tie), because mixing topics helps
retention more than blocks of one. Areas the member chose as interests count their engagement at
1/INTEREST_WEIGHT (see `choose_next_lesson`), so they come more often without starving the rest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.learning.model import CatalogLesson, History


@dataclass(frozen=True)
class LessonChoice:
    lesson_id: str
    skill: str
    reason: str
    kind: Literal["lesson", "review"] = "lesson"  # the delivery kind to send it as


# A miss: some answer to the lesson was wrong (History counts answers; it keeps no order of them).
REVIEW_OF_A_MISS = "a review of a lesson you got wrong"
REVIEW_DUE = "a review of a lesson that is due"
# An area of interest gets this many new lessons for every one of another area.
INTEREST_WEIGHT = 2


def _spread(seed: str, skill: str) -> str:
    """A stable per-member order of skills, so that a new team does not all start on one area."""
    return hashlib.sha256(f"{seed}:{skill}".encode()).hexdigest()


def choose_next_lesson(
    catalog: Sequence[CatalogLesson],
    history: History,
    *,
    due_reviews: Sequence[str] = (),
    seed: str = "",
    interests: frozenset[str] = frozenset(),
) -> LessonChoice | None:
    """The most overdue review still in the catalog; else the next new lesson, or the least
    recently seen one when the member has seen them all.

    `due_reviews` are lesson ids whose cards are due, most overdue first (the store's
    `Cards.due`). `seed` (the member's id) breaks ties between equally engaged areas differently
    per member.

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
    in_catalog = {lesson.id: lesson for lesson in catalog}
    # A card outlives its lesson's removal from the library; such a review is skipped, not sent.
    due = next((in_catalog[id_] for id_ in due_reviews if id_ in in_catalog), None)
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

    skills = sorted({lesson.skill for lesson in unseen})
    engagement = history.engagement(skills)
    last = history.last
    last_skill = last.skill if last else None

    def weight(skill: str) -> int:
        return 1 if skill in interests else INTEREST_WEIGHT

    skill = min(
        skills,
        key=lambda s: (
            engagement[s].answered * weight(s),
            engagement[s].delivered * weight(s),
            s not in interests,
            s == last_skill,
            _spread(seed, s),
        ),
    )
    lesson = min(
        (lesson for lesson in unseen if lesson.skill == skill),
        key=lambda lesson: (lesson.level, lesson.id),
    )
    return LessonChoice(lesson.id, skill, "your least-practised skill area")
