"""A member's say over their own lessons: pause, resume, join, leave, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from bot.learning.calendars import holiday_name, is_public_holiday
from bot.learning.model import History, Member, Role
from bot.learning.pause import BadPause, paused_through
from bot.learning.schedule import NextReason, explain_next
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, Person, enrol, recognize
from bot.services.team_setup import in_workspace
from bot.services.tick import calendar_of, schedule_of


@dataclass(frozen=True)
class PauseOutcome:
    status: Literal["paused", "resumed", "bad"]
    language: str
    back_on: date | None = None  # the first local date with lessons again
    problem: str = ""  # BadPause's reason: words, date, past, zero, long


def pause(deps: Deps, slack: Directory, caller: Caller, words: tuple[str, ...]) -> PauseOutcome:
    now = deps.clock()
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person, member = enrol(uow, slack, deps.roles, caller, now)
        today = now.astimezone(calendar_of(member).zone).date()
        try:
            last = paused_through(words, today)
        except BadPause as bad:
            return PauseOutcome("bad", person.language, problem=str(bad))
        uow.members.update(
            member.workspace_id, member.slack_user_id, paused_until=last, next_due_at=None
        )
        uow.commit()
    return PauseOutcome("paused", person.language, back_on=date.fromordinal(last.toordinal() + 1))


def _reschedule(
    deps: Deps, slack: Directory, caller: Caller, **values: object
) -> tuple[Person, Member]:
    """Change the caller's own settings; the clock reschedules them from now."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person, member = enrol(uow, slack, deps.roles, caller, deps.clock())
        uow.members.update(member.workspace_id, member.slack_user_id, next_due_at=None, **values)
        uow.commit()
    return person, member


def resume(deps: Deps, slack: Directory, caller: Caller) -> PauseOutcome:
    person, _member = _reschedule(deps, slack, caller, paused_until=None)
    return PauseOutcome("resumed", person.language)


@dataclass(frozen=True)
class Choice:
    language: str
    learns: bool


def choose(
    deps: Deps, slack: Directory, caller: Caller, choice: Literal["join", "leave"]
) -> Choice:
    """`/learn join` (also from outside the team channel) or `/learn leave` (on-demand lessons
    still work)."""
    person, member = _reschedule(deps, slack, caller, choice=choice)
    return Choice(person.language, choice == "join" and not member.deactivated)


@dataclass(frozen=True)
class Why:
    language: str
    learns: bool
    tz: str
    last_title: str | None
    last_at: datetime | None
    last_review: bool
    next: NextReason | None
    holiday: str  # the public holiday's name when `next` was moved by one, else ""
    # The last lesson was the member's first in its area: chosen because the area was never met.
    last_new_area: bool = False
    # For a lead asking `/learn why`: the team's blind spot as `/learn team` names it by default.
    blind_spot: str | None = None


def _first_in_its_area(history: History) -> bool:
    last = history.last
    if last is None or last.delivered > 1:
        return False
    return sum(row.skill == last.skill for row in history.seen.values()) == 1


def why(deps: Deps, slack: Directory, caller: Caller, *, team: bool = False) -> Why:
    """One sentence each on the last lesson and the next, as data for the edge to word, and with
    `team`, for a lead, the team's blind spot and the rule that names it. Asking stores nothing:
    someone Nudge has not met is told they get no scheduled lessons."""
    now, library = deps.clock(), deps.library.current
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        member = person.member
        history = uow.deliveries.history(member.id) if member else History()
        blind = None
        if team and person.may(Role.LEAD):
            # Imported here: the team report is a lead's, and `web` starts without it.
            from bot.services.team import team_blind_spot

            workspace_id = uow.workspaces.find(caller.team_id) or 0
            blind = team_blind_spot(uow, workspace_id, library, person.language, now)
    last = history.last
    if member is None:
        return Why(person.language, False, "UTC", None, None, False, None, "", blind_spot=blind)
    lesson = library.lessons.get(last.lesson_id) if last else None
    calendar = calendar_of(member)
    upcoming = (
        explain_next(schedule_of(deps.schedule, member), calendar, is_public_holiday, now)
        if member.learns
        else None
    )
    holiday = ""
    if upcoming and upcoming.kind == "holiday" and upcoming.day and upcoming.country:
        holiday = holiday_name(upcoming.country, upcoming.day) or ""
    return Why(
        language=person.language,
        learns=member.learns,
        tz=calendar.tz,
        last_title=lesson.localized(person.language).title if lesson else None,
        last_at=last.last_delivered_at if last else None,
        last_review=bool(last and last.delivered > 1),
        next=upcoming,
        holiday=holiday,
        last_new_area=_first_in_its_area(history),
        blind_spot=blind,
    )
