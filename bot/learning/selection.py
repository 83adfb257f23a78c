"""Which lesson a member gets next.

New lessons lean toward the member's least-engaged skill area and interleave areas (a different area
from the last lesson when there is a tie), because mixing topics helps retention more than blocks of one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.learning.model import CatalogLesson, History


@dataclass(frozen=True)
class LessonChoice:
    lesson_id: str
    skill: str
    reason: str


def _spread(seed: str, skill: str) -> str:
    """A stable per-member order of skills, so that a new team does not all start on one area."""
    return hashlib.sha256(f"{seed}:{skill}".encode()).hexdigest()


def choose_next_lesson(
    catalog: Sequence[CatalogLesson], history: History, *, seed: str = ""
) -> LessonChoice | None:
    """The next new lesson, or the least recently seen one when the member has seen them all.

    `seed` (the member's id) breaks ties between equally engaged areas differently per member.
    """
    if not catalog:
        return None
    seen = history.seen
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
    skill = min(
        skills,
        key=lambda s: (
            engagement[s].answered,
            engagement[s].delivered,
            s == last_skill,
            _spread(seed, s),
        ),
    )
    lesson = min(
        (lesson for lesson in unseen if lesson.skill == skill),
        key=lambda lesson: (lesson.level, lesson.id),
    )
    return LessonChoice(lesson.id, skill, "your least-practised skill area")
