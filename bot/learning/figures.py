"""Team-wide figures as plain data: what `/learn admin stats` shows an admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MemberStates:
    """Everyone Nudge knows: learning now, learning but paused (or away), or not learning."""

    active: int
    paused: int
    left: int


@dataclass(frozen=True)
class Traffic:
    """What went out and came back in a period."""

    delivered: int  # messages Slack took (or may have: "unknown")
    answers: int  # checks and weekly questions answered
    failed: dict[str, int]  # Slack's error code -> failed deliveries


@dataclass(frozen=True)
class CheckedLesson:
    id: str
    checked: date | None  # None: the lesson does not say when its facts were verified


@dataclass(frozen=True)
class AdminFigures:
    members: MemberStates
    week: Traffic
    lessons: int
    questions: int
    skills: int
    oldest: tuple[CheckedLesson, ...]  # the lessons whose facts were checked longest ago
    database: str  # the SQLAlchemy dialect: sqlite, postgresql
    revision: str | None  # the database's schema revision (None: no schema yet)
    head: str  # the revision this code needs
    version: str
