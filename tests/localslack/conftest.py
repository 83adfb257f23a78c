"""Fixtures for the local Slack tests: a seed workspace, a fake clock, a running server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from slack_sdk import WebClient

from bot.localslack.clock import FakeClock
from bot.localslack.server import LocalSlack
from bot.localslack.workspace import Workspace, default_seed_path, load_workspace

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def slack_specs() -> Path:
    """``../shared/slack-api-specs`` beside the repository, or skip: a user's clone has none."""
    path = REPO_ROOT.parent / "shared" / "slack-api-specs"
    if not path.is_dir():
        pytest.skip("../shared/ is absent (a user's clone has none)")
    return path


@pytest.fixture(scope="session")
def workspace() -> Workspace:
    return load_workspace(default_seed_path())


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(1_700_000_000.0)


@pytest.fixture
def slack(workspace: Workspace, clock: FakeClock) -> Iterator[LocalSlack]:
    with LocalSlack(workspace, clock=clock) as local:
        yield local


@pytest.fixture
def client(slack: LocalSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=5)
