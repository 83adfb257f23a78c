"""WORK_IN=worker: `web` stores each accepted request in the database, and a worker runs it.

`web` answers Slack only after the request's row is committed (`Forward`, which commits the rows of
acknowledgements that arrive together in one transaction), so an accepted request outlives the
process that took it. A worker takes the oldest row (`Requests.run_next`, on each of its
WORK_THREADS threads) and dispatches its payload through the same Bolt app (`build_app`), with
request verification off (the payload comes from our own database, not the internet) and
`Queues.inline` on, so that the same listener runs again and its work runs there and then, on the
worker's thread. Its acknowledgement goes nowhere: Slack was answered by `web`. Work that opens a
modal never gets here (bot.slack.listeners.handover).

Why a table beside `WorkQueue` (bot.slack.work), both bounded by WORK_QUEUE: the queue lives in
one `web` process, so its work shares that interpreter with the acknowledgements and is lost if
the process dies; the table is shared by every `web` and worker and outlives them all. The queue
still runs what must happen within seconds of the click (modals), and everything with WORK_IN=web.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_bolt import App, BoltContext, BoltRequest

from bot.services import accepted
from bot.services.deps import DatabaseBusy, Deps
from bot.slack.context import Queues, body_of
from bot.slack.work import WorkQueue
from bot.store.accepted import Request

log = logging.getLogger("bot.slack")


class Forward:
    """What `web`'s listeners hand their work to with WORK_IN=worker (`Queues.forward`): store the
    request (True), or refuse it (False: "busy") when WORK_QUEUE requests wait already, across
    every `web`, or when the database did not store it within DATABASE_BUSY_TIMEOUT.

    Group commit: the acknowledgement does not write. It hands its row to the process's one
    writer thread and waits for the commit that holds it; the writer stores everything handed
    over while the last batch was committing in one transaction (one executemany, one commit, one
    NOTIFY). Each acknowledgement used to be a write transaction of its own, so concurrent ones
    queued on SQLite's one write lock, whose busy handler sleeps in steps of up to 100 ms, and on
    PostgreSQL each paid a commit. An acknowledgement still returns only after its row is
    committed, so nothing accepted is lost."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._changed = threading.Condition()
        self._handed: list[_Handed] = []  # waiting for the writer
        self._storing = 0  # in the writer's transaction
        self._closing = False
        # Transactions the writer ran (stored or refused): what shows that acknowledgements
        # share commits.
        self.batches = 0
        self._writer = threading.Thread(target=self._write, name="nudge-accepted", daemon=True)
        self._writer.start()

    def __call__(self, context: BoltContext) -> bool:
        body = body_of(context)
        team = context.team_id or context.enterprise_id or ""
        return self.store(Request(team, kind_of(body), json.dumps(body)))

    def store(self, request: Request) -> bool:
        """Whether `request` is committed: False when refused, nothing of it stored."""
        handed = _Handed(request)
        with self._changed:
            if self._closing:  # `web` is stopping: it takes no more requests anyway
                return False
            self._handed.append(handed)
            self._changed.notify_all()
        if not handed.done.wait(self._deps.settings.database_busy_timeout):
            with self._changed:
                if not handed.taken:  # still waiting for the writer: it will never store it
                    self._handed.remove(handed)
                    log.warning("a request waited too long for the database: refused as busy")
                    return False
            # In a transaction already: its outcome is the batch's, which the database's own
            # timeouts (busy_timeout, lock_timeout, statement_timeout) bound.
            handed.done.wait()
        if handed.failed is not None:
            raise RuntimeError("the accepted requests were not stored") from handed.failed
        return handed.stored

    def _write(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._handed) or self._closing)
                if not self._handed:
                    return  # closing, and everything handed over is stored
                batch = self._handed[:MOST_IN_A_BATCH]
                del self._handed[:MOST_IN_A_BATCH]
                for handed in batch:
                    handed.taken = True
                self._storing = len(batch)
            self._store(batch)

    def _store(self, batch: list[_Handed]) -> None:
        failed: Exception | None = None
        try:
            stored = accepted.accept(self._deps, [handed.request for handed in batch])
        except DatabaseBusy:
            log.warning("the database stayed locked: %s requests refused as busy", len(batch))
            stored = 0
        except Exception as error:  # each acknowledgement says so (bot.slack.app.answer_failure)
            failed, stored = error, 0
        for place, handed in enumerate(batch):
            handed.stored, handed.failed = place < stored, failed
            handed.done.set()
        with self._changed:
            self.batches += 1
            self._storing = 0
            self._changed.notify_all()

    def wait_until_pending(self, count: int, timeout: float) -> bool:
        """True once `count` requests are pending together; False if `timeout` seconds pass
        first (a test holds the database's write lock and lets acknowledgements gather)."""
        with self._changed:
            return self._changed.wait_for(lambda: self._pending() >= count, timeout)

    def _pending(self) -> int:
        """Requests handed over and not yet committed or refused (under `_changed`)."""
        return len(self._handed) + self._storing

    def close(self) -> None:
        """Store what was handed over, then stop the writer (after `web` stopped taking
        requests)."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._writer.join()


# The most requests one transaction stores: a batch of 100 already shares one commit between 100
# acknowledgements, and a bigger one would hold the write lock longer for nothing.
MOST_IN_A_BATCH = 100


@dataclass(eq=False)
class _Handed:
    """A request an acknowledgement waits on, and what became of it."""

    request: Request
    done: threading.Event = field(default_factory=threading.Event)
    taken: bool = False  # in the writer's batch: no longer the acknowledgement's to withdraw
    stored: bool = False
    failed: Exception | None = None


def kind_of(body: dict[str, object]) -> str:
    """command, block_actions, view_submission, event_callback: for the log and the row."""
    return "command" if "command" in body else str(body.get("type") or "unknown")


class Requests:
    """A worker's side: the Bolt app that runs stored requests, built at the first one (a worker
    that only ever sends scheduled deliveries needs none, nor the signing secret) and shared by
    the worker's WORK_THREADS threads (Bolt's dispatch is safe from many threads)."""

    def __init__(self, deps: Deps, build: Callable[[Deps, Queues], App]) -> None:
        self._deps = deps
        self._build = build
        self._building = threading.Lock()
        # One thread of the worker takes at a time: the next one's look then finds the row taken
        # and writes nothing, where on SQLite every thread's failed take would be one more write
        # queueing for the one lock that `web`'s acknowledgements need.
        self._taking = threading.Lock()
        self._app: App | None = None
        self._queues: Queues | None = None

    def run_next(self) -> bool:
        """Run the oldest waiting request, if any waits: whether one did."""
        with self._taking:
            request = accepted.take(self._deps)
        if request is None:
            accepted.give_up_lost(self._deps)
            return False
        try:
            response = self._app_once().dispatch(
                BoltRequest(body=request.payload, headers={"content-type": ["application/json"]})
            )
            if response.status != 200:
                log.warning("a stored %s request answered %s", request.kind, response.status)
        finally:
            # Done, however it went: a request is run at most once (its listener told the person
            # if something failed).
            accepted.done(self._deps, request)
        return True

    def run_until(self, stop: threading.Event, idle: Callable[[float], object]) -> None:
        """One of a worker's threads beside the one that also sends deliveries (bot.clock.worker):
        run requests until `stop` is set, the one in flight finished first; while none waits,
        `idle(WORKER_POLL)` (a wake-up may end it sooner)."""
        while not stop.is_set():
            try:
                ran = self.run_next()
            except Exception:  # the database out of reach: look again after the pause
                log.exception("running a stored request went wrong; the worker goes on")
                ran = False
            if not ran:
                idle(self._deps.settings.worker_poll)

    def _app_once(self) -> App:
        with self._building:  # two threads' first requests build one app
            if self._app is None:
                # Inline, the queues are never offered anything: they are there for the type.
                self._queues = Queues(work=WorkQueue(1, 1), notices=WorkQueue(1, 1), inline=True)
                self._app = self._build(self._deps, self._queues)
            return self._app

    def close(self) -> None:
        if self._queues is not None:
            self._queues.close()
