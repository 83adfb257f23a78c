"""The statements on the path of every lesson sent (claim aside: `repositories.insert_new`),
built once at import with bind parameters. Building a statement cost more CPU than SQLAlchemy's
compiled cache then saved, and they run on every `/learn now` and every scheduled lesson
(bench/lesson_cost, "CPU per delivered lesson")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, bindparam, func, select, update

from bot.store import tables

# Deliveries that teach (a lesson, scheduled or asked for, or a review), as opposed to the weekly
# question and its reminder.
LESSON_KINDS = ("lesson", "review")
# A delivery counts as sent when Slack said so, or when its send was cut off and may have reached
# the member ("unknown", see Deliveries.resolve_stale): counted once, never sent again.
DELIVERED = ("sent", "unknown")

MARK_SENT = (
    update(tables.Delivery)
    .where(tables.Delivery.id == bindparam("delivery_id"))
    .values(
        status="sent",
        channel_id=bindparam("sent_channel"),
        ts=bindparam("sent_ts"),
        sent_at=bindparam("now"),
    )
    # Nothing in the session holds the row: no need for the ORM to look for it (measured CPU).
    .execution_options(synchronize_session=False)
)

# The member of a Slack team and user, workspace and all in one query (`Members.find_in_team`).
MEMBER_IN_TEAM = (
    select(tables.Member)
    .join(tables.Workspace, tables.Workspace.id == tables.Member.workspace_id)
    .where(tables.Workspace.team_id == bindparam("team_id"))
    .where(tables.Member.slack_user_id == bindparam("slack_user_id"))
)

WORKSPACE_SETTINGS = select(tables.Workspace.settings).where(
    tables.Workspace.team_id == bindparam("team_id")
)

ASKED_SINCE = (
    select(tables.Delivery.claimed_at)
    .where(tables.Delivery.member_id == bindparam("member_id"))
    .where(tables.Delivery.local_date.is_(None), tables.Delivery.kind.in_(LESSON_KINDS))
    .where(tables.Delivery.claimed_at > bindparam("since"))
    .order_by(tables.Delivery.claimed_at)
)

_delivered_at = func.coalesce(tables.Delivery.sent_at, tables.Delivery.claimed_at)
HISTORY = (
    select(
        tables.Delivery.lesson_id,
        tables.Delivery.skill,
        func.count(tables.Delivery.id),
        func.count(tables.Response.id),
        func.count(tables.Response.id).filter(tables.Response.correct.is_(True)),
        func.max(_delivered_at),
        func.max(tables.Delivery.id),
    )
    .outerjoin(tables.Response, tables.Response.delivery_id == tables.Delivery.id)
    .where(tables.Delivery.member_id == bindparam("member_id"))
    .where(tables.Delivery.status.in_(DELIVERED), tables.Delivery.kind.in_(LESSON_KINDS))
    .group_by(tables.Delivery.lesson_id, tables.Delivery.skill)
)


def due_cards() -> Select[str, datetime, datetime, float | None]:
    """The member's (`member_id`) cards due by `now`.

    A card whose lesson was sent again since it fell due is left out until that delivery is
    answered (which sets a new due): a review waiting for its answer is not sent twice.
    """
    card, delivery = tables.Card, tables.Delivery
    sent_since_due = (
        select(delivery.id)
        .where(
            delivery.member_id == card.member_id,
            delivery.lesson_id == card.lesson_id,
            delivery.claimed_at >= card.due,
            delivery.status.in_(DELIVERED),  # as in `history`: a failed send is no review
        )
        .exists()
    )
    return select(card.lesson_id, card.due, card.last_review, card.stability).where(
        card.member_id == bindparam("member_id"), card.due <= bindparam("now"), ~sent_since_due
    )


DUE = due_cards().order_by(tables.Card.due, tables.Card.lesson_id)
