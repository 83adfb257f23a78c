"""A member's own progress, counted from their lessons: what their Home tab shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.learning.model import History, SkillEngagement


@dataclass(frozen=True)
class SkillProgress:
    name: str
    engagement: SkillEngagement


@dataclass(frozen=True)
class Progress:
    lessons: int
    responses: int
    correct: int
    skills: tuple[SkillProgress, ...]
    last_lesson_at: datetime | None  # None before the member's first lesson

    @property
    def known(self) -> bool:
        return self.lessons > 0


def progress_of(history: History, skill_names: Mapping[str, str]) -> Progress:
    """`skill_names` maps every skill area of the library to its name in the member's language;
    an area that has left the library since keeps its id as its name."""
    engagement = history.engagement(skill_names)
    last = history.last
    return Progress(
        lessons=sum(row.delivered for row in engagement.values()),
        responses=sum(row.answered for row in engagement.values()),
        correct=sum(row.correct for row in engagement.values()),
        skills=tuple(
            SkillProgress(skill_names.get(skill, skill), row) for skill, row in engagement.items()
        ),
        last_lesson_at=last.last_delivered_at if last else None,
    )
