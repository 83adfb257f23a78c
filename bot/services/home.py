"""What a person sees of themselves: who they are to Nudge, and their stats on the Home tab and
in `/learn me`; the Home tab's buttons."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, time

from bot.i18n import language_of
from bot.learning.model import History, Member
from bot.learning.progress import MemberStats, progress_of
from bot.learning.recall import by_area
from bot.learning.schedule import week_start_of
from bot.learning.streak import streak
from bot.services.deps import Deps
from bot.services.lessons import LessonNow, SlackPort, request_lesson_now
from bot.services.membership import PauseOutcome, pause, resume, why
from bot.services.people import Caller, Directory, Person, recognize, speaks
from bot.services.team_setup import in_workspace
from bot.services.tick import calendar_of
from bot.store.uow import UnitOfWork

# "Pause a week" on the Home tab is `/learn pause 1w`.
PAUSE_A_WEEK = ("1w",)


def identify_caller(deps: Deps, slack: Directory, caller: Caller) -> Person:
    """The caller's language and roles (for help and short notices); nothing is stored."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        return recognize(uow, slack, deps.roles, caller)


def language_of_caller(deps: Deps, caller: Caller, slack_locale: str | None = None) -> str:
    """The language of a member Nudge has met, from the database alone; for anyone else their
    `slack_locale`'s, if the edge knows it, else English: what an apology after a failure can
    still use."""
    with deps.uow() as uow:
        member = uow.members.find_in_team(caller.team_id, caller.slack_user_id)
    return speaks(member) if member else language_of(None, slack_locale)


@dataclass(frozen=True)
class MemberReport:
    person: Person
    stats: MemberStats
    # What the leads' weekly digest shows of the member's weekly answers: "named", "anonymous",
    # or "none" where there is no digest (no LEADS_CHANNEL).
    digest_shows: str


def _digest_shows(deps: Deps) -> str:
    settings = deps.settings
    if not settings.leads_channel:
        return "none"
    return "anonymous" if settings.digest_anonymous else "named"


def member_stats(deps: Deps, slack: Directory, caller: Caller) -> MemberReport:
    """The Home tab's and `/learn me`'s figures, read with aggregate queries: their cost follows
    the library and the days of history, not the number of answers. Nothing is stored."""
    now, library = deps.clock(), deps.library.current
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        member = person.member
        history = uow.deliveries.history(member.id) if member else History()
        counted = _counts(deps, uow, member, now, library.lessons) if member else (0, 0, 0)
        recalled = uow.recalls.member_lessons(member.id, now) if member else []
    remembered = by_area(recalled, library.skill_of)
    # The next lesson exactly as `/learn why` tells it, whatever rules decide it.
    upcoming = why(deps, slack, caller)
    names = {skill: text.name_in(person.language) for skill, text in library.skills.items()}
    calendar = calendar_of(member) if member else None
    today = now.astimezone(calendar.zone).date() if calendar else now.date()
    paused = member.paused_until if member else None
    stats = MemberStats(
        progress=progress_of(history, names),
        streak=counted[0],
        lessons_this_week=counted[1],
        reviews_due=counted[2],
        paused_until=paused if paused is not None and paused >= today else None,
        learns=upcoming.learns,
        tz=upcoming.tz,
        upcoming=upcoming.next,
        holiday=upcoming.holiday,
        remembered=tuple(
            sorted(
                ((names.get(skill, skill), recall) for skill, recall in remembered.items()),
                key=lambda area: area[0],
            )
        ),
    )
    return MemberReport(person, stats, _digest_shows(deps))


def _counts(
    deps: Deps, uow: UnitOfWork, member: Member, now: datetime, lessons: Collection[str]
) -> tuple[int, int, int]:
    """Streak, lessons this week and reviews due."""
    calendar = calendar_of(member)
    zone, today = calendar.zone, now.astimezone(calendar.zone).date()
    days = uow.deliveries.lesson_days(member.id)
    # Only what was asked for since the last unanswered lesson day can still change the streak.
    broken = max((day for day, done in days.items() if not done and day < today), default=None)
    since = None if broken is None else datetime.combine(broken, time(0), zone).astimezone(UTC)
    asked = uow.deliveries.asked_answered_since(member.id, since)
    week_start = datetime.combine(week_start_of(deps.schedule, today), time(0), tzinfo=zone)
    return (
        streak(days, asked, calendar.tz, now),
        uow.deliveries.lessons_since(member.id, week_start.astimezone(UTC)),
        uow.cards.count_due(member.id, now, among=lessons),
    )


def lesson_now_from_home(
    deps: Deps, slack: SlackPort, caller: Caller
) -> tuple[LessonNow, MemberReport]:
    """ "Lesson now" on the Home tab: `/learn now`, with its limits, then the Home's new figures."""
    outcome = request_lesson_now(deps, slack, caller)
    return outcome, member_stats(deps, slack, caller)


def pause_from_home(
    deps: Deps, slack: Directory, caller: Caller, *, paused: bool
) -> tuple[PauseOutcome, MemberReport]:
    """ "Pause a week" (`/learn pause 1w`) or "Resume" (`/learn resume`) on the Home tab."""
    outcome = pause(deps, slack, caller, PAUSE_A_WEEK) if paused else resume(deps, slack, caller)
    return outcome, member_stats(deps, slack, caller)
