"""What a person sees of themselves: who they are to Nudge, and their progress on the Home tab."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import language_of
from bot.learning.model import History
from bot.learning.progress import Progress, progress_of
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, Person, recognize, speaks


def identify_caller(deps: Deps, slack: Directory, caller: Caller) -> Person:
    """The caller's language and roles (for help and short notices); nothing is stored."""
    with deps.uow() as uow:
        return recognize(uow, slack, deps.roles, caller)


def language_of_caller(deps: Deps, caller: Caller) -> str:
    """The language of a member Nudge has met, from the database alone (English for anyone else):
    what an apology after a failure can still use."""
    with deps.uow() as uow:
        member = uow.members.find_in_team(caller.team_id, caller.slack_user_id)
    return speaks(member) if member else language_of(None, None)


@dataclass(frozen=True)
class Home:
    person: Person
    tz: str
    progress: Progress


def show_home(deps: Deps, slack: Directory, caller: Caller) -> Home:
    library = deps.library.current
    with deps.uow() as uow:
        person = recognize(uow, slack, deps.roles, caller)
        member = person.member
        history = uow.deliveries.history(member.id) if member else History()
    names = {skill: text.name_in(person.language) for skill, text in library.skills.items()}
    return Home(person, member.tz if member else "UTC", progress_of(history, names))
