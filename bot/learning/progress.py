"""A member's own progress, counted from their lessons: what their Home tab shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.learning.model import LessonEvent
from bot.learning.selection import SkillEngagement, engagement_by_skill


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


def progress_of(events: Sequence[LessonEvent], skill_names: Mapping[str, str]) -> Progress:
    """`skill_names` maps every skill area of the library to its name in the member's language;
    an area that has left the library since keeps its id as its name."""
    engagement = engagement_by_skill(list(skill_names), events)
    answered = [event.correct for event in events if event.correct is not None]
    return Progress(
        lessons=len(events),
        responses=len(answered),
        correct=sum(answered),
        skills=tuple(
            SkillProgress(skill_names.get(skill, skill), row) for skill, row in engagement.items()
        ),
        last_lesson_at=max((event.delivered_at for event in events), default=None),
    )
