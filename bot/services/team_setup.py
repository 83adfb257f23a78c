"""A workspace's team-wide settings (team channel, leads channel, leads, admins and the team's
defaults), stored per workspace and set by an admin in the setup modal (`/learn admin setup`).

`in_workspace` is how every use case reads them: it hands back the process's Deps with the
settings, roles and schedule of one workspace, the environment's values standing for whatever its
admin never set. With installs by OAuth the environment's channels and people stand for nobody
(a channel id means nothing in another workspace): until its admin names them, a workspace has no
team channel, and its only admin is the person who installed Nudge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from bot.learning.model import Role
from bot.learning.schedule_settings import TeamSchedule, Weekday, parse_lesson_time
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize, require
from bot.settings import ConfigError, Settings
from bot.store.uow import UnitOfWork

# The modal's fields, in order; each is also the name of the Settings value it stands for.
FIELDS = (
    "team_channel",
    "leads_channel",
    "leads",
    "admins",
    "lesson_time",
    "working_days",
    "team_language",
    "digest_anonymous",
)
# With installs by OAuth, what the environment's values are replaced by for every workspace.
NOBODY: dict[str, object] = {"team_channel": "", "leads_channel": "", "leads": [], "admins": []}
_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}$")
_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")
_GROUP = re.compile(r"^S[A-Z0-9]{2,}$")


def in_workspace(deps: Deps, team_id: str, uow: UnitOfWork | None = None) -> Deps:
    """The Deps of one workspace: its settings, its leads and admins, its schedule. Read in the
    use case's unit of work when it passes it (`uow`), else in a transaction of its own: one
    transaction fewer per request is CPU saved on every one (bench/lesson_cost)."""
    if uow is not None:
        return with_setup(deps, uow.workspaces.settings_of(team_id))
    with deps.uow() as own:
        stored = own.workspaces.settings_of(team_id)
    return with_setup(deps, stored)


def with_setup(deps: Deps, stored: dict[str, object] | None) -> Deps:
    """`in_workspace` for a use case that read the workspace's stored setup (`stored`) in its own
    unit of work, with what else it reads there, rather than in a transaction of its own."""
    if stored is None and not deps.settings.many_workspaces:
        return deps  # one workspace, never set up: the environment's, exactly as before
    settings, schedule = _setup(deps.settings, stored)
    return replace(
        deps,
        settings=settings,
        roles=deps.roles.for_people(settings.leads, settings.admins),
        schedule=schedule,
    )


def _setup(
    environment: Settings, stored: dict[str, object] | None
) -> tuple[Settings, TeamSchedule]:
    """The environment's settings with a workspace's stored setup over them, and its schedule,
    checked. Kept by the setup's values (as JSON) while the environment's settings are the same
    object: every lesson and request of a workspace reads the same setup, and checking the
    schedule again cost ~30 µs of CPU each time (bench/lesson_cost). Settings are never changed
    in place (a change is a `model_copy`), so one object can serve every request."""
    key = json.dumps(stored, sort_keys=True)
    kept = _setups.get(key)
    if kept is not None and kept[0] is environment:
        return kept[1], kept[2]
    values = {**(NOBODY if environment.many_workspaces else {}), **(stored or {})}
    settings = environment.model_copy(update=values)
    schedule = settings.team_schedule()
    if len(_setups) >= SETUPS_KEPT:  # as many as the workspaces served, within reason
        _setups.clear()
    _setups[key] = (environment, settings, schedule)
    return settings, schedule


SETUPS_KEPT = 1024
_setups: dict[str, tuple[Settings, Settings, TeamSchedule]] = {}


def first_admin(deps: Deps, team_id: str, installer: str, now: datetime) -> None:
    """An install by OAuth: the person who installed Nudge is the workspace's admin until one
    is named in the setup modal (a reinstall keeps what was set)."""
    with deps.uow() as uow:
        workspace_id = uow.workspaces.ensure(team_id, now)
        if uow.workspaces.settings_of(team_id) is None and _USER.match(installer):
            uow.workspaces.save_settings(workspace_id, {"admins": [installer]})
        uow.commit()


class SetupForm(BaseModel):
    """The modal's values as Slack submits them (ids, option values, lists)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    team_channel: str
    leads_channel: str = ""
    leads: tuple[str, ...] = ()
    admins: tuple[str, ...]
    lesson_time: str
    working_days: tuple[str, ...]
    team_language: Literal["en", "el"]
    digest_anonymous: bool = False

    @field_validator("team_channel", mode="before")
    @classmethod
    def _channel(cls, value: object) -> str:
        if not isinstance(value, str) or not _CHANNEL.match(value):
            raise ValueError("not a channel")
        return value

    @field_validator("leads_channel", mode="before")
    @classmethod
    def _maybe_channel(cls, value: object) -> str:
        return "" if value in (None, "") else cls._channel(value)

    @field_validator("leads", "admins", mode="before")
    @classmethod
    def _people(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str) and (_USER.match(v) or _GROUP.match(v)) for v in value
        ):
            raise ValueError("not a list of people")
        return tuple(dict.fromkeys(value))

    @field_validator("admins")
    @classmethod
    def _someone(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:  # nobody could open this modal again
            raise ValueError("no admin")
        return value

    @field_validator("lesson_time", mode="before")
    @classmethod
    def _time(cls, value: object) -> str:
        if not isinstance(value, str):
            raise ValueError("not a time")
        return parse_lesson_time(value).strftime("%H:%M")

    @field_validator("working_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> tuple[str, ...]:
        names = [day.short for day in Weekday]
        if not isinstance(value, list) or not value or not set(value) <= set(names):
            raise ValueError("not days of the week")
        return tuple(name for name in names if name in value)

    @field_validator("digest_anonymous", mode="before")
    @classmethod
    def _checked(cls, value: object) -> bool:
        # A checkbox: the list of ticked option values.
        return isinstance(value, list) and "anonymous" in value

    def stored(self) -> dict[str, object]:
        """As Settings takes the environment's values (so that the same checks read both)."""
        values = self.model_dump()
        values["working_days"] = ",".join(self.working_days)
        values["leads"], values["admins"] = list(self.leads), list(self.admins)
        return values


@dataclass(frozen=True)
class SetupChecked:
    status: Literal["ok", "invalid"]
    form: SetupForm | None = None
    problems: tuple[str, ...] = ()  # the fields (= block ids) whose value is refused


def check_setup(settings: Settings, values: Mapping[str, object]) -> SetupChecked:
    """The submitted values checked without the database or Slack (answered within Slack's
    three seconds), then with the environment's other schedule settings as start-up checks
    them (LESSONS_PER_WEEK must fit the working days); a bad value is named by its field."""
    try:
        form = SetupForm.model_validate(dict(values))
    except ValidationError as invalid:
        names = (str(error["loc"][0]) for error in invalid.errors() if error["loc"])
        return SetupChecked(
            "invalid", problems=tuple(dict.fromkeys(n for n in names if n in FIELDS))
        )
    try:
        settings.model_copy(update=form.stored()).team_schedule()
    except ConfigError:
        return SetupChecked("invalid", problems=("working_days",))
    return SetupChecked("ok", form)


@dataclass(frozen=True)
class SetupScreen:
    """What the modal shows: the workspace's settings now (stored, else the defaults)."""

    language: str
    team_channel: str
    leads_channel: str
    leads: tuple[str, ...]
    admins: tuple[str, ...]
    schedule: TeamSchedule
    team_language: str
    digest_anonymous: bool


def open_setup(deps: Deps, slack: Directory, caller: Caller) -> SetupScreen:
    """The workspace's settings for its admin; NotPermitted for anyone else."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
    require(person, Role.ADMIN)
    settings = deps.settings
    return SetupScreen(
        language=person.language,
        team_channel=settings.team_channel,
        leads_channel=settings.leads_channel,
        leads=tuple(settings.leads),
        admins=tuple(settings.admins),
        schedule=deps.schedule,
        team_language=settings.team_language,
        digest_anonymous=settings.digest_anonymous,
    )


@dataclass(frozen=True)
class SetupSaved:
    status: Literal["saved", "invalid", "refused"]
    problems: tuple[str, ...] = field(default_factory=tuple)
    new_team_channel: bool = False  # saved with a team channel other than the one before


def save_setup(
    deps: Deps, slack: Directory, caller: Caller, values: Mapping[str, object]
) -> SetupSaved:
    """Check the values and store all of them, in one unit of work, with everyone's next lesson
    worked out afresh from the new defaults. A submission by anyone but an admin (a forged one:
    only an admin can open the modal) is "refused", and nothing is stored."""
    checked = check_setup(deps.settings, values)
    if checked.form is None:
        return SetupSaved("invalid", checked.problems)
    stored = checked.form.stored()
    scoped = in_workspace(deps, caller.team_id)
    for name in ("leads", "admins"):  # the modal names people: the user groups named stay
        groups = [e for e in getattr(scoped.settings, name) if _GROUP.match(e)]
        stored[name] = list(dict.fromkeys([*getattr(checked.form, name), *groups]))
    with deps.uow() as uow:
        person = recognize(uow, slack, scoped.roles, caller)
        if not person.may(Role.ADMIN):
            return SetupSaved("refused")
        workspace_id = uow.workspaces.ensure(caller.team_id, deps.clock())
        uow.workspaces.save_settings(workspace_id, stored)
        uow.members.reschedule_all(workspace_id)
        uow.commit()
    return SetupSaved(
        "saved", new_team_channel=stored["team_channel"] != scoped.settings.team_channel
    )
