"""What `python -m bot web` does before its first /healthz, kept to what serving needs (issue 7,
bench/startup.py): modules that only other commands, other settings or a request's work use are
imported when first used, and Bolt is not left to name the app by walking the call stack."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, NoReturn

import pytest

from bot.cli import main
from bot.localbot import local_settings
from bot.localslack import LocalSlack
from bot.runtime import build_deps
from bot.slack.app import build_app
from tests.conftest import SIGNING_SECRET, TEST_LIBRARY
from tests.test_cli import web_process

# Top-level packages and modules `web` must start without, and who needs them instead.
NOT_AT_START = (
    "alembic",  # migrations: `db upgrade`, or a start that finds the schema behind
    "apscheduler",  # the clock
    "matplotlib",  # a lead's heatmap
    "babel",  # the first translator, made by the first request that says something
    "pythonjsonlogger",  # LOG_FORMAT=json
    "slack_bolt.adapter.socket_mode",  # `run` with SLACK_APP_TOKEN
    "slack_sdk.socket_mode",
    # SQLAlchemy, its ORM and the tables declared with it: the first unit of work makes the
    # engine; a restart reads the schema's revision, and /healthz probes, through the driver.
    "sqlalchemy",
    "bot.store.db",
    "bot.store.tables",
    "bot.store.repositories",
    "bot.services.sending",  # the clock's pass, and workers
    "bot.slack.forward",  # WORK_IN=worker
    "bot.services.accepted",
    # Nudge's own, imported by the first request (or the clock) that uses them:
    "bot.slack.payloads",  # the first Slack request checks its payload's shape
    "bot.slack.installs",  # many workspaces (OAuth), with slack_sdk's SQLAlchemy stores
    "slack_sdk.oauth.installation_store.sqlalchemy",
    "bot.services.settings",  # the Settings modal, whose form is a pydantic model
    "bot.services.own_data",  # `/learn export` and `/learn forget`
    "bot.services.admin_stats",  # `/learn admin stats`
    "bot.services.library_admin",  # `/learn admin check` and `reload`
    "bot.services.team",  # a lead's `/learn team`, `team csv` and `why`
    "bot.services.digest",  # the clock's weekly digest
    "bot.learning.team",  # the team report's figures
    "bot.learning.digest",
    "bot.store.team_report",
    "bot.slack.blocks.team",
    "bot.slack.blocks.team_files",  # the heatmap and the CSV
    "bot.slack.blocks.digest",
    "bot.slack.blocks.admin_stats",
    "bot.slack.blocks.library_report",
    # A member's use cases, imported by the first request that needs one (a command, a button, an
    # event), and the learning rules only they and the clock use:
    "bot.services.home",
    "bot.services.lessons",
    "bot.services.membership",
    "bot.services.questions",
    "bot.services.roster",
    "bot.services.team_setup",  # `/learn admin setup`
    "bot.services.tick",  # the clock's pass
    "bot.learning.away",
    "bot.learning.calendars",  # with the `holidays` package's data
    "bot.learning.pause",
    "bot.learning.progress",
    "bot.learning.recall",
    "bot.learning.reviews",  # with fsrs
    "bot.learning.schedule",
    "bot.learning.selection",
    "bot.learning.streak",
    "fsrs",
)


def test_web_starts_without_what_only_other_work_needs(
    tmp_path: Path, slack: LocalSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restart (the schema made): every module imported up to "listening", from Python's own
    -X importtime lines (PYTHONPROFILEIMPORTTIME), none of NOT_AT_START."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nudge.db'}")
    assert main(["db", "upgrade"]) == 0
    with web_process(
        tmp_path,
        PYTHONPROFILEIMPORTTIME="1",
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
    ) as (_process, _port, log):
        imported = {
            line.rsplit("|", 1)[1].strip() for line in log if line.startswith("import time:")
        }
    assert {"bot.serve", "slack_bolt", "waitress"} <= imported  # the lines are what they seem
    unwanted = [
        name
        for name in imported
        if any(name == part or name.startswith(part + ".") for part in NOT_AT_START)
    ]
    assert sorted(unwanted) == []


def _walked(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise AssertionError("inspect.stack() was called while the app was built")


def test_the_app_is_built_without_walking_the_call_stack(
    tmp_path: Path, slack: LocalSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bolt names an App that is given no name with inspect.stack(), which reads the source of
    every frame and looks through every loaded module: 30 ms or more at start."""
    settings = local_settings(
        slack, f"sqlite:///{tmp_path / 'nudge.db'}", TEST_LIBRARY, SIGNING_SECRET
    )
    deps = build_deps(settings)
    monkeypatch.setattr(inspect, "stack", _walked)
    app = build_app(deps)
    assert app.name == "app.py"  # the name Bolt would find: its loggers' names stay the same
