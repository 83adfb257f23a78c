"""Plain data the learning rules work on. No Slack, no SQL: the store maps its rows to these."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from enum import StrEnum

from bot.learning.schedule_settings import MemberSchedule, Weekday


class Role(StrEnum):
    """What a person may do. Everyone is a member; LEADS and ADMINS name the others."""

    MEMBER = "member"
    LEAD = "lead"
    ADMIN = "admin"


@dataclass(frozen=True)
class MemberProfile:
    """What Slack tells us about a person (users.info, users.list), before they are a member row."""

    slack_user_id: str
    name: str
    tz: str
    locale: str
    is_bot: bool = False
    deleted: bool = False
    status_text: str = ""
    status_emoji: str = ""
    status_expiration: int = 0  # Unix seconds; 0: the status does not expire


@dataclass(frozen=True)
class MemberSettings:
    """What a member chose in Settings; None (or no interests) keeps the team's default, so a
    change to a team setting still reaches everyone who never chose."""

    lesson_time: time | None = None
    working_days: frozenset[Weekday] | None = None
    lessons_per_week: int | None = None
    language: str | None = None  # "en" or "el"; None: their Slack locale's
    holiday_country: str | None = None  # ISO 3166 alpha-2; None: the team's rule (their zone's)
    interests: frozenset[str] = frozenset()  # skill ids whose new lessons come more often

    def schedule(self) -> MemberSchedule:
        """The schedule part, over the team's (`MemberSchedule.apply`); a member's own holiday
        country replaces the team's rule, whatever it is."""
        return MemberSchedule(
            lesson_time=self.lesson_time,
            working_days=self.working_days,
            lessons_per_week=self.lessons_per_week,
            holiday_rule=self.holiday_country,
        )


# What a member can set for themselves (the `members` columns of migration 0004), in the order
# the Settings modal shows them: the export's "settings", and the modal's fields.
SETTING_NAMES: tuple[str, ...] = tuple(f.name for f in fields(MemberSettings))


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
    in_channel: bool = False
    choice: str | None = None  # "join" or "leave": the person's own word, above the channel's
    deactivated: bool = False
    away_until: datetime | None = None
    next_due_at: datetime | None = None
    unreachable: str | None = None  # Slack's reason a DM can never reach them
    settings: MemberSettings = MemberSettings()

    @property
    def learns(self) -> bool:
        """Scheduled lessons go to the team channel's members and to whoever joined by hand,
        unless they left by hand or their account is gone."""
        return (
            (self.in_channel or self.choice == "join")
            and self.choice != "leave"
            and not (self.deactivated)
        )


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
class SkillEngagement:
    skill: str
    delivered: int = 0
    answered: int = 0
    correct: int = 0


@dataclass(frozen=True)
class LessonSeen:
    """A lesson the member has received, with their engagement with it."""

    lesson_id: str
    skill: str
    delivered: int
    answered: int
    correct: int
    last_delivered_at: datetime
    last_delivery: int  # orders two deliveries made at the same instant


@dataclass(frozen=True)
class History:
    """A member's past as selection and progress need it: one entry per lesson seen, so its size
    follows the library, not the number of days someone has been learning. The store reads it
    from counters the database keeps per member and lesson (bot.store.progress_sql)."""

    seen: Mapping[str, LessonSeen] = field(default_factory=dict)

    @classmethod
    def of(cls, events: Iterable[LessonEvent]) -> History:
        """The same summary from a list of lessons in the order they were sent."""
        rows: dict[str, LessonSeen] = {}
        for order, event in enumerate(events):
            was = rows.get(event.lesson_id)
            answered = int(event.correct is not None)
            rows[event.lesson_id] = LessonSeen(
                event.lesson_id,
                event.skill,
                (was.delivered if was else 0) + 1,
                (was.answered if was else 0) + answered,
                (was.correct if was else 0) + int(bool(event.correct)),
                max(event.delivered_at, was.last_delivered_at) if was else event.delivered_at,
                order,
            )
        return cls(rows)

    @property
    def last(self) -> LessonSeen | None:
        return max(
            self.seen.values(),
            key=lambda row: (row.last_delivered_at, row.last_delivery),
            default=None,
        )

    def engagement(self, skills: Iterable[str] = ()) -> dict[str, SkillEngagement]:
        """Lessons delivered, answered and answered right, per skill area (`skills` listed even
        with none; areas seen but not listed included too)."""
        counts = {skill: [0, 0, 0] for skill in skills}
        for row in self.seen.values():
            total = counts.setdefault(row.skill, [0, 0, 0])
            total[0] += row.delivered
            total[1] += row.answered
            total[2] += row.correct
        return {skill: SkillEngagement(skill, *total) for skill, total in counts.items()}


@dataclass(frozen=True)
class CatalogLesson:
    """The part of a library lesson that selection needs."""

    id: str
    skill: str
    level: int


@dataclass(frozen=True)
class StrategyAnswer:
    """A member's answer to a weekly strategy question: the menu's index when it has one, the
    written why, and the path it came by ("modal", "dm_reply", "channel_reply")."""

    delivery_id: int
    text: str
    choice: int | None
    source: str
    answered_at: datetime
    edited_at: datetime | None
