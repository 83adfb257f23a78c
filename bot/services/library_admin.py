"""`/learn admin check|reload`: an admin checks the lesson files, or swaps them in without a restart."""

from __future__ import annotations

from dataclasses import dataclass

from bot.learning.model import Role
from bot.library import CheckReport
from bot.library import check_library as check_files
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize, require
from bot.services.team_setup import in_workspace


@dataclass(frozen=True)
class LibraryOutcome:
    language: str
    report: CheckReport
    refused: dict[str, str]  # lessons Slack refused since the last reload -> its error code


def check_library(deps: Deps, slack: Directory, caller: Caller) -> LibraryOutcome:
    """Check the content directory without loading it: what a reload would say."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
    require(person, Role.ADMIN)
    report = check_files(deps.library.content_dir, deps.clock().date())
    return LibraryOutcome(person.language, report, deps.library.refused)


def reload_library(deps: Deps, slack: Directory, caller: Caller) -> LibraryOutcome:
    """Serve the content directory as it is now, unless it has errors: then the last good library
    stays in service and the report says why."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
    require(person, Role.ADMIN)
    report = deps.library.reload(deps.clock().date())
    return LibraryOutcome(person.language, report, deps.library.refused)
