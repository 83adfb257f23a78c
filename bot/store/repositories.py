"""Repositories: every query Nudge makes, on the session of the caller's unit of work.

They map rows to the domain model in `bot.learning.model` and never commit. Uniqueness is the
database's job: a second claim of the same delivery or a second response to the same delivery is an
`INSERT ... ON CONFLICT DO NOTHING` that inserts nothing, whichever process or thread came second,
so the transaction around it stays usable and nothing raises.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from importlib import import_module
from typing import Any, cast

from sqlalchemy import Connection, Executable, bindparam, func, select, update

from bot.learning import model
from bot.learning.reviews import DueCard, StoredCard
from bot.store import tables
from bot.store.lesson_sql import (
    ASKED_SINCE,
    DELIVERED,
    DUE,
    HISTORY,
    LESSON_KINDS,
    MARK_SENT,
    PAST,
    Repository,
    due_cards,
)


def _dialect(connection: Connection) -> Any:
    """The dialect module whose `insert` has ON CONFLICT (the generic `insert` has none).

    Imported by name when first used: the engine has loaded its own dialect by then, and a start
    on SQLite need not import PostgreSQL's (and the reverse)."""
    return import_module(f"sqlalchemy.dialects.{_dialect_name(connection.dialect.name)}")


def _dialect_name(name: str) -> str:
    return "postgresql" if name == "postgresql" else "sqlite"


def insert_new(
    connection: Connection, table: type[tables.Base], values: dict[str, Any], keys: list[str]
) -> int | None:
    """Insert a row unless one with the same unique `keys` exists; the new id, else None."""
    statement = _insert_new(connection.dialect.name, table, tuple(sorted(values)), tuple(keys))
    inserted: int | None = connection.scalar(statement, {f"new_{k}": v for k, v in values.items()})
    return inserted


@lru_cache(maxsize=64)
def _insert_new(
    dialect: str, table: type[tables.Base], columns: tuple[str, ...], keys: tuple[str, ...]
) -> Executable:
    """`insert_new`'s statement, built once per table and set of columns: on the path of every
    lesson sent, building it cost more CPU than executing it (bench/lesson_cost). On the Core
    table: the ORM's bulk-insert path around an entity's insert cost more again."""
    module = import_module(f"sqlalchemy.dialects.{_dialect_name(dialect)}")
    return cast(
        Executable,
        module.insert(table.__table__)
        .values({column: bindparam(f"new_{column}") for column in columns})
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(table.__table__.c.id),
    )


@dataclass(frozen=True)
class MemberTotals:
    """Per-member counts for summaries (demo, admin figures)."""

    slack_user_id: str
    name: str
    lessons: int
    responses: int
    correct: int
    skills: tuple[str, ...]


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


class Deliveries(Repository):
    def claim(
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
        queued: bool = False,
    ) -> model.Delivery | None:
        """Claim the right to send; None when someone already claimed this (member, kind, day).
        `queued`: left for a sender to take (bot.store.sending); else taken, by the caller, now."""
        claimed = model.Delivery(
            id=0,
            member_id=member_id,
            kind=kind,
            local_date=local_date,
            lesson_id=lesson_id,
            skill=skill,
            locale=locale,
            answer_index=answer_index,
            status="claimed",
            channel_id=None,
            ts=None,
        )
        row = {
            "member_id": member_id,
            "kind": kind,
            "local_date": local_date,
            "lesson_id": lesson_id,
            "skill": skill,
            "locale": locale,
            "answer_index": answer_index,
            "status": claimed.status,
            "claimed_at": now,
            "taken_at": None if queued else now,
        }
        delivery_id = insert_new(
            self._connection, tables.Delivery, row, ["member_id", "kind", "local_date"]
        )
        return None if delivery_id is None else replace(claimed, id=delivery_id)

    def mark_sent(self, delivery_id: int, channel_id: str, ts: str, now: datetime) -> None:
        self._connection.execute(
            MARK_SENT,
            {"delivery_id": delivery_id, "sent_channel": channel_id, "sent_ts": ts, "now": now},
        )

    def asked_since(self, member_id: int, since: datetime) -> list[datetime]:
        """When the member's on-demand lessons (`/learn now`) were claimed after `since`, oldest
        first."""
        asked = self._connection.scalars(ASKED_SINCE, {"member_id": member_id, "since": since})
        return list(asked)

    def resolve_stale(self, before: datetime, workspace_id: int | None = None) -> int:
        """Claims taken to send before `before` and never marked: their send was cut off (a
        crash, a kill, Slack silent past the timeout) and may have reached the member. They become
        "unknown": counted as sent once, never sent again, so totals and "already sent today"
        stay right. Claims still queued are not stale: a sender will take them. How many (of
        `workspace_id`'s members only, when given: a workspace's tick counts its own)."""
        delivery = tables.Delivery
        stale = update(delivery).where(delivery.status == "claimed", delivery.taken_at < before)
        if workspace_id is not None:
            ours = select(tables.Member.id).where(tables.Member.workspace_id == workspace_id)
            stale = stale.where(delivery.member_id.in_(ours))
        done = self._session.execute(stale.values(status="unknown"))
        return int(getattr(done, "rowcount", 0) or 0)

    def mark_unknown(self, delivery_id: int) -> None:
        """A send that Slack did not answer in time: it may have reached the member (see
        resolve_stale)."""
        self._session.execute(
            update(tables.Delivery)
            .where(tables.Delivery.id == delivery_id)
            .values(status="unknown")
        )

    def mark_missed(self, delivery_id: int) -> None:
        """A slot found too late (past GRACE): recorded, never sent."""
        self._session.execute(
            update(tables.Delivery).where(tables.Delivery.id == delivery_id).values(status="missed")
        )

    def mark_failed(self, delivery_id: int, error: str) -> None:
        row = self._session.get_one(tables.Delivery, delivery_id)
        row.status, row.error = "failed", error

    def get(self, delivery_id: int) -> model.Delivery | None:
        row = self._session.get(tables.Delivery, delivery_id)
        return None if row is None else _delivery(row)

    def history(self, member_id: int) -> model.History:
        """The member's past per lesson, read from the counters the database keeps: as many rows
        as lessons they have seen, however many times and days they have seen them."""
        rows = self._connection.execute(HISTORY, {"member_id": member_id}).all()
        return model.History({row[0]: model.LessonSeen(*row) for row in rows})

    def history_with_due(
        self, member_id: int, now: datetime, *, among: Collection[str]
    ) -> tuple[model.History, list[DueCard]]:
        """`history`, and the cards due by `now` among those lessons as `Cards.due` lists them, in
        one query: a lesson costs the same statements whether selection weighs reviews or not
        (bench/lesson_cost), and the due cards come with the counters they are checked against."""
        rows = self._connection.execute(PAST, {"member_id": member_id, "now": now})
        seen, due = {}, []
        for row in rows:
            if row[0] is not None:
                seen[row[0]] = model.LessonSeen(*row[:7])
            if row[7] is not None and row[7] in among:
                due.append(DueCard(*row[7:]))
        due.sort(key=lambda card: (card.due, card.lesson_id))
        return model.History(seen), due

    def lesson_days(self, member_id: int) -> dict[date, bool]:
        """Each local date a scheduled lesson reached the member, and whether it was answered:
        one row per day, however many lessons the day had."""
        delivery = tables.Delivery
        query = (
            select(delivery.local_date, func.count(tables.Response.id))
            .outerjoin(tables.Response, tables.Response.delivery_id == delivery.id)
            .where(delivery.member_id == member_id, delivery.status.in_(DELIVERED))
            .where(delivery.kind.in_(LESSON_KINDS), delivery.local_date.is_not(None))
            .group_by(delivery.local_date)
        )
        return {day: answers > 0 for day, answers in self._session.execute(query) if day}

    def asked_answered_since(self, member_id: int, since: datetime | None) -> list[datetime]:
        """When the member answered lessons they asked for (`/learn now`), from `since` on
        (None: ever)."""
        delivery, response = tables.Delivery, tables.Response
        query = (
            select(response.answered_at)
            .join(delivery, delivery.id == response.delivery_id)
            .where(delivery.member_id == member_id, delivery.local_date.is_(None))
            .where(delivery.kind.in_(LESSON_KINDS))
        )
        if since is not None:
            query = query.where(response.answered_at >= since)
        return list(self._session.scalars(query))

    def lessons_since(self, member_id: int, since: datetime) -> int:
        """How many lessons (scheduled, asked for or reviews) reached the member from `since`."""
        delivery = tables.Delivery
        delivered_at = func.coalesce(delivery.sent_at, delivery.claimed_at)
        return (
            self._session.scalar(
                select(func.count(delivery.id))
                .where(delivery.member_id == member_id, delivery.status.in_(DELIVERED))
                .where(delivery.kind.in_(LESSON_KINDS), delivered_at >= since)
            )
            or 0
        )


class Responses(Repository):
    def add(self, delivery: model.Delivery, choice: int, correct: bool, now: datetime) -> bool:
        """Record the member's response; False when the delivery already had one (nothing changes)."""
        values = {
            "delivery_id": delivery.id,
            "member_id": delivery.member_id,
            "lesson_id": delivery.lesson_id,
            "skill": delivery.skill,
            "choice": choice,
            "correct": correct,
            "answered_at": now,
        }
        return insert_new(self._connection, tables.Response, values, ["delivery_id"]) is not None

    def for_delivery(self, delivery_id: int) -> model.Response | None:
        row = self._session.scalar(select(tables.Response).filter_by(delivery_id=delivery_id))
        if row is None:
            return None
        return model.Response(row.delivery_id, row.choice, row.correct, row.answered_at)

    def count(self) -> int:
        return self._session.scalar(select(func.count(tables.Response.id))) or 0

    def member_totals(self, workspace_id: int) -> list[MemberTotals]:
        """Lessons, responses, right ones and skill areas touched, per member, by name (one query)."""
        query = (
            select(tables.Member, tables.Delivery.skill, tables.Response.correct)
            .outerjoin(
                tables.Delivery,
                (tables.Delivery.member_id == tables.Member.id)
                & tables.Delivery.status.in_(DELIVERED)
                & tables.Delivery.kind.in_(LESSON_KINDS),
            )
            .outerjoin(tables.Response, tables.Response.delivery_id == tables.Delivery.id)
            .where(tables.Member.workspace_id == workspace_id)
            .order_by(tables.Member.name, tables.Member.id)
        )
        rows: dict[int, tuple[tables.Member, list[tuple[str, bool | None]]]] = {}
        for member, skill, correct in self._session.execute(query):
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
                    responses=len(answered),
                    correct=sum(answered),
                    skills=tuple(sorted({skill for skill, _correct in events})),
                )
            )
        return totals


class Cards(Repository):
    """Spaced-repetition cards: one per (member, lesson), the latest answer's schedule."""

    def get(self, member_id: int, lesson_id: str) -> StoredCard | None:
        row = self._session.scalar(
            select(tables.Card).filter_by(member_id=member_id, lesson_id=lesson_id)
        )
        return (
            None
            if row is None
            else StoredCard(row.fsrs_card, row.due, row.last_review, row.stability)
        )

    def save(self, member_id: int, lesson_id: str, card: StoredCard) -> None:
        """Insert or replace the member's card for the lesson. An upsert, so that two answers to
        the same lesson racing (a lesson and its review, say) never fail: the later write wins."""
        values = {
            "fsrs_card": card.fsrs_card,
            "due": card.due,
            "last_review": card.last_review,
            "stability": card.stability,
        }
        statement = (
            _dialect(self._connection)
            .insert(tables.Card)
            .values(member_id=member_id, lesson_id=lesson_id, **values)
        )
        self._session.execute(
            statement.on_conflict_do_update(index_elements=["member_id", "lesson_id"], set_=values)
        )

    def due(
        self,
        member_id: int,
        now: datetime,
        *,
        among: Collection[str] | None = None,
        limit: int | None = None,
    ) -> list[DueCard]:
        """The cards due by `now`, oldest due first; all of them unless `limit`: the choice of a
        review weighs every one (`bot.learning.selection.most_retrievable_first`), and a member
        has at most one card per lesson of the library.

        `among` keeps only those lessons (the library's): cards of removed lessons stay due for
        ever, and would otherwise fill the list. It is applied here rather than as SQL `IN`: a
        member's due cards are few, and an `IN` of the whole library binds one parameter per
        lesson on every lesson sent (most of a lesson's SQL work, measured in bench/lesson_cost).
        """
        rows = self._connection.execute(DUE, {"member_id": member_id, "now": now}).all()
        if among is not None:
            rows = [row for row in rows if row[0] in among]
        return [
            DueCard(lesson, due, last, stability) for lesson, due, last, stability in rows[:limit]
        ]

    def count_due(
        self, member_id: int, now: datetime, *, among: Collection[str] | None = None
    ) -> int:
        """How many reviews are due by `now`, counted as `due` lists them."""
        if among is not None:
            return len(self.due(member_id, now, among=among))
        counted = select(func.count()).select_from(due_cards().subquery())
        return self._session.scalar(counted, {"member_id": member_id, "now": now}) or 0
