"""The statements on the path of every lesson sent (claim aside: `repositories.insert_new`),
built once at import with bind parameters, on the Core tables, and run on the unit of work's
connection (`Repository._connection`) rather than through the ORM session: building a
statement, the ORM's work around executing one and expanding `IN` lists each cost more CPU than
the statement itself, and these run on every `/learn now` and every scheduled lesson
(bench/lesson_cost, "CPU per delivered lesson")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from bot.store import tables
from bot.store.progress_sql import DELIVERED, LESSON_KINDS

__all__ = ["DELIVERED", "LESSON_KINDS"]  # defined with the counters that use them too


def _table(entity: type[tables.Base]) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


WORKSPACES = _table(tables.Workspace)
MEMBERS = _table(tables.Member)
DELIVERIES = _table(tables.Delivery)
RESPONSES = _table(tables.Response)
CARDS = _table(tables.Card)
PROGRESS = _table(tables.LessonProgress)


class Work(Protocol):
    """What a repository works in (`bot.store.uow.UnitOfWork`): its connection, and the ORM
    session on that connection, made when first asked for."""

    @property
    def connection(self) -> Connection: ...

    @property
    def session(self) -> Session: ...


class Repository:
    """A repository of a unit of work. A Core statement runs on the unit of work's connection
    (`_connection`): that skips the ORM's work around every execution, autoflush included, and
    the making of the session, which a lesson's units of work never need (bench/lesson_cost). The
    repositories that change ORM entities flush them there and then (`Members.save`) or before
    their next ORM statement, so nothing waits to be written."""

    def __init__(self, work: Work) -> None:
        self._work = work

    @property
    def _connection(self) -> Connection:
        return self._work.connection

    @property
    def _session(self) -> Session:
        return self._work.session


def among(column: Column[Any], values: tuple[str, ...]) -> ColumnElement[bool]:
    """`column IN (...)` of constants written into the SQL: a plain `in_` binds an expanding
    parameter, which SQLAlchemy rewrites into the statement on every execution (measured CPU)."""
    return column.in_([literal_column(f"'{value}'") for value in values])


MARK_SENT = (
    update(DELIVERIES)
    .where(DELIVERIES.c.id == bindparam("delivery_id"))
    .values(
        status="sent",
        channel_id=bindparam("sent_channel"),
        ts=bindparam("sent_ts"),
        sent_at=bindparam("now"),
    )
)

# The member of a Slack team and user, workspace and all in one query (`Members.find_in_team`).
MEMBER_IN_TEAM = (
    select(tables.Member)
    .join(tables.Workspace, tables.Workspace.id == tables.Member.workspace_id)
    .where(tables.Workspace.team_id == bindparam("team_id"))
    .where(tables.Member.slack_user_id == bindparam("slack_user_id"))
)

WORKSPACE_SETTINGS = select(WORKSPACES.c.settings).where(
    WORKSPACES.c.team_id == bindparam("team_id")
)


def _asked() -> Select[Any]:
    """The member's on-demand lessons (`/learn now`) claimed after `since`."""
    return (
        select(DELIVERIES.c.claimed_at)
        .where(DELIVERIES.c.local_date.is_(None), among(DELIVERIES.c.kind, LESSON_KINDS))
        .where(DELIVERIES.c.claimed_at > bindparam("since"))
    )


ASKED_SINCE = (
    _asked()
    .where(DELIVERIES.c.member_id == bindparam("member_id"))
    .order_by(DELIVERIES.c.claimed_at)
)

# Everything a lesson asked for reads before choosing, in one query (`Members.asker`): the
# workspace's stored setup, the member (NULLs when Nudge has not met them) and how many lessons
# they asked for since `since`. No row: a workspace Nudge has never seen.
ASKER = (
    select(
        WORKSPACES.c.id.label("workspace_row"),
        WORKSPACES.c.settings.label("workspace_settings"),
        *MEMBERS.c,
        _asked()
        .with_only_columns(func.count())
        .where(DELIVERIES.c.member_id == MEMBERS.c.id)
        .scalar_subquery()
        .label("asked"),
    )
    .select_from(
        WORKSPACES.outerjoin(
            MEMBERS,
            (MEMBERS.c.workspace_id == WORKSPACES.c.id)
            & (MEMBERS.c.slack_user_id == bindparam("slack_user_id")),
        )
    )
    .where(WORKSPACES.c.team_id == bindparam("team_id"))
)

# The member's past per lesson, its columns in `model.LessonSeen`'s order (`Deliveries.history`):
# the counters the triggers keep (bot.store.progress_sql), one row per lesson seen.
_SEEN = (
    PROGRESS.c.lesson_id,
    PROGRESS.c.skill,
    PROGRESS.c.delivered,
    PROGRESS.c.answered,
    PROGRESS.c.correct,
    PROGRESS.c.last_delivered_at,
    PROGRESS.c.last_delivery,
)
HISTORY = select(*_SEEN).where(PROGRESS.c.member_id == bindparam("member_id"))
_DUE_CARD = (CARDS.c.lesson_id, CARDS.c.due, CARDS.c.last_review, CARDS.c.stability)


def due_cards() -> Select[str, datetime, datetime, float | None]:
    """The member's (`member_id`) cards due by `now`.

    A card whose lesson was sent again since it fell due is left out until that delivery is
    answered (which sets a new due): a review waiting for its answer is not sent twice. "Sent
    again" is the lesson's latest claim among its deliveries that count in the history (a failed
    send is no review), kept in `lesson_progress`.
    """
    card, seen = CARDS.c, PROGRESS.c
    sent_since_due = (
        select(seen.lesson_id)
        .where(seen.member_id == card.member_id, seen.lesson_id == card.lesson_id)
        .where(seen.last_claimed_at >= card.due)
        .exists()
    )
    return select(*_DUE_CARD).where(
        card.member_id == bindparam("member_id"), card.due <= bindparam("now"), ~sent_since_due
    )


DUE = due_cards().order_by(CARDS.c.due, CARDS.c.lesson_id)

# The history and the due cards in one query (`Deliveries.history_with_due`), as `HISTORY` and
# `due_cards` say them: each lesson seen, with its card's columns when the card is due and the
# lesson was not sent again since; then the due cards of lessons with no delivery counted.
_CARD_DUE_HERE = (
    (CARDS.c.member_id == PROGRESS.c.member_id)
    & (CARDS.c.lesson_id == PROGRESS.c.lesson_id)
    & (CARDS.c.due <= bindparam("now"))
    & (CARDS.c.due > PROGRESS.c.last_claimed_at)
)
PAST = union_all(
    select(*_SEEN, *_DUE_CARD)
    .select_from(PROGRESS.outerjoin(CARDS, _CARD_DUE_HERE))
    .where(PROGRESS.c.member_id == bindparam("member_id")),
    select(*(null() for _ in _SEEN), *_DUE_CARD).where(
        CARDS.c.member_id == bindparam("member_id"),
        CARDS.c.due <= bindparam("now"),
        ~select(PROGRESS.c.lesson_id)
        .where(PROGRESS.c.member_id == CARDS.c.member_id)
        .where(PROGRESS.c.lesson_id == CARDS.c.lesson_id)
        .exists(),
    ),
)
