"""A member's own progress: what they see on Nudge's Home tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.learning.selection import SkillEngagement, engagement_by_skill
from bot.library import Library, normalize_locale
from bot.store.repository import Store


@dataclass(frozen=True)
class SkillProgress:
    name: str
    engagement: SkillEngagement


@dataclass(frozen=True)
class Progress:
    known: bool  # False before the member's first lesson
    lessons: int
    answered: int
    correct: int
    skills: tuple[SkillProgress, ...]


def member_progress(
    store: Store, library: Library, team_id: str, slack_user_id: str, now: datetime
) -> Progress:
    member = store.member(store.workspace_id(team_id, now), slack_user_id)
    events = store.lesson_events(member.id) if member else []
    locale = normalize_locale(member.locale if member else None)
    engagement = engagement_by_skill(list(library.skills), events)
    skills = tuple(
        SkillProgress(
            library.skills[skill].name_in(locale) if skill in library.skills else skill, row
        )
        for skill, row in engagement.items()
    )
    answered = [event for event in events if event.correct is not None]
    return Progress(
        known=bool(events),
        lessons=len(events),
        answered=len(answered),
        correct=sum(1 for event in answered if event.correct),
        skills=skills,
    )
