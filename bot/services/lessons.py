"""Lessons on demand, and responses to their checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from bot.delivery.outbox import LessonPost, LessonPoster, send_claimed
from bot.learning.model import CatalogLesson, Delivery
from bot.learning.reviews import review
from bot.learning.selection import choose_next_lesson
from bot.library import Library, LocalizedLesson
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, enrol, recognize


class SlackPort(Directory, LessonPoster, Protocol):
    """The Slack a lesson use case talks to: people in, lessons out."""


@dataclass(frozen=True)
class LessonNow:
    status: Literal["sent", "empty_library", "failed"]
    language: str
    lesson: LocalizedLesson | None = None
    channel_id: str | None = None
    error: str | None = None
    kind: Literal["lesson", "review"] = "lesson"


def catalog(library: Library) -> list[CatalogLesson]:
    return [
        CatalogLesson(lesson.id, lesson.skill, lesson.level) for lesson in library.lessons.values()
    ]


def request_lesson_now(deps: Deps, slack: SlackPort, caller: Caller) -> LessonNow:
    """`/learn now`: the member's next lesson, sent to their DM at once (not counted as the
    day's): a due review if there is one, else a new lesson. The claim commits before the send;
    see `send_claimed`."""
    now, library = deps.clock(), deps.library.current
    with deps.uow() as uow:
        person, member = enrol(uow, slack, deps.roles, caller, now)
        choice = choose_next_lesson(
            catalog(library),
            uow.deliveries.history(member.id),
            due_reviews=uow.cards.due(member.id, now, among=library.lessons.keys()),
            seed=member.slack_user_id,
        )
        if choice is None:
            uow.commit()
            return LessonNow("empty_library", person.language)
        lesson = library.lessons[choice.lesson_id].localized(member.locale)
        delivery = uow.deliveries.claim(
            member.id,
            kind=choice.kind,
            local_date=None,
            lesson_id=lesson.id,
            skill=lesson.skill,
            locale=lesson.locale,
            answer_index=lesson.answer_index,
            now=now,
        )
        assert delivery is not None  # on-demand deliveries have no day, so never collide
        uow.commit()
    post = LessonPost(
        channel=member.dm_channel_id or member.slack_user_id,
        lesson=lesson,
        skill_name=library.skills[lesson.skill].name_in(person.language),
        minutes=library.lessons[lesson.id].minutes,
        delivery_id=delivery.id,
        language=person.language,
        review=choice.kind == "review",
    )
    outcome = send_claimed(deps.uow, slack, member, delivery, post, now)
    if outcome.status == "failed":
        return LessonNow("failed", person.language, lesson, error=outcome.error, kind=choice.kind)
    return LessonNow("sent", person.language, lesson, channel_id=post.channel, kind=choice.kind)


@dataclass(frozen=True)
class CheckOutcome:
    status: Literal["recorded", "already_answered", "not_yours", "unknown_delivery", "bad_choice"]
    language: str
    delivery: Delivery | None = None
    choice: int | None = None
    correct: bool | None = None
    # The lesson as the member read it; None when it has since left the library.
    lesson: LocalizedLesson | None = None


def answer_check(
    deps: Deps, slack: Directory, caller: Caller, delivery_id: int, choice: int
) -> CheckOutcome:
    """Record a press of a check button once; a second press changes nothing and says so.

    The first answer is also a review of the member's card for the lesson, written in the same
    transaction as the response: both are kept, or neither."""
    now, library = deps.clock(), deps.library.current
    with deps.uow() as uow:
        person = recognize(uow, slack, deps.roles, caller)
        language, member = person.language, person.member
        delivery = uow.deliveries.get(delivery_id)
        if delivery is None:
            return CheckOutcome("unknown_delivery", language)
        if member is None or delivery.member_id != member.id:
            return CheckOutcome("not_yours", language, delivery)
        source = library.lessons.get(delivery.lesson_id)
        lesson = source.localized(delivery.locale) if source else None
        if choice < 0 or (lesson is not None and choice >= len(lesson.options)):
            return CheckOutcome("bad_choice", language, delivery, lesson=lesson)
        correct = choice == delivery.answer_index
        if uow.responses.add(delivery, choice, correct, now):
            card = uow.cards.get(member.id, delivery.lesson_id)
            uow.cards.save(member.id, delivery.lesson_id, review(card, correct, now))
            uow.commit()
            return CheckOutcome("recorded", language, delivery, choice, correct, lesson)
        earlier = uow.responses.for_delivery(delivery.id)
        assert earlier is not None  # the unique key kept ours out, so a response exists
        return CheckOutcome(
            "already_answered", language, delivery, earlier.choice, earlier.correct, lesson
        )
