"""The leads' weekly digest as plain data, and its rules: who may be quoted, and the blind spot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.learning.recall import Recall
from bot.learning.team import TeamTable

# An anonymous digest quotes a week's answers only when at least this many came in: with one or
# two, anyone who knows who answered could tell whose words are whose.
ANONYMOUS_MINIMUM = 3


@dataclass(frozen=True)
class DigestAnswer:
    name: str | None  # None in an anonymous digest
    text: str


@dataclass(frozen=True)
class AreaTrend:
    """Check answers in one skill area this week and last week."""

    skill: str  # the area's id
    name: str  # its name in the digest's language
    this_week: int
    last_week: int
    right: int = 0  # right answers this week
    remembered: Recall = field(
        default_factory=Recall
    )  # the team's cards in the area at the digest's time


@dataclass(frozen=True)
class WeeklyDigest:
    week_ending: date
    nudged: int  # members who received a scheduled lesson
    active: int  # members who answered a check or a question
    question: str | None  # the week's strategy question, in the digest's language
    answer_count: int  # answers to it this week
    answers: tuple[DigestAnswer, ...]  # empty when withheld
    withheld: bool  # anonymous, and too few answers to quote
    trend: tuple[AreaTrend, ...]
    blind_spot: AreaTrend | None
    heatmap: TeamTable | None = None  # the week's member x area table, drawn under the digest


def quotable(
    answers: Sequence[tuple[str, str]], *, anonymous: bool
) -> tuple[tuple[DigestAnswer, ...], bool]:
    """The (name, text) answers as the digest may show them, and whether they are withheld.
    Anonymous answers are ordered by their text, so that their order tells no one who answered
    first."""
    if not anonymous:
        return tuple(DigestAnswer(name, text) for name, text in answers), False
    if len(answers) < ANONYMOUS_MINIMUM:
        return (), bool(answers)  # none at all is nothing withheld
    return tuple(DigestAnswer(None, text) for text in sorted(text for _, text in answers)), False
