"""A member's own progress, counted from their lessons: what their Home tab shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.learning.model import History, SkillEngagement
from bot.learning.recall import Recall
from bot.learning.schedule import NextReason


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

    @property
    def strongest(self) -> SkillProgress | None:
        """The area with the most right answers (None before the first right one)."""
        best = max(
            self.skills, key=lambda s: (s.engagement.correct, -s.engagement.answered), default=None
        )
        return best if best is not None and best.engagement.correct > 0 else None

    @property
    def least_engaged(self) -> SkillProgress | None:
        """The area with the fewest answers, then the fewest lessons: as new lessons lean toward
        it (`bot.learning.selection`)."""
        return min(
            self.skills, key=lambda s: (s.engagement.answered, s.engagement.delivered), default=None
        )


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


@dataclass(frozen=True)
class MemberStats:
    """Everything the Home tab and `/learn me` say about a member, as data."""

    progress: Progress
    streak: int  # see bot.learning.streak
    lessons_this_week: int  # since the start of the member's working week
    reviews_due: int
    paused_until: date | None  # the last paused local date, while the pause lasts
    learns: bool  # scheduled lessons are on
    tz: str
    upcoming: NextReason | None  # the next scheduled lesson, as `/learn why` explains it
    holiday: str  # the public holiday that moved it, if one did
    # (area name, what the member would likely still get right today), by name: areas with cards
    remembered: tuple[tuple[str, Recall], ...] = ()
