"""Requests `web` accepted and left for a worker (WORK_IN=worker): the rows, and the wake-up.

`accept` stores a batch of requests (what a `web` process's writer gathered while the last batch
committed, bot.slack.forward) as far as fewer than `capacity` wait (each row's INSERT counts the
waiting rows, so that every `web` process counts the same shared rows), and the rows are
committed before Slack is answered: an accepted request outlives the `web` that took it. `take`
hands each worker a different row, the oldest, with `FOR UPDATE SKIP LOCKED` on PostgreSQL and
under the one write lock on SQLite, as `Sending.take` does for deliveries; a taken row is never
handed out again.

On PostgreSQL `accept` also says `NOTIFY` on CHANNEL, once a batch (delivered when it commits),
and a worker's idle threads are woken by one `LISTEN` connection (`Wakeup`), so they start at once;
on SQLite its one watcher reads whether anything waits every POLL_SQLITE seconds while a thread is
idle (a read, so it never holds the one write lock while idle).
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Integer,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)

from bot.store import tables
from bot.store.lesson_sql import Repository

log = logging.getLogger("bot.store")

CHANNEL = "nudge_accepted_requests"
# Seconds between looks at the table on SQLite, which has no LISTEN: the most a person waits for
# an idle worker to notice their request there.
POLL_SQLITE = 0.05
# Seconds a worker's wake-up listens at a time on PostgreSQL: how soon a stop reaches its idle
# threads there (on SQLite, POLL_SQLITE). Shorter slices cost an idle worker CPU for nothing: at
# 0.05 s they doubled it.
LISTEN_SLICE = 1.0
# Seconds a worker's wake-up waits after the database failed it, before it looks again.
AFTER_FAILURE = 1.0


@dataclass(frozen=True)
class Request:
    """A request `web` accepted, before it is stored."""

    team_id: str
    kind: str
    payload: str  # JSON


@dataclass(frozen=True)
class Accepted:
    id: int
    team_id: str
    kind: str
    payload: str  # JSON


@dataclass(frozen=True)
class GivenUp:
    id: int
    team_id: str
    kind: str
    taken_at: datetime


class AcceptedRequests(Repository):
    def accept(self, requests: list[Request], now: datetime, capacity: int) -> int:
        """Store requests for a worker, in their order, while fewer than `capacity` wait: how
        many were stored (the first that many; none of the rest). Each row's INSERT counts the
        waiting rows as it adds its own (the batch's earlier rows included), so every `web`
        counts the same shared rows in the transaction that adds to them. One executemany of a
        statement built once: a batch used to be one INSERT from a UNION ALL of its rows, built
        and compiled anew for each batch, which cost `web` more CPU than the rest of storing
        it."""
        if not requests:
            return 0
        stored = self._connection.execute(
            _ACCEPT,
            [
                {
                    "team_id": request.team_id,
                    "kind": request.kind,
                    "payload": request.payload,
                    "created_at": now,
                    "capacity": capacity,
                }
                for request in requests
            ],
        ).rowcount
        if stored and self._connection.dialect.name == "postgresql":
            # One wake-up for the batch: delivered to every listening worker at the commit.
            self._connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        return stored

    def take(self, now: datetime) -> Accepted | None:
        """The oldest waiting request, now taken by the caller; None when none waits that another
        worker has not locked. A read first: a worker looks before each delivery it sends, and
        on SQLite a write, even one that changes nothing, would take the one write lock."""
        row = tables.AcceptedRequest
        if not self.any_waiting():
            return None
        oldest = (
            select(row.id)
            .where(row.taken_at.is_(None))
            .order_by(row.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        taken = self._connection.execute(
            update(row)
            .where(row.id == oldest.scalar_subquery(), row.taken_at.is_(None))
            .values(taken_at=now)
            .returning(row.id, row.team_id, row.kind, row.payload)
        ).one_or_none()
        return None if taken is None else Accepted(int(taken[0]), *map(str, taken[1:]))

    def done(self, request_id: int) -> None:
        """Its work ran (well or not): nothing of it is kept."""
        row = tables.AcceptedRequest
        self._connection.execute(delete(row).where(row.id == request_id))

    def give_up(self, taken_before: datetime, now: datetime) -> list[GivenUp]:
        """Mark given up the requests taken before `taken_before` and never done: their worker
        died with them. They are kept (for an operator to read) and never run again. A read
        first, as in `take`: every idle worker thread looks, and almost always finds none."""
        row = tables.AcceptedRequest
        lost = row.taken_at < taken_before, row.given_up_at.is_(None)
        if self._connection.scalar(select(row.id).where(*lost).limit(1)) is None:
            return []
        stale = self._connection.execute(
            update(row)
            .where(*lost)
            .values(given_up_at=now)
            .returning(row.id, row.team_id, row.kind, row.taken_at)
        ).all()
        return [
            GivenUp(int(i), str(team), str(kind), when) for i, team, kind, when in stale if when
        ]

    def any_waiting(self) -> bool:
        return _any_waiting(self._connection)

    def waiting(self) -> int:
        """Requests no worker has taken yet."""
        row = tables.AcceptedRequest
        return int(
            self._connection.scalar(select(func.count(row.id)).where(row.taken_at.is_(None))) or 0
        )


def _accept_statement() -> Insert:
    """INSERT one request unless `capacity` wait already: built and compiled once, not per batch."""
    row = tables.AcceptedRequest.__table__
    assert isinstance(row, Table)
    waiting = select(func.count()).select_from(row).where(row.c.taken_at.is_(None))
    offered = select(
        bindparam("team_id", type_=row.c.team_id.type),
        bindparam("kind", type_=row.c.kind.type),
        bindparam("payload", type_=row.c.payload.type),
        bindparam("created_at", type_=row.c.created_at.type),
    ).where(waiting.scalar_subquery() < bindparam("capacity", type_=Integer()))
    return (
        insert(row)
        .from_select(["team_id", "kind", "payload", "created_at"], offered)
        # An INSERT's rowcount is kept only when asked for (SQLAlchemy 2).
        .execution_options(preserve_rowcount=True)
    )


_ACCEPT = _accept_statement()


def _any_waiting(connection: Connection) -> bool:
    row = tables.AcceptedRequest
    return connection.scalar(select(row.id).where(row.taken_at.is_(None)).limit(1)) is not None


class Wakeup:
    """What a worker's idle threads wait on, each never longer than it asks: a request accepted
    (on PostgreSQL a NOTIFY on CHANNEL, on SQLite a waiting row, read every POLL_SQLITE seconds),
    or `stop` set (seen within LISTEN_SLICE seconds on PostgreSQL, POLL_SQLITE on SQLite).

    One watcher thread looks for all of them, and only while one of them is idle, then wakes them
    all: each thread used to look on its own, so an idle worker with 5 threads read the table 100
    times a second on SQLite and held 5 LISTEN connections on PostgreSQL; now 20 reads and one."""

    def __init__(self, engine: Engine, stop: threading.Event) -> None:
        self._engine = engine
        self._stop = stop
        self._changed = threading.Condition()
        self._rung = 0  # wake-ups so far: a waiting thread returns once this changes
        self._idle = 0  # threads waiting
        self._closed = False
        self._postgres = engine.dialect.name == "postgresql"
        # Listening from the start, so that a NOTIFY sent before the first thread idles is kept.
        self._listening = self._listen() if self._postgres else None
        self._watcher = threading.Thread(target=self._watch, name="nudge-wakeup", daemon=True)
        self._watcher.start()

    def wait(self, seconds: float) -> None:
        """Until a request is accepted, `stop` is set or `seconds` pass."""
        with self._changed:
            rung = self._rung
            self._idle += 1
            self._changed.notify_all()  # the watcher starts looking, if it was not
            self._changed.wait_for(lambda: self._rung != rung or self._stop.is_set(), seconds)
            self._idle -= 1

    def wait_until_idle(self, count: int, timeout: float) -> bool:
        """True once `count` threads wait together; False if `timeout` seconds pass first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._idle >= count, timeout)

    def _watch(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._idle > 0 or self._closed)
                if self._closed:
                    return
            if self._look() or self._stop.is_set():
                with self._changed:
                    self._rung += 1
                    self._changed.notify_all()

    def _look(self) -> bool:
        """Whether a request may wait now, after at most about POLL_SQLITE seconds (LISTEN_SLICE
        on PostgreSQL)."""
        try:
            if self._postgres:
                return self._notified()
            with self._engine.connect() as connection:  # a read: no write lock
                if _any_waiting(connection):
                    return True
        except Exception:  # the threads' own looks, at the end of their waits, say what is wrong
            log.warning("a worker's wake-up failed; looking again in %s s", AFTER_FAILURE)
            self._unlisten()
            self._stop.wait(AFTER_FAILURE)
            return False
        self._stop.wait(POLL_SQLITE)
        return False

    def _listen(self) -> Connection:
        """A connection of the engine's taken out of its pool (it is held for as long as the
        worker runs), listening on CHANNEL."""
        listening = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        listening.exec_driver_sql(f"LISTEN {CHANNEL}")
        listening.detach()
        return listening

    def _notified(self) -> bool:
        """A NOTIFY within LISTEN_SLICE seconds (listening again if the last connection failed)."""
        if self._listening is None:
            self._listening = self._listen()
        raw: Any = self._listening.connection.dbapi_connection
        return any(True for _ in raw.notifies(timeout=LISTEN_SLICE, stop_after=1))

    def _unlisten(self) -> None:
        if self._listening is not None:
            with suppress(Exception):  # it failed already
                self._listening.close()
            self._listening = None

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._watcher.join()
        self._unlisten()
