"""The statements on the path of every lesson sent (claim aside: `repositories.insert_new`),
built once at import with bind parameters, on the Core tables, and run on the unit of work's
connection (`on_connection`) rather than through the ORM session: building a statement, the ORM's
work around executing one and expanding `IN` lists each cost more CPU than the statement itself,
and these run on every `/learn now` and every scheduled lesson (bench/lesson_cost, "CPU per
delivered lesson")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Select,
    Table,
    bindparam,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.store import tables

# Deliveries that teach (a lesson, scheduled or asked for, or a review), as opposed to the weekly
# question and its reminder.
LESSON_KINDS = ("lesson", "review")
# A delivery counts as sent when Slack said so, or when its send was cut off and may have reached
# the member ("unknown", see Deliveries.resolve_stale): counted once, never sent again.
DELIVERED = ("sent", "unknown")


def _table(entity: type[tables.Base]) -> Table:
    table = entity.__table__
    assert isinstance(table, Table)
    return table


WORKSPACES = _table(tables.Workspace)
MEMBERS = _table(tables.Member)
DELIVERIES = _table(tables.Delivery)
RESPONSES = _table(tables.Response)
CARDS = _table(tables.Card)


def on_connection(session: Session) -> Connection:
    """The unit of work's connection, which the session is bound to (`bot.store.uow`): a Core
    statement run on it skips the ORM's work around every execution, autoflush included, and the
    session's own transaction, begun only if an ORM statement needs it. The repositories that
    change ORM entities flush them there and then (`Members.save`) or before their next ORM
    statement, so nothing waits to be written. A session bound to an engine (no unit of work)
    gives the connection of its transaction, begun if need be."""
    bound = session.bind
    return bound if isinstance(bound, Connection) else session.connection()


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

_delivered_at = func.coalesce(DELIVERIES.c.sent_at, DELIVERIES.c.claimed_at)
# The member's past per lesson, its columns in `model.LessonSeen`'s order (`Deliveries.history`).
HISTORY = (
    select(
        DELIVERIES.c.lesson_id,
        DELIVERIES.c.skill,
        func.count(DELIVERIES.c.id),
        func.count(RESPONSES.c.id),
        func.count(RESPONSES.c.id).filter(RESPONSES.c.correct.is_(True)),
        func.max(_delivered_at),
        func.max(DELIVERIES.c.id),
    )
    .select_from(DELIVERIES.outerjoin(RESPONSES, RESPONSES.c.delivery_id == DELIVERIES.c.id))
    .where(DELIVERIES.c.member_id == bindparam("member_id"))
    .where(among(DELIVERIES.c.status, DELIVERED), among(DELIVERIES.c.kind, LESSON_KINDS))
    .group_by(DELIVERIES.c.lesson_id, DELIVERIES.c.skill)
)


def due_cards() -> Select[str, datetime, datetime, float | None]:
    """The member's (`member_id`) cards due by `now`.

    A card whose lesson was sent again since it fell due is left out until that delivery is
    answered (which sets a new due): a review waiting for its answer is not sent twice.
    """
    card, delivery = CARDS.c, DELIVERIES.c
    sent_since_due = (
        select(delivery.id)
        .where(
            delivery.member_id == card.member_id,
            delivery.lesson_id == card.lesson_id,
            delivery.claimed_at >= card.due,
            among(delivery.status, DELIVERED),  # as in `history`: a failed send is no review
        )
        .exists()
    )
    return select(card.lesson_id, card.due, card.last_review, card.stability).where(
        card.member_id == bindparam("member_id"), card.due <= bindparam("now"), ~sent_since_due
    )


DUE = due_cards().order_by(CARDS.c.due, CARDS.c.lesson_id)
