"""What every use case needs, built once per process and shared by every request and thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.library import LibraryHolder
from bot.services.people import RoleBook
from bot.settings import Settings
from bot.store.uow import Database, UnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    settings: Settings
    db: Database
    library: LibraryHolder
    roles: RoleBook
    clock: Callable[[], datetime] = utc_now

    def uow(self) -> UnitOfWork:
        return self.db.uow()

    def __deepcopy__(self, memo: dict[int, Any]) -> Deps:
        # Bolt deep-copies the request context for lazy listeners; the dependencies are
        # process-wide (engine, library, caches), so the copy is the same object.
        return self
