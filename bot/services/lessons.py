"""Lessons on demand and answers to their checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.delivery.outbox import DeliveryOutcome, LessonPoster, deliver_lesson
from bot.learning.model import CatalogLesson, Delivery, Member
from bot.learning.selection import choose_next_lesson
from bot.library import Library, LocalizedLesson
from bot.store.repository import Store


@dataclass(frozen=True)
class LessonNow:
    status: Literal["sent", "empty_library", "failed"]
    lesson: LocalizedLesson | None = None
    error: str | None = None


def catalog(library: Library) -> list[CatalogLesson]:
    return [
        CatalogLesson(lesson.id, lesson.skill, lesson.level) for lesson in library.lessons.values()
    ]


def send_lesson_now(
    store: Store, library: Library, poster: LessonPoster, member: Member, now: datetime
) -> LessonNow:
    """`/learn now`: the member's next lesson, sent to their DM at once (not counted as the day's)."""
    choice = choose_next_lesson(
        catalog(library), store.lesson_events(member.id), seed=member.slack_user_id
    )
    if choice is None:
        return LessonNow("empty_library")
    lesson = library.lessons[choice.lesson_id].localized(member.locale)
    outcome: DeliveryOutcome = deliver_lesson(
        store, poster, member, lesson, kind="lesson", local_date=None, now=now
    )
    if outcome.status != "sent":
        return LessonNow("failed", lesson, outcome.error)
    return LessonNow("sent", lesson)


@dataclass(frozen=True)
class AnswerOutcome:
    status: Literal["recorded", "already_answered", "not_yours", "unknown_delivery", "bad_choice"]
    delivery: Delivery | None = None
    choice: int | None = None
    correct: bool | None = None
    # The lesson as the member read it; None when it has since left the library.
    lesson: LocalizedLesson | None = None


def answer_check(
    store: Store,
    library: Library,
    *,
    team_id: str,
    slack_user_id: str,
    delivery_id: int,
    choice: int,
    now: datetime,
) -> AnswerOutcome:
    """Record a press of a check button once; a second press changes nothing and says so."""
    member = store.member(store.workspace_id(team_id, now), slack_user_id)
    delivery = store.delivery(delivery_id)
    if delivery is None:
        return AnswerOutcome("unknown_delivery")
    if member is None or delivery.member_id != member.id:
        return AnswerOutcome("not_yours", delivery)
    source = library.lessons.get(delivery.lesson_id)
    lesson = source.localized(delivery.locale) if source else None
    if choice < 0 or (lesson is not None and choice >= len(lesson.options)):
        return AnswerOutcome("bad_choice", delivery, lesson=lesson)
    correct = choice == delivery.answer_index
    if store.record_answer(delivery, choice, correct, now):
        return AnswerOutcome("recorded", delivery, choice, correct, lesson)
    earlier = store.answer(delivery.id)
    assert earlier is not None  # the unique key refused us, so a response exists
    return AnswerOutcome("already_answered", delivery, earlier.choice, earlier.correct, lesson)
