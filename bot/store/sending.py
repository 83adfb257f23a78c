"""The senders' queue and the pace they share: how any number of processes send as one.

`take` hands each sender a different delivery: of the workspace whose next send slot comes first,
the oldest claimed and not yet taken (so that senders spread over the workspaces due together rather
than queue behind one workspace's pace), picked with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (senders never wait on each other's row) and marked taken in
the same statement; on SQLite the statement runs under the database's one write lock, which gives
the same answer for one process. `pace` gives each chat.postMessage of a workspace the next free
slot of that workspace's allowance, under the lock of the workspace's row, so the pace is the
workspace's whatever the number of processes (no process keeps it in memory).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, cast, func, literal, select, update

from bot.learning import model
from bot.store import tables
from bot.store.lesson_sql import DELIVERED, Repository
from bot.store.members import _member
from bot.store.repositories import _delivery, _dialect


@dataclass(frozen=True)
class Taken:
    """A delivery a sender took, the member it goes to, and the Slack team they are in."""

    delivery: model.Delivery
    member: model.Member
    team_id: str


class Sending(Repository):
    def take(self, now: datetime, workspace_id: int | None = None) -> Taken | None:
        """The next queued delivery (of one workspace, or any), now taken by the caller; None
        when nothing waits that another sender has not locked. Next: of the workspace whose
        next send slot comes first, the oldest. The clock plans workspace by workspace, so in
        plain age order every sender would queue behind the first workspace's pace while the
        others' allowances went unused."""
        delivery, member, pace = tables.Delivery, tables.Member, tables.SendPace
        oldest = (
            select(delivery.id)
            .join(member, member.id == delivery.member_id)
            .outerjoin(pace, pace.workspace_id == member.workspace_id)
            .where(delivery.status == "claimed", delivery.taken_at.is_(None))
            .order_by(func.coalesce(pace.next_at, 0.0), delivery.id)
            .limit(1)
            .with_for_update(skip_locked=True, of=delivery)
        )
        if workspace_id is not None:
            oldest = oldest.where(member.workspace_id == workspace_id)
        taken_id = self._session.scalar(
            update(delivery)
            .where(delivery.id == oldest.scalar_subquery(), delivery.taken_at.is_(None))
            .values(taken_at=now)
            .returning(delivery.id)
        )
        if taken_id is None:
            return None
        row = self._session.execute(
            select(delivery, member, tables.Workspace.team_id)
            .join(member, member.id == delivery.member_id)
            .join(tables.Workspace, tables.Workspace.id == member.workspace_id)
            .where(delivery.id == taken_id)
        ).one()
        return Taken(_delivery(row[0]), _member(row[1]), str(row[2]))

    def queued(self) -> int:
        """Deliveries waiting for a sender."""
        delivery = tables.Delivery
        waiting = select(func.count(delivery.id)).where(
            delivery.status == "claimed", delivery.taken_at.is_(None)
        )
        return int(self._session.scalar(waiting) or 0)

    def pace(self, workspace_id: int, interval: float) -> float:
        """Take the workspace's next free slot, `interval` seconds after the one before (or now,
        after a quiet spell: no burst is saved up): the seconds to wait until it comes."""
        pace, now = tables.SendPace, self._now()
        slot = case((pace.next_at > now, pace.next_at), else_=now)
        taking = (
            update(pace)
            .where(pace.workspace_id == workspace_id)
            .values(next_at=slot + interval)
            .returning(pace.next_at - interval - now)
        )
        wait = self._session.scalar(taking)
        if wait is None:  # the workspace's first send: its row, then the slot
            first = {"workspace_id": workspace_id, "next_at": 0.0}
            insert = _dialect(self._connection).insert(pace).values(**first)
            self._session.execute(insert.on_conflict_do_nothing(index_elements=["workspace_id"]))
            wait = self._session.scalar(taking)
        return max(0.0, float(wait or 0.0))

    def _now(self) -> Any:
        """Seconds since the epoch by the database's clock on PostgreSQL, so that processes on
        machines whose clocks differ share one time line; SQLite's processes share a machine."""
        if self._connection.dialect.name == "postgresql":
            return cast(func.extract("epoch", func.clock_timestamp()), Float)
        return literal(time.time(), Float)

    def seen_before(self, delivery: model.Delivery) -> bool:
        """Whether the member was sent this delivery's lesson before: then it comes back as a
        review (the scheduled delivery's kind is "lesson" either way)."""
        earlier = tables.Delivery
        query = select(earlier.id).where(
            earlier.member_id == delivery.member_id,
            earlier.lesson_id == delivery.lesson_id,
            earlier.id != delivery.id,
            earlier.status.in_(DELIVERED),
        )
        return self._session.scalar(query.limit(1)) is not None
