"""A team's lesson schedule, parsed from its settings strings.

The parsers are pure and raise ValueError with a sentence an admin can act on, naming the setting,
quoting what was written and showing what would work: the message goes straight to the person who
typed the setting. `TeamSchedule` holds the parsed values; `MemberSchedule` holds a member's own
overrides and applies them with `dataclasses.replace`, so that one set of schedule rules serves both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from enum import IntEnum


class Weekday(IntEnum):
    """Numbered like `date.weekday()`, so a date's weekday compares equal to a member of this."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def short(self) -> str:
        return self.name.lower()


AUTO = "auto"  # HOLIDAYS: each member's own country, from their time zone
NO_HOLIDAYS = "none"
MIN_GRACE = timedelta(minutes=1)  # less could not survive one late tick of a minute scheduler
MAX_GRACE = timedelta(hours=12)  # later, a lesson is nearer the next day's than its own time

_DAY_NAMES = {
    **{day.short: day for day in Weekday},
    **{
        name: Weekday(i)
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_DAYS_HINT = "write one of mon, tue, wed, thu, fri, sat, sun"
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_GRACE = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


def _day(text: str) -> Weekday | None:
    return _DAY_NAMES.get(text.strip().lower())


def parse_weekday(text: str, setting: str = "DAY") -> Weekday:
    """'mon' (or 'monday', any case) -> Weekday.MON."""
    day = _day(text)
    if day is None:
        raise ValueError(f"{setting}: {text!r} is not a day of the week; {_DAYS_HINT}")
    return day


def parse_working_days(text: str, setting: str = "WORKING_DAYS") -> frozenset[Weekday]:
    """'mon-fri', 'sun-thu', 'mon,tue,thu', 'sat-wed' (a range may wrap round the week), or a mix."""
    days: set[Weekday] = set()
    for item in text.split(","):
        item = item.strip()
        if "-" in item:
            first, _, last = item.partition("-")
            start, end = _day(first), _day(last)
            if start is None or end is None:
                raise ValueError(
                    f"{setting}: {item!r} is not a day range; write e.g. mon-fri or sun-thu"
                )
            # Ranges wrap: sat-wed is sat, sun, mon, tue, wed.
            days.update(Weekday((start + i) % 7) for i in range((end - start) % 7 + 1))
        else:
            day = _day(item)
            if day is None:
                what = "an empty entry" if not item else repr(item)
                raise ValueError(
                    f"{setting}: {what} is not a day; write days like mon,tue,thu "
                    "or a range like mon-fri"
                )
            days.add(day)
    return frozenset(days)


def parse_lesson_time(text: str, setting: str = "LESSON_TIME") -> time:
    """'09:30' (24-hour clock; '9:30' too) -> time(9, 30)."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(
            f"{setting}: {text!r} is not a time of day; write 24-hour HH:MM, e.g. 09:30"
        )
    return time(int(match[1]), int(match[2]))


def parse_lessons_per_week(text: str, setting: str = "LESSONS_PER_WEEK") -> int:
    """A whole number 1..7; whether it fits the working days is TeamSchedule's check."""
    stripped = text.strip()
    if not stripped.isdigit() or not 1 <= int(stripped) <= 7:
        raise ValueError(f"{setting}: {text!r} is not a whole number from 1 to 7")
    return int(stripped)


def parse_grace(text: str, setting: str = "GRACE") -> timedelta:
    """'2h', '90m', '1h30m' -> how late a lesson may still be sent."""
    stripped = text.strip().lower()
    match = _GRACE.fullmatch(stripped)
    if not stripped or match is None:
        raise ValueError(f"{setting}: {text!r} is not a duration; write e.g. 2h, 90m or 1h30m")
    grace = timedelta(hours=int(match[1] or 0), minutes=int(match[2] or 0))
    if not MIN_GRACE <= grace <= MAX_GRACE:
        raise ValueError(f"{setting}: {text!r} is out of range; write from 1m to 12h, e.g. 2h")
    return grace


def parse_holidays(text: str, setting: str = "HOLIDAYS") -> str:
    """'auto', 'none' or a two-letter country code (upper-cased, e.g. 'GR')."""
    stripped = text.strip()
    if stripped.lower() in (AUTO, NO_HOLIDAYS):
        return stripped.lower()
    if _COUNTRY.fullmatch(stripped):
        return stripped.upper()
    raise ValueError(
        f"{setting}: {text!r} is not auto, none or a two-letter country code; "
        "write e.g. auto, none or GR"
    )


def _week_start(working: frozenset[Weekday]) -> Weekday:
    """The day after the longest run of non-working days: mon for mon-fri, sun for sun-thu.

    That run is the team's weekend, so its week begins after it. Ties go to the earliest run from
    Monday; a team that works every day starts on Monday.
    """
    best, best_gap = Weekday.MON, 0
    for day in Weekday:
        if day not in working or Weekday((day - 1) % 7) in working:
            continue
        gap = 0
        while Weekday((day - 1 - gap) % 7) not in working:
            gap += 1
        if gap > best_gap:
            best, best_gap = day, gap
    return best


def _thin(ordered: tuple[Weekday, ...], count: int) -> frozenset[Weekday]:
    """`count` of the working days, spread evenly: the first and last of the week, then between.

    Index round(i * (k - 1) / (n - 1)), rounding halves up: 3 of mon-fri is mon, wed, fri; 2 is mon,
    fri; 4 is mon, tue, thu, fri; 1 is the week's first working day. Keeping both ends makes the
    gaps across the weekend and within the week about equal, and the rule never depends on a date.
    """
    k = len(ordered)
    if count >= k:
        return frozenset(ordered)
    if count == 1:
        return frozenset(ordered[:1])
    return frozenset(
        ordered[(2 * i * (k - 1) + (count - 1)) // (2 * (count - 1))] for i in range(count)
    )


def _names(days: frozenset[Weekday]) -> str:
    return ",".join(day.short for day in sorted(days))


@dataclass(frozen=True)
class TeamSchedule:
    """When lessons go out for a team. Checked on construction, so an invalid mix never exists."""

    lesson_time: time = time(9, 30)
    working_days: frozenset[Weekday] = frozenset(Weekday(d) for d in range(5))
    lessons_per_week: int = 5
    question_day: Weekday = Weekday.MON
    reminder_day: Weekday = Weekday.WED
    digest_day: Weekday = Weekday.FRI
    holiday_rule: str = AUTO  # HOLIDAYS: AUTO, NO_HOLIDAYS or a country code
    grace: timedelta = timedelta(hours=2)
    # Derived, so that `replace` recomputes them with the fields they depend on.
    week_start: Weekday = field(init=False, compare=False, repr=False)
    lesson_weekdays: frozenset[Weekday] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Plain ints (a weekday() or a stored number) become Weekdays, so names print right.
        object.__setattr__(self, "working_days", frozenset(Weekday(d) for d in self.working_days))
        for name in ("question_day", "reminder_day", "digest_day"):
            object.__setattr__(self, name, Weekday(getattr(self, name)))
        if not self.working_days:
            raise ValueError("WORKING_DAYS: no working days; write e.g. mon-fri or sun-thu")
        if not 1 <= self.lessons_per_week <= len(self.working_days):
            raise ValueError(
                f"LESSONS_PER_WEEK: {self.lessons_per_week} does not fit the "
                f"{len(self.working_days)} working days ({_names(self.working_days)}); "
                f"use 1 to {len(self.working_days)} or add working days"
            )
        if self.reminder_day == self.question_day:
            raise ValueError(
                f"REMINDER_DAY: {self.reminder_day.short} is also the QUESTION_DAY; "
                "the reminder comes days after the question, e.g. QUESTION_DAY mon, REMINDER_DAY wed"
            )
        object.__setattr__(self, "holiday_rule", parse_holidays(self.holiday_rule))  # 'gr' means GR
        if not MIN_GRACE <= self.grace <= MAX_GRACE:
            raise ValueError(f"GRACE: {self.grace} is out of range; use from 1m to 12h, e.g. 2h")
        start = _week_start(self.working_days)
        ordered = tuple(Weekday((start + i) % 7) for i in range(7))
        thinned = _thin(tuple(d for d in ordered if d in self.working_days), self.lessons_per_week)
        object.__setattr__(self, "week_start", start)
        object.__setattr__(self, "lesson_weekdays", thinned)


@dataclass(frozen=True)
class MemberSchedule:
    """A member's own choices; None keeps the team's. `apply` gives the member's TeamSchedule.

    When only the working days change, the lesson count is capped at the new number of days, so a
    member who works three days on a five-a-week team gets three rather than an error.
    """

    lesson_time: time | None = None
    working_days: frozenset[Weekday] | None = None
    lessons_per_week: int | None = None
    question_day: Weekday | None = None
    reminder_day: Weekday | None = None
    holiday_rule: str | None = None

    def apply(self, team: TeamSchedule) -> TeamSchedule:
        working = self.working_days if self.working_days is not None else team.working_days
        per_week = self.lessons_per_week
        if per_week is None:
            per_week = min(team.lessons_per_week, len(working))
        return replace(
            team,
            lesson_time=self.lesson_time if self.lesson_time is not None else team.lesson_time,
            working_days=working,
            lessons_per_week=per_week,
            question_day=self.question_day if self.question_day is not None else team.question_day,
            reminder_day=self.reminder_day if self.reminder_day is not None else team.reminder_day,
            holiday_rule=self.holiday_rule if self.holiday_rule is not None else team.holiday_rule,
        )


def parse_team_schedule(settings: Mapping[str, str | None]) -> TeamSchedule:
    """The team's schedule from settings named as in the README; a missing or blank one is default.

    LESSONS_PER_WEEK defaults to one lesson per working day.
    """

    def given(name: str) -> str | None:
        value = settings.get(name)
        return value if value is not None and value.strip() else None

    defaults = TeamSchedule()
    working = given("WORKING_DAYS")
    working_days = parse_working_days(working) if working else defaults.working_days
    per_week = given("LESSONS_PER_WEEK")
    lesson_time, question, reminder = (
        given("LESSON_TIME"),
        given("QUESTION_DAY"),
        given("REMINDER_DAY"),
    )
    digest, holidays, grace = given("DIGEST_DAY"), given("HOLIDAYS"), given("GRACE")
    return TeamSchedule(
        lesson_time=parse_lesson_time(lesson_time) if lesson_time else defaults.lesson_time,
        working_days=working_days,
        lessons_per_week=parse_lessons_per_week(per_week) if per_week else len(working_days),
        question_day=parse_weekday(question, "QUESTION_DAY") if question else defaults.question_day,
        reminder_day=parse_weekday(reminder, "REMINDER_DAY") if reminder else defaults.reminder_day,
        digest_day=parse_weekday(digest, "DIGEST_DAY") if digest else defaults.digest_day,
        holiday_rule=parse_holidays(holidays) if holidays else defaults.holiday_rule,
        grace=parse_grace(grace) if grace else defaults.grace,
    )
