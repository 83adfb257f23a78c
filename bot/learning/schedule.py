"""When each member's scheduled messages fall due: pure functions of the schedule and `now`.

Everything is computed in the member's own IANA zone and handed back as UTC instants, so the
scheduler only compares instants. Rules, each chosen so that a tick loop can never send twice:

* Wall time to instant: `datetime.combine(day, LESSON_TIME, tzinfo=zone)` with fold=0 (PEP 495).
  In a fold (autumn) that is the first occurrence; in a gap (spring) it is the offset from before
  the gap, i.e. the time moves forward by the gap's length (02:30 in New York on 14 March 2027 is
  03:30 EDT; 02:15 on Lord Howe's 30-minute gap is 02:45), as RFC 5545 does for recurring events.
  A date that has no such time at all (Pacific/Apia skipped 30 December 2011) gets no slot.
* A lesson day is a working day kept by the thinning rule (TeamSchedule.lesson_weekdays), not
  paused (paused_until is an inclusive local date), not while away (a slot before away_until),
  and not a public holiday of the member's holiday country.
* The weekly question goes out with the lesson on QUESTION_DAY; when that is not a lesson day it
  moves to the next lesson day of the same team week, or is skipped for the week. The reminder
  follows the same rule from REMINDER_DAY, strictly after that week's question and before the next
  QUESTION_DAY; with no question there is no reminder.
* `due` returns what fell due in (last_tick, now]: sent when at most GRACE late, otherwise reported
  as missed so the caller records it and never sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.learning.calendars import country_of_zone
from bot.learning.schedule_settings import AUTO, NO_HOLIDAYS, TeamSchedule

HolidayLookup = Callable[[str, date], bool]  # (country code, local date) -> public holiday?
SlotKind = Literal["lesson", "question", "reminder", "digest"]
SkipReason = Literal["weekend", "spaced", "paused", "away", "holiday", "no_such_time"]
DayReason = Literal["lesson"] | SkipReason
SEARCH_DAYS = 400  # more than a year, so that a yearly holiday can never hide the only lesson
_KIND_ORDER: dict[SlotKind, int] = {"lesson": 0, "question": 1, "reminder": 2, "digest": 3}
_DAY = timedelta(days=1)


@lru_cache(maxsize=1024)
def zone_of(tz: str) -> ZoneInfo:
    """The zone, or ValueError naming it; cached since every tick converts in it."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{tz!r} is not an IANA time zone, e.g. Europe/Athens") from None


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got {value!r}")


@dataclass(frozen=True)
class MemberCalendar:
    """What the schedule needs to know about one member."""

    tz: str  # IANA zone, e.g. 'Europe/Athens'
    paused_until: date | None = None  # local date, inclusive
    away_until: datetime | None = None  # aware; when a Slack-status auto-pause ends
    country: str | None = None  # holiday country when HOLIDAYS=auto; None: from the zone

    def __post_init__(self) -> None:
        zone_of(self.tz)
        if self.country is not None:  # 'gr' from a form means GR, as everywhere else
            object.__setattr__(self, "country", self.country.strip().upper() or None)
        if self.away_until is not None:
            _require_aware("away_until", self.away_until)

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.tz)


@dataclass(frozen=True)
class Slot:
    kind: SlotKind
    local_date: date  # the member's (or for a digest the team's) date the slot belongs to
    due_at: datetime  # UTC

    @property
    def sort_key(self) -> tuple[datetime, int]:
        """Due time, then lesson before question before reminder: the question is a second message."""
        return self.due_at, _KIND_ORDER[self.kind]


@dataclass(frozen=True)
class Missed:
    """A slot that fell due more than GRACE before the tick that found it: record it, never send."""

    slot: Slot
    late_by: timedelta
    reason: Literal["past_grace"] = "past_grace"


@dataclass(frozen=True)
class DueSlots:
    """One tick's answer: the slots to send now, in sending order, and those to record as missed."""

    send: tuple[Slot, ...] = ()
    missed: tuple[Missed, ...] = ()


_NOTHING = DueSlots()


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """`at` on `day` in `zone` as a UTC instant (gap: forward by the gap; fold: first), or None.

    None when the forward-moved time lands on another date: that date never had such a time.
    """
    instant = datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).date() != day:
        return None
    return instant


def holiday_country(team: TeamSchedule, member: MemberCalendar) -> str | None:
    """Whose public holidays the member has off. A team-wide country applies to everyone."""
    if team.holiday_rule == NO_HOLIDAYS:
        return None
    if team.holiday_rule == AUTO:
        return member.country or country_of_zone(member.tz)
    return team.holiday_rule


def day_status(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, day: date
) -> tuple[DayReason, datetime | None]:
    """Why `day` is or is not a lesson day, and its slot instant (None: the day has no such time).

    The checks run from the team's week, through the member's own state, to the calendar, so that
    `/learn why` names what the member can act on before what they cannot.
    """
    at = local_instant(day, team.lesson_time, member.zone)
    if day.weekday() not in team.working_days:
        return "weekend", at
    if day.weekday() not in team.lesson_weekdays:
        return "spaced", at
    if member.paused_until is not None and day <= member.paused_until:
        return "paused", at
    if at is None:
        return "no_such_time", None
    if member.away_until is not None and at < member.away_until:
        return "away", at
    country = holiday_country(team, member)
    if country is not None and holidays(country, day):
        return "holiday", at
    return "lesson", at


def _lesson_at(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, day: date
) -> datetime | None:
    reason, at = day_status(team, member, holidays, day)
    return at if reason == "lesson" else None


def is_lesson_day(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, day: date
) -> bool:
    return _lesson_at(team, member, holidays, day) is not None


def week_start_of(team: TeamSchedule, day: date) -> date:
    """The first date of the team week holding `day` (weeks start on TeamSchedule.week_start)."""
    return day - timedelta(days=(day.weekday() - team.week_start) % 7)


def _first_lesson_day(
    team: TeamSchedule,
    member: MemberCalendar,
    holidays: HolidayLookup,
    first: date,
    stop: date,
    kind: SlotKind,
) -> Slot | None:
    """The slot on the first lesson day in [first, stop)."""
    day = first
    while day < stop:
        at = _lesson_at(team, member, holidays, day)
        if at is not None:
            return Slot(kind, day, at)
        day += _DAY
    return None


def weekly_question(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, week_of: date
) -> Slot | None:
    """The question of the team week holding `week_of`: QUESTION_DAY or the next lesson day."""
    start = week_start_of(team, week_of)
    nominal = start + timedelta(days=(team.question_day - team.week_start) % 7)
    return _first_lesson_day(team, member, holidays, nominal, start + 7 * _DAY, "question")


def _reminder_for(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, asked_on: date
) -> Slot | None:
    """The reminder of the question whose nominal date (a QUESTION_DAY) is `asked_on`."""
    question = weekly_question(team, member, holidays, asked_on)
    if question is None:
        return None
    nominal = asked_on + timedelta(days=(team.reminder_day - team.question_day) % 7)
    first = max(nominal, question.local_date + _DAY)
    return _first_lesson_day(team, member, holidays, first, asked_on + 7 * _DAY, "reminder")


def weekly_reminder(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, on_or_after: date
) -> Slot | None:
    """The reminder for the question cycle (QUESTION_DAY date .. 6 days on) holding `on_or_after`."""
    asked_on = on_or_after - timedelta(days=(on_or_after.weekday() - team.question_day) % 7)
    return _reminder_for(team, member, holidays, asked_on)


def slots_on(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, day: date
) -> list[Slot]:
    """Every member slot of one local date, in sending order. All share LESSON_TIME."""
    at = _lesson_at(team, member, holidays, day)
    if at is None:  # the question and reminder only ever go out with a lesson
        return []
    slots = [Slot("lesson", day, at)]
    question = weekly_question(team, member, holidays, day)
    if question is not None and question.local_date == day:
        slots.append(question)
    # The reminder on `day` belongs to the question cycle that began before it (a cycle's
    # reminder is always at least one day after its question's nominal date).
    asked_on = day - timedelta(days=(day.weekday() - team.question_day - 1) % 7 + 1)
    reminder = _reminder_for(team, member, holidays, asked_on)
    if reminder is not None and reminder.local_date == day:
        slots.append(reminder)
    return slots


def _dates(zone: ZoneInfo, start: datetime, end: datetime) -> Iterator[date]:
    """Local dates from `start`'s to `end`'s (inclusive)."""
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    while day <= last:
        yield day
        day += _DAY


def _sort(slots: list[Slot], grace: timedelta, now: datetime) -> DueSlots:
    if not slots:
        return _NOTHING  # the common case: a tick runs every minute, a slot comes once a day
    slots.sort(key=lambda slot: slot.sort_key)
    send = tuple(slot for slot in slots if now - slot.due_at <= grace)
    missed = tuple(Missed(slot, now - slot.due_at) for slot in slots if now - slot.due_at > grace)
    return DueSlots(send, missed)


def due(
    team: TeamSchedule,
    member: MemberCalendar,
    holidays: HolidayLookup,
    last_tick: datetime,
    now: datetime,
) -> DueSlots:
    """The member's slots with due_at in (last_tick, now]: to send, or missed when over GRACE late.

    The half-open interval means consecutive ticks share no instant, so a slot is found exactly
    once. A first tick after install passes last_tick = now: an empty interval, nothing from the past.
    """
    _require_aware("last_tick", last_tick)
    _require_aware("now", now)
    if now <= last_tick:
        return _NOTHING
    zone, found = member.zone, []
    for day in _dates(zone, last_tick, now):
        # Every kind of slot of a date is due at the same instant: test that before the calendar.
        at = local_instant(day, team.lesson_time, zone)
        if at is not None and last_tick < at <= now:
            found.extend(slots_on(team, member, holidays, day))
    return _sort(found, team.grace, now)


def digest_due(
    team: TeamSchedule, zone: str = "UTC", *, last_tick: datetime, now: datetime
) -> DueSlots:
    """The team digest, DIGEST_DAY at LESSON_TIME in the team's `zone`, under the same rules as `due`."""
    return team_post_due(team, "digest", zone, last_tick=last_tick, now=now)


def team_post_due(
    team: TeamSchedule,
    kind: Literal["question", "digest"],
    zone: str = "UTC",
    *,
    last_tick: datetime,
    now: datetime,
) -> DueSlots:
    """A team-wide post: the digest on DIGEST_DAY, or the week's question in the team channel on
    QUESTION_DAY, at LESSON_TIME in the team's `zone`, under the same rules as `due`."""
    _require_aware("last_tick", last_tick)
    _require_aware("now", now)
    if now <= last_tick:
        return _NOTHING
    tz, found = zone_of(zone), []
    weekday = team.digest_day if kind == "digest" else team.question_day
    for day in _dates(tz, last_tick, now):
        at = local_instant(day, team.lesson_time, tz)
        if day.weekday() == weekday and at is not None and last_tick < at <= now:
            found.append(Slot(kind, day, at))
    return _sort(found, team.grace, now)


def next_lesson(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, after: datetime
) -> Slot | None:
    """The first lesson due strictly after `after`, searching SEARCH_DAYS; None if none qualifies.

    Strictly after, so that passing a slot's own due_at steps to the following lesson.
    """
    _require_aware("after", after)
    day = after.astimezone(member.zone).date()
    for _ in range(SEARCH_DAYS):
        at = _lesson_at(team, member, holidays, day)
        if at is not None and at > after:
            return Slot("lesson", day, at)
        day += _DAY
    return None


ReasonKind = Literal["normal"] | SkipReason
_NOTABLE = ("paused", "away", "holiday", "no_such_time")  # worth saying before a plain weekend


@dataclass(frozen=True)
class Skipped:
    local_date: date
    reason: SkipReason


@dataclass(frozen=True)
class NextReason:
    """Why the next lesson is when it is, as data: the Slack layer words and localises it.

    `kind` is the first passed-over day's reason that the member may not expect (holiday, pause,
    away, a date without the lesson time), else the first passed-over day's (weekend, spaced), else
    "normal". `day` is that day; `until` is the pause's last date or the away status's end.
    """

    kind: ReasonKind
    slot: Slot | None  # None: no lesson within SEARCH_DAYS
    local_at: datetime | None  # the slot in the member's zone
    zone: str
    country: str | None  # the member's holiday country; None when no holidays apply
    day: date | None
    until: date | datetime | None
    skipped: tuple[Skipped, ...]  # every date passed over between `after` and the slot, in order


def explain_next(
    team: TeamSchedule, member: MemberCalendar, holidays: HolidayLookup, after: datetime
) -> NextReason:
    """The next lesson strictly after `after` (as `next_lesson`) with the reason for its date."""
    _require_aware("after", after)
    zone = member.zone
    first = day = after.astimezone(zone).date()
    skipped: list[Skipped] = []
    slot = None
    for _ in range(SEARCH_DAYS):
        reason, at = day_status(team, member, holidays, day)
        gone_by = at <= after if at is not None else day == first
        if gone_by:
            pass  # today's time is over before `after`: neither skipped nor next
        elif reason == "lesson":
            if at is not None:
                slot = Slot("lesson", day, at)
                break
        else:
            skipped.append(Skipped(day, reason))
        day += _DAY
    cause = next((s for s in skipped if s.reason in _NOTABLE), skipped[0] if skipped else None)
    kind: ReasonKind = "normal" if cause is None else cause.reason
    until = {"paused": member.paused_until, "away": member.away_until}.get(kind)
    return NextReason(
        kind=kind,
        slot=slot,
        local_at=slot.due_at.astimezone(zone) if slot else None,
        zone=member.tz,
        country=holiday_country(team, member),
        day=cause.local_date if cause else None,
        until=until,
        skipped=tuple(skipped),
    )
