"""The unit of work: statements on the Core tables (run on its connection) and the ORM's (through
its session, made when the ORM is first used) are one transaction, committed together or rolled
back together, in either order."""

from __future__ import annotations

from bot.store.uow import Database, UnitOfWork
from tests.store.test_store import NOW, _claim, _member

TEAM = "T0ACME001"  # `_member`'s


def _member_id(work: UnitOfWork) -> int:
    """The member, written with a Core insert then an ORM update and flush (`Members.save`)."""
    return _member(work).id


def _committed_member(database: Database) -> int:
    with database.uow() as work:
        member_id = _member_id(work)
        work.commit()
    return member_id


def _claim_now(work: UnitOfWork, member_id: int) -> int:
    """A delivery claimed by a Core insert on the unit of work's connection."""
    delivery = _claim(work, member_id, None)
    assert delivery is not None
    return delivery.id


def _status(database: Database, delivery_id: int) -> str | None:
    with database.uow() as work:
        delivery = work.deliveries.get(delivery_id)
        return None if delivery is None else delivery.status


def test_a_core_write_then_an_orm_write_are_committed_together(database: Database) -> None:
    member_id = _committed_member(database)
    with database.uow() as work:
        delivery_id = _claim_now(work, member_id)  # Core: the session has not begun
        work.deliveries.mark_failed(delivery_id, "channel_not_found")  # the ORM's, flushed
        work.commit()
    assert _status(database, delivery_id) == "failed"


def test_an_orm_write_then_a_core_write_are_committed_together(database: Database) -> None:
    with database.uow() as work:
        member_id = _member_id(work)  # the session holds the transaction from here
        delivery_id = _claim_now(work, member_id)
        work.commit()
    assert _status(database, delivery_id) == "claimed"
    with database.uow() as work:
        assert work.workspaces.find(TEAM) is not None


def test_core_and_orm_writes_left_without_a_commit_are_both_rolled_back(
    database: Database,
) -> None:
    member_id = _committed_member(database)
    with database.uow() as work:
        delivery_id = _claim_now(work, member_id)
        work.deliveries.mark_failed(delivery_id, "channel_not_found")
    assert _status(database, delivery_id) is None
    with database.uow() as work:
        delivery_id = _claim_now(work, member_id)
        work.commit()  # a second transaction on the same unit of work, never committed:
        work.deliveries.mark_failed(delivery_id, "channel_not_found")
        work.deliveries.mark_sent(delivery_id, "D0ANNA0001", "1.000100", NOW)
    assert _status(database, delivery_id) == "claimed"


def test_a_unit_of_work_of_core_statements_makes_no_session(database: Database) -> None:
    member_id = _committed_member(database)
    with database.uow() as work:
        delivery_id = _claim_now(work, member_id)
        work.deliveries.mark_sent(delivery_id, "D0ANNA0001", "1.000100", NOW)
        work.commit()
        assert "session" not in vars(work)  # a lesson's units of work: Core statements only
    assert _status(database, delivery_id) == "sent"


def test_a_session_first_made_after_a_commit_joins_the_next_transaction(
    database: Database,
) -> None:
    member_id = _committed_member(database)
    with database.uow() as work:
        kept = _claim_now(work, member_id)
        work.commit()  # on the connection: no session yet
        dropped = _claim_now(work, member_id)  # a second claim, Core again
        work.deliveries.mark_failed(dropped, "channel_not_found")  # the session, made now
    assert _status(database, kept) == "claimed"
    assert _status(database, dropped) is None
    with database.uow() as work:
        delivery_id = _claim_now(work, member_id)
        work.commit()
        work.deliveries.mark_failed(delivery_id, "channel_not_found")  # the session's first use
        work.commit()
    assert _status(database, delivery_id) == "failed"
