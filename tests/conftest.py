"""Shared fixtures: a database per test (SQLite always, PostgreSQL too when TEST_DATABASE_URL is set),
the local Slack, and the bot served over real HTTP with a signed-request driver.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.localbot import LocalBot, local_settings, start_local_bot
from bot.localslack import Ephemeral, FakeClock, LocalSlack, load_workspace
from bot.localslack.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_LIBRARY = REPO / "tests" / "fixtures" / "library"
SEED = REPO / "seeds" / "demo.yaml"
SIGNING_SECRET = "test-signing-secret-0123456789abcdef"

# Every Nudge a test starts (in this process or as `python -m bot`) checks its library: tests change
# content between starts and run side by side, and none should read or write the user's cache
# folder. tests/library/test_library_cache.py gives the cache a folder of its own.
os.environ["LIBRARY_CACHE"] = "off"

DATABASES = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]

# CI runs the same examples every time, so that a green build stays green; a developer's run
# explores new ones.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL schema of its own that is dropped after."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nudge.db'}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of TEST_DATABASE_URL's database whose connections use a schema of their own, dropped
    when the block ends (so that tests running side by side never meet)."""
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


def recipient(slack: LocalSlack, channel: str) -> str:
    """The person a post went to: a DM is posted to by user id first, then by the DM's channel
    id once Nudge knows it (which comes first between two posts sent side by side may vary)."""
    people = {slack.dm_channel_id(user.id): user.id for user in slack.workspace.users}
    return people.get(channel, channel)


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    return load_workspace(SEED)


@pytest.fixture
def slack(workspace: Workspace) -> Iterator[LocalSlack]:
    with LocalSlack(workspace) as local:
        yield local


BOT_START = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


class Bot(LocalBot):
    """The bot as Slack sees it, plus the seeded people a test picks by role."""

    clock: FakeClock

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

    def ask(self, user_id: str, text: str) -> Ephemeral:
        """`/learn <text>` as a person types it: Slack gets an empty 200 at once, and the answer
        arrives afterwards as exactly one ephemeral message through response_url."""
        before = len(self.slack.ephemerals(user_id))
        response = self.driver.command(user_id, text)
        assert (response.status, response.body) == (200, "")
        self.settle()
        replies = self.slack.ephemerals(user_id)[before:]
        assert len(replies) == 1, replies
        return replies[0]


def start_bot(
    slack: LocalSlack, database_url: str, *, start: datetime = BOT_START, **overrides: Any
) -> Bot:
    """Nudge on the local Slack, as the demo starts it, with a clock that moves only when a test
    moves it (from `start`) and retries that note their wait instead of sleeping."""
    clock = FakeClock(start)
    settings = local_settings(
        slack,
        database_url,
        overrides.pop("content_dir", TEST_LIBRARY),
        SIGNING_SECRET,
        **{"slack_max_retries": 2, **overrides},
    )
    started = start_local_bot(slack, settings, clock=clock.now, record_waits=True)
    bot = Bot(**vars(started))
    bot.clock = clock
    return bot


@pytest.fixture
def bot(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_bot(slack, database_url)
    try:
        yield running
    finally:
        running.close()
