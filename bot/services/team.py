"""`/learn team [weeks]` and `/learn team csv [weeks]`: how the team is learning, for its leads.

One unit of work reads every figure with aggregate queries (`bot.store.team_report`); the rules
that pick the blind spot, the strongest area and the next focus are `bot.learning.team`'s. What
the team still remembers is summed per lesson by the database (`bot.store.recall`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.learning import team as rules
from bot.learning.model import Role
from bot.learning.recall import Recall, by_area
from bot.learning.team import (
    AreaCounts,
    AreaLine,
    Periods,
    QuestionLine,
    TeamMember,
    TeamReport,
    TeamTable,
)
from bot.library import Library
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize, require
from bot.services.team_setup import in_workspace
from bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class TeamOutcome:
    language: str
    weeks: int | None  # None: what followed was not a number of weeks from 1 to 52
    report: TeamReport | None = None
    table: TeamTable | None = None


def team_report(deps: Deps, slack: Directory, caller: Caller, args: tuple[str, ...]) -> TeamOutcome:
    """The summary and the member x area table, for a lead."""
    return _team(deps, slack, caller, args, summary=True)


def team_table(deps: Deps, slack: Directory, caller: Caller, args: tuple[str, ...]) -> TeamOutcome:
    """The member x area table alone (the CSV), for a lead."""
    return _team(deps, slack, caller, args, summary=False)


def _team(
    deps: Deps, slack: Directory, caller: Caller, args: tuple[str, ...], *, summary: bool
) -> TeamOutcome:
    library = deps.library.current
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        require(person, Role.LEAD)
        weeks = rules.parse_weeks(args)
        if weeks is None:
            return TeamOutcome(person.language, None)
        now = deps.clock()
        periods = rules.periods(weeks, now)
        # No workspace row yet means no member either: id 0 matches nothing.
        workspace_id = uow.workspaces.find(caller.team_id) or 0
        table = _table(uow, workspace_id, periods, library, person.language)
        report = (
            _report(uow, workspace_id, periods, library, person.language, len(table.members), now)
            if summary
            else None
        )
    return TeamOutcome(person.language, weeks, report, table)


def week_table(
    uow: UnitOfWork, workspace_id: int, until: datetime, library: Library, language: str
) -> TeamTable:
    """The member x area table of the week that ends at `until`: the heatmap in the leads'
    weekly digest (the digest's own unit of work)."""
    return _table(uow, workspace_id, rules.periods(1, until), library, language)


def team_remembered(
    uow: UnitOfWork, workspace_id: int, library: Library, now: datetime
) -> dict[str, Recall]:
    """Per skill area of the library: the team's cards and what it still remembers at `now`,
    summed by the database per lesson (`bot.store.recall`), then per area."""
    return by_area(uow.recalls.team_lessons(workspace_id, now), library.skill_of)


def team_blind_spot(
    uow: UnitOfWork, workspace_id: int, library: Library, language: str, now: datetime
) -> str | None:
    """The blind spot `/learn team` names by default (its last DEFAULT_WEEKS weeks), in the
    lead's language: for `/learn why` to a lead. None when those weeks have no answer."""
    periods = rules.periods(rules.DEFAULT_WEEKS, now)
    _areas, _remembered, blind = _weighed(uow, workspace_id, periods, library, now)
    return _area_name(library, blind, language) if blind else None


def _weighed(
    uow: UnitOfWork, workspace_id: int, periods: Periods, library: Library, now: datetime
) -> tuple[list[AreaCounts], dict[str, Recall], str | None]:
    """Every area's counts, what the team remembers of each, and the blind spot they make
    (`bot.learning.team.blind_spot`)."""
    remembered = team_remembered(uow, workspace_id, library, now)
    areas = rules.with_every_area(uow.team_reports.areas(workspace_id, periods), library.skills)
    return areas, remembered, rules.blind_spot(areas, remembered)


def _table(
    uow: UnitOfWork, workspace_id: int, periods: Periods, library: Library, language: str
) -> TeamTable:
    rows = uow.team_reports.members(workspace_id)
    team = [TeamMember(name, user) for _id, name, user in rows]
    users = {member_id: user for member_id, _name, user in rows}
    cells = {
        (users[cell.member_id], cell.skill): cell
        for cell in uow.team_reports.member_areas(workspace_id, periods.now)
    }
    skills = sorted({*library.skills, *(skill for _user, skill in cells)})
    areas = [(skill, _area_name(library, skill, language)) for skill in skills]
    return TeamTable(periods, team, areas, cells)


def _report(
    uow: UnitOfWork,
    workspace_id: int,
    periods: Periods,
    library: Library,
    language: str,
    members: int,
    now: datetime,
) -> TeamReport:
    reports, weeks = uow.team_reports, periods.weeks
    areas, remembered, blind = _weighed(uow, workspace_id, periods, library, now)
    strongest = rules.strongest(areas, blind)
    active = reports.active_weeks(workspace_id, periods)
    most, fewest = rules.most_and_fewest(reports.questions(workspace_id, periods.now))
    focus = None
    if blind is not None:
        lessons = [(lesson.level, lesson.id) for lesson in library.lessons_in(blind)]
        focus_id = rules.next_focus(reports.lesson_rates(workspace_id, blind, periods.now), lessons)
        focus = library.lessons[focus_id].localized(language).title if focus_id else None
    return TeamReport(
        periods=periods,
        members=members,
        participation=rules.participation(sum(active[weeks:]), members, weeks),
        participation_before=rules.participation(sum(active[:weeks]), members, weeks),
        areas=[
            AreaLine(
                _area_name(library, area.skill, language),
                area,
                remembered.get(area.skill, Recall()),
            )
            for area in areas
        ],
        blind_spot=_area_name(library, blind, language) if blind else None,
        strongest=_area_name(library, strongest, language) if strongest else None,
        quiet=reports.quiet(workspace_id, now - rules.QUIET_FOR),
        most_answered=_question(library, most, language),
        fewest_answered=_question(library, fewest, language),
        focus=focus,
    )


def _area_name(library: Library, skill: str, language: str) -> str:
    """The area's name in the lead's language; its id when the library no longer has it."""
    found = library.skills.get(skill)
    return found.name_in(language) if found else skill


def _question(
    library: Library, count: rules.QuestionCount | None, language: str
) -> QuestionLine | None:
    if count is None:
        return None
    found = library.questions.get(count.question_id)
    prompt = found.localized(language).prompt if found else count.question_id
    return QuestionLine(prompt, count.sent, count.answers)
