"""The counters per member and lesson (`lesson_progress`), kept by database triggers: after any mix
of what Nudge does to deliveries and answers they hold what the history's old aggregate, a GROUP
BY over every delivery and its answer, computes from the rows; the due reviews read beside them
are those the old query over deliveries found. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, insert, select, text

from bot.learning.model import MemberProfile
from bot.learning.reviews import DueCard, review
from bot.store import progress_sql, tables
from bot.store.lesson_sql import CARDS, DELIVERED, DELIVERIES, LESSON_KINDS, RESPONSES
from bot.store.uow import Database, UnitOfWork

START = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)
LESSONS = {"ai-1": "ai", "ai-2": "ai", "paid-1": "paid", "care-1": "care"}
PEOPLE = [MemberProfile(f"U0PERSON0{n}", f"Person {n}", "UTC", "en-US") for n in range(3)]

# The history as Nudge read it before the counters (and the oracle here): every delivered lesson
# of the member, outer-joined to its answer, grouped per lesson.
_delivered_at = func.coalesce(DELIVERIES.c.sent_at, DELIVERIES.c.claimed_at)
OLD_HISTORY = (
    select(
        DELIVERIES.c.member_id,
        DELIVERIES.c.lesson_id,
        DELIVERIES.c.skill,
        func.count(DELIVERIES.c.id),
        func.count(RESPONSES.c.id),
        func.count(RESPONSES.c.id).filter(RESPONSES.c.correct.is_(True)),
        func.max(_delivered_at),
        func.max(DELIVERIES.c.id),
        func.max(DELIVERIES.c.claimed_at),
    )
    .select_from(DELIVERIES.outerjoin(RESPONSES, RESPONSES.c.delivery_id == DELIVERIES.c.id))
    .where(DELIVERIES.c.status.in_(DELIVERED), DELIVERIES.c.kind.in_(LESSON_KINDS))
    .group_by(DELIVERIES.c.member_id, DELIVERIES.c.lesson_id, DELIVERIES.c.skill)
)


def old_due(connection: Any, member_id: int, now: datetime) -> list[DueCard]:
    """The due cards as the old query found them: none sent again (delivered) since it fell due."""
    sent_since_due = (
        select(DELIVERIES.c.id)
        .where(
            DELIVERIES.c.member_id == CARDS.c.member_id,
            DELIVERIES.c.lesson_id == CARDS.c.lesson_id,
            DELIVERIES.c.claimed_at >= CARDS.c.due,
            DELIVERIES.c.status.in_(DELIVERED),
        )
        .exists()
    )
    rows = connection.execute(
        select(CARDS.c.lesson_id, CARDS.c.due, CARDS.c.last_review, CARDS.c.stability)
        .where(CARDS.c.member_id == member_id, CARDS.c.due <= now, ~sent_since_due)
        .order_by(CARDS.c.due, CARDS.c.lesson_id)
    ).all()
    return [DueCard(*row) for row in rows]


class Mix:
    """Random steps of what Nudge does to a workspace's deliveries and answers."""

    def __init__(self, engine: Engine, seed: int) -> None:
        self.engine, self.random, self.now = engine, random.Random(seed), START
        self.workspace = 0
        self.members: dict[str, int] = {}

    def enrol(self, uow: UnitOfWork, person: MemberProfile) -> None:
        self.workspace = uow.workspaces.ensure("T0ACME001", self.now)
        self.members[person.slack_user_id] = uow.members.save(self.workspace, person, self.now).id

    def step(self, uow: UnitOfWork) -> None:
        pick = self.random.choice
        self.now += timedelta(minutes=self.random.choice([1, 7, 90, 60 * 24]))
        member_id = pick(list(self.members.values()))
        ids = list(uow.session.scalars(select(tables.Delivery.id)))
        action = self.random.random()
        if action < 0.45 or not ids:
            lesson = pick(list(LESSONS))
            scheduled = self.random.random() < 0.5
            claimed = uow.deliveries.claim(
                member_id,
                kind=pick(["lesson", "review"]) if not scheduled else "lesson",
                local_date=self.now.date() if scheduled else None,
                lesson_id=lesson,
                skill=LESSONS[lesson],
                locale="en",
                answer_index=1,
                now=self.now,
                queued=self.random.random() < 0.1,
            )
            if claimed is not None:
                ending = self.random.random()
                if ending < 0.55:
                    sent_at = self.now + timedelta(seconds=self.random.choice([0, 1, 30]))
                    uow.deliveries.mark_sent(claimed.id, "D0CHANNEL1", "1.000", sent_at)
                elif ending < 0.65:
                    uow.deliveries.mark_unknown(claimed.id)
                elif ending < 0.75:
                    uow.deliveries.mark_failed(claimed.id, "channel_not_found")
                elif ending < 0.8:
                    uow.deliveries.mark_missed(claimed.id)
                # else left claimed: resolve_stale will find it, or a late sent mark
        elif action < 0.75:  # an answer, right or wrong, to any delivery; a second is refused
            delivery = uow.deliveries.get(pick(ids))
            assert delivery is not None
            choice = self.random.choice([0, 1])
            if uow.responses.add(delivery, choice, choice == 1, self.now):
                card = uow.cards.get(delivery.member_id, delivery.lesson_id)
                uow.cards.save(
                    delivery.member_id, delivery.lesson_id, review(card, choice == 1, self.now)
                )
        elif action < 0.82:
            uow.deliveries.resolve_stale(self.now, pick([None, self.workspace]))
        elif action < 0.87:  # a slow sender's mark after its claim was resolved as unknown
            uow.deliveries.mark_sent(pick(ids), "D0CHANNEL1", "2.000", self.now)
        elif action < 0.92:  # rows deleted by SQL (the bench's way), answers going with them
            uow.session.execute(delete(tables.Delivery).where(tables.Delivery.id == pick(ids)))
        elif action < 0.94:  # `/learn forget`, then the person comes back
            person = pick(PEOPLE)
            uow.member_data.delete(self.members[person.slack_user_id])
            self.enrol(uow, person)
        elif action < 0.96:  # a delivered lesson written by SQL (a seed, the bench's history)
            lesson = pick(list(LESSONS))
            uow.session.execute(
                insert(tables.Delivery).values(
                    member_id=member_id,
                    kind="lesson",
                    lesson_id=lesson,
                    skill=LESSONS[lesson],
                    status=pick(["sent", "unknown", "failed"]),
                    claimed_at=self.now,
                    sent_at=pick([None, self.now]),
                )
            )
        elif action < 0.98:  # an answer deleted by SQL, its delivery kept
            uow.session.execute(
                delete(tables.Response).where(tables.Response.delivery_id == pick(ids))
            )
        else:
            uow.session.execute(
                tables.Response.__table__.update()
                .where(tables.Response.delivery_id == pick(ids))
                .values(correct=self.random.random() < 0.5)
            )


def counters(engine: Engine) -> set[tuple[Any, ...]]:
    with engine.connect() as connection:
        kept = connection.execute(
            select(
                tables.LessonProgress.member_id,
                tables.LessonProgress.lesson_id,
                tables.LessonProgress.skill,
                tables.LessonProgress.delivered,
                tables.LessonProgress.answered,
                tables.LessonProgress.correct,
                tables.LessonProgress.last_delivered_at,
                tables.LessonProgress.last_delivery,
                tables.LessonProgress.last_claimed_at,
            )
        )
        return {tuple(row) for row in kept}


def oracle(engine: Engine) -> set[tuple[Any, ...]]:
    with engine.connect() as connection:
        return {tuple(row) for row in connection.execute(OLD_HISTORY)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counters_equal_the_old_aggregate_after_any_mix(engine: Engine, seed: int) -> None:
    mix = Mix(engine, seed)
    with Database(engine).uow() as uow:
        for person in PEOPLE:
            mix.enrol(uow, person)
        uow.commit()
    for _ in range(12):
        members = dict(mix.members)
        with Database(engine).uow() as uow:
            for _ in range(mix.random.randint(1, 12)):
                mix.step(uow)
            if mix.random.random() < 0.85:
                uow.commit()
            else:  # rolled back: the counters' changes with it
                mix.members = members
        assert counters(engine) == oracle(engine)
        with Database(engine).uow() as uow, engine.connect() as connection:
            for member_id in mix.members.values():
                history, due = uow.deliveries.history_with_due(member_id, mix.now, among=LESSONS)
                want = old_due(connection, member_id, mix.now)
                assert due == want == uow.cards.due(member_id, mix.now, among=LESSONS)
                assert history == uow.deliveries.history(member_id)
    assert counters(engine), "the mix should leave some history to compare"


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = (
                "SELECT trigger_name FROM information_schema.triggers"
                " WHERE trigger_schema = current_schema()"
            )
        else:
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        return set(connection.scalars(text(query)))


def test_the_migrations_and_the_metadata_make_the_same_triggers(
    engine: Engine, database_url: str
) -> None:
    assert _triggers(engine) == set(progress_sql.NAMES)
    with engine.begin() as connection:
        for statement in progress_sql.drop(engine.dialect.name):
            connection.exec_driver_sql(statement)
        tables.Base.metadata.drop_all(connection)
    assert _triggers(engine) == set()
    tables.Base.metadata.create_all(engine)
    assert _triggers(engine) == set(progress_sql.NAMES)
