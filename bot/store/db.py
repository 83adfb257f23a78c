"""Engines and schema versions. The schema is Alembic's; the app upgrades on start or refuses clearly.

Alembic is imported only to migrate: a start-up on an up-to-date database reads the version row
with one query, which keeps `web` quick to answer its first health check.
"""

from __future__ import annotations

import math
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot.settings import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration in migrations/versions; tests/store checks it against Alembic's own answer.
HEAD_REVISION = "0010"
# Seconds a new PostgreSQL connection may take (libpq's connect_timeout; its own default waits
# as long as TCP does). A DATABASE_URL with ?connect_timeout=N says otherwise.
CONNECT_TIMEOUT = 5
# A pooled PostgreSQL connection whose server went silent (a host gone from the network, a
# failover) would otherwise hold a request, or /healthz, until TCP gives up: some 15 minutes
# while a statement waits for its answer, hours on an idle connection. libpq's TCP settings end
# it sooner: data unacknowledged for TCP_USER_TIMEOUT_MS, or an idle connection unanswered after
# KEEPALIVES_IDLE + KEEPALIVES_COUNT * KEEPALIVES_INTERVAL seconds. A DATABASE_URL parameter of
# the same name says otherwise.
TCP_SETTINGS = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}
# Seconds any one PostgreSQL statement may run (statement_timeout): far beyond what any of
# Nudge's queries needs, so only a runaway one ends, and is answered "busy" like a held lock
# (bot.store.uow). Migrations run without it (a big table's new index may take longer).
STATEMENT_TIMEOUT = 60


class SchemaOutOfDate(Exception):
    """The database is not at the code's schema and may not be upgraded automatically."""


class DatabaseUnusable(ConfigError):
    """DATABASE_URL names no database Nudge can open; the message is one line, password hidden."""


def shown(url: str) -> str:
    """The URL as a person may see it: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a URL)"


def _unusable(url: str, problem: str) -> DatabaseUnusable:
    return DatabaseUnusable(
        f"DATABASE_URL {shown(url)} cannot be used ({problem}): check the setting and that the "
        "database is running; e.g. sqlite:///nudge.db or postgresql+psycopg://user:pass@host/db."
    )


def make_engine(url: str, *, busy_timeout: float = 30.0, **kwargs: Any) -> Engine:
    """An engine with the settings each backend needs for several threads writing at once.
    `busy_timeout`: seconds a write waits for another writer's lock (DATABASE_BUSY_TIMEOUT):
    SQLite's busy timeout, PostgreSQL's lock_timeout."""
    try:
        return _engine(url, busy_timeout, **kwargs)
    except (ArgumentError, NoSuchModuleError, ModuleNotFoundError) as wrong:
        raise _unusable(url, str(wrong).splitlines()[0]) from None


def _engine(url: str, busy_timeout: float, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        connect_args = {"timeout": busy_timeout, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers and one writer work together; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            try:
                cursor.execute("SELECT power(2, 0.5)")
            except sqlite3.OperationalError:
                # A build without SQLite's math functions: the recall sums (bot.store.recall)
                # need `power`, so Python's stands in, inside the query.
                dbapi_connection.create_function("power", 2, math.pow, deterministic=True)
            cursor.close()

        return engine
    # No ping before each checkout: a pooled connection is trusted, and one that the server closed
    # fails its first statement, which SQLAlchemy notices and replaces. Recycling connections older
    # than half an hour keeps them inside typical server and load-balancer idle limits.
    # A server that does not answer at all (a host gone from the network) fails a connection after
    # CONNECT_TIMEOUT seconds instead of holding a request, or /healthz, until TCP gives up.
    kwargs.setdefault("connect_args", postgresql_connect_args(url, busy_timeout))
    return create_engine(url, pool_pre_ping=False, pool_recycle=1800, **kwargs)


def postgresql_connect_args(url: str, busy_timeout: float) -> dict[str, object]:
    """libpq's connection settings (see TCP_SETTINGS, STATEMENT_TIMEOUT), with the server's
    lock_timeout at DATABASE_BUSY_TIMEOUT: a write waits for another's row lock as long as an
    SQLite write waits for the file's, then gives up ("busy", nothing stored) instead of waiting
    for ever. What DATABASE_URL's query sets wins; its `options` (e.g. a search_path) are kept."""
    given = make_url(url).query
    wanted = {"connect_timeout": CONNECT_TIMEOUT, **TCP_SETTINGS}
    args: dict[str, object] = {name: value for name, value in wanted.items() if name not in given}
    # 0 would mean "no limit" to PostgreSQL: the shortest it takes is a millisecond.
    lock_ms = max(1, round(busy_timeout * 1000))
    ours = f"-c lock_timeout={lock_ms} -c statement_timeout={STATEMENT_TIMEOUT * 1000}"
    theirs = given.get("options")
    theirs = " ".join(theirs) if isinstance(theirs, tuple) else theirs
    # libpq applies the options in order: the URL's own, after ours, win.
    args["options"] = f"{ours} {theirs}" if theirs else ours
    return args


def _alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))


def head_revision() -> str:
    """The newest migration, as Alembic reads the scripts (HEAD_REVISION must say the same)."""
    head = _scripts().get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return revision_of(connection)


def revision_of(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty database."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    version: str | None = connection.scalar(text("SELECT version_num FROM alembic_version"))
    return version


@cache
def known_revisions() -> frozenset[str]:
    """Every revision of this code's migrations (read from the scripts once, when asked)."""
    return frozenset(step.revision for step in _scripts().walk_revisions())


def schema_state(revision: str | None) -> str:
    """ "current" (at this code's head), "behind" (an older revision, or none: run `python -m bot
    db upgrade`), or "newer" (a revision this code does not know: a newer release migrated it)."""
    if revision == HEAD_REVISION:
        return "current"
    return "behind" if revision is None or revision in known_revisions() else "newer"


def upgrade(engine: Engine) -> None:
    """Apply every migration up to head (`python -m bot db upgrade`)."""
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")


def ensure_reachable(engine: Engine) -> None:
    """Connect once, so that a wrong address or a stopped server is one line, not a traceback."""
    try:
        with engine.connect():
            pass
    except OperationalError as failed:
        reason = str(failed.orig or failed).strip().splitlines()[0]
        raise _unusable(engine.url.render_as_string(hide_password=False), reason) from None


def ensure_schema(engine: Engine, *, auto_upgrade: bool) -> None:
    """Upgrade the database on start, or refuse with a message that says what to run."""
    ensure_reachable(engine)
    current, head = current_revision(engine), HEAD_REVISION
    if current == head:
        return
    if not auto_upgrade:
        raise SchemaOutOfDate(
            f"the database is at schema {current or 'empty'} and this code needs {head}: "
            "run `python -m bot db upgrade` (or set DATABASE_AUTO_UPGRADE=true)."
        )
    upgrade(engine)
