"""The store's tests' database: migrated to head, on each database of tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    engine = make_engine(database_url)
    ensure_schema(engine, auto_upgrade=True)
    yield Database(engine)
    engine.dispose()
