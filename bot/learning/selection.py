"""Which lesson a member gets next.

New lessons lean toward the member's least-engaged skill area and interleave areas (a different area
from the last lesson when there is a tie), because mixing topics helps retention more than blocks of one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.learning.model import CatalogLesson, LessonEvent


@dataclass(frozen=True)
class SkillEngagement:
    skill: str
    delivered: int = 0
    answered: int = 0
    correct: int = 0


@dataclass(frozen=True)
class LessonChoice:
    lesson_id: str
    skill: str
    reason: str


def engagement_by_skill(
    skills: Sequence[str], events: Sequence[LessonEvent]
) -> dict[str, SkillEngagement]:
    """Lessons delivered, answered and answered right, per skill area (areas with none included)."""
    counts = {skill: [0, 0, 0] for skill in skills}
    for event in events:
        row = counts.setdefault(event.skill, [0, 0, 0])
        row[0] += 1
        if event.correct is not None:
            row[1] += 1
            row[2] += int(event.correct)
    return {skill: SkillEngagement(skill, *row) for skill, row in counts.items()}


def _spread(seed: str, skill: str) -> str:
    """A stable per-member order of skills, so that a new team does not all start on one area."""
    return hashlib.sha256(f"{seed}:{skill}".encode()).hexdigest()


def choose_next_lesson(
    catalog: Sequence[CatalogLesson], events: Sequence[LessonEvent], *, seed: str = ""
) -> LessonChoice | None:
    """The next new lesson, or the least recently seen one when the member has seen them all.

    `seed` (the member's id) breaks ties between equally engaged areas differently per member.
    """
    if not catalog:
        return None
    seen = {event.lesson_id for event in events}
    unseen = [lesson for lesson in catalog if lesson.id not in seen]
    if not unseen:
        last_seen = {event.lesson_id: event.delivered_at for event in events}
        oldest = min(catalog, key=lambda lesson: (last_seen[lesson.id], lesson.id))
        return LessonChoice(
            oldest.id, oldest.skill, "you have seen every lesson; this is the oldest"
        )

    skills = sorted({lesson.skill for lesson in unseen})
    engagement = engagement_by_skill(skills, events)
    last_skill = max(events, key=lambda e: e.delivered_at).skill if events else None
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
