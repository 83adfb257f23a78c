"""The team-wide figures' aggregate queries on SQLite and PostgreSQL alike (one statement each)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bot.learning.figures import MemberStates
from bot.learning.model import MemberProfile
from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database, UnitOfWork

NOW = datetime(2027, 3, 26, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def uow(database_url: str) -> Iterator[UnitOfWork]:
    engine: Engine = make_engine(database_url)
    ensure_schema(engine, auto_upgrade=True)
    with Database(engine).uow() as work:
        yield work
    engine.dispose()


def _people(uow: UnitOfWork, count: int) -> tuple[int, list[int]]:
    workspace = uow.workspaces.ensure("T0ACME001", NOW)
    ids = []
    for n in range(count):
        profile = MemberProfile(f"U0{n:08d}", f"Person {n}", "UTC", "en-US")
        uow.members.add(workspace, profile, NOW, away_until=None)
        member = uow.members.find(workspace, profile.slack_user_id)
        assert member is not None
        ids.append(member.id)
    return workspace, ids


def test_member_states_and_the_weeks_traffic(uow: UnitOfWork) -> None:
    workspace, ids = _people(uow, 5)
    uow.members.update(workspace, "U000000001", paused_until=TODAY)  # paused through today
    uow.members.update(workspace, "U000000002", away_until=NOW + timedelta(hours=1))
    uow.members.update(workspace, "U000000003", choice="leave")
    uow.members.update(workspace, "U000000004", paused_until=TODAY - timedelta(days=1))
    outcomes = [("sent", None), ("failed", "channel_not_found"), ("failed", "account_inactive"),
                ("failed", "channel_not_found"), ("failed", None), ("sent", None)]  # fmt: skip
    for n, (status, error) in enumerate(outcomes):
        claimed = uow.deliveries.claim(
            ids[0], kind="lesson", local_date=date(2027, 3, 20 + n), lesson_id="a-1",
            skill="a", locale="en", answer_index=0, now=NOW - timedelta(days=n),
        )  # fmt: skip
        assert claimed is not None
        if status == "sent":
            uow.deliveries.mark_sent(claimed.id, "D0", f"{n}.0", NOW)
            uow.responses.add(claimed, 0, True, NOW - timedelta(days=n))
        else:
            uow.deliveries.mark_failed(claimed.id, error or "")
    uow.commit()

    assert uow.figures.member_states(workspace, TODAY, NOW) == MemberStates(2, 2, 1)
    # The last delivery, claimed five days ago, falls before the period.
    week = uow.figures.traffic(workspace, NOW - timedelta(days=4), NOW + timedelta(seconds=1))
    assert (week.delivered, week.answers) == (1, 1)
    assert week.failed == {"channel_not_found": 2, "account_inactive": 1, "": 1}
