"""The unit of work: one database transaction that a use case commits once, or not at all.

`with database.uow() as uow:` opens a session and the repositories on it; `uow.commit()` makes the
use case's writes durable together; leaving the block without a commit rolls everything back, so a
use case that fails half-way leaves nothing half-written.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.members import Members, Workspaces
from bot.store.repositories import Cards, Deliveries, Responses
from bot.store.weekly import StrategyAnswers, TeamPosts


class UnitOfWork:
    workspaces: Workspaces
    members: Members
    deliveries: Deliveries
    responses: Responses
    strategy_answers: StrategyAnswers
    team_posts: TeamPosts
    cards: Cards

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        self.session = self._sessions()
        self.workspaces = Workspaces(self.session)
        self.members = Members(self.session)
        self.deliveries = Deliveries(self.session)
        self.responses = Responses(self.session)
        self.strategy_answers = StrategyAnswers(self.session)
        self.team_posts = TeamPosts(self.session)
        self.cards = Cards(self.session)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.session.rollback()  # after a commit there is nothing left to roll back
        self.session.close()

    def commit(self) -> None:
        self.session.commit()


class Database:
    """The engine and the units of work on it: one per process, shared by every thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def answers(self) -> bool:
        """One round trip: can a request's unit of work reach the database right now?"""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()
