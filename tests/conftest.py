"""Shared fixtures: a database per test (SQLite always, PostgreSQL too when TEST_DATABASE_URL is set),
the local Slack, and the bot served over real HTTP with a signed-request driver.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.localslack import LocalSlack, SlackDriver, load_workspace
from bot.localslack.workspace import Workspace
from bot.runtime import build_deps
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.deps import AppDeps
from bot.slack.executor import ListenerPool
from bot.slack.web import WebServer

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_LIBRARY = REPO / "tests" / "fixtures" / "library"
SEED = REPO / "seeds" / "demo.yaml"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"

DATABASES = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own that is dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nudge.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    return load_workspace(SEED)


@pytest.fixture
def slack(workspace: Workspace) -> Iterator[LocalSlack]:
    with LocalSlack(workspace) as local:
        yield local


class FixedClock:
    """The bot's clock in tests: a time that only moves when a test moves it."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def make_settings(slack: LocalSlack, database_url: str, **overrides: Any) -> Settings:
    ws = slack.workspace
    values: dict[str, Any] = {
        "slack_bot_token": slack.bot_token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "database_url": database_url,
        "content_dir": TEST_LIBRARY,
        "team_channel": ws.settings.team_channel,
        "leads_channel": ws.settings.leads_channel or "",
        "leads": [user.id for user in ws.users if user.lead],
        "admins": [user.id for user in ws.users if user.admin],
        "slack_max_retries": 2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Bot:
    """The bot as Slack sees it: an HTTP endpoint, plus the parts a test inspects afterwards."""

    deps: AppDeps
    server: WebServer
    driver: SlackDriver
    slack: LocalSlack
    clock: FixedClock
    pool: ListenerPool

    def settle(self) -> None:
        """Wait (bounded) until the lazy work behind every acknowledged request has finished."""
        assert self.pool.wait_idle(timeout=15), "the bot's lazy listeners did not finish in 15 s"

    def user(self, role: str) -> str:
        """The id of a seeded user: 'lead', 'admin', 'member' (a plain member), 'greek' or 'outsider'."""
        ws = self.slack.workspace
        team = set(next(c for c in ws.channels if c.id == ws.settings.team_channel).members)
        plain = [u for u in ws.users if u.id in team and not u.lead and not u.admin]
        pick = {
            "lead": lambda: next(u for u in ws.users if u.lead),
            "admin": lambda: next(u for u in ws.users if u.admin),
            "member": lambda: next(u for u in plain if u.locale.startswith("en")),
            "greek": lambda: next(u for u in plain if u.locale.startswith("el")),
            "outsider": lambda: next(u for u in ws.users if u.id not in team),
        }
        return pick[role]().id


def start_bot(slack: LocalSlack, database_url: str, **overrides: Any) -> Bot:
    clock = FixedClock(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    deps = build_deps(make_settings(slack, database_url, **overrides), clock=clock)
    pool = ListenerPool(deps.settings.listener_threads)
    server = WebServer(build_app(deps, pool), host="127.0.0.1", port=0).start()
    driver = SlackDriver(server.events_url, SIGNING_SECRET, slack)
    return Bot(deps, server, driver, slack, clock, pool)


@pytest.fixture
def bot(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_bot(slack, database_url)
    try:
        yield running
    finally:
        running.server.stop()
        running.pool.shutdown(wait=True)
        running.deps.store.engine.dispose()
