"""The senders' queue and shared pace on a real database (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set; SKIP LOCKED itself only on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.learning.model import MemberProfile
from bot.store.uow import Database, UnitOfWork

NOW = datetime(2027, 3, 22, 7, 30, tzinfo=UTC)
DAY = date(2027, 3, 22)


def _team(database: Database, team_id: str, people: int) -> tuple[int, list[int]]:
    """A workspace with `people` members, each with a lesson claimed and queued for the senders."""
    with database.uow() as uow:
        workspace_id = uow.workspaces.ensure(team_id, NOW)
        ids = []
        for n in range(people):
            profile = MemberProfile(f"U{team_id[-3:]}{n:05d}", f"m{n}", "UTC", "en-US")
            member = uow.members.save(workspace_id, profile, NOW, is_lead=False, is_admin=False)
            ids.append(_queue(uow, member.id))
        uow.commit()
    return workspace_id, ids


def _queue(uow: UnitOfWork, member_id: int, *, day: date | None = DAY, queued: bool = True) -> int:
    claimed = uow.deliveries.claim(
        member_id,
        kind="lesson",
        local_date=day,
        lesson_id="alpha-1",
        skill="alpha",
        locale="en",
        answer_index=0,
        now=NOW,
        queued=queued,
    )
    assert claimed is not None
    return claimed.id


def _take_all(database: Database, workspace_id: int | None = None) -> list[int]:
    taken = []
    while True:
        with database.uow() as uow:
            one = uow.sending.take(NOW, workspace_id)
            uow.commit()
        if one is None:
            return taken
        taken.append(one.delivery.id)


def test_each_queued_delivery_is_taken_once_oldest_first_with_its_member_and_team(
    database: Database,
) -> None:
    _, ids = _team(database, "T0ACME001", 3)
    with database.uow() as uow:
        first = uow.sending.take(NOW)
        uow.commit()
    assert first is not None
    assert (first.delivery.id, first.team_id) == (ids[0], "T0ACME001")
    assert first.member.slack_user_id == "U00100000"
    assert [first.delivery.id, *_take_all(database)] == ids
    with database.uow() as uow:
        assert uow.sending.queued() == 0


def test_a_claim_sent_at_once_is_never_in_the_queue(database: Database) -> None:
    """/learn now and the old clock claim and send in one go: no sender may take those."""
    _, queued = _team(database, "T0ACME001", 1)
    with database.uow() as uow:
        workspace_id = uow.workspaces.ensure("T0ACME001", NOW)
        member = uow.members.find(workspace_id, "U00100000")
        assert member is not None
        _queue(uow, member.id, day=None, queued=False)  # /learn now: claimed, sent at once
        uow.commit()
    assert _take_all(database) == queued


def test_a_sender_takes_only_its_workspace_when_told(database: Database) -> None:
    acme, acme_ids = _team(database, "T0ACME001", 2)
    other, other_ids = _team(database, "T0OTHR002", 2)
    assert _take_all(database, other) == other_ids
    assert _take_all(database, acme) == acme_ids


def test_a_sender_takes_from_the_workspace_whose_slot_comes_first(database: Database) -> None:
    """Both fan-outs queued, one workspace's after the other's (as the clock plans them): once
    the first has a slot waiting, a sender takes from the second rather than queue behind it,
    and they alternate as their slots do."""
    _, acme_ids = _team(database, "T0ACME001", 2)
    _, other_ids = _team(database, "T0OTHR002", 2)
    taken = []
    for _ in range(4):
        with database.uow() as uow:
            one = uow.sending.take(NOW)
            assert one is not None
            uow.sending.pace(one.member.workspace_id, 60.0)  # as a sender does next
            uow.commit()
        taken.append(one.delivery.id)
    assert taken == [acme_ids[0], other_ids[0], acme_ids[1], other_ids[1]]


def test_only_taken_claims_go_stale_a_queued_one_waits_for_its_sender(database: Database) -> None:
    _, ids = _team(database, "T0ACME001", 2)
    with database.uow() as uow:
        assert uow.sending.take(NOW) is not None  # the first is in flight, the second queued
        uow.commit()
    with database.uow() as uow:
        assert uow.deliveries.resolve_stale(NOW + timedelta(hours=1)) == 1
        uow.commit()
    with database.uow() as uow:
        statuses = [uow.deliveries.get(i) for i in ids]
        assert [d.status if d else None for d in statuses] == ["unknown", "claimed"]
        assert uow.sending.queued() == 1


def test_the_pace_gives_each_send_the_next_slot_of_its_workspace(database: Database) -> None:
    """Slots `interval` apart, per workspace, whichever connection asks: the waits grow by the
    interval (a minute here, so that the time the queries take is lost in the rounding)."""
    acme, _ = _team(database, "T0ACME001", 0)
    other, _ = _team(database, "T0OTHR002", 0)
    waits = []
    for workspace_id in (acme, acme, other, acme, other):
        with database.uow() as uow:
            waits.append(round(uow.sending.pace(workspace_id, 60.0)))
            uow.commit()
    assert waits == [0, 60, 0, 120, 60]


def test_a_quiet_spell_saves_up_no_burst(database: Database) -> None:
    acme, _ = _team(database, "T0ACME001", 0)
    with database.uow() as uow:
        uow.session.execute(
            text("INSERT INTO send_pace (workspace_id, next_at) VALUES (:w, 1)"), {"w": acme}
        )
        uow.commit()
    waits = []
    for _ in range(2):
        with database.uow() as uow:
            waits.append(round(uow.sending.pace(acme, 60.0)))
            uow.commit()
    assert waits == [0, 60]  # a slot from long ago is not spent: the first goes now, then paced


def test_skip_locked_hands_a_second_sender_the_next_row_without_waiting(
    database: Database, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("SKIP LOCKED is PostgreSQL's: on SQLite one process sends")
    _, ids = _team(database, "T0ACME001", 2)
    with database.uow() as first, database.uow() as second:
        # The second would wait for the first's lock without SKIP LOCKED: it may not wait at all.
        second.session.execute(text("SET LOCAL lock_timeout = '1ms'"))
        one = first.sending.take(NOW)  # not committed: its row stays locked
        two = second.sending.take(NOW)
        assert (one and one.delivery.id, two and two.delivery.id) == (ids[0], ids[1])
        assert second.sending.take(NOW) is None  # nothing else unlocked
        first.commit()
        second.commit()
    assert _take_all(database) == []


def test_a_workspaces_tick_resolves_and_counts_only_its_own_stale_claims(
    database: Database,
) -> None:
    acme, acme_ids = _team(database, "T0ACME001", 1)
    other, other_ids = _team(database, "T0OTHR002", 1)
    assert len(_take_all(database)) == 2  # both in flight, both cut off
    with database.uow() as uow:
        assert uow.deliveries.resolve_stale(NOW + timedelta(hours=1), acme) == 1
        uow.commit()
    with database.uow() as uow:
        statuses = [uow.deliveries.get(i) for i in (*acme_ids, *other_ids)]
        assert [d.status if d else None for d in statuses] == ["unknown", "claimed"]
        assert uow.deliveries.resolve_stale(NOW + timedelta(hours=1), other) == 1
