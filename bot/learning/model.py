"""Plain data the learning rules work on. No Slack, no SQL: the store maps its rows to these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Role(StrEnum):
    """What a person may do. Everyone is a member; LEADS and ADMINS name the others."""

    MEMBER = "member"
    LEAD = "lead"
    ADMIN = "admin"


@dataclass(frozen=True)
class MemberProfile:
    """What Slack tells us about a person (users.info), before they are a member row."""

    slack_user_id: str
    name: str
    tz: str
    locale: str


@dataclass(frozen=True)
class Member:
    id: int
    workspace_id: int
    slack_user_id: str
    name: str
    tz: str
    locale: str
    is_lead: bool
    is_admin: bool
    paused_until: date | None
    dm_channel_id: str | None


@dataclass(frozen=True)
class Delivery:
    id: int
    member_id: int
    kind: str
    local_date: date | None
    lesson_id: str
    skill: str
    locale: str
    answer_index: int
    status: str
    channel_id: str | None
    ts: str | None


@dataclass(frozen=True)
class Response:
    """A member's recorded answer to a delivery's check."""

    delivery_id: int
    choice: int
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class LessonEvent:
    """One lesson a member received, and what they answered (None: not yet)."""

    lesson_id: str
    skill: str
    delivered_at: datetime
    correct: bool | None


@dataclass(frozen=True)
class CatalogLesson:
    """The part of a library lesson that selection needs."""

    id: str
    skill: str
    level: int
