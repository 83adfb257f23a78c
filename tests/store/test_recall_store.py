"""What the team remembers, summed by the database (SQLite, and PostgreSQL when TEST_DATABASE_URL
is set), against fsrs's own retrievability card by card; and the migration that keeps stability."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from fsrs import Card
from sqlalchemy import Engine, insert, select

from bot.learning.model import MemberProfile
from bot.learning.reviews import SCHEDULER, StoredCard, review
from bot.store import tables
from bot.store.db import _alembic_config, make_engine, upgrade
from bot.store.uow import Database

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PEOPLE = [MemberProfile(f"U0PERSON0{n}", f"Person {n}", "UTC", "en-US") for n in range(3)]
# (person, lesson, answers as (right?, days before now)): a hand-made team
ANSWERS = [
    (0, "alpha-1", [(True, 40), (True, 30)]),
    (0, "alpha-2", [(False, 3)]),
    (1, "alpha-1", [(True, 10.5)]),
    (1, "beta-1", [(True, 0.2)]),
    (2, "beta-1", [(False, 100), (True, 70), (True, 2)]),
]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = make_engine(database_url)
    upgrade(created)
    yield created
    created.dispose()


def _cards(engine: Engine) -> dict[tuple[int, str], StoredCard]:
    cards: dict[tuple[int, str], StoredCard] = {}
    with Database(engine).uow() as work:
        workspace = work.workspaces.ensure("T0ACME001", NOW)
        ids = [work.members.save(workspace, person, NOW).id for person in PEOPLE]
        for person in PEOPLE:
            work.members.update(workspace, person.slack_user_id, in_channel=True)
        for person, lesson, answers in ANSWERS:
            card = None
            for right, days in answers:
                card = review(card, right, NOW - timedelta(days=days))
            assert card is not None
            work.cards.save(ids[person], lesson, card)
            cards[ids[person], lesson] = card
        work.commit()
    return cards


def _fsrs(card: StoredCard) -> float:
    return SCHEDULER.get_card_retrievability(Card.from_json(card.fsrs_card), NOW)


def test_the_team_sums_are_fsrs_retrievability_card_by_card(engine: Engine) -> None:
    cards = _cards(engine)
    with Database(engine).uow() as work:
        workspace = work.workspaces.find("T0ACME001")
        assert workspace is not None
        team = dict(work.recalls.team_lessons(workspace, NOW))
        first = min(member for member, _lesson in cards)
        own = dict(work.recalls.member_lessons(first, NOW))
    for lesson in ("alpha-1", "alpha-2", "beta-1"):
        mine = [card for (_member, name), card in cards.items() if name == lesson]
        assert team[lesson].cards == len(mine)
        assert team[lesson].expected == pytest.approx(sum(_fsrs(card) for card in mine), rel=1e-9)
    assert set(own) == {"alpha-1", "alpha-2"}
    assert own["alpha-2"].expected == pytest.approx(_fsrs(cards[first, "alpha-2"]), rel=1e-9)
    assert 0 < own["alpha-2"].expected < own["alpha-1"].expected < 1


def test_the_migration_copies_stability_out_of_each_cards_json(database_url: str) -> None:
    engine = make_engine(database_url)
    command.upgrade(_alembic_config(engine), "0005")
    card = review(review(None, True, NOW - timedelta(days=9)), True, NOW - timedelta(days=2))
    with Database(engine).uow() as work:
        workspace = work.workspaces.ensure("T0ACME001", NOW)
        member = work.members.save(workspace, PEOPLE[0], NOW)
        work.session.execute(
            insert(tables.Card.__table__).values(
                member_id=member.id,
                lesson_id="alpha-1",
                fsrs_card=card.fsrs_card,
                due=card.due,
                last_review=card.last_review,
            )
        )
        work.commit()
    upgrade(engine)
    with engine.connect() as connection:
        stored = connection.scalar(select(tables.Card.stability))
    engine.dispose()
    assert stored == pytest.approx(card.stability)
    assert card.stability is not None and card.stability > 1
