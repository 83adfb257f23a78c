"""Repositories of who is who: Slack workspaces and the members in them.

They work on the session of the caller's unit of work, map rows to `bot.learning.model`, and never
commit. A second insert of the same workspace or member, from any process, inserts nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, select, update

from bot.learning import model
from bot.learning.schedule_settings import parse_lesson_time, parse_working_days
from bot.store import tables
from bot.store.lesson_sql import ASKER, MEMBER_IN_TEAM, WORKSPACE_SETTINGS, Repository
from bot.store.repositories import insert_new

log = logging.getLogger("bot.store")


# A members row: the ORM's entity, or a Core row of the members columns.
MemberRow = tables.Member | Row[*tuple[Any, ...]]


def _settings(row: MemberRow) -> model.MemberSettings:
    """The member's own settings; a value that no longer parses (written by hand) is the team's."""
    try:
        lesson_time = parse_lesson_time(row.lesson_time) if row.lesson_time else None
        working_days = parse_working_days(row.working_days) if row.working_days else None
    except ValueError as error:
        log.warning("member %s: %s; the team's schedule applies", row.id, error)
        lesson_time, working_days = None, None
    return model.MemberSettings(
        lesson_time=lesson_time,
        working_days=working_days or None,
        lessons_per_week=row.lessons_per_week,
        language=row.language or None,
        holiday_country=row.holiday_country or None,
        interests=frozenset(filter(None, (row.interests or "").split(","))),
    )


def _settings_columns(settings: model.MemberSettings) -> dict[str, object]:
    """The members columns of migration 0004, from a member's settings (None: the team's)."""
    days = settings.working_days
    return {
        "lesson_time": settings.lesson_time.strftime("%H:%M") if settings.lesson_time else None,
        "working_days": ",".join(day.short for day in sorted(days)) if days else None,
        "lessons_per_week": settings.lessons_per_week,
        "language": settings.language,
        "holiday_country": settings.holiday_country,
        "interests": ",".join(sorted(settings.interests)) or None,
    }


def _member(row: MemberRow) -> model.Member:
    return model.Member(
        id=row.id,
        workspace_id=row.workspace_id,
        slack_user_id=row.slack_user_id,
        name=row.name,
        tz=row.tz,
        locale=row.locale,
        is_lead=row.is_lead,
        is_admin=row.is_admin,
        paused_until=row.paused_until,
        dm_channel_id=row.dm_channel_id,
        in_channel=row.in_channel,
        choice=row.choice,
        deactivated=row.deactivated,
        away_until=row.away_until,
        next_due_at=row.next_due_at,
        unreachable=row.unreachable,
        settings=_settings(row),
    )


def learners() -> ColumnElement[bool]:
    """The team as `model.Member.learns` says, in SQL: the team channel's members and whoever
    joined by hand, minus those who left by hand and deactivated accounts."""
    member = tables.Member
    return (
        (member.in_channel | (member.choice == "join"))
        & (member.choice.is_(None) | (member.choice != "leave"))
        & ~member.deactivated
    )


def _stored(settings: str | None) -> dict[str, object] | None:
    return dict(json.loads(settings)) if settings else None


@dataclass(frozen=True)
class Asker:
    """Who asks for a lesson, as `Members.asker` reads it in one query."""

    workspace_id: int | None  # None: a workspace Nudge has never seen
    settings: dict[str, object] | None  # what its admin stored (`Workspaces.settings_of`)
    member: model.Member | None  # None: someone Nudge has not enrolled yet
    asked: int  # on-demand lessons claimed since the time given


class Workspaces(Repository):
    def find(self, team_id: str) -> int | None:
        """The row id of a Slack workspace we know, without ever creating one."""
        return self._session.scalar(select(tables.Workspace.id).filter_by(team_id=team_id))

    def last_tick(self, workspace_id: int) -> datetime | None:
        return self._session.scalar(
            select(tables.Workspace.last_tick_at).where(tables.Workspace.id == workspace_id)
        )

    def set_last_tick(self, workspace_id: int, at: datetime) -> None:
        self._session.execute(
            update(tables.Workspace)
            .where(tables.Workspace.id == workspace_id)
            .values(last_tick_at=at)
        )

    def settings_of(self, team_id: str) -> dict[str, object] | None:
        """What an admin stored in the workspace's setup modal; None: nothing (yet)."""
        return _stored(self._session.scalar(WORKSPACE_SETTINGS, {"team_id": team_id}))

    def save_settings(self, workspace_id: int, values: dict[str, object]) -> None:
        self._session.execute(
            update(tables.Workspace)
            .where(tables.Workspace.id == workspace_id)
            .values(settings=json.dumps(values, sort_keys=True))
        )

    def ensure(self, team_id: str, now: datetime) -> int:
        """The row id of a Slack workspace, created on first sight (concurrent callers agree)."""
        if (known := self.find(team_id)) is not None:
            return known
        insert_new(
            self._connection,
            tables.Workspace,
            {"team_id": team_id, "name": "", "created_at": now},
            ["team_id"],
        )
        found = self.find(team_id)
        assert found is not None  # inserted above, or by whoever won the race
        return found


# `model.Member.learns` in SQL: the team channel's members and whoever joined by hand, unless they
# left by hand or their account is gone.


class Members(Repository):
    def find(self, workspace_id: int, slack_user_id: str) -> model.Member | None:
        row = self._session.scalar(
            select(tables.Member).filter_by(workspace_id=workspace_id, slack_user_id=slack_user_id)
        )
        return None if row is None else _member(row)

    def find_in_team(self, team_id: str, slack_user_id: str) -> model.Member | None:
        """The member for a Slack team and user, workspace and all in one query."""
        row = self._session.scalar(
            MEMBER_IN_TEAM, {"team_id": team_id, "slack_user_id": slack_user_id}
        )
        return None if row is None else _member(row)

    def asker(self, team_id: str, slack_user_id: str, since: datetime) -> Asker:
        """The workspace's stored setup, the member and how many lessons they asked for
        (`/learn now`) since `since`, in one query: what a lesson asked for reads before choosing."""
        row = self._connection.execute(
            ASKER, {"team_id": team_id, "slack_user_id": slack_user_id, "since": since}
        ).first()
        if row is None:
            return Asker(None, None, None, 0)
        member = None if row.id is None else _member(row)
        return Asker(row.workspace_row, _stored(row.workspace_settings), member, row.asked)

    def save(
        self,
        workspace_id: int,
        profile: model.MemberProfile,
        now: datetime,
        *,
        is_lead: bool = False,
        is_admin: bool = False,
    ) -> model.Member:
        """Insert or refresh a member from their Slack profile; their history is kept either way."""
        insert_new(
            self._connection,
            tables.Member,
            {
                "workspace_id": workspace_id,
                "slack_user_id": profile.slack_user_id,
                "joined_at": now,
            },
            ["workspace_id", "slack_user_id"],
        )
        row = self._session.scalars(
            select(tables.Member)
            .filter_by(workspace_id=workspace_id, slack_user_id=profile.slack_user_id)
            .execution_options(populate_existing=True)
        ).one()
        row.name, row.tz, row.locale = profile.name, profile.tz, profile.locale
        row.is_lead, row.is_admin = is_lead, is_admin
        self._session.flush()
        return _member(row)

    def roster(self, workspace_id: int) -> dict[str, model.Member]:
        """Everyone Nudge knows in a workspace, by Slack user id (one query)."""
        rows = self._session.scalars(select(tables.Member).filter_by(workspace_id=workspace_id))
        return {row.slack_user_id: _member(row) for row in rows}

    def add(
        self,
        workspace_id: int,
        profile: model.MemberProfile,
        now: datetime,
        *,
        away_until: datetime | None,
    ) -> None:
        """A new member of the team channel (concurrent refreshes agree: the second adds
        nothing)."""
        insert_new(
            self._connection,
            tables.Member,
            {
                "workspace_id": workspace_id,
                "slack_user_id": profile.slack_user_id,
                "name": profile.name,
                "tz": profile.tz,
                "locale": profile.locale,
                "is_lead": False,
                "is_admin": False,
                "joined_at": now,
                "in_channel": True,
                "away_until": away_until,
            },
            ["workspace_id", "slack_user_id"],
        )

    def update(self, workspace_id: int, slack_user_id: str, **values: object) -> None:
        """Set roster fields (name, tz, locale, in_channel, choice, deactivated, away_until,
        next_due_at) of one member."""
        self._session.execute(
            update(tables.Member)
            .where(tables.Member.workspace_id == workspace_id)
            .where(tables.Member.slack_user_id == slack_user_id)
            .values(**values)
        )

    def reschedule_all(self, workspace_id: int) -> None:
        """The team's defaults changed: the clock works out everyone's next look afresh (as for a
        member it has never looked at, nothing from before that look is sent)."""
        self._session.execute(
            update(tables.Member)
            .where(tables.Member.workspace_id == workspace_id)
            .values(next_due_at=None)
        )

    def save_settings(
        self, member_id: int, settings: model.MemberSettings, next_due_at: datetime | None
    ) -> None:
        """A member's own settings, all six at once, and when the clock next looks at them."""
        self._session.execute(
            update(tables.Member)
            .where(tables.Member.id == member_id)
            .values(**_settings_columns(settings), next_due_at=next_due_at)
        )

    def zones(self, workspace_id: int) -> set[str]:
        """The time zones of a workspace's members (one query; a handful of names)."""
        return set(
            self._session.scalars(
                select(tables.Member.tz)
                .where(tables.Member.workspace_id == workspace_id)
                .distinct()
            )
        )

    def due(self, workspace_id: int, now: datetime, limit: int) -> list[model.Member]:
        """Members the clock must look at: something fell due, or it has never looked."""
        member = tables.Member
        learns = learners() & member.unreachable.is_(None)
        rows = self._session.scalars(
            select(member)
            .where(member.workspace_id == workspace_id, learns)
            .where((member.next_due_at <= now) | member.next_due_at.is_(None))
            .order_by(member.next_due_at, member.id)
            .limit(limit)
        )
        return [_member(row) for row in rows]

    def set_dm_channel(self, member_id: int, channel_id: str) -> None:
        self._session.execute(
            update(tables.Member)
            .where(tables.Member.id == member_id)
            .values(dm_channel_id=channel_id)
        )
