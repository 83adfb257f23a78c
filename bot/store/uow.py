"""The unit of work: one database transaction that a use case commits once, or not at all.

`with database.uow() as uow:` takes a connection from the pool, with a session and the repositories
on it; `uow.commit()` makes the use case's writes durable together; leaving the block without a
commit rolls everything back, so a use case that fails half-way leaves nothing half-written.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import import_module
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bot.store.direct import connect, direct, is_busy, read_revision

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine
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


def _is_busy(error: BaseException | None) -> bool:
    """SQLite's "database is locked", or PostgreSQL's lock or statement timeout, in SQLAlchemy's
    error (which carries the driver's as `orig`), as opposed to a database gone or broken."""
    return is_busy(getattr(error, "orig", None))


# Where each repository is, by its name on the unit of work: imported and made when a use case
# first asks for it (`UnitOfWork.__getattr__`), as most use cases need two or three of them.
_REPOSITORIES = {
    "workspaces": ("bot.store.members", "Workspaces"),
    "members": ("bot.store.members", "Members"),
    "deliveries": ("bot.store.repositories", "Deliveries"),
    "responses": ("bot.store.repositories", "Responses"),
    "strategy_answers": ("bot.store.weekly", "StrategyAnswers"),
    "team_posts": ("bot.store.weekly", "TeamPosts"),
    "cards": ("bot.store.repositories", "Cards"),
    "recalls": ("bot.store.recall", "Recalls"),
    "member_data": ("bot.store.member_data", "MemberData"),
    "figures": ("bot.store.figures", "Figures"),
    "team_reports": ("bot.store.team_report", "TeamReports"),
    "sending": ("bot.store.sending", "Sending"),
    "accepted": ("bot.store.accepted", "AcceptedRequests"),
}


@cache
def _repository_class(name: str) -> Callable[[UnitOfWork], object]:
    """The class of the repository called `name`, imported once (`import_module` costs more CPU
    than making the repository)."""
    module, kind = _REPOSITORIES[name]
    made: Callable[[UnitOfWork], object] = getattr(import_module(module), kind)
    return made


class UnitOfWork:
    """One connection from the pool and its transaction, with an ORM session on the same
    connection, made when a repository first needs it, for the repositories that use the ORM.
    Statements built on the Core tables run on the connection itself
    (`bot.store.lesson_sql.Repository`): a unit of work that runs only those (a lesson's claim,
    its sent mark) never makes a session, whose making and bookkeeping cost more CPU than the
    statements (bench/lesson_cost)."""

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
    connection: Connection
    session: Session

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._engine = engine
        self._sessions = sessions

    def __enter__(self) -> UnitOfWork:
        # The connection begins its transaction with its first statement; the session, made when
        # a repository first needs it and bound to the connection, takes that transaction over
        # when it is first used (join_transaction_mode
        # "control_fully", `Database._sessions`), so everything is committed, or not, together.
        self.connection = self._engine.connect()
        return self

    def __getattr__(self, name: str) -> object:
        """The session, or a repository, made on first use and kept (then found without coming
        here). The session only when a repository first runs an ORM statement: a lesson's units of
        work run Core statements only, and making a session cost each of them 5-7 µs of CPU on
        SQLite and 10-20 µs on PostgreSQL (measured side by side, 2026-12-01)."""
        if "connection" not in self.__dict__:  # not entered
            raise AttributeError(name)
        made: object
        if name == "session":
            made = self._sessions(bind=self.connection)
        elif name in _REPOSITORIES:
            made = _repository_class(name)(self)
        else:
            raise AttributeError(name)
        setattr(self, name, made)
        return made

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # After a commit there is nothing left to roll back; closing the connection rolls back
        # what the session did not hold. A session that never held a transaction or an object
        # (a unit of work of Core statements only) has nothing to close: closing it anyway cost
        # more CPU than making it (SQLAlchemy sets up its events to detach nothing).
        session: Session | None = self.__dict__.get("session")
        if session is not None and (
            session.in_transaction() or session.identity_map or session.new
        ):
            session.close()
        self.connection.close()
        if _is_busy(error):  # rolled back: the caller can say so in as many words
            raise DatabaseBusy() from error

    def commit(self) -> None:
        session: Session | None = self.__dict__.get("session")
        if session is not None and session.in_transaction():  # it holds the transaction: flush
            session.commit()
        else:
            self.connection.commit()


@dataclass(frozen=True)
class Probe:
    # What keeps a request's unit of work from the database right now, in a few words ("does
    # not answer", "is locked"), or None.
    problem: str | None
    revision: str | None  # the schema's Alembic revision (None: unknown, or an empty database)


def _take_the_write_lock(cursor: Any) -> None:
    """Take SQLite's write lock and give it back at once, waiting HEALTH_WAIT_MS at most: WAL lets
    reads past a writer, so only this shows whether a request's writes would wait."""
    cursor.execute("PRAGMA busy_timeout")
    usual = cursor.fetchone()[0]
    cursor.execute(f"PRAGMA busy_timeout = {HEALTH_WAIT_MS}")
    try:
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("ROLLBACK")
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(usual or 0)}")


class Database:
    """The engine and the units of work on it: one per process, shared by every thread.

    Given an `engine`, or the `url` the first unit of work makes one from (with `busy_timeout`,
    DATABASE_BUSY_TIMEOUT): SQLAlchemy is then imported by that unit of work, not by start-up
    (bot.store.direct says why). /healthz's probe asks through the driver either way.
    """

    def __init__(
        self, engine: Engine | None = None, *, url: str = "", busy_timeout: float = 30.0
    ) -> None:
        self._engine = engine
        self.url = url or (engine.url.render_as_string(hide_password=False) if engine else "")
        self._busy_timeout = busy_timeout
        self._making = threading.Lock()
        # The probe's own connection, through the driver: it neither waits for a pooled one
        # (all of them busy with requests) nor needs the engine made.
        self._direct = direct(self.url)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            with self._making:  # two threads' first units of work make one engine, one pool
                if self._engine is None:
                    from bot.store.db import make_engine  # SQLAlchemy: see the class's doc

                    self._engine = make_engine(self.url, busy_timeout=self._busy_timeout)
        return self._engine

    @property
    def backend(self) -> str:
        """The database's kind as SQLAlchemy's dialect names it: "sqlite", "postgresql"."""
        return self._direct.backend if self._direct is not None else self.engine.dialect.name

    @cached_property
    def _sessions(self) -> sessionmaker[Session]:
        # Made by the first unit of work: the ORM is imported then, not at start. Two threads
        # that make it at once make two equal sessionmakers, and one is kept. Each session is
        # bound to its unit of work's connection (`UnitOfWork.__enter__`).
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(expire_on_commit=False, join_transaction_mode="control_fully")

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine, self._sessions)

    def probe(self) -> Probe:
        """Whether the database takes a request's writes now (waiting HEALTH_WAIT_MS at most for
        a lock), and the schema revision it is at: one connection, two to five statements."""
        try:
            if self._direct is not None:
                connection = connect(self._direct, wait_seconds=HEALTH_WAIT_MS / 1000)
            else:  # a URL only SQLAlchemy reads (an in-memory SQLite's is the engine's own)
                connection = self.engine.raw_connection()
            try:
                cursor = connection.cursor()
                if self.backend == "sqlite":
                    _take_the_write_lock(cursor)
                return Probe(None, read_revision(cursor, self.backend))
            finally:
                connection.close()
        except Exception as failed:  # any driver's error, or SQLAlchemy's around one
            return Probe(
                "is locked" if is_busy(getattr(failed, "orig", failed)) else "does not answer", None
            )

    def dispose(self) -> None:
        if self._engine is not None:  # none made: nothing to close
            self._engine.dispose()
