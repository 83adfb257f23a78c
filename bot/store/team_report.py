"""The team report's figures, computed by the database: every method is one aggregate query
(GROUP BY, COUNT, SUM) whose result has a row per skill area, week, question, lesson or member and
area, never a row per answer. The same SQLAlchemy statements run on SQLite and PostgreSQL: periods
and weeks are CASE expressions over boundaries computed in Python, not dialect date functions.

The team is the team as it is today (`learners`): a member who left no longer counts, nor do
their answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    func,
    literal,
    null,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute

from bot.learning.team import (
    AreaCounts,
    LessonRate,
    MemberArea,
    Periods,
    QuestionCount,
    Window,
)
from bot.store import tables
from bot.store.lesson_sql import DELIVERED, LESSON_KINDS, Repository
from bot.store.members import learners

AREA_COLUMNS = (
    "lessons",
    "lessons_before",
    "answers",
    "answers_before",
    "correct",
    "correct_before",
)


def _within(
    column: InstrumentedAttribute[datetime] | InstrumentedAttribute[datetime | None],
    window: Window,
) -> ColumnElement[bool]:
    return and_(column > window.since, column <= window.until)


def _count_if(
    condition: ColumnElement[bool] | InstrumentedAttribute[bool],
) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _zero(name: str) -> ColumnElement[int]:
    return literal(0, Integer).label(name)


def _team_member(workspace_id: int) -> ColumnElement[bool]:
    return and_(tables.Member.workspace_id == workspace_id, learners())


class TeamReports(Repository):
    def members(self, workspace_id: int) -> list[tuple[int, str, str]]:
        """The team today as (member id, name, Slack user id), by name."""
        member = tables.Member
        rows = self._session.execute(
            select(member.id, member.name, member.slack_user_id)
            .where(_team_member(workspace_id))
            .order_by(member.name, member.id)
        )
        return [(row.id, row.name, row.slack_user_id) for row in rows]

    def areas(self, workspace_id: int, periods: Periods) -> list[AreaCounts]:
        """Per skill area: lessons sent, answers and right answers, in both periods."""
        member, delivery, response = tables.Member, tables.Delivery, tables.Response
        now, before = periods.now, periods.before
        both = Window(before.since, now.until)
        lessons = (
            select(
                delivery.skill.label("skill"),
                _count_if(_within(delivery.sent_at, now)).label("lessons"),
                _count_if(_within(delivery.sent_at, before)).label("lessons_before"),
                *(_zero(name) for name in AREA_COLUMNS[2:]),
            )
            .join(member, member.id == delivery.member_id)
            .where(_team_member(workspace_id), _within(delivery.sent_at, both))
            .where(delivery.kind.in_(LESSON_KINDS), delivery.status.in_(DELIVERED))
            .group_by(delivery.skill)
        )
        answers = (
            select(
                response.skill.label("skill"),
                *(_zero(name) for name in AREA_COLUMNS[:2]),
                _count_if(_within(response.answered_at, now)).label("answers"),
                _count_if(_within(response.answered_at, before)).label("answers_before"),
                _count_if(_within(response.answered_at, now) & response.correct).label("correct"),
                _count_if(_within(response.answered_at, before) & response.correct).label(
                    "correct_before"
                ),
            )
            .join(member, member.id == response.member_id)
            .where(_team_member(workspace_id), _within(response.answered_at, both))
            .group_by(response.skill)
        )
        both_sources = union_all(lessons, answers).subquery()
        rows = self._session.execute(
            select(
                both_sources.c.skill,
                *(func.sum(both_sources.c[name]).label(name) for name in AREA_COLUMNS),
            )
            .group_by(both_sources.c.skill)
            .order_by(both_sources.c.skill)
        )
        return [
            AreaCounts(
                row.skill, **{name: int(row[index + 1]) for index, name in enumerate(AREA_COLUMNS)}
            )
            for row in rows
        ]

    def active_weeks(self, workspace_id: int, periods: Periods) -> list[int]:
        """For each week of both periods, the earliest first, how many members answered a check
        or a weekly question at least once in it."""
        member = tables.Member
        bounds = periods.week_starts
        sources = []
        for table in (tables.Response, tables.StrategyAnswer):
            week = case(
                *((table.answered_at <= end, index) for index, end in enumerate(bounds[1:]))
            )
            sources.append(
                select(table.member_id.label("member_id"), week.label("week")).where(
                    table.answered_at > bounds[0], table.answered_at <= bounds[-1]
                )
            )
        answered = union(*sources).subquery()  # UNION: a member counts once a week
        rows = self._session.execute(
            select(answered.c.week, func.count())
            .join(member, member.id == answered.c.member_id)
            .where(_team_member(workspace_id))
            .group_by(answered.c.week)
        )
        counts = {int(week): int(count) for week, count in rows}
        return [int(counts.get(index, 0)) for index in range(len(bounds) - 1)]

    def quiet(self, workspace_id: int, since: datetime) -> list[str]:
        """The names of the members who have answered nothing since `since`, by name."""
        member = tables.Member
        # Who answered, read through the time indexes (a few weeks of rows), then left out: a
        # NOT EXISTS per member would walk each member's whole history instead.
        answered = union(
            *(
                select(table.member_id).where(table.answered_at > since)
                for table in (tables.Response, tables.StrategyAnswer)
            )
        )
        names = self._session.scalars(
            select(member.name)
            .where(_team_member(workspace_id), member.id.not_in(answered))
            .order_by(member.name, member.id)
        )
        return list(names)

    def questions(self, workspace_id: int, window: Window) -> list[QuestionCount]:
        """Each weekly question sent in the window: members sent it, and answers."""
        member, delivery, answer = tables.Member, tables.Delivery, tables.StrategyAnswer
        rows = self._session.execute(
            select(delivery.lesson_id, func.count(delivery.id), func.count(answer.id))
            .join(member, member.id == delivery.member_id)
            .outerjoin(answer, answer.delivery_id == delivery.id)
            .where(_team_member(workspace_id), _within(delivery.sent_at, window))
            .where(delivery.kind == "question", delivery.status.in_(DELIVERED))
            .group_by(delivery.lesson_id)
            .order_by(delivery.lesson_id)
        )
        return [QuestionCount(question, sent, answers) for question, sent, answers in rows]

    def lesson_rates(self, workspace_id: int, skill: str, window: Window) -> list[LessonRate]:
        """Each of a skill area's lessons answered in the window: answers and right answers."""
        member, response = tables.Member, tables.Response
        rows = self._session.execute(
            select(response.lesson_id, func.count(), _count_if(response.correct))
            .join(member, member.id == response.member_id)
            .where(_team_member(workspace_id), _within(response.answered_at, window))
            .where(response.skill == skill)
            .group_by(response.lesson_id)
        )
        return [LessonRate(lesson, answers, int(right)) for lesson, answers, right in rows]

    def member_areas(self, workspace_id: int, window: Window) -> list[MemberArea]:
        """Per member and skill area with anything in the window: lessons, answers, right
        answers, weekly-question answers, and the last answer of either kind."""
        member = tables.Member
        delivery, response, answer = tables.Delivery, tables.Response, tables.StrategyAnswer
        lessons = (
            select(
                delivery.member_id,
                delivery.skill,
                func.count().label("lessons"),
                _zero("answers"),
                _zero("correct"),
                _zero("strategy"),
                null().label("last_active"),
            )
            .where(_within(delivery.sent_at, window))
            .where(delivery.kind.in_(LESSON_KINDS), delivery.status.in_(DELIVERED))
            .group_by(delivery.member_id, delivery.skill)
        )
        checks = (
            select(
                response.member_id,
                response.skill,
                _zero("lessons"),
                func.count().label("answers"),
                _count_if(response.correct).label("correct"),
                _zero("strategy"),
                func.max(response.answered_at).label("last_active"),
            )
            .where(_within(response.answered_at, window))
            .group_by(response.member_id, response.skill)
        )
        strategy = (
            select(
                answer.member_id,
                answer.skill,
                _zero("lessons"),
                _zero("answers"),
                _zero("correct"),
                func.count().label("strategy"),
                func.max(answer.answered_at).label("last_active"),
            )
            .where(_within(answer.answered_at, window))
            .group_by(answer.member_id, answer.skill)
        )
        cells = union_all(lessons, checks, strategy).subquery()
        sums: Sequence[ColumnElement[int]] = [
            func.sum(cells.c[name]) for name in ("lessons", "answers", "correct", "strategy")
        ]
        rows = self._session.execute(
            select(
                cells.c.member_id,
                cells.c.skill,
                *sums,
                type_coerce(func.max(cells.c.last_active), tables.UTCDateTime()),
            )
            .join(member, member.id == cells.c.member_id)
            .where(_team_member(workspace_id))
            .group_by(cells.c.member_id, cells.c.skill)
            .order_by(cells.c.member_id, cells.c.skill)
        )
        return [
            MemberArea(member_id, skill, int(lessons), int(answers), int(right), int(written), last)
            for member_id, skill, lessons, answers, right, written, last in rows
        ]
