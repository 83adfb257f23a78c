"""The store on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from bot.learning.model import MemberProfile
from bot.store.db import (
    SchemaOutOfDate,
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
)
from bot.store.repository import Store
from bot.store.tables import Base

NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
ANNA = MemberProfile("U0ANNA0001", "Anna", "Europe/Athens", "el-GR")


@pytest.fixture
def engine(database_url: str) -> Engine:
    created = make_engine(database_url)
    ensure_schema(created, auto_upgrade=True)
    yield created
    created.dispose()


@pytest.fixture
def store(engine: Engine) -> Store:
    return Store(engine)


def test_migrations_build_exactly_the_tables_the_code_declares(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()


def test_an_old_schema_is_refused_with_the_command_to_run(database_url: str) -> None:
    empty = make_engine(database_url)
    with pytest.raises(SchemaOutOfDate, match=r"run `python -m bot db upgrade`"):
        ensure_schema(empty, auto_upgrade=False)
    empty.dispose()


def _member(store: Store):
    workspace = store.workspace_id("T0ACME001", NOW)
    return store.save_member(workspace, ANNA, NOW)


def _claim(store: Store, member_id: int, local_date: date | None = date(2026, 11, 26)):
    return store.claim_delivery(
        member_id,
        kind="lesson",
        local_date=local_date,
        lesson_id="strategy-1",
        skill="strategy",
        locale="el",
        answer_index=1,
        now=NOW,
    )


def test_a_scheduled_delivery_can_be_claimed_once_a_day(store: Store) -> None:
    member = _member(store)
    first = _claim(store, member.id)
    assert first is not None
    assert _claim(store, member.id) is None
    assert _claim(store, member.id, date(2026, 11, 27)) is not None


def test_on_demand_deliveries_are_not_limited_to_one_a_day(store: Store) -> None:
    member = _member(store)
    assert _claim(store, member.id, None) is not None
    assert _claim(store, member.id, None) is not None


def test_a_second_answer_to_a_delivery_is_refused_and_the_first_kept(store: Store) -> None:
    member = _member(store)
    delivery = _claim(store, member.id)
    assert delivery is not None
    assert store.record_answer(delivery, 1, True, NOW) is True
    assert store.record_answer(delivery, 0, False, NOW) is False
    answer = store.answer(delivery.id)
    assert answer is not None and (answer.choice, answer.correct) == (1, True)
    assert store.response_count() == 1


def test_times_come_back_as_aware_utc(store: Store) -> None:
    member = _member(store)
    delivery = _claim(store, member.id)
    assert delivery is not None
    store.mark_sent(delivery.id, "D0ANNA0001", "1700000000.000100", NOW)
    (event,) = store.lesson_events(member.id)
    assert event.delivered_at == NOW and event.delivered_at.tzinfo is not None


def test_saving_a_member_again_updates_the_profile_and_keeps_one_row(store: Store) -> None:
    first = _member(store)
    moved = MemberProfile(ANNA.slack_user_id, "Anna P.", "Europe/London", "en-GB")
    again = store.save_member(first.workspace_id, moved, NOW, is_lead=True)
    assert again.id == first.id
    assert (again.tz, again.locale, again.is_lead) == ("Europe/London", "en-GB", True)


def test_a_naive_time_is_refused(store: Store) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        store.workspace_id("T0OTHER01", datetime(2026, 11, 26, 9, 0))


def test_member_totals_count_sent_lessons_answers_and_skills(store: Store) -> None:
    anna = _member(store)
    ben = store.save_member(anna.workspace_id, MemberProfile("U0BEN", "Ben", "UTC", "en-US"), NOW)
    sent = _claim(store, anna.id, date(2026, 11, 26))
    unsent = _claim(store, anna.id, date(2026, 11, 27))
    assert sent is not None and unsent is not None
    store.mark_sent(sent.id, "D1", "1.1", NOW)
    store.record_answer(sent, 1, True, NOW)

    totals = {t.slack_user_id: t for t in store.member_totals(anna.workspace_id)}

    assert (totals["U0ANNA0001"].lessons, totals["U0ANNA0001"].answers) == (1, 1)
    assert (totals["U0ANNA0001"].correct, totals["U0ANNA0001"].skills) == (1, ("strategy",))
    assert (totals[ben.slack_user_id].lessons, totals[ben.slack_user_id].skills) == (0, ())
