"""A member's own settings: what the Settings modal shows, the values it submits checked with
pydantic, and saving them with the next lesson rescheduled, all in one unit of work.

Every select of the modal has an AUTO choice ("the team's default", "from Slack", "from your time
zone"), stored as None, so that a change to a team setting still reaches whoever never chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.i18n import language_of
from bot.learning.calendars import country_of_zone, holiday_countries
from bot.learning.model import SETTING_NAMES, MemberSettings
from bot.learning.schedule_settings import AUTO, TeamSchedule, Weekday, parse_lesson_time
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, enrol, recognize, speaks
from bot.services.team_setup import in_workspace
from bot.services.tick import next_due

LESSONS_PER_WEEK_MAX = 5
# The holiday countries offered: the EU's, then those of the team's zones. Slack's select holds
# 100 options and one is AUTO; any country the `holidays` package knows is accepted.
EU = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)
COUNTRIES_MAX = 99
FIELDS = SETTING_NAMES  # the modal's fields, in order


def _auto(value: object) -> bool:
    return value is None or value == "" or value == AUTO


class SettingsForm(BaseModel):
    """The modal's values as Slack submits them: option values (strings, lists of strings);
    AUTO or nothing is the team's default. Validate with `context={"skills": ..., "team": ...}`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    lesson_time: time | None = None
    working_days: frozenset[Weekday] | None = None
    lessons_per_week: int | None = Field(default=None, ge=1, le=LESSONS_PER_WEEK_MAX)
    language: Literal["en", "el"] | None = None
    holiday_country: str | None = None
    interests: frozenset[str] = frozenset()

    @field_validator("lesson_time", mode="before")
    @classmethod
    def _time(cls, value: object) -> time | None:
        if _auto(value):
            return None
        if not isinstance(value, str):
            raise ValueError("not a time")
        return parse_lesson_time(value)

    @field_validator("working_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> frozenset[Weekday] | None:
        if value is None or value == []:
            return None
        if not isinstance(value, list) or not all(isinstance(day, str) for day in value):
            raise ValueError("not a list of days")
        by_name = {day.short: day for day in Weekday}
        if not set(value) <= by_name.keys():
            raise ValueError("not a day of the week")
        return frozenset(by_name[day] for day in value)

    @field_validator("lessons_per_week", "language", mode="before")
    @classmethod
    def _no_choice(cls, value: object) -> object:
        if _auto(value):
            return None
        if isinstance(value, str) and value.isdigit() and len(value) < 3:
            return int(value)
        return value

    @field_validator("holiday_country", mode="before")
    @classmethod
    def _country(cls, value: object) -> str | None:
        if _auto(value):
            return None
        if not isinstance(value, str) or value.upper() not in holiday_countries():
            raise ValueError("not a country whose holidays are known")
        return value.upper()

    @field_validator("interests", mode="before")
    @classmethod
    def _interests(cls, value: object, info: ValidationInfo) -> frozenset[str]:
        known: frozenset[str] = (info.context or {}).get("skills", frozenset())
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
            raise ValueError("not a list of skill areas")
        if not set(value) <= known:
            raise ValueError("not a skill area of the library")
        return frozenset(value)

    @model_validator(mode="after")
    def _fits_the_week(self, info: ValidationInfo) -> SettingsForm:
        team_days: frozenset[Weekday] = (info.context or {}).get(
            "team_days", TeamSchedule().working_days
        )
        days = self.working_days if self.working_days is not None else team_days
        if self.lessons_per_week is not None and self.lessons_per_week > len(days):
            raise PydanticCustomError(
                TOO_MANY_LESSONS, "more lessons than working days", {"days": len(days)}
            )
        return self

    def settings(self) -> MemberSettings:
        return MemberSettings(**self.model_dump())


TOO_MANY_LESSONS = "too_many_lessons"


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: the field's name (a value that is not one of its choices),
    or TOO_MANY_LESSONS (more lessons a week than working days), with the values to say it."""

    kind: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    status: Literal["ok", "invalid", "not_yours"]
    form: SettingsForm | None = None
    problems: Mapping[str, Problem] = field(default_factory=dict)  # by field (= block id)


def check_settings(deps: Deps, caller: Caller, owner: str, values: Mapping[str, object]) -> Checked:
    """The submitted values checked before the modal is answered, so that a bad value is shown on
    its field. A modal is its owner's: anyone else is refused. Lessons a week are checked against
    the workspace's working days as they are now (its admin may have changed them while the modal
    was open): one read, which neither SQLite's WAL nor PostgreSQL makes wait for a writer, so
    the answer stays within Slack's three seconds. Slack is not asked."""
    if caller.slack_user_id != owner:
        return Checked("not_yours")
    return _checked(in_workspace(deps, caller.team_id), values)


def _checked(deps: Deps, values: Mapping[str, object]) -> Checked:
    """`values` checked against `deps`' library and working days (already the workspace's)."""
    days = deps.schedule.working_days
    context = {"skills": frozenset(deps.library.current.skills), "team_days": days}
    try:
        form = SettingsForm.model_validate(dict(values), context=context)
    except ValidationError as invalid:
        return Checked("invalid", problems=_problems(invalid))
    return Checked("ok", form)


def _problems(invalid: ValidationError) -> dict[str, Problem]:
    problems: dict[str, Problem] = {}
    for error in invalid.errors():
        if error["type"] == TOO_MANY_LESSONS:
            days: Any = (error.get("ctx") or {}).get("days", 0)
            problems["lessons_per_week"] = Problem(TOO_MANY_LESSONS, {"days": days})
            continue
        name = str(error["loc"][0]) if error["loc"] else ""
        if name in FIELDS:  # an unknown key is the edge's mistake, never the member's
            problems.setdefault(name, Problem(name))
    return problems


@dataclass(frozen=True)
class SettingsScreen:
    """What the modal shows: the member's values (None: the default), what each default is, and
    the choices."""

    language: str
    owner: str
    current: MemberSettings
    team: TeamSchedule
    slack_language: str  # what "from Slack" means for them
    zone_country: str | None  # what "from your time zone" means; None: no country (UTC)
    countries: tuple[str, ...]
    skills: tuple[tuple[str, str], ...]  # (id, name in their language), in the library's order


def open_settings(deps: Deps, slack: Directory, caller: Caller) -> SettingsScreen:
    """The caller's own settings for the modal; nothing is stored."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        member = person.member
        workspace_id = member.workspace_id if member else uow.workspaces.find(caller.team_id)
        zones = uow.members.zones(workspace_id) if workspace_id is not None else set()
    current = member.settings if member else MemberSettings()
    # Someone Nudge has not met yet: their zone from Slack (read once more; it is not stored).
    zone_country = country_of_zone(member.tz if member else slack.profile(caller.slack_user_id).tz)
    known = holiday_countries()
    first = [current.holiday_country, zone_country, *sorted(EU)]
    wanted = [*first, *sorted(filter(None, map(country_of_zone, zones)))]
    countries = tuple(dict.fromkeys(c for c in wanted if c in known))[:COUNTRIES_MAX]
    library = deps.library.current
    return SettingsScreen(
        language=person.language,
        owner=caller.slack_user_id,
        current=current,
        team=deps.schedule,
        slack_language=language_of(None, person.locale),
        zone_country=zone_country,
        countries=countries,
        skills=tuple(
            (id_, skill.name_in(person.language)) for id_, skill in library.skills.items()
        ),
    )


@dataclass(frozen=True)
class SettingsSaved:
    status: Literal["saved", "invalid", "not_yours"]
    language: str  # the member's language after the change
    problems: Mapping[str, Problem] = field(default_factory=dict)
    next_due_at: datetime | None = None  # the next scheduled lesson; None: they get none


def save_settings(
    deps: Deps, slack: Directory, caller: Caller, owner: str, values: Mapping[str, object]
) -> SettingsSaved:
    """Check the values and save all of them, with the member's next lesson rescheduled from
    them, in one unit of work: all of it is stored or none."""
    if caller.slack_user_id != owner:
        return SettingsSaved("not_yours", "en")
    deps = in_workspace(deps, caller.team_id)
    checked = _checked(deps, values)
    if checked.form is None:  # the days changed again since the submission was checked
        return SettingsSaved("invalid", "en", checked.problems)
    now = deps.clock()
    with deps.uow() as uow:
        _person, member = enrol(uow, slack, deps.roles, caller, now)
        updated = replace(member, settings=checked.form.settings())
        due_at = next_due(deps.schedule, updated, now) if updated.learns else None
        uow.members.save_settings(member.id, updated.settings, due_at)
        uow.commit()
    return SettingsSaved("saved", speaks(updated), next_due_at=due_at)
