"""Spaced repetition: when a lesson a member answered comes back, by the FSRS memory model.

Every lesson has one check question, and each answer is one review of the member's card for that
lesson: right is `Rating.Good`, wrong is `Rating.Again`. The scheduling is fsrs's own; this module
only fixes its settings, turns answers into ratings and says what the store keeps. No SQL, no Slack,
no wall clock: the caller passes the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

# The one place the scheduler is configured. Nudge sends a lesson at most a few times a day, so:
# - no learning or relearning steps: fsrs's defaults (1 and 10 minutes) suit a flashcard session,
#   not a DM; without them every interval comes from the memory model, in whole days;
# - desired retention 0.85 rather than fsrs's 0.9: a due review takes the place of a new lesson, so
#   intervals about twice as long (fewer reviews) leave room to keep learning new things, while a
#   wrong answer still comes back the next day;
# - at most a year between reviews: lessons and teams change, and a yearly reminder costs little;
# - no fuzz: it only spreads cards learned together over nearby days, which matters for a deck of
#   hundreds reviewed in one sitting, not for one lesson at a time; off, schedules are reproducible.
SCHEDULER = Scheduler(
    desired_retention=0.85,
    learning_steps=(),
    relearning_steps=(),
    maximum_interval=365,
    enable_fuzzing=False,
)


@dataclass(frozen=True)
class StoredCard:
    """What the store keeps of one member's card for one lesson."""

    fsrs_card: str  # fsrs's own JSON (`Card.to_json`), read back with `Card.from_json`
    due: datetime  # aware UTC: when the lesson should come back
    last_review: datetime  # aware UTC: the answer that set `due`
    stability: (
        float | None
    )  # fsrs's, in days: how slowly the lesson is forgotten (`bot.learning.recall`)


@dataclass(frozen=True)
class DueCard:
    """A card due by now, as `bot.learning.selection` weighs it against the others due."""

    lesson_id: str
    due: datetime  # aware UTC
    last_review: datetime  # aware UTC
    stability: float | None  # as in StoredCard


def review(card: StoredCard | None, correct: bool, now: datetime) -> StoredCard:
    """The card after the member answered its lesson's check at `now` (None: a first answer)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime given to review; pass an aware UTC time")
    at = now.astimezone(UTC)  # fsrs accepts UTC only, and refuses any other zone
    current = (
        Card.from_json(card.fsrs_card)
        if card is not None
        # fsrs's default id reads the wall clock and sleeps a millisecond; ours is (member, lesson),
        # so the id only needs to be stable.
        else Card(card_id=int(at.timestamp() * 1000), due=at)
    )
    reviewed, _log = SCHEDULER.review_card(
        current, Rating.Good if correct else Rating.Again, review_datetime=at
    )
    return StoredCard(reviewed.to_json(), reviewed.due.astimezone(UTC), at, reviewed.stability)
