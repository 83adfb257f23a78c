"""The unit of work: statements on the Core tables (run on its connection) and the ORM's (through
its session) are one transaction, committed together or rolled back together, in either order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.learning.model import MemberProfile
from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database, UnitOfWork

NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
TEAM = "T0ACME001"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    engine = make_engine(database_url)
    ensure_schema(engine, auto_upgrade=True)
    yield Database(engine)
    engine.dispose()


def _member_id(work: UnitOfWork) -> int:
    """The member, written with a Core insert then an ORM update and flush (`Members.save`)."""
    workspace = work.workspaces.ensure(TEAM, NOW)
    profile = MemberProfile("U0ANNA0001", "Anna", "Europe/Athens", "el-GR")
    return work.members.save(workspace, profile, NOW).id


def _claim(work: UnitOfWork, member_id: int) -> int:
    """A delivery claimed by a Core insert on the unit of work's connection."""
    delivery = work.deliveries.claim(
        member_id,
        kind="lesson",
        local_date=None,
        lesson_id="strategy-1",
        skill="strategy",
        locale="el",
        answer_index=1,
        now=NOW,
    )
    assert delivery is not None
    return delivery.id


def _status(database: Database, delivery_id: int) -> str | None:
    with database.uow() as work:
        delivery = work.deliveries.get(delivery_id)
        return None if delivery is None else delivery.status


def test_a_core_write_then_an_orm_write_are_committed_together(database: Database) -> None:
    with database.uow() as work:
        member_id = _member_id(work)
        work.commit()
    with database.uow() as work:
        delivery_id = _claim(work, member_id)  # Core: the session has not begun
        work.deliveries.mark_failed(delivery_id, "channel_not_found")  # the ORM's, flushed
        work.commit()
    assert _status(database, delivery_id) == "failed"


def test_an_orm_write_then_a_core_write_are_committed_together(database: Database) -> None:
    with database.uow() as work:
        member_id = _member_id(work)  # the session holds the transaction from here
        delivery_id = _claim(work, member_id)
        work.commit()
    assert _status(database, delivery_id) == "claimed"
    with database.uow() as work:
        assert work.workspaces.find(TEAM) is not None


def test_core_and_orm_writes_left_without_a_commit_are_both_rolled_back(
    database: Database,
) -> None:
    with database.uow() as work:
        member_id = _member_id(work)
        work.commit()
    with database.uow() as work:
        delivery_id = _claim(work, member_id)
        work.deliveries.mark_failed(delivery_id, "channel_not_found")
    assert _status(database, delivery_id) is None
    with database.uow() as work:
        delivery_id = _claim(work, member_id)
        work.commit()  # a second transaction on the same unit of work, never committed:
        work.deliveries.mark_failed(delivery_id, "channel_not_found")
        work.deliveries.mark_sent(delivery_id, "D0ANNA0001", "1.000100", NOW)
    assert _status(database, delivery_id) == "claimed"
