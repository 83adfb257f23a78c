"""Repositories of the weekly rhythm: strategy answers and the posts to the leads' channel."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select, union, update

from bot.learning.model import StrategyAnswer
from bot.store import tables
from bot.store.lesson_sql import DELIVERED, Repository
from bot.store.repositories import insert_new

WEEK_BEFORE = timedelta(days=6)


class StrategyAnswers(Repository):
    def add(
        self,
        delivery_id: int,
        member_id: int,
        question_id: str,
        skill: str,
        written: StrategyAnswer,
    ) -> bool:
        """Record the answer; False when the question already has one (nothing changes)."""
        values = {
            "delivery_id": delivery_id,
            "member_id": member_id,
            "question_id": question_id,
            "skill": skill,
            "text": written.text,
            "choice": written.choice,
            "source": written.source,
            "answered_at": written.answered_at,
        }
        return (
            insert_new(self._connection, tables.StrategyAnswer, values, ["delivery_id"]) is not None
        )

    def get(self, delivery_id: int) -> StrategyAnswer | None:
        row = self._session.scalar(select(tables.StrategyAnswer).filter_by(delivery_id=delivery_id))
        if row is None:
            return None
        return StrategyAnswer(
            row.delivery_id, row.text, row.choice, row.source, row.answered_at, row.edited_at
        )

    def answered(self, delivery_id: int) -> bool:
        return self.get(delivery_id) is not None

    def edit(self, delivery_id: int, text: str, choice: int | None, now: datetime) -> None:
        self._session.execute(
            update(tables.StrategyAnswer)
            .where(tables.StrategyAnswer.delivery_id == delivery_id)
            .values(text=text, choice=choice, edited_at=now)
        )

    def question_posted_at(self, channel_id: str, ts: str) -> int | None:
        """The question delivery whose DM message (or reminder) is at `ts` in `channel_id`."""
        delivery = tables.Delivery
        row = self._session.execute(
            select(delivery.id, delivery.kind, delivery.member_id, delivery.local_date)
            .where(delivery.channel_id == channel_id, delivery.ts == ts)
            .where(delivery.kind.in_(("question", "reminder")))
        ).first()
        if row is None or row.kind == "question" or row.local_date is None:
            return None if row is None else int(row.id)
        # A reminder stands for the question it reminds of: the one asked in the 6 days before.
        return self.latest_question(row.member_id, row.local_date - WEEK_BEFORE, row.local_date)

    def latest_question(
        self, member_id: int, since: date, until: date = date.max, *, queued: bool = False
    ) -> int | None:
        """The member's latest question delivery sent from `since` to `until` (this week's);
        with `queued`, one still waiting for a sender (or in flight) counts too."""
        delivery = tables.Delivery
        statuses = (*DELIVERED, "claimed") if queued else DELIVERED
        return self._session.scalar(
            select(delivery.id)
            .where(delivery.member_id == member_id, delivery.kind == "question")
            .where(delivery.status.in_(statuses), delivery.local_date >= since)
            .where(delivery.local_date <= until)
            .order_by(delivery.local_date.desc())
            .limit(1)
        )


class TeamPosts(Repository):
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
        return insert_new(self._connection, tables.TeamPost, values, keys)

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

    def find(self, kind: str, channel_id: str, ts: str) -> tuple[int, date] | None:
        """The workspace and team-local day of the `kind` post at `ts`, if it is one of ours."""
        post = tables.TeamPost
        row = self._session.execute(
            select(post.workspace_id, post.local_date).where(
                post.kind == kind, post.channel_id == channel_id, post.ts == ts
            )
        ).first()
        return None if row is None else (int(row.workspace_id), row.local_date)

    def gone_out(self, workspace_id: int, kind: str, since: date) -> bool:
        """A `kind` post for a day on or after `since` went out, or may have (claimed and cut
        off): only a post Slack refused never went out."""
        post = tables.TeamPost
        found = (
            select(post.id)
            .where(post.workspace_id == workspace_id, post.kind == kind, post.local_date >= since)
            .where(post.status != "failed")
            .limit(1)
        )
        return self._session.scalar(found) is not None

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
