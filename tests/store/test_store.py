"""The store on a real database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from bot.learning.model import Delivery, History, LessonEvent, Member, MemberProfile
from bot.learning.reviews import DueCard, review
from bot.slack import installs  # declares slack_sdk's install tables in Nudge's metadata
from bot.store.db import (
    HEAD_REVISION,
    SchemaOutOfDate,
    current_revision,
    ensure_schema,
    head_revision,
    make_engine,
)
from bot.store.members import Asker
from bot.store.tables import Base
from bot.store.uow import Database, UnitOfWork

NOW = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)
ANNA = MemberProfile("U0ANNA0001", "Anna", "Europe/Athens", "el-GR")


@pytest.fixture
def uow(engine: Engine) -> Iterator[UnitOfWork]:
    """One unit of work a test writes through; it commits where the test says."""
    with Database(engine).uow() as work:
        yield work


def test_migrations_build_exactly_the_tables_the_code_declares(engine: Engine) -> None:
    # The store may not import Slack's SDK (tests/test_layers.py), so the install tables join the
    # metadata where the edge declares them; imported here, this test holds when run on its own.
    for table in (installs.BOTS, installs.INSTALLATIONS, installs.STATES):
        assert Base.metadata.tables[table.name] is table
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert current_revision(engine) == head_revision() == HEAD_REVISION


def test_an_old_schema_is_refused_with_the_command_to_run(database_url: str) -> None:
    empty = make_engine(database_url)
    with pytest.raises(SchemaOutOfDate, match=r"run `python -m bot db upgrade`"):
        ensure_schema(empty, auto_upgrade=False)
    empty.dispose()


def _member(uow: UnitOfWork) -> Member:
    workspace = uow.workspaces.ensure("T0ACME001", NOW)
    return uow.members.save(workspace, ANNA, NOW)


def _claim(
    uow: UnitOfWork, member_id: int, local_date: date | None = date(2026, 11, 26)
) -> Delivery | None:
    return uow.deliveries.claim(
        member_id,
        kind="lesson",
        local_date=local_date,
        lesson_id="strategy-1",
        skill="strategy",
        locale="el",
        answer_index=1,
        now=NOW,
    )


def test_a_scheduled_delivery_can_be_claimed_once_a_day(uow: UnitOfWork) -> None:
    member = _member(uow)
    first = _claim(uow, member.id)
    assert first is not None
    assert _claim(uow, member.id) is None
    assert _claim(uow, member.id, date(2026, 11, 27)) is not None
    uow.commit()  # the refused claim left the transaction usable


def test_a_claim_another_transaction_made_first_is_refused(engine: Engine) -> None:
    database = Database(engine)
    with database.uow() as first:
        member = _member(first)
        assert _claim(first, member.id) is not None
        first.commit()
    with database.uow() as second:
        assert _claim(second, member.id) is None


def test_on_demand_deliveries_are_not_limited_to_one_a_day(uow: UnitOfWork) -> None:
    member = _member(uow)
    assert _claim(uow, member.id, None) is not None
    assert _claim(uow, member.id, None) is not None


def test_a_second_response_to_a_delivery_is_refused_and_the_first_kept(uow: UnitOfWork) -> None:
    member = _member(uow)
    delivery = _claim(uow, member.id)
    assert delivery is not None
    assert uow.responses.add(delivery, 1, True, NOW) is True
    assert uow.responses.add(delivery, 0, False, NOW) is False
    response = uow.responses.for_delivery(delivery.id)
    assert response is not None and (response.choice, response.correct) == (1, True)
    assert uow.responses.count() == 1


def test_nothing_is_kept_without_a_commit(engine: Engine) -> None:
    database = Database(engine)
    with database.uow() as work:
        _member(work)
    with database.uow() as work:
        assert work.workspaces.find("T0ACME001") is None


def test_finding_a_workspace_never_creates_one(uow: UnitOfWork) -> None:
    assert uow.workspaces.find("T0NEVER01") is None
    assert uow.workspaces.find("T0NEVER01") is None
    assert uow.workspaces.ensure("T0NEVER01", NOW) == uow.workspaces.ensure("T0NEVER01", NOW)


def test_times_come_back_as_aware_utc(uow: UnitOfWork) -> None:
    member = _member(uow)
    delivery = _claim(uow, member.id)
    assert delivery is not None
    uow.deliveries.mark_sent(delivery.id, "D0ANNA0001", "1700000000.000100", NOW)
    uow.commit()
    (seen,) = uow.deliveries.history(member.id).seen.values()
    assert seen.last_delivered_at == NOW and seen.last_delivered_at.tzinfo is not None


def test_the_asker_is_the_workspace_setup_the_member_and_the_lessons_they_asked_for(
    uow: UnitOfWork,
) -> None:
    assert uow.members.asker("T0NEVER01", ANNA.slack_user_id, NOW) == Asker(None, None, None, 0)
    workspace = uow.workspaces.ensure("T0ACME001", NOW)
    assert uow.members.asker("T0ACME001", ANNA.slack_user_id, NOW) == Asker(
        workspace, None, None, 0
    )
    uow.workspaces.save_settings(workspace, {"admins": ["U0BEN00001"]})
    member = uow.members.save(workspace, ANNA, NOW)
    hour_ago = NOW - timedelta(hours=1)
    for minutes, local_date, kind in [
        (-90, None, "lesson"),  # asked for before the hour: not counted
        (-30, None, "lesson"),
        (-20, None, "review"),
        (-10, date(2026, 11, 26), "lesson"),  # the day's scheduled lesson: not asked for
        (-5, None, "question"),  # not a lesson
    ]:
        claimed = uow.deliveries.claim(
            member.id,
            kind=kind,
            local_date=local_date,
            lesson_id="strategy-1",
            skill="strategy",
            locale="en",
            answer_index=0,
            now=NOW + timedelta(minutes=minutes),
        )
        assert claimed is not None
    uow.commit()
    asker = uow.members.asker("T0ACME001", ANNA.slack_user_id, hour_ago)
    assert asker == Asker(workspace, {"admins": ["U0BEN00001"]}, member, 2)
    assert asker.asked == len(uow.deliveries.asked_since(member.id, hour_ago))
    someone_else = uow.members.asker("T0ACME001", "U0BEN00001", hour_ago)
    assert someone_else == Asker(workspace, {"admins": ["U0BEN00001"]}, None, 0)


def test_saving_a_member_again_updates_the_profile_and_keeps_one_row(uow: UnitOfWork) -> None:
    first = _member(uow)
    moved = MemberProfile(ANNA.slack_user_id, "Anna P.", "Europe/London", "en-GB")
    again = uow.members.save(first.workspace_id, moved, NOW, is_lead=True)
    assert again.id == first.id
    assert (again.tz, again.locale, again.is_lead) == ("Europe/London", "en-GB", True)


def test_a_naive_time_is_refused(uow: UnitOfWork) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        uow.workspaces.ensure("T0OTHER01", datetime(2026, 11, 26, 9, 0))


def test_member_totals_count_sent_lessons_responses_and_skills(uow: UnitOfWork) -> None:
    anna = _member(uow)
    ben = uow.members.save(anna.workspace_id, MemberProfile("U0BEN", "Ben", "UTC", "en-US"), NOW)
    sent = _claim(uow, anna.id, date(2026, 11, 26))
    unsent = _claim(uow, anna.id, date(2026, 11, 27))
    assert sent is not None and unsent is not None
    uow.deliveries.mark_sent(sent.id, "D1", "1.1", NOW)
    uow.responses.add(sent, 1, True, NOW)
    # The same person in another workspace (an Enterprise Grid user keeps one id), with a wrong
    # answer of their own: none of it may reach this workspace's totals.
    elsewhere = uow.members.save(uow.workspaces.ensure("T0OTHER01", NOW), ANNA, NOW)
    theirs = _claim(uow, elsewhere.id, date(2026, 11, 26))
    assert theirs is not None
    uow.deliveries.mark_sent(theirs.id, "D2", "2.2", NOW)
    uow.responses.add(theirs, 0, False, NOW)

    totals = {t.slack_user_id: t for t in uow.responses.member_totals(anna.workspace_id)}

    assert set(totals) == {"U0ANNA0001", ben.slack_user_id}
    assert (totals["U0ANNA0001"].lessons, totals["U0ANNA0001"].responses) == (1, 1)
    assert (totals["U0ANNA0001"].correct, totals["U0ANNA0001"].skills) == (1, ("strategy",))
    assert (totals[ben.slack_user_id].lessons, totals[ben.slack_user_id].skills) == (0, ())


def test_the_aggregate_history_matches_the_lessons_one_by_one(uow: UnitOfWork) -> None:
    """One GROUP BY query gives what the pure rules would count from the whole list."""
    member = _member(uow)
    sent = [("strategy-1", True), ("care-1", None), ("strategy-1", False), ("care-2", True)]
    events = []
    for hour, (lesson_id, correct) in enumerate(sent):
        at = NOW + timedelta(hours=hour)
        delivery = uow.deliveries.claim(
            member.id,
            kind="lesson",
            local_date=None,
            lesson_id=lesson_id,
            skill=lesson_id.split("-")[0],
            locale="en",
            answer_index=0,
            now=at,
        )
        assert delivery is not None
        uow.deliveries.mark_sent(delivery.id, "D1", f"{hour}.1", at)
        if correct is not None:
            uow.responses.add(delivery, 0 if correct else 1, correct, at)
        events.append(LessonEvent(lesson_id, delivery.skill, at, correct))
    unsent = _claim(uow, member.id)  # claimed, never sent: not part of the history
    assert unsent is not None
    uow.commit()

    stored, counted = uow.deliveries.history(member.id), History.of(events)

    def without_order(history: History) -> dict[str, tuple[object, ...]]:
        return {
            lesson: (s.skill, s.delivered, s.answered, s.correct, s.last_delivered_at)
            for lesson, s in history.seen.items()
        }

    assert without_order(stored) == without_order(counted)
    assert stored.engagement() == counted.engagement()
    assert stored.last is not None and stored.last.lesson_id == "care-2"


def test_an_empty_database_has_no_revision(database_url: str) -> None:
    empty = make_engine(database_url)
    assert current_revision(empty) is None
    empty.dispose()


def _answered(uow: UnitOfWork, member_id: int, lesson_id: str, correct: bool, at: datetime) -> None:
    uow.cards.save(member_id, lesson_id, review(uow.cards.get(member_id, lesson_id), correct, at))


def test_a_card_is_kept_per_member_and_lesson_and_replaced_by_the_next_answer(
    engine: Engine,
) -> None:
    database = Database(engine)
    with database.uow() as work:
        member = _member(work)
        assert work.cards.get(member.id, "strategy-1") is None
        _answered(work, member.id, "strategy-1", False, NOW)
        first = work.cards.get(member.id, "strategy-1")
        _answered(work, member.id, "strategy-1", True, NOW + timedelta(days=1))
        work.commit()
    with database.uow() as work:
        stored = work.cards.get(member.id, "strategy-1")
        assert work.cards.get(member.id, "care-1") is None
    assert first is not None and stored is not None
    assert stored == review(first, True, NOW + timedelta(days=1))  # times come back aware UTC
    assert stored.due.tzinfo is not None and stored.last_review == NOW + timedelta(days=1)


def test_due_cards_come_oldest_first_bounded_and_only_once_due(uow: UnitOfWork) -> None:
    member = _member(uow)
    ben = uow.members.save(member.workspace_id, MemberProfile("U0BEN", "Ben", "UTC", "en-US"), NOW)
    for hour, (lesson_id, correct) in enumerate(
        [("care-1", True), ("strategy-2", False), ("strategy-1", False), ("care-2", False)]
    ):
        _answered(uow, member.id, lesson_id, correct, NOW + timedelta(hours=hour))
    _answered(uow, ben.id, "strategy-9", False, NOW - timedelta(days=9))
    uow.commit()
    one_day = NOW + timedelta(days=1)

    assert uow.cards.due(member.id, NOW) == []
    soon = uow.cards.due(member.id, one_day + timedelta(hours=2))
    assert _ids(soon) == ["strategy-2", "strategy-1"]
    stored = uow.cards.get(member.id, "strategy-2")
    assert stored is not None
    assert (soon[0].due, soon[0].last_review, soon[0].stability) == (
        stored.due,
        stored.last_review,
        stored.stability,
    )
    everything = uow.cards.due(member.id, NOW + timedelta(days=30))
    assert _ids(everything) == ["strategy-2", "strategy-1", "care-2", "care-1"]
    assert uow.cards.due(member.id, NOW + timedelta(days=30), limit=2) == everything[:2]
    among = uow.cards.due(member.id, NOW + timedelta(days=30), among={"care-1", "care-2"})
    assert _ids(among) == ["care-2", "care-1"]


def _ids(cards: list[DueCard]) -> list[str]:
    return [card.lesson_id for card in cards]


def _resend(uow: UnitOfWork, member_id: int, at: datetime, status: str | None) -> None:
    """strategy-1 delivered again at `at` as a review: left claimed (None), sent or failed."""
    delivery = uow.deliveries.claim(
        member_id,
        kind="review",
        local_date=None,
        lesson_id="strategy-1",
        skill="strategy",
        locale="en",
        answer_index=1,
        now=at,
    )
    assert delivery is not None
    if status == "sent":
        uow.deliveries.mark_sent(delivery.id, "D1", "1.1", at)
    elif status == "failed":
        uow.deliveries.mark_failed(delivery.id, "channel_not_found")


def test_a_due_lesson_sent_again_waits_for_its_answer_before_it_is_due_again(
    uow: UnitOfWork,
) -> None:
    member = _member(uow)
    _answered(uow, member.id, "strategy-1", False, NOW)
    later = NOW + timedelta(days=1, hours=1)
    _resend(uow, member.id, NOW, "sent")  # the first delivery, before the card fell due
    _resend(uow, member.id, later, "failed")  # a send that failed is no review
    _resend(uow, member.id, later, None)  # nor one that was never sent
    assert _ids(uow.cards.due(member.id, later)) == ["strategy-1"]

    _resend(uow, member.id, later, "sent")
    assert uow.cards.due(member.id, later + timedelta(days=9)) == []  # waiting for the answer

    _answered(uow, member.id, "strategy-1", False, later + timedelta(hours=1))
    assert _ids(uow.cards.due(member.id, later + timedelta(days=2))) == ["strategy-1"]


def test_postgresql_connections_get_timeouts_and_keepalives_the_url_can_override() -> None:
    """lock_timeout follows DATABASE_BUSY_TIMEOUT; the URL's own parameters and options win."""
    from bot.store.db import postgresql_connect_args

    args = postgresql_connect_args("postgresql+psycopg://u@h/db", busy_timeout=2.5)
    assert args["options"] == "-c lock_timeout=2500 -c statement_timeout=60000"
    assert (args["connect_timeout"], args["keepalives"], args["tcp_user_timeout"]) == (5, 1, 15000)
    given = "postgresql+psycopg://u@h/db?keepalives_idle=5&options=-csearch_path%3Dt1"
    args = postgresql_connect_args(given, busy_timeout=0)
    assert "keepalives_idle" not in args and args["keepalives_count"] == 3
    assert args["options"] == "-c lock_timeout=1 -c statement_timeout=60000 -csearch_path=t1"
