"""The store: every query Nudge makes, each in its own short transaction, returning plain data.

Uniqueness is the database's job: a second claim of the same delivery, or a second response to the
same delivery, fails on a unique key and the method says so, whichever process or thread came second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.learning import model
from bot.store import tables


@dataclass(frozen=True)
class MemberTotals:
    """Per-member counts for summaries (demo, admin stats)."""

    slack_user_id: str
    name: str
    lessons: int
    answers: int
    correct: int
    skills: tuple[str, ...]


def _member(row: tables.Member) -> model.Member:
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
    )


def _delivery(row: tables.Delivery) -> model.Delivery:
    return model.Delivery(
        id=row.id,
        member_id=row.member_id,
        kind=row.kind,
        local_date=row.local_date,
        lesson_id=row.lesson_id,
        skill=row.skill,
        locale=row.locale,
        answer_index=row.answer_index,
        status=row.status,
        channel_id=row.channel_id,
        ts=row.ts,
    )


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # -- workspaces and members -------------------------------------------------------------

    def workspace_id(self, team_id: str, now: datetime, name: str = "") -> int:
        """The row id of a Slack workspace, created on first sight."""
        with self._session() as session:
            found = session.scalar(select(tables.Workspace.id).filter_by(team_id=team_id))
            if found is not None:
                return found
        try:
            with self._session() as session:
                row = tables.Workspace(team_id=team_id, name=name, created_at=now)
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:  # another thread created it between our two transactions
            with self._session() as session:
                return session.scalars(select(tables.Workspace.id).filter_by(team_id=team_id)).one()

    def member(self, workspace_id: int, slack_user_id: str) -> model.Member | None:
        with self._session() as session:
            row = session.scalar(
                select(tables.Member).filter_by(
                    workspace_id=workspace_id, slack_user_id=slack_user_id
                )
            )
            return None if row is None else _member(row)

    def save_member(
        self,
        workspace_id: int,
        profile: model.MemberProfile,
        now: datetime,
        *,
        is_lead: bool = False,
        is_admin: bool = False,
    ) -> model.Member:
        """Insert or refresh a member from their Slack profile; history is kept either way."""
        for _attempt in range(2):
            try:
                with self._session() as session:
                    row = session.scalar(
                        select(tables.Member).filter_by(
                            workspace_id=workspace_id, slack_user_id=profile.slack_user_id
                        )
                    )
                    if row is None:
                        row = tables.Member(
                            workspace_id=workspace_id,
                            slack_user_id=profile.slack_user_id,
                            joined_at=now,
                        )
                        session.add(row)
                    row.name, row.tz, row.locale = profile.name, profile.tz, profile.locale
                    row.is_lead, row.is_admin = is_lead, is_admin
                    session.flush()
                    return _member(row)
            except IntegrityError:  # inserted concurrently: the second pass updates it
                continue
        raise RuntimeError(f"could not save member {profile.slack_user_id}")

    def set_dm_channel(self, member_id: int, channel_id: str) -> None:
        with self._session() as session:
            session.get_one(tables.Member, member_id).dm_channel_id = channel_id

    # -- deliveries -------------------------------------------------------------------------

    def claim_delivery(
        self,
        member_id: int,
        *,
        kind: str,
        local_date: date | None,
        lesson_id: str,
        skill: str,
        locale: str,
        answer_index: int,
        now: datetime,
    ) -> model.Delivery | None:
        """Claim the right to send; None when someone already claimed this (member, kind, day)."""
        try:
            with self._session() as session:
                row = tables.Delivery(
                    member_id=member_id,
                    kind=kind,
                    local_date=local_date,
                    lesson_id=lesson_id,
                    skill=skill,
                    locale=locale,
                    answer_index=answer_index,
                    status="claimed",
                    claimed_at=now,
                )
                session.add(row)
                session.flush()
                return _delivery(row)
        except IntegrityError:
            return None

    def mark_sent(self, delivery_id: int, channel_id: str, ts: str, now: datetime) -> None:
        with self._session() as session:
            row = session.get_one(tables.Delivery, delivery_id)
            row.status, row.channel_id, row.ts, row.sent_at = "sent", channel_id, ts, now

    def mark_failed(self, delivery_id: int, error: str) -> None:
        with self._session() as session:
            row = session.get_one(tables.Delivery, delivery_id)
            row.status, row.error = "failed", error

    def delivery(self, delivery_id: int) -> model.Delivery | None:
        with self._session() as session:
            row = session.get(tables.Delivery, delivery_id)
            return None if row is None else _delivery(row)

    def lesson_events(self, member_id: int) -> list[model.LessonEvent]:
        """Every lesson sent to the member, oldest first, with its answer if any."""
        query = (
            select(tables.Delivery, tables.Response.correct)
            .outerjoin(tables.Response, tables.Response.delivery_id == tables.Delivery.id)
            .where(tables.Delivery.member_id == member_id, tables.Delivery.status == "sent")
            .order_by(tables.Delivery.sent_at, tables.Delivery.id)
        )
        with self._session() as session:
            return [
                model.LessonEvent(row.lesson_id, row.skill, row.sent_at or row.claimed_at, correct)
                for row, correct in session.execute(query)
            ]

    # -- responses --------------------------------------------------------------------------

    def record_answer(
        self, delivery: model.Delivery, choice: int, correct: bool, now: datetime
    ) -> bool:
        """Record the member's answer; False when the delivery already had one (nothing changes)."""
        try:
            with self._session() as session:
                session.add(
                    tables.Response(
                        delivery_id=delivery.id,
                        member_id=delivery.member_id,
                        lesson_id=delivery.lesson_id,
                        skill=delivery.skill,
                        choice=choice,
                        correct=correct,
                        answered_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True

    def answer(self, delivery_id: int) -> model.Answer | None:
        with self._session() as session:
            row = session.scalar(select(tables.Response).filter_by(delivery_id=delivery_id))
            if row is None:
                return None
            return model.Answer(row.delivery_id, row.choice, row.correct, row.answered_at)

    def response_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count(tables.Response.id))) or 0

    def member_totals(self, workspace_id: int) -> list[MemberTotals]:
        """Lessons, answers, right answers and skill areas touched, per member, by name (one query)."""
        query = (
            select(tables.Member, tables.Delivery.skill, tables.Response.correct)
            .outerjoin(
                tables.Delivery,
                (tables.Delivery.member_id == tables.Member.id)
                & (tables.Delivery.status == "sent"),
            )
            .outerjoin(tables.Response, tables.Response.delivery_id == tables.Delivery.id)
            .where(tables.Member.workspace_id == workspace_id)
            .order_by(tables.Member.name, tables.Member.id)
        )
        rows: dict[int, tuple[tables.Member, list[tuple[str, bool | None]]]] = {}
        with self._session() as session:
            for member, skill, correct in session.execute(query):
                events = rows.setdefault(member.id, (member, []))[1]
                if skill is not None:
                    events.append((skill, correct))
        totals = []
        for member, events in rows.values():
            answered = [correct for _skill, correct in events if correct is not None]
            totals.append(
                MemberTotals(
                    slack_user_id=member.slack_user_id,
                    name=member.name,
                    lessons=len(events),
                    answers=len(answered),
                    correct=sum(answered),
                    skills=tuple(sorted({skill for skill, _correct in events})),
                )
            )
        return totals
