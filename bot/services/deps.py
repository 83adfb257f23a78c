"""What every use case needs, built once per process and shared by every request and thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.learning.schedule_settings import TeamSchedule
from bot.library import LibraryHolder
from bot.services.people import RoleBook
from bot.settings import Settings
from bot.store.uow import Database, UnitOfWork
from bot.store.uow import DatabaseBusy as DatabaseBusy  # what listeners may catch


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    settings: Settings
    db: Database
    library: LibraryHolder
    roles: RoleBook
    schedule: TeamSchedule = field(default_factory=TeamSchedule)
    clock: Callable[[], datetime] = utc_now

    def uow(self) -> UnitOfWork:
        return self.db.uow()
