"""Repositories of the weekly rhythm: strategy answers and the posts to the leads' channel."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, union, update
from sqlalchemy.orm import Session

from bot.store import tables
from bot.store.repositories import DELIVERED, insert_new


class StrategyAnswers:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        delivery_id: int,
        member_id: int,
        question_id: str,
        skill: str,
        text: str,
        now: datetime,
    ) -> bool:
        """Record the answer; False when the question already has one (nothing changes)."""
        values = {
            "delivery_id": delivery_id,
            "member_id": member_id,
            "question_id": question_id,
            "skill": skill,
            "text": text,
            "answered_at": now,
        }
        return insert_new(self._session, tables.StrategyAnswer, values, ["delivery_id"]) is not None

    def answered(self, delivery_id: int) -> bool:
        found = select(tables.StrategyAnswer.id).filter_by(delivery_id=delivery_id)
        return self._session.scalar(found) is not None

    def latest_question(self, member_id: int, since: date) -> int | None:
        """The member's question delivery sent on or after `since` (this week's), if any."""
        delivery = tables.Delivery
        return self._session.scalar(
            select(delivery.id)
            .where(delivery.member_id == member_id, delivery.kind == "question")
            .where(delivery.status.in_(DELIVERED), delivery.local_date >= since)
            .order_by(delivery.local_date.desc())
            .limit(1)
        )


class TeamPosts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, workspace_id: int, kind: str, local_date: date, now: datetime) -> int | None:
        """Claim the week's post; None when another tick or process claimed it first."""
        values = {
            "workspace_id": workspace_id,
            "kind": kind,
            "local_date": local_date,
            "status": "claimed",
            "claimed_at": now,
        }
        keys = ["workspace_id", "kind", "local_date"]
        return insert_new(self._session, tables.TeamPost, values, keys)

    def claimed_between(self, workspace_id: int, kind: str, first: date, last: date) -> bool:
        """Whether a post of `kind` was claimed for a day from `first` to `last` (inclusive)."""
        post = tables.TeamPost
        found = select(post.id).where(
            post.workspace_id == workspace_id,
            post.kind == kind,
            post.local_date >= first,
            post.local_date <= last,
        )
        return self._session.scalar(found.limit(1)) is not None

    def mark(
        self, post_id: int, status: str, *, channel_id: str = "", ts: str = "", error: str = ""
    ) -> None:
        self._session.execute(
            update(tables.TeamPost)
            .where(tables.TeamPost.id == post_id)
            .values(
                status=status, channel_id=channel_id or None, ts=ts or None, error=error or None
            )
        )

    def participation(self, workspace_id: int, since: datetime, until: datetime) -> tuple[int, int]:
        """Members sent a scheduled lesson, and members who answered anything, in [since, until)."""
        member, delivery = tables.Member, tables.Delivery
        nudged = self._session.scalar(
            select(func.count(func.distinct(delivery.member_id)))
            .join(member, member.id == delivery.member_id)
            .where(member.workspace_id == workspace_id, delivery.status.in_(DELIVERED))
            .where(delivery.local_date.is_not(None), delivery.kind == "lesson")
            .where(delivery.sent_at >= since, delivery.sent_at < until)
        )
        answers = union(
            select(tables.Response.member_id).where(
                tables.Response.answered_at >= since, tables.Response.answered_at < until
            ),
            select(tables.StrategyAnswer.member_id).where(
                tables.StrategyAnswer.answered_at >= since,
                tables.StrategyAnswer.answered_at < until,
            ),
        ).subquery()
        active = self._session.scalar(
            select(func.count())
            .select_from(answers)
            .join(member, member.id == answers.c.member_id)
            .where(member.workspace_id == workspace_id)
        )
        return nudged or 0, active or 0
