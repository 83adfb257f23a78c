"""`/learn admin stats`: the figures an admin needs to see that Nudge is healthy, in one answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import bot
from bot.learning.figures import AdminFigures, CheckedLesson, MemberStates, Traffic
from bot.learning.model import Role
from bot.learning.schedule import zone_of
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize, require
from bot.services.team_setup import in_workspace
from bot.store.db import HEAD_REVISION, current_revision

# "This week" for an admin: the seven days up to now, whatever the weekday.
WEEK = timedelta(days=7)
# The lessons whose facts were verified longest ago, shown first (issue 10's `checked:`).
OLDEST_SHOWN = 5


@dataclass(frozen=True)
class AdminStats:
    language: str
    figures: AdminFigures


def collect_admin_stats(deps: Deps, slack: Directory, caller: Caller) -> AdminStats:
    """Refused before anything is read: a refusal can hold no figure."""
    deps = in_workspace(deps, caller.team_id)
    now = deps.clock()
    today = now.astimezone(zone_of(deps.settings.team_zone)).date()
    with deps.uow() as uow:
        person = recognize(uow, slack, deps.roles, caller)
        require(person, Role.ADMIN)
        workspace_id = uow.workspaces.find(caller.team_id)
        if workspace_id is None:  # Nudge has met nobody here yet
            members, week = MemberStates(0, 0, 0), Traffic(0, 0, {})
        else:
            members = uow.figures.member_states(workspace_id, today, now)
            week = uow.figures.traffic(workspace_id, now - WEEK, now)
    library = deps.library.current
    dated = sorted(
        library.lessons.values(), key=lambda lesson: (lesson.checked or date.min, lesson.id)
    )
    figures = AdminFigures(
        members=members,
        week=week,
        lessons=len(library.lessons),
        questions=len(library.questions),
        skills=len(library.skills),
        oldest=tuple(CheckedLesson(lesson.id, lesson.checked) for lesson in dated[:OLDEST_SHOWN]),
        database=deps.db.engine.dialect.name,
        revision=current_revision(deps.db.engine),
        head=HEAD_REVISION,
        version=bot.__version__,
    )
    return AdminStats(person.language, figures)
