"""Start-up wiring shared by `run`, `web`, the demo, the console and the tests."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime

from bot.library import LibraryHolder
from bot.services.deps import Deps, utc_now
from bot.services.people import RoleBook
from bot.settings import Settings
from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database


def build_deps(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Deps:
    """Open the database (upgrading or refusing), load the library (refusing a broken one)."""
    schedule = settings.team_schedule()  # a bad setting stops start-up before anything opens
    engine = make_engine(settings.database_url, busy_timeout=settings.database_busy_timeout)
    ensure_schema(engine, auto_upgrade=settings.database_auto_upgrade)
    return Deps(
        settings=settings,
        db=Database(engine),
        library=LibraryHolder(
            settings.content_dir,
            clock().date(),
            clock=clock,
            cache=settings.library_cache_folder(),
        ),
        roles=RoleBook(settings.leads, settings.admins),
        schedule=schedule,
        clock=clock,
    )


def collect_again() -> None:
    """Turn garbage collection back on after start-up (`python -m bot` starts with it off).

    What start-up made lives as long as the process: frozen, later full collections skip it, so
    they pause the threads that acknowledge Slack for less time.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
