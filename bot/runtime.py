"""Start-up wiring shared by `run`, `web`, the demo, the console and the tests."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import datetime

from bot.library import LibraryHolder
from bot.services.deps import Deps, utc_now
from bot.services.people import RoleBook
from bot.settings import Settings
from bot.store.direct import HEAD_REVISION, revision_at_start
from bot.store.uow import Database


def build_deps(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Deps:
    """Open the database (upgrading or refusing), load the library (refusing a broken one)."""
    schedule = settings.team_schedule()  # a bad setting stops start-up before anything opens
    return Deps(
        settings=settings,
        db=open_database(settings),
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


def open_database(settings: Settings) -> Database:
    """The database at this code's schema: upgraded on start, or refused with what to run.

    One already at it (every restart but a deploy's first) is seen through its driver, and its
    engine is left to the first unit of work; any other, or one the driver cannot read, goes
    through SQLAlchemy at start, which migrates it or says in one line what is wrong."""
    url, busy_timeout = settings.database_url, settings.database_busy_timeout
    if revision_at_start(url) == HEAD_REVISION:
        return Database(url=url, busy_timeout=busy_timeout)
    # SQLAlchemy (and Alembic, to migrate) only for a database that is not simply current.
    from bot.store.db import ensure_schema, make_engine

    engine = make_engine(url, busy_timeout=busy_timeout)
    ensure_schema(engine, auto_upgrade=settings.database_auto_upgrade)
    return Database(engine)


def collect_again() -> None:
    """Turn garbage collection back on after start-up (`python -m bot` starts with it off).

    What start-up made lives as long as the process: frozen, later full collections skip it, so
    they pause the threads that acknowledge Slack for less time.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
