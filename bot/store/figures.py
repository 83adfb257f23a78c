"""Team-wide figures for admins and the leads' digest: each one aggregate query (GROUP BY in the
database), the same statement on SQLite and PostgreSQL, never rows loaded to be counted in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, case, func, literal, select, union_all

from bot.learning.figures import MemberStates, Traffic
from bot.store import tables
from bot.store.lesson_sql import DELIVERED, Repository
from bot.store.members import learners


@dataclass(frozen=True)
class WrittenAnswer:
    name: str
    text: str


@dataclass(frozen=True)
class SkillTrend:
    """Check answers in one skill area: this period and the one before it."""

    skill: str
    now: int
    before: int
    right: int = 0  # right answers this period


class Figures(Repository):
    def member_states(self, workspace_id: int, today: date, now: datetime) -> MemberStates:
        member = tables.Member
        paused = (member.paused_until >= today) | (member.away_until > now)
        # Grouped by the label: PostgreSQL does not see two bound copies of the CASE as one.
        state = case((~learners(), "left"), (paused, "paused"), else_="active").label("state")
        rows = self._session.execute(
            select(state, func.count()).where(member.workspace_id == workspace_id).group_by(state)
        )
        counts: dict[str, int] = {name: count for name, count in rows}
        return MemberStates(counts.get("active", 0), counts.get("paused", 0), counts.get("left", 0))

    def traffic(self, workspace_id: int, since: datetime, until: datetime) -> Traffic:
        member, delivery = tables.Member, tables.Delivery
        in_period = (delivery.claimed_at >= since) & (delivery.claimed_at < until)
        ours = select(member.id).where(member.workspace_id == workspace_id)
        delivered = self._session.scalar(
            select(func.count())
            .select_from(delivery)
            .where(delivery.member_id.in_(ours), in_period, delivery.status.in_(DELIVERED))
        )
        failed = self._session.execute(
            select(delivery.error, func.count())
            .where(delivery.member_id.in_(ours), in_period, delivery.status == "failed")
            .group_by(delivery.error)
        )
        answers = union_all(
            *(
                select(table.id).where(
                    table.member_id.in_(ours), table.answered_at >= since, table.answered_at < until
                )
                for table in (tables.Response, tables.StrategyAnswer)
            )
        ).subquery()
        answered = self._session.scalar(select(func.count()).select_from(answers))
        return Traffic(delivered or 0, answered or 0, {code or "": count for code, count in failed})

    def written_answers(
        self, workspace_id: int, question_id: str, since: datetime, until: datetime
    ) -> list[WrittenAnswer]:
        """The answers to one weekly question given in a period, first answered first."""
        member, answer = tables.Member, tables.StrategyAnswer
        rows = self._session.execute(
            select(member.name, answer.text)
            .join(member, member.id == answer.member_id)
            .where(member.workspace_id == workspace_id, answer.question_id == question_id)
            .where(answer.answered_at >= since, answer.answered_at < until)
            .order_by(answer.answered_at, answer.id)
        )
        return [WrittenAnswer(name, text) for name, text in rows]

    def skill_trend(
        self, workspace_id: int, start: datetime, middle: datetime, until: datetime
    ) -> list[SkillTrend]:
        """Check answers per skill area in [middle, until) and in [start, middle), and the right
        ones in [middle, until)."""
        member, response = tables.Member, tables.Response
        recent = case((response.answered_at >= middle, literal(1)), else_=literal(0))
        right = case((response.correct & (response.answered_at >= middle), literal(1)), else_=0)
        rows = self._session.execute(
            select(
                response.skill,
                func.sum(recent).cast(Integer),
                func.sum(literal(1) - recent).cast(Integer),
                func.sum(right).cast(Integer),
            )
            .join(member, member.id == response.member_id)
            .where(member.workspace_id == workspace_id)
            .where(response.answered_at >= start, response.answered_at < until)
            .group_by(response.skill)
            .order_by(response.skill)
        )
        return [
            SkillTrend(skill, now or 0, before or 0, right or 0)
            for skill, now, before, right in rows
        ]
