"""WORK_IN=worker under load: `web` stores the requests it accepts a batch to a transaction, and a
worker runs WORK_THREADS of them at once.

Signed HTTP to `web`'s /slack/events from many client threads, the real WebClient to the local
Slack, a real database (a SQLite file, or PostgreSQL with TEST_DATABASE_URL). To let
acknowledgements gather behind one transaction, the test holds the table's write lock from a
connection of its own and lets go once every acknowledgement waits (`Forward.wait_until_pending`):
what that shows is an order of events, never a duration.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bot.clock import start_request_threads
from bot.localslack import LocalSlack
from bot.slack.forward import Forward, Requests
from bot.store import tables
from bot.store.accepted import Request, Wakeup
from tests.conftest import Bot
from tests.slack.test_acks_never_wait import BUSY, BUSY_EL, statements_by_thread
from tests.slack.test_database_locked import write_locked
from tests.slack.test_work_in_worker import drain, rows, web_and_worker


@contextmanager
def writes_held(database_url: str) -> Iterator[None]:
    """Hold the write lock on accepted_requests from another connection for the block: SQLite's
    one write lock, or PostgreSQL's table lock that lets reads through and holds inserts."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with write_locked(Path(url.database or "")):
            yield
        return
    holder = create_engine(database_url)
    try:
        with holder.connect() as connection:
            connection.execute(text("LOCK TABLE accepted_requests IN EXCLUSIVE MODE"))
            yield
            connection.rollback()
    finally:
        holder.dispose()


@contextmanager
def inserts_counted(bot: Bot) -> Iterator[list[str]]:
    """The INSERT statements into accepted_requests that reach the database during the block."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO ACCEPTED_REQUESTS"):
            seen.append(statement)

    event.listen(bot.deps.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(bot.deps.db.engine, "before_cursor_execute", note)


def forward_of(bot: Bot) -> Forward:
    forward = bot.queues.forward
    assert isinstance(forward, Forward)
    return forward


def gathered_commands(bot: Bot, database_url: str, users: list[str]) -> list[tuple[int, str]]:
    """`/learn now` from every user at once, acknowledged while the test holds the write lock
    until all of them wait for the writer: each acknowledgement's (status, body)."""
    with ThreadPoolExecutor(len(users)) as clients:
        with writes_held(database_url):
            acks = [clients.submit(bot.driver.command, user, "now") for user in users]
            assert forward_of(bot).wait_until_pending(len(users), timeout=10)
        return [(answer.status, answer.body) for answer in (ack.result(30) for ack in acks)]


def known(bot: Bot, requests: Requests, users: list[str]) -> dict[str, int]:
    """Each user known to Nudge (so "busy" is said in their language): their lessons so far."""
    for user in users:
        assert bot.driver.command(user, "now").body == ""
        drain(requests)
    return {user: len(bot.slack.dm_messages(user)) for user in users}


def test_concurrent_commands_share_a_commit_and_a_worker_delivers_each_once(
    slack: LocalSlack, database_url: str
) -> None:
    with web_and_worker(slack, database_url) as (web, worker):
        users = web.learners()[:8]
        before = known(web, worker, users)
        batches = forward_of(web).batches

        with inserts_counted(web) as inserts:
            answers = gathered_commands(web, database_url, users)

        assert answers == [(200, "")] * len(users)
        # The first arrivals' transaction waited for the lock while the rest gathered behind it.
        assert 1 <= len(inserts) <= 2 < len(users)
        assert forward_of(web).batches - batches == len(inserts)
        assert rows(web, tables.AcceptedRequest) == len(users)
        assert drain(worker) == len(users) and drain(worker) == 0
        after = {user: len(slack.dm_messages(user)) for user in users}
        assert {user: after[user] - before[user] for user in users} == dict.fromkeys(users, 1)


def test_capacity_refuses_exactly_the_overflow_of_a_batch_busy_in_the_callers_language(
    slack: LocalSlack, database_url: str
) -> None:
    with web_and_worker(slack, database_url, work_queue=3) as (web, worker):
        users = web.learners()[:7]
        before = known(web, worker, users)

        answers = dict(zip(users, gathered_commands(web, database_url, users), strict=True))

        stored = [user for user in users if answers[user] == (200, "")]
        refused = [user for user in users if user not in stored]
        assert len(stored) == 3
        for user in refused:
            busy = BUSY_EL if slack.user(user).locale.startswith("el") else BUSY
            status, body = answers[user]
            assert (status, json.loads(body)) == (200, {"text": busy, "response_type": "ephemeral"})
        assert rows(web, tables.AcceptedRequest) == 3
        assert drain(worker) == 3
        after = {user: len(slack.dm_messages(user)) for user in users}
        assert {user: after[user] - before[user] for user in users} == {
            user: 1 if user in stored else 0 for user in users
        }


def test_a_write_lock_held_past_the_busy_timeout_makes_the_ack_say_busy_and_stores_nothing(
    slack: LocalSlack, database_url: str
) -> None:
    with web_and_worker(slack, database_url, database_busy_timeout=0.05) as (web, worker):
        member = web.user("member")
        known(web, worker, [member])
        with writes_held(database_url):
            ack = web.driver.command(member, "now")
        assert (ack.status, ack.json()) == (200, {"text": BUSY, "response_type": "ephemeral"})
        assert rows(web, tables.AcceptedRequest) == 0 and drain(worker) == 0


def test_a_worker_with_three_threads_runs_three_held_requests_at_once(
    slack: LocalSlack, database_url: str
) -> None:
    stop = threading.Event()
    with web_and_worker(slack, database_url) as (web, worker):
        wakeup = Wakeup(web.deps.db.engine, stop)
        users = web.learners()[:3]
        assert [web.driver.command(user, "now").body for user in users] == [""] * 3
        try:
            with slack.hold("chat.postMessage") as held:
                threads = start_request_threads(worker, stop, wakeup, 3)
                # All three lessons are at Slack together: no thread waits for another's.
                held.wait_until_waiting(timeout=10, count=3)
                stop.set()
            for thread in threads:
                thread.join(timeout=30)
            assert not any(thread.is_alive() for thread in threads)
        finally:
            stop.set()
            wakeup.close()
        assert [len(slack.dm_messages(user)) for user in users] == [1, 1, 1]
        assert rows(web, tables.AcceptedRequest) == 0


def test_a_closing_web_stores_what_its_writer_holds_before_it_stops(
    slack: LocalSlack, database_url: str
) -> None:
    """SIGTERM's path (`Queues.close`) while acknowledgements wait for the writer: each of them
    is committed and told so, and only what comes after is refused."""
    with web_and_worker(slack, database_url) as (web, worker):
        users = web.learners()[:4]
        forward = forward_of(web)
        with ThreadPoolExecutor(len(users)) as clients:
            with writes_held(database_url):
                acks = [clients.submit(web.driver.command, user, "now") for user in users]
                assert forward.wait_until_pending(len(users), timeout=10)
                closing = threading.Thread(target=forward.close)
                closing.start()
            closing.join(timeout=30)
            assert not closing.is_alive()
            assert [(a.status, a.body) for a in (ack.result(30) for ack in acks)] == [
                (200, "")
            ] * len(users)
        assert forward.store(Request("T0001", "command", "{}")) is False
        assert rows(web, tables.AcceptedRequest) == len(users)
        assert drain(worker) == len(users)
        assert [len(slack.dm_messages(user)) for user in users] == [1] * len(users)


def test_idle_threads_share_one_watcher_that_wakes_them_all_for_a_stored_request_or_a_stop(
    slack: LocalSlack, database_url: str
) -> None:
    """An idle worker's threads look for nothing themselves: one watcher (one LISTEN connection
    on PostgreSQL, one read every POLL_SQLITE seconds on SQLite) wakes them all."""
    stop = threading.Event()
    with web_and_worker(slack, database_url) as (web, worker), statements_by_thread(web) as seen:
        wakeup = Wakeup(web.deps.db.engine, stop)
        try:
            idle = [threading.Thread(target=wakeup.wait, args=(60,)) for _ in range(5)]
            for thread in idle:
                thread.start()
            assert wakeup.wait_until_idle(5, timeout=10)
            assert web.driver.command(web.user("member"), "now").body == ""
            for thread in idle:
                thread.join(timeout=10)
            assert not any(thread.is_alive() for thread in idle), "not woken by the request"
            assert drain(worker) == 1  # what woke them, done: nothing waits any more

            stopped = [threading.Thread(target=wakeup.wait, args=(60,)) for _ in range(2)]
            for thread in stopped:
                thread.start()
            assert wakeup.wait_until_idle(2, timeout=10)
            stop.set()
            for thread in stopped:
                thread.join(timeout=10)
            assert not any(thread.is_alive() for thread in stopped), "not woken by the stop"
        finally:
            stop.set()
            wakeup.close()
    waiters = {thread.ident for thread in idle + stopped}
    assert [statement for thread, statement in seen if thread in waiters] == []
    listens = [statement for _, statement in seen if statement.startswith("LISTEN")]
    # Whether a request waits: the watcher's look, which the worker's `take` (in `drain`, on the
    # test's own thread) reads too.
    looked = {thread for thread, statement in seen if statement.startswith(LOOK)}
    if web.deps.db.engine.dialect.name == "postgresql":
        assert len(listens) == 1
    else:
        assert listens == [] and len(looked - {threading.get_ident()}) == 1


LOOK = "SELECT accepted_requests.id \nFROM accepted_requests \nWHERE accepted_requests.taken_at IS NULL"
