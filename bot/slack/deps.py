"""What every listener needs, built once at start-up and handed to each package's register()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import BoltContext

from bot.library import LibraryHolder
from bot.settings import Settings
from bot.slack.roles import Roles
from bot.store.repository import Store


def utc_now() -> datetime:
    return datetime.now(UTC)


def team_of(context: BoltContext) -> str:
    """The workspace a request comes from (an org-wide install names its enterprise instead)."""
    return context.team_id or context.enterprise_id or ""


@dataclass
class AppDeps:
    settings: Settings
    store: Store
    library: LibraryHolder
    roles: Roles
    clock: Callable[[], datetime] = utc_now
