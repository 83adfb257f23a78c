"""Start-up wiring shared by `run`, `web`, the demo, the console and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.library import LibraryHolder
from bot.settings import Settings
from bot.slack.deps import AppDeps, utc_now
from bot.slack.roles import Roles
from bot.store.db import ensure_schema, make_engine
from bot.store.repository import Store


def build_deps(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> AppDeps:
    """Open the database (upgrading or refusing), load the library (refusing a broken one)."""
    engine = make_engine(settings.database_url)
    ensure_schema(engine, auto_upgrade=settings.database_auto_upgrade)
    return AppDeps(
        settings=settings,
        store=Store(engine),
        library=LibraryHolder(settings.content_dir),
        roles=Roles(settings.leads, settings.admins),
        clock=clock,
    )
