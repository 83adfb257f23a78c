"""The database through its driver, without SQLAlchemy (bot.store.direct): which URLs it reads
itself, and that a restart leaves the engine, and SQLAlchemy, to the first unit of work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store.db import make_engine, upgrade
from bot.store.direct import CONNECT_TIMEOUT, HEAD_REVISION, Direct, direct, revision_at_start
from bot.store.uow import Database


@pytest.mark.parametrize(
    ("url", "read"),
    [
        ("sqlite:///nudge.db", Direct("sqlite", "file:nudge.db?mode=rw", None)),
        ("sqlite:////var/lib/nudge db", Direct("sqlite", "file:/var/lib/nudge%20db?mode=rw", None)),
        (
            "postgresql+psycopg://nudge:s%40cret@db:5432/nudge",
            Direct("postgresql", "postgresql://nudge:s%40cret@db:5432/nudge", CONNECT_TIMEOUT),
        ),
        (  # the URL's own timeout is libpq's
            "postgresql+psycopg://db/nudge?connect_timeout=9",
            Direct("postgresql", "postgresql://db/nudge?connect_timeout=9", None),
        ),
        # SQLAlchemy's alone: an in-memory database (one per connection), its options, another
        # driver, a database Nudge does not run on, not a URL.
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///nudge.db?timeout=5", None),
        ("postgresql://db/nudge", None),
        ("mysql://db/nudge", None),
        ("nudge.db", None),
    ],
)
def test_the_driver_reads_only_the_urls_whose_meaning_is_plain(
    url: str, read: Direct | None
) -> None:
    assert direct(url) == read


def test_a_restart_reads_the_revision_and_makes_the_engine_at_the_first_unit_of_work(
    database_url: str,
) -> None:
    assert revision_at_start(database_url) is None  # empty: start-up migrates with SQLAlchemy
    migrating = make_engine(database_url)
    upgrade(migrating)
    migrating.dispose()

    assert revision_at_start(database_url) == HEAD_REVISION
    database = Database(url=database_url)
    assert database.probe().revision == HEAD_REVISION
    # No engine yet (SQLAlchemy is what start-up no longer waits for): the first unit makes it.
    assert database._engine is None
    with database.uow() as work:
        assert work.members is not None
    assert database._engine is not None
    database.dispose()


def test_a_sqlite_file_that_is_gone_does_not_answer_and_is_not_made_again(tmp_path: Path) -> None:
    gone = tmp_path / "nudge.db"
    url = f"sqlite:///{gone}"
    assert revision_at_start(url) is None  # start-up then goes through SQLAlchemy, which says why
    assert Database(url=url).probe().problem == "does not answer"
    assert not gone.exists()


def test_a_held_write_lock_is_is_locked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nudge.db'}"
    holder = sqlite3.connect(tmp_path / "nudge.db", isolation_level=None)
    holder.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert Database(url=url).probe().problem == "is locked"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Database(url=url).probe().problem is None
