"""Senders in processes of their own: `python -m bot worker` and `clock` against one database and
the local Slack (served in this process, reached over loopback through SLACK_API_URL).

What each test counts is what the local Slack received: a message twice, a member left out, or a
minute's allowance exceeded fails it. "In the middle" of a fan-out is made exact by parking the
local Slack's chat.postMessage (`LocalSlack.hold`), never by sleeping.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.crowd import NudgeProcess, crowd, nudge_env, queue_lessons, seed_members
from bot.localslack import LocalSlack
from bot.localslack.records import ApiCall
from bot.services.tick import STALE_CLAIM
from bot.store import tables
from bot.store.db import make_engine, upgrade
from bot.store.uow import Database
from tests.conftest import TEST_LIBRARY, postgres_schema, recipient

TUESDAY = datetime(2027, 3, 23, 7, 30, tzinfo=UTC)  # 09:30 in Athens
NEEDS_POSTGRES = (
    "needs PostgreSQL (set TEST_DATABASE_URL): several processes share the queue with "
    "SELECT ... FOR UPDATE SKIP LOCKED, which SQLite has not (there, one process sends)"
)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip(NEEDS_POSTGRES)
    with postgres_schema() as url:
        _migrate(url)
        yield url


@pytest.fixture
def any_url(tmp_path: Path) -> Iterator[str]:
    """PostgreSQL when the suite has it, else SQLite: one worker at a time needs no SKIP LOCKED."""
    if not os.environ.get("TEST_DATABASE_URL"):
        url = f"sqlite:///{tmp_path / 'nudge.db'}"
        _migrate(url)
        yield url
        return
    with postgres_schema() as url:
        _migrate(url)
        yield url


def _migrate(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def _posted(slack: LocalSlack) -> list[ApiCall]:
    return [call for call in slack.calls_to("chat.postMessage") if call.ok]


def _received(slack: LocalSlack) -> Counter[str]:
    """Messages posted, by the person they went to."""
    return Counter(recipient(slack, call.args["channel"]) for call in _posted(slack))


def _statuses(url: str) -> Counter[str]:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = Counter(connection.execute(select(tables.Delivery.status)).scalars())
    engine.dispose()
    return found


def _worker(slack: LocalSlack, url: str, cwd: Path, **settings: str) -> NudgeProcess:
    env = nudge_env(slack, url, TEST_LIBRARY, WORKER_POLL="0.05", **settings)
    return NudgeProcess(["worker"], env, cwd)


@pytest.mark.slow
def test_a_worker_killed_mid_fan_out_leaves_only_its_message_in_flight(
    any_url: str, tmp_path: Path
) -> None:
    """2,000 lessons queued; a worker is killed (SIGKILL) while Slack holds its post, half-way;
    another worker finishes. Everyone is nudged once: the message in flight reached Slack and is
    the one claim left unmarked, which the clock resolves as "unknown" after STALE_CLAIM."""
    members = 2_000
    workspace = crowd(members)
    with LocalSlack(workspace, rate_limits=False) as slack:
        seed_members(any_url, slack.team_id, workspace, TUESDAY)
        queue_lessons(any_url, "alpha-1", "alpha", TUESDAY)
        fast = {"POSTS_PER_MINUTE": "1000000"}
        first = _worker(slack, any_url, tmp_path, **fast)
        slack.wait_for(lambda: len(_posted(slack)) >= members // 2, timeout=120)
        with slack.hold("chat.postMessage") as held:
            held.wait_until_waiting(timeout=30)
            first.process.kill()
            assert first.wait() == -signal.SIGKILL
        # The hold is over: the post in flight reaches Slack, as a real one may after a kill.
        assert _statuses(any_url)["claimed"] == members - len(_posted(slack)) + 1
        second = _worker(slack, any_url, tmp_path, **fast)
        slack.wait_for(lambda: len(_posted(slack)) >= members, timeout=120)
        second.process.send_signal(signal.SIGTERM)
        assert second.wait() == 0
        received = _received(slack)
    assert received == {user.id: 1 for user in workspace.users}
    assert _statuses(any_url) == {"sent": members - 1, "claimed": 1}
    database = Database(make_engine(any_url))
    with database.uow() as uow:
        assert uow.sending.queued() == 0
        assert uow.deliveries.resolve_stale(datetime.now(UTC) + STALE_CLAIM) == 1
        uow.commit()
    database.dispose()
    assert _statuses(any_url) == {"sent": members - 1, "unknown": 1}


def test_sigterm_finishes_the_message_in_flight_and_exits_0(any_url: str, tmp_path: Path) -> None:
    workspace = crowd(3)
    with LocalSlack(workspace, rate_limits=False) as slack:
        seed_members(any_url, slack.team_id, workspace, TUESDAY)
        queue_lessons(any_url, "alpha-1", "alpha", TUESDAY)
        with slack.hold("chat.postMessage") as held:
            worker = _worker(slack, any_url, tmp_path)
            held.wait_until_waiting(timeout=30)
            worker.process.send_signal(signal.SIGTERM)
            worker.wait_for_line("SIGTERM: the message in flight is finished")
        assert worker.wait() == 0
        assert len(_posted(slack)) == 1
    assert _statuses(any_url) == {"sent": 1, "claimed": 2}
    database = Database(make_engine(any_url))
    with database.uow() as uow:
        assert uow.sending.queued() == 2  # left for the next worker, not lost
    database.dispose()
    assert "stopped after 1 messages" in worker.lines[-1]


@pytest.mark.slow
def test_two_workers_keep_one_pace_for_the_workspace(postgres_url: str, tmp_path: Path) -> None:
    """Both workers post at POSTS_PER_MINUTE between them, not each: in any 2 s of what the local
    Slack received, at most 2 s of the allowance (plus the two posts the test's hold releases
    together). Paced per process, two workers would post twice that."""
    members, per_minute, window = 40, 600, 2.0
    workspace = crowd(members)
    with LocalSlack(workspace, post_allowance=per_minute) as slack:
        seed_members(postgres_url, slack.team_id, workspace, TUESDAY)
        queue_lessons(postgres_url, "alpha-1", "alpha", TUESDAY)
        pace = {"POSTS_PER_MINUTE": str(per_minute)}
        with slack.hold("chat.postMessage") as held:  # both workers have a post in flight
            workers = [_worker(slack, postgres_url, tmp_path, **pace) for _ in range(2)]
            held.wait_until_waiting(timeout=30, count=2)
        slack.wait_for(lambda: len(_posted(slack)) >= members, timeout=60)
        for worker in workers:
            worker.process.send_signal(signal.SIGTERM)
        assert [worker.wait() for worker in workers] == [0, 0]
        calls = slack.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [200] * members  # no 429, nothing more
    assert _received(slack) == {u.id: 1 for u in workspace.users}
    times = sorted(call.at for call in calls)
    busiest = max(sum(1 for t in times if start <= t < start + window) for start in times)
    assert busiest <= per_minute / 60 * window + 2, busiest
    shares = [int(worker.lines[-1].split("stopped after ")[1].split()[0]) for worker in workers]
    assert sum(shares) == members and min(shares) >= 1, shares  # both sent


MONDAY = date(2027, 3, 15)  # a week without a holiday in London (the next ends on Good Friday)
WEEK = [MONDAY + timedelta(days=n) for n in range(5)]
# Sunday noon (the roster and the first tick, which sends nothing from the past) to Friday 10:00,
# just past the last lesson (09:30 London, GMT that week).
REHEARSAL = (datetime(2027, 3, 14, 12, tzinfo=UTC), datetime(2027, 3, 19, 10, tzinfo=UTC))


@pytest.mark.slow
def test_two_clocks_and_two_workers_send_a_week_once_each(
    postgres_url: str, tmp_path: Path
) -> None:
    """A simulated week on one PostgreSQL: two `python -m bot clock` processes started at once (a
    second clock started by mistake) each rehearse it, every minute's tick and each day's roster,
    as fast as they run, and two workers send what they plan (CLOCK_SENDS=false). Each member
    gets their five lessons, the week's question and its reminder: no duplicate, nothing missed."""
    members = 6
    workspace = crowd(members, zone="Europe/London")
    with LocalSlack(workspace, rate_limits=False) as slack:
        env = nudge_env(
            slack, postgres_url, TEST_LIBRARY, CLOCK_SENDS="false", POSTS_PER_MINUTE="60000"
        )
        workers = [_worker(slack, postgres_url, tmp_path) for _ in range(2)]
        stretch = ["--from", REHEARSAL[0].isoformat(), "--until", REHEARSAL[1].isoformat()]
        clocks = [NudgeProcess(["clock", *stretch], env, tmp_path) for _ in "ab"]
        assert [clock.wait(timeout=600) for clock in clocks] == [0, 0], clocks[0].lines[-5:]
        expected = members * 7
        slack.wait_for(lambda: len(_posted(slack)) >= expected, timeout=120)
        for worker in workers:
            worker.process.send_signal(signal.SIGTERM)
        assert [worker.wait() for worker in workers] == [0, 0]
        assert len(slack.calls_to("chat.postMessage")) == len(_posted(slack)) == expected
        assert _received(slack) == {u.id: 7 for u in workspace.users}
    minutes = int((REHEARSAL[1] - REHEARSAL[0]).total_seconds() // 60) + 1
    for clock in clocks:  # each ran every job of the week itself
        done = clock.wait_for_line("rehearsed ")
        assert done.endswith(f": {minutes} ticks, 5 roster reads"), done
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(tables.Member.slack_user_id, tables.Delivery.kind, tables.Delivery.local_date)
            .join(tables.Member, tables.Member.id == tables.Delivery.member_id)
            .where(tables.Delivery.status == "sent")
        ).all()
        statuses = Counter(connection.execute(select(tables.Delivery.status)).scalars())
    engine.dispose()
    week = {("lesson", day) for day in WEEK} | {("question", WEEK[0]), ("reminder", WEEK[2])}
    assert sorted(rows) == sorted((u.id, *one) for u in workspace.users for one in week)
    assert statuses == {"sent": expected}  # nothing missed, failed or left unresolved
