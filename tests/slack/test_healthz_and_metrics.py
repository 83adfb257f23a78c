"""/healthz and /metrics, read over HTTP from the bot as a load balancer and Prometheus read them."""

from __future__ import annotations

import shutil
import socket
import threading
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.localslack import LocalSlack
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store.db import HEAD_REVISION
from tests.conftest import BOT_START, TEST_LIBRARY, Bot, start_bot
from tests.slack.test_acks_never_wait import health_report
from tests.slack.test_learn_now_and_answer import lesson_for
from tests.store.test_migrations import REVISIONS, alembic_config

MONDAY_0000 = datetime(2027, 3, 22, tzinfo=UTC)
MONDAY_1000 = datetime(2027, 3, 22, 10, tzinfo=UTC)


def test_healthz_names_the_database_its_schema_and_the_library(bot: Bot) -> None:
    status, report = health_report(bot)

    assert status == 200
    library = bot.deps.library.current
    assert report == {
        "status": "ok",
        "database": {"state": "ok", "backend": bot.deps.db.engine.dialect.name},
        "schema": {"state": "current", "current": HEAD_REVISION, "expected": HEAD_REVISION},
        "library": {
            "state": "loaded",
            "lessons": len(library.lessons),
            "questions": len(library.questions),
            "skill_areas": len(library.skills),
            "loaded_at": BOT_START.isoformat(),
            "checked_at": BOT_START.isoformat(),
            "problems": {"errors": 0, "warnings": 0, "refused_by_slack": {}},
        },
        "work_queue": {"state": "ok", "pending": 0},
        "slack": {"state": "ok"},
    }
    assert report["library"]["lessons"] > 0


def test_healthz_says_when_the_schema_is_behind_or_newer(bot: Bot) -> None:
    """A database set back under a running process (an old backup restored) cannot serve this
    code: 503, and what to run. One that a newer release migrated still serves: 200."""
    engine = bot.deps.db.engine
    command.downgrade(alembic_config(engine), REVISIONS[-2])

    status, report = health_report(bot)
    assert status == 503
    assert report["status"] == (
        f"unavailable: the database is at schema {REVISIONS[-2]} and this code needs "
        f"{HEAD_REVISION}: run `python -m bot db upgrade`"
    )
    assert report["schema"] == {
        "state": "behind",
        "current": REVISIONS[-2],
        "expected": HEAD_REVISION,
    }

    command.upgrade(alembic_config(engine), "head")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    status, report = health_report(bot)
    assert (status, report["status"], report["schema"]["state"]) == (200, "ok", "newer")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(TEST_LIBRARY, copy)
    return copy


def test_healthz_shows_a_refused_reload_while_the_last_good_library_serves(
    slack: LocalSlack, database_url: str, content: Path
) -> None:
    admin = next(user.id for user in slack.workspace.users if user.admin)
    running = start_bot(slack, database_url, content_dir=content)
    try:
        lessons = len(running.deps.library.current.lessons)
        broken = content / "lessons" / "beta" / "beta-2.md"
        broken.write_text(broken.read_text().replace("answer: The right one", "answer: Neither"))
        running.clock.advance(3600)
        running.ask(admin, "admin reload")

        status, report = health_report(running)
    finally:
        running.close()
    assert (status, report["status"]) == (200, "ok")  # the library it had still serves
    assert report["library"]["state"] == "kept"
    assert report["library"]["lessons"] == lessons
    assert report["library"]["loaded_at"] == BOT_START.isoformat()
    assert report["library"]["checked_at"] == BOT_START.replace(hour=10, minute=30).isoformat()
    assert report["library"]["problems"]["errors"] == 1


class Proxy:
    """A TCP relay to the database server: while it runs the bot reaches the server through it;
    `stop` cuts every connection and refuses new ones, as a server that went away does."""

    def __init__(self, host: str, port: int) -> None:
        self._upstream = (host, port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(self._upstream)
            self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def stop(self) -> None:
        # Shut down first: a socket closed while a thread waits in accept() stays open, and
        # would take (and relay) a new connection, which /healthz's probe makes every time.
        self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        for each in self._sockets:
            each.close()


@pytest.fixture
def postgresql_url(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server that stops answering (TEST_DATABASE_URL not set)")
    return database_url


def test_healthz_is_503_when_postgresql_does_not_answer(
    slack: LocalSlack, postgresql_url: str
) -> None:
    url = make_url(postgresql_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    running = start_bot(slack, through)
    try:
        assert health_report(running)[0] == 200
        proxy.stop()
        status, report = health_report(running)
    finally:
        running.close()
    assert status == 503
    assert report["status"] == "unavailable: the database does not answer"
    assert report["database"] == {"state": "unreachable", "backend": "postgresql"}
    assert report["schema"]["state"] == "unknown"


# -- /metrics --------------------------------------------------------------------------------------


def scrape(bot: Bot) -> Counter[tuple[str, tuple[tuple[str, str], ...]]]:
    """Every sample /metrics shows, by name and labels."""
    with urllib.request.urlopen(f"http://127.0.0.1:{bot.server.port}/metrics", timeout=5) as r:
        assert r.status == 200
        shown = r.read().decode()
    return Counter(
        {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(shown)
            for sample in family.samples
        }
    )


def _grown(before: Counter[tuple[str, tuple[tuple[str, str], ...]]], after: Counter) -> dict:
    return {key: after[key] - before[key] for key in after if after[key] != before[key]}


def test_metrics_count_requests_deliveries_slack_calls_and_ticks(bot: Bot) -> None:
    member = bot.user("member")
    calls_before = len(bot.slack.calls)
    before = scrape(bot)

    bot.slack.fail_next("chat.postMessage", status=429)  # retried: two attempts, one lesson
    lesson = lesson_for(bot, member)  # `/learn now`, signed, and the lesson it brings
    bot.driver.click(member, lesson, index=1)
    bot.settle()
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY_0000)
    run_tick(bot.deps, gateway, bot.slack.team_id, MONDAY_0000)
    bot.slack.fail_next("chat.postMessage", status=200, error="channel_not_found")
    run_tick(bot.deps, gateway, bot.slack.team_id, MONDAY_1000)

    grown = _grown(before, scrape(bot))
    total = "nudge_slack_requests_total"
    assert grown[(total, (("kind", "command"), ("status", "200")))] == 1
    assert grown[(total, (("kind", "block_actions"), ("status", "200")))] == 1
    assert grown[("nudge_slack_request_seconds_count", (("kind", "command"),))] == 1
    assert grown[("nudge_tick_seconds_count", ())] == 2
    deliveries = {
        labels: value for (name, labels), value in grown.items() if name == "nudge_deliveries_total"
    }
    with bot.deps.db.engine.connect() as connection:
        stored = connection.scalar(text("SELECT count(*) FROM deliveries WHERE status != 'missed'"))
    assert deliveries[(("kind", "lesson"), ("outcome", "failed"))] == 1
    assert sum(deliveries.values()) == stored  # each one sent (or refused) counted
    # Every attempt of every Web API call, as the local Slack saw it, by method, status and error.
    seen = Counter(
        (call.method, str(call.status), "" if call.ok else str(call.response.get("error") or ""))
        for call in bot.slack.calls[calls_before:]
        if "." in call.method  # not a response_url or an upload
    )
    counted = Counter(
        {
            (labels[1][1], labels[2][1], labels[0][1]): int(value)
            for (name, labels), value in grown.items()
            if name == "nudge_slack_api_calls_total"
        }
    )
    assert counted == seen
    assert counted[("chat.postMessage", "429", "ratelimited")] == 1
    assert counted[("chat.postMessage", "200", "channel_not_found")] == 1
