"""The unit of work: one database transaction that a use case commits once, or not at all.

`with database.uow() as uow:` opens a session and the repositories on it; `uow.commit()` makes the
use case's writes durable together; leaving the block without a commit rolls everything back, so a
use case that fails half-way leaves nothing half-written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from bot.store.db import revision_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.store.accepted import AcceptedRequests
    from bot.store.figures import Figures
    from bot.store.member_data import MemberData
    from bot.store.members import Members, Workspaces
    from bot.store.recall import Recalls
    from bot.store.repositories import Cards, Deliveries, Responses
    from bot.store.sending import Sending
    from bot.store.team_report import TeamReports
    from bot.store.weekly import StrategyAnswers, TeamPosts

# How long /healthz waits for SQLite's write lock: a probe answers in a moment, whatever
# DATABASE_BUSY_TIMEOUT the requests themselves wait.
HEALTH_WAIT_MS = 1000


class DatabaseBusy(Exception):
    """Another connection held a lock past the busy timeout: the unit of work stored nothing."""


# PostgreSQL's lock_not_available (lock_timeout: another connection held a row lock too long)
# and query_canceled (statement_timeout, bot.store.db.STATEMENT_TIMEOUT).
_POSTGRESQL_BUSY = ("55P03", "57014")


def _is_busy(error: BaseException | None) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY, SQLITE_LOCKED), or PostgreSQL's lock or
    statement timeout, as opposed to a database that is gone or broken."""
    if not isinstance(error, OperationalError | DBAPIError):
        return False
    original = error.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return getattr(original, "sqlstate", None) in _POSTGRESQL_BUSY


class UnitOfWork:
    workspaces: Workspaces
    members: Members
    deliveries: Deliveries
    responses: Responses
    strategy_answers: StrategyAnswers
    team_posts: TeamPosts
    cards: Cards
    recalls: Recalls
    member_data: MemberData
    figures: Figures
    team_reports: TeamReports
    sending: Sending
    accepted: AcceptedRequests

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        # Imported by the first unit of work, not at start: the repositories bring the tables
        # declared with SQLAlchemy's ORM (and, for a partial index, its PostgreSQL dialect), which
        # `web`'s first /healthz does not use (Database.probe is Core).
        from bot.store.accepted import AcceptedRequests
        from bot.store.figures import Figures
        from bot.store.member_data import MemberData
        from bot.store.members import Members, Workspaces
        from bot.store.recall import Recalls
        from bot.store.repositories import Cards, Deliveries, Responses
        from bot.store.sending import Sending
        from bot.store.team_report import TeamReports
        from bot.store.weekly import StrategyAnswers, TeamPosts

        self.session = self._sessions()
        self.workspaces = Workspaces(self.session)
        self.members = Members(self.session)
        self.deliveries = Deliveries(self.session)
        self.responses = Responses(self.session)
        self.strategy_answers = StrategyAnswers(self.session)
        self.team_posts = TeamPosts(self.session)
        self.cards = Cards(self.session)
        self.recalls = Recalls(self.session)
        self.member_data = MemberData(self.session)
        self.figures = Figures(self.session)
        self.team_reports = TeamReports(self.session)
        self.sending = Sending(self.session)
        self.accepted = AcceptedRequests(self.session)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.session.rollback()  # after a commit there is nothing left to roll back
        self.session.close()
        if _is_busy(error):  # rolled back: the caller can say so in as many words
            raise DatabaseBusy() from error

    def commit(self) -> None:
        self.session.commit()


@dataclass(frozen=True)
class Probe:
    # What keeps a request's unit of work from the database right now, in a few words ("does
    # not answer", "is locked"), or None.
    problem: str | None
    revision: str | None  # the schema's Alembic revision (None: unknown, or an empty database)


def _take_the_write_lock(connection: Connection) -> None:
    """Take SQLite's write lock and give it back at once: WAL lets reads past a writer, so only
    this shows whether a request's writes would wait."""
    usual = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {HEALTH_WAIT_MS}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.exec_driver_sql("ROLLBACK")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual or 0)}")


class Database:
    """The engine and the units of work on it: one per process, shared by every thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        # Made by the first unit of work: the ORM is imported then, not at start. Two threads
        # that make it at once make two equal sessionmakers on one engine, and one is kept.
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._sessions)

    def probe(self) -> Probe:
        """Whether the database takes a request's writes now (waiting HEALTH_WAIT_MS at most for
        a lock), and the schema revision it is at: one connection, two or three statements."""
        try:
            with self.engine.connect() as connection:
                if connection.dialect.name == "sqlite":
                    _take_the_write_lock(connection)
                return Probe(None, revision_of(connection))
        except SQLAlchemyError as failed:
            return Probe("is locked" if _is_busy(failed) else "does not answer", None)

    def dispose(self) -> None:
        self.engine.dispose()
