"""What the team still remembers, summed by the database: one row per lesson with cards, never a
row per card (`bot.learning.recall` holds the curve and the sums per area).

The forgetting curve is fsrs's, R = (1 + FACTOR * t / S) ** DECAY with t in whole days, as
`bot.learning.recall.retrievability` computes it; `power` is SQL's (PostgreSQL, and SQLite's math
functions, which `bot.store.db` supplies on builds without them). The whole days between two times
are the only dialect-specific SQL: SQLite has no interval type, PostgreSQL no strftime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from bot.learning.recall import DECAY, FACTOR, SECONDS_PER_DAY, Recall
from bot.store import tables
from bot.store.lesson_sql import Repository
from bot.store.members import learners


class WholeDaysSince(FunctionElement[int]):
    """The whole days from the first argument (a stored time) to the second (now), 0 when the
    first is later: Python's `timedelta.days`, floored at 0, as fsrs counts elapsed days. SQLite
    counts whole seconds (`strftime('%s')`), so within a second of a whole day it may count one
    day more than fsrs: a difference of a day's forgetting, once."""

    inherit_cache = True


@compiles(WholeDaysSince, "sqlite")
def _sqlite_days(element: WholeDaysSince, compiler: SQLCompiler, **kw: Any) -> str:
    then, now = (compiler.process(clause, **kw) for clause in element.clauses)
    seconds = f"(CAST(strftime('%s', {now}) AS INTEGER) - CAST(strftime('%s', {then}) AS INTEGER))"
    # Integer division truncates toward 0, which is the floor for the non-negative counts kept.
    return f"max(0, {seconds} / {SECONDS_PER_DAY})"


@compiles(WholeDaysSince, "postgresql")
def _postgresql_days(element: WholeDaysSince, compiler: SQLCompiler, **kw: Any) -> str:
    then, now = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"GREATEST(0, floor(EXTRACT(EPOCH FROM ({now} - {then})) / {SECONDS_PER_DAY}))"


def _retrievability(now: datetime) -> ColumnElement[float]:
    card = tables.Card
    days = cast(WholeDaysSince(card.last_review, literal(now, tables.UTCDateTime())), Float)
    return func.power(1 + literal(FACTOR, Float) * days / card.stability, literal(DECAY, Float))


class Recalls(Repository):
    def team_lessons(self, workspace_id: int, now: datetime) -> list[tuple[str, Recall]]:
        """Per lesson: the team's cards and the sum of their retrievabilities at `now`. The team
        is today's (`learners`), as in the team report."""
        member = tables.Member
        return self._per_lesson(now, and_(member.workspace_id == workspace_id, learners()))

    def member_lessons(self, member_id: int, now: datetime) -> list[tuple[str, Recall]]:
        """Per lesson: the member's card (one) and its retrievability at `now`."""
        return self._per_lesson(now, tables.Member.id == member_id)

    def _per_lesson(self, now: datetime, whose: ColumnElement[bool]) -> list[tuple[str, Recall]]:
        card, member = tables.Card, tables.Member
        rows = self._session.execute(
            select(card.lesson_id, func.count(), func.sum(_retrievability(now)))
            .join(member, member.id == card.member_id)
            .where(whose, card.stability > 0)
            .group_by(card.lesson_id)
            .order_by(card.lesson_id)
        )
        return [(lesson, Recall(int(cards), float(expected))) for lesson, cards, expected in rows]
