"""The store's tests share a database migrated to the newest revision, on each database of
tests/conftest.py (test_migrations builds its own, empty)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = make_engine(database_url)
    ensure_schema(created, auto_upgrade=True)
    yield created
    created.dispose()


@pytest.fixture
def database(engine: Engine) -> Database:
    return Database(engine)
