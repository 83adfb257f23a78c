"""The database through its DB-API driver, without SQLAlchemy: what `web` reads before it serves
(the schema's revision) and what /healthz asks (issue 7, bench/startup.py).

Importing SQLAlchemy takes longer than importing Bolt, and a restart on a database already at this
code's schema needs none of it to answer its first /healthz: one connection and a query or two
through sqlite3 or psycopg do. The engine, and SQLAlchemy with it, comes with the first unit of
work (bot.store.uow.Database). Only the URLs whose meaning is plain are opened here (a file for
SQLite, psycopg for PostgreSQL); any other (an in-memory SQLite, another driver) goes through
SQLAlchemy as before, and so does anything that goes wrong at start, which then says what it
always said.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

# The newest migration in migrations/versions; tests/store checks it against Alembic's own answer.
HEAD_REVISION = "0010"
# Seconds a new PostgreSQL connection may take (libpq's connect_timeout; its own default waits
# as long as TCP does). A DATABASE_URL with ?connect_timeout=N says otherwise.
CONNECT_TIMEOUT = 5

# PostgreSQL's lock_not_available (lock_timeout: another connection held a row lock too long)
# and query_canceled (statement_timeout, bot.store.db.STATEMENT_TIMEOUT).
_POSTGRESQL_BUSY = ("55P03", "57014")


class SchemaOutOfDate(Exception):
    """The database is not at the code's schema and may not be upgraded automatically."""


@dataclass(frozen=True)
class Direct:
    """A DATABASE_URL as its driver takes it."""

    backend: str  # "sqlite" or "postgresql", as SQLAlchemy's dialect names it
    target: str  # SQLite: a file: URI that opens an existing file only; PostgreSQL: libpq's URL
    connect_timeout: int | None  # PostgreSQL's, unless the URL says it


def direct(url: str) -> Direct | None:
    """``url`` (SQLAlchemy's form) for its driver, or None when only SQLAlchemy should read it."""
    scheme, _, rest = url.partition("://")
    if scheme in ("sqlite", "sqlite+pysqlite"):
        path = rest[1:] if rest.startswith("/") else ""
        # SQLAlchemy's own spelling for a path (its query options, an escaped character) and an
        # in-memory database, which is another database on every connection, stay with it.
        if not path or path == ":memory:" or any(mark in path for mark in "?%#"):
            return None
        return Direct("sqlite", f"file:{quote(path)}?mode=rw", None)
    if scheme == "postgresql+psycopg":
        given = parse_qs(urlsplit(url).query)
        timeout = None if "connect_timeout" in given else CONNECT_TIMEOUT
        return Direct("postgresql", f"postgresql://{rest}", timeout)
    return None


def connect(database: Direct, wait_seconds: float) -> Any:
    """A DB-API connection in autocommit; SQLite waits ``wait_seconds`` at most for a lock."""
    if database.backend == "sqlite":
        # mode=rw: a file that is gone is an error, not a new empty database.
        return sqlite3.connect(
            database.target, timeout=wait_seconds, uri=True, isolation_level=None
        )
    import psycopg  # as SQLAlchemy imports it for a PostgreSQL engine: never for SQLite

    if database.connect_timeout is None:  # the URL's own
        return psycopg.connect(database.target, autocommit=True)
    return psycopg.connect(
        database.target, autocommit=True, connect_timeout=database.connect_timeout
    )


def read_revision(cursor: Any, backend: str) -> str | None:
    """The revision the database is at; None for an empty database."""
    if backend == "sqlite":
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        )
    else:  # found as SQLAlchemy's has_table finds it: in the connection's search_path
        cursor.execute("SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL")
    if cursor.fetchone() is None:
        return None
    cursor.execute("SELECT version_num FROM alembic_version")
    row = cursor.fetchone()
    return None if row is None else str(row[0])


def revision_at_start(url: str) -> str | None:
    """The revision read through the driver, or None when it could not be (the caller then goes
    through SQLAlchemy, which migrates, refuses or says what is wrong, as it always did)."""
    database = direct(url)
    if database is None:
        return None
    try:
        connection = connect(database, wait_seconds=0)
        try:
            return read_revision(connection.cursor(), database.backend)
        finally:
            connection.close()
    except Exception:  # any driver's error: SQLAlchemy tries again and words it
        return None


def is_busy(original: BaseException | None) -> bool:
    """A driver's error for SQLite's "database is locked" (SQLITE_BUSY, SQLITE_LOCKED), or
    PostgreSQL's lock or statement timeout, as opposed to a database that is gone or broken."""
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return getattr(original, "sqlstate", None) in _POSTGRESQL_BUSY


def schema_state(revision: str | None) -> str:
    """ "current" (at this code's head), "behind" (an older revision, or none: run `python -m bot
    db upgrade`), or "newer" (a revision this code does not know: a newer release migrated it)."""
    if revision == HEAD_REVISION:
        return "current"
    # Alembic reads its scripts, with SQLAlchemy, only for a database that is not at head.
    from bot.store.db import known_revisions

    return "behind" if revision is None or revision in known_revisions() else "newer"
