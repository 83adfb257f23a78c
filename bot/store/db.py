"""Engines and schema versions. The schema is Alembic's; the app upgrades on start or refuses clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaOutOfDate(Exception):
    """The database is not at the code's schema and may not be upgraded automatically."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the settings each backend needs for several threads writing at once."""
    if url.startswith("sqlite"):
        connect_args = {"timeout": 30, "check_same_thread": False}
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers and one writer work together; foreign keys are off by default.
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(_alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Apply every migration up to head (`python -m bot db upgrade`)."""
    command.upgrade(_alembic_config(engine), "head")


def ensure_schema(engine: Engine, *, auto_upgrade: bool) -> None:
    """Upgrade the database on start, or refuse with a message that says what to run."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if not auto_upgrade:
        raise SchemaOutOfDate(
            f"the database is at schema {current or 'empty'} and this code needs {head}: "
            "run `python -m bot db upgrade` (or set DATABASE_AUTO_UPGRADE=true)."
        )
    upgrade(engine)
