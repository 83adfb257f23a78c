"""The team report's rules: the period asked for, the blind spot and the strongest area, which way
a number went, the weekly questions answered most and least, and the lesson to focus on next.

Plain counts in, plain answers out; the store computes the counts with GROUP BY in the database.

Tie rules (so that the same counts always name the same area, and a lead can check it by hand
from the numbers the report shows):
- the blind spot weighs engagement by memory (`blind_spot`): the area with the fewest remembered
  answers, its answers in the period times the share of its checks the team still remembers today
  (`bot.learning.recall`); on a tie, fewer answers, then fewer right answers, then the first skill
  id in alphabetical order;
- the strongest area is, among the others, the one with the most right answers; on a tie, the one
  with more answers; then the first skill id in alphabetical order. An area with no right answer
  is never the strongest;
- a period with no answer at all has neither: there is nothing to compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from bot.learning.recall import Recall

DEFAULT_WEEKS = 4
MAX_WEEKS = 52
WEEK = timedelta(days=7)
# A member who has not answered anything for this long is listed as not engaged.
QUIET_FOR = timedelta(days=14)

Trend = Literal["up", "down", "same"]


@dataclass(frozen=True)
class Window:
    """(since, until]: the report's period, or the one before it. Closed at the end, so that an
    answer given the instant the report is asked for is in it."""

    since: datetime
    until: datetime


@dataclass(frozen=True)
class Periods:
    weeks: int
    now: Window
    before: Window  # of the same length, just before `now`

    @property
    def week_starts(self) -> list[datetime]:
        """The start of every week of both periods, the earliest first, and the end of the last:
        2 * weeks + 1 boundaries."""
        return [self.before.since + WEEK * index for index in range(2 * self.weeks + 1)]


def periods(weeks: int, now: datetime) -> Periods:
    """The `weeks` weeks that end at `now`, and as many weeks before them."""
    since = now - WEEK * weeks
    return Periods(weeks, Window(since, now), Window(since - WEEK * weeks, since))


def parse_weeks(args: Sequence[str]) -> int | None:
    """`[weeks]` as typed after `team` or `team csv`: the default when absent, None unless it is
    a whole number from 1 to MAX_WEEKS."""
    if not args:
        return DEFAULT_WEEKS
    if len(args) != 1 or not args[0].isdigit():
        return None
    weeks = int(args[0])
    return weeks if 1 <= weeks <= MAX_WEEKS else None


@dataclass(frozen=True)
class AreaCounts:
    """A skill area's lessons, answers and right answers in the period and in the one before."""

    skill: str
    lessons: int = 0
    answers: int = 0
    correct: int = 0
    lessons_before: int = 0
    answers_before: int = 0
    correct_before: int = 0


@dataclass(frozen=True)
class LessonRate:
    """A lesson's answers and right answers across the team in the period."""

    lesson_id: str
    answers: int
    correct: int


@dataclass(frozen=True)
class QuestionCount:
    """A weekly question: how many members were sent it in the period, how many answered."""

    question_id: str
    sent: int
    answers: int


@dataclass(frozen=True)
class MemberArea:
    """One member's figures in one skill area in the period (a row of the CSV, a heatmap cell)."""

    member_id: int
    skill: str
    lessons: int = 0
    answers: int = 0
    correct: int = 0
    strategy_answers: int = 0
    last_active: datetime | None = None


def with_every_area(areas: Iterable[AreaCounts], skills: Iterable[str]) -> list[AreaCounts]:
    """The counts of every area in `skills` (zero when none), and of any other area counted, by id:
    an area nobody touched is the blindest spot of all."""
    counted = {area.skill: area for area in areas}
    for skill in skills:
        counted.setdefault(skill, AreaCounts(skill))
    return [counted[skill] for skill in sorted(counted)]


def remembered_answers(area: AreaCounts, recall: Recall | None) -> float:
    """The area's answers in the period times the share of its checks the team still remembers
    today: many answers to checks since forgotten count for little, as do few answers well
    remembered. An area without a card has nothing remembered (0)."""
    share = recall.share if recall is not None else None
    return area.answers * (share or 0.0)


def blind_spot(areas: Sequence[AreaCounts], remembered: Mapping[str, Recall]) -> str | None:
    """The team's blind spot, for `/learn team` and the leads' digest: the area with the fewest
    remembered answers (`remembered_answers`), so that both how little the team practised an area
    and how much of it has faded count. Ties: fewer answers, then fewer right answers, then the
    skill id. None when the period has no answer at all. `remembered`: the team's cards per
    area today (`bot.learning.recall.by_area`), whenever they were answered."""
    if not any(area.answers for area in areas):
        return None
    return min(
        areas,
        key=lambda area: (
            remembered_answers(area, remembered.get(area.skill)),
            area.answers,
            area.correct,
            area.skill,
        ),
    ).skill


def strongest(areas: Sequence[AreaCounts], blind: str | None) -> str | None:
    candidates = [area for area in areas if area.correct > 0 and area.skill != blind]
    if not candidates:
        return None
    return min(candidates, key=lambda area: (-area.correct, -area.answers, area.skill)).skill


def trend(now: float, before: float) -> Trend:
    if now > before:
        return "up"
    return "down" if now < before else "same"


def participation(member_weeks: int, members: int, weeks: int) -> float:
    """The share of the team that answered at least once in a week, averaged over the weeks:
    member-weeks with an answer / (members * weeks)."""
    return member_weeks / (members * weeks) if members and weeks else 0.0


def most_and_fewest(
    questions: Sequence[QuestionCount],
) -> tuple[QuestionCount | None, QuestionCount | None]:
    """The weekly question with the most answers and the one with the fewest (ties: the first
    question id); the second is None unless there are two questions to tell apart."""
    if not questions:
        return None, None
    most = min(questions, key=lambda q: (-q.answers, q.question_id))
    fewest = min(questions, key=lambda q: (q.answers, q.question_id))
    return most, (fewest if len(questions) > 1 else None)


def next_focus(answered: Sequence[LessonRate], lessons: Sequence[tuple[int, str]]) -> str | None:
    """The blind spot's lesson with the lowest right-answer rate (ties: more answers, then the
    lesson id); when none of its lessons was answered, its easiest lesson. `lessons` are the
    area's lessons in the library as (level, id)."""
    known = {lesson_id for _level, lesson_id in lessons}
    rated = [rate for rate in answered if rate.answers and rate.lesson_id in known]
    if rated:
        weakest = min(rated, key=lambda r: (r.correct / r.answers, -r.answers, r.lesson_id))
        return weakest.lesson_id
    return min(lessons)[1] if lessons else None


# -- what the report says, in the lead's language ----------------------------------------------


@dataclass(frozen=True)
class AreaLine:
    name: str  # in the lead's language
    counts: AreaCounts
    recall: Recall = field(default_factory=Recall)  # the team's cards in the area today


@dataclass(frozen=True)
class QuestionLine:
    prompt: str  # in the lead's language
    sent: int
    answers: int


@dataclass(frozen=True)
class TeamReport:
    periods: Periods
    members: int
    participation: float  # 0..1, see `rules.participation`
    participation_before: float
    areas: list[AreaLine]
    blind_spot: str | None  # area names; None when the period has no answer to compare
    strongest: str | None
    quiet: list[str]  # names of members with no answer for `rules.QUIET_FOR`
    most_answered: QuestionLine | None
    fewest_answered: QuestionLine | None
    focus: str | None  # the title of the lesson to focus on next

    @property
    def answers(self) -> int:
        return sum(line.counts.answers for line in self.areas)


@dataclass(frozen=True)
class TeamMember:
    name: str
    slack_user_id: str


@dataclass(frozen=True)
class TeamTable:
    """Member x skill area in the period: the heatmap and the CSV."""

    periods: Periods
    members: list[TeamMember]  # by name
    areas: list[tuple[str, str]]  # (skill id, name in the lead's language), by id
    cells: dict[tuple[str, str], MemberArea] = field(default_factory=dict)

    def cell(self, member: TeamMember, skill: str) -> MemberArea:
        return self.cells.get((member.slack_user_id, skill)) or MemberArea(0, skill)
