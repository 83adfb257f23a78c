"""Lessons on demand, and responses to their checks."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, Protocol

from bot.delivery.outbox import LessonPost, LessonPoster, send_claimed
from bot.learning.model import CatalogLesson, Delivery, Member
from bot.learning.reviews import review
from bot.learning.selection import choose_next_lesson
from bot.library import Library, LocalizedLesson
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, enrol_found, recognize, speaks
from bot.services.team_setup import in_workspace, with_setup
from bot.store.uow import UnitOfWork

HOUR = timedelta(hours=1)


class SlackPort(Directory, LessonPoster, Protocol):
    """The Slack a lesson use case talks to: people in, lessons out."""


@dataclass(frozen=True)
class LessonNow:
    status: Literal["sent", "empty_library", "failed", "too_many", "unknown"]
    language: str
    lesson: LocalizedLesson | None = None
    channel_id: str | None = None
    error: str | None = None
    kind: Literal["lesson", "review"] = "lesson"
    again_at: datetime | None = None  # with too_many: when the next one may be asked for
    tz: str = "UTC"


# What Slack answers for a message it will never take, whoever it goes to: the lesson itself is at
# fault (the checker should have caught it), not the member or the moment.
REFUSED_CONTENT = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long"})


def catalog(library: Library, refused: Collection[str] = ()) -> Sequence[CatalogLesson]:
    """What selection chooses from: the library's lessons but those Slack refused. The last
    answer is kept (with the library itself, so its identity cannot be taken by another) and
    given again while the library and the refused lessons are the same: it is the same for every
    lesson sent, and building it cost as much CPU as the rest of selection (bench/lesson_cost)."""
    global _catalog
    left_out = frozenset(refused)
    kept = _catalog
    if kept is not None and kept[0] is library and kept[1] == left_out:
        return kept[2]
    lessons = tuple(
        CatalogLesson(lesson.id, lesson.skill, lesson.level)
        for lesson in library.lessons.values()
        if lesson.id not in left_out
    )
    _catalog = (library, left_out, lessons)  # one assignment: a thread sees the old or the new
    return lessons


_catalog: tuple[Library, frozenset[str], tuple[CatalogLesson, ...]] | None = None


def note_refusal(deps: Deps, lesson_id: str, error: str | None) -> None:
    """A lesson Slack refuses is skipped for everyone until the next reload, and admins see it."""
    if error in REFUSED_CONTENT:
        deps.library.refuse(lesson_id, error or "")


@dataclass(frozen=True)
class ClaimedLesson:
    delivery: Delivery
    lesson: LocalizedLesson
    review: bool  # it comes back by spaced repetition


def claim_lesson(
    uow: UnitOfWork,
    library: Library,
    member: Member,
    now: datetime,
    local_date: date | None,
    refused: Collection[str] = (),
    *,
    queued: bool = False,
) -> ClaimedLesson | None:
    """Choose the member's next lesson (a due review first) and claim it in `uow`.

    None when the library is empty, or when the day's scheduled lesson (`local_date`) was claimed
    already. A scheduled delivery is always of kind "lesson", review or not: its unique key is
    (member, kind, local date), and one kind per day is what keeps it to one message a day.
    """
    lessons = catalog(library, refused)
    history, due = uow.deliveries.history_with_due(member.id, now, among=library.lessons)
    choice = choose_next_lesson(
        lessons,
        history,
        due_reviews=due,
        now=now,
        seed=member.slack_user_id,
        interests=member.settings.interests,
    )
    if choice is None:
        return None
    lesson = library.lessons[choice.lesson_id].localized(speaks(member))
    delivery = uow.deliveries.claim(
        member.id,
        kind=choice.kind if local_date is None else "lesson",
        local_date=local_date,
        lesson_id=lesson.id,
        skill=lesson.skill,
        locale=lesson.locale,
        answer_index=lesson.answer_index,
        now=now,
        queued=queued,
    )
    return None if delivery is None else ClaimedLesson(delivery, lesson, choice.kind == "review")


def lesson_post(
    library: Library, member: Member, language: str, claimed: ClaimedLesson
) -> LessonPost:
    lesson = claimed.lesson
    return LessonPost(
        channel=member.dm_channel_id or member.slack_user_id,
        lesson=lesson,
        skill_name=library.skills[lesson.skill].name_in(language),
        minutes=library.lessons[lesson.id].minutes,
        delivery_id=claimed.delivery.id,
        language=language,
        review=claimed.review,
    )


def request_lesson_now(deps: Deps, slack: SlackPort, caller: Caller) -> LessonNow:
    """`/learn now`: the member's next lesson, sent to their DM at once (not counted as the
    day's): a due review if there is one, else a new lesson. The claim commits before the send;
    see `send_claimed`.

    One unit of work claims: the workspace's setup, the member and the hour's count come in one
    query (`Members.asker`), then the history, the due reviews when selection needs them, and
    the claim; a second marks the send."""
    now, library = deps.clock(), deps.library.current
    with deps.uow() as uow:
        asker = uow.members.asker(caller.team_id, caller.slack_user_id, now - HOUR)
        deps = with_setup(deps, asker.settings)
        person, member = enrol_found(uow, slack, deps.roles, caller, now, asker.member)
        limit = deps.settings.now_per_hour
        if asker.asked >= limit:
            asked = uow.deliveries.asked_since(member.id, now - HOUR)
            uow.commit()
            again = asked[len(asked) - limit] + HOUR
            return LessonNow("too_many", person.language, again_at=again, tz=member.tz)
        claimed = claim_lesson(uow, library, member, now, None, deps.library.refused)
        uow.commit()
    if claimed is None:
        return LessonNow("empty_library", person.language)
    post = lesson_post(library, member, person.language, claimed)
    outcome = send_claimed(deps.uow, member, claimed.delivery, lambda: slack.post_lesson(post), now)
    kind: Literal["lesson", "review"] = "review" if claimed.review else "lesson"
    if outcome.status == "failed":
        note_refusal(deps, claimed.lesson.id, outcome.error)
        return LessonNow("failed", person.language, claimed.lesson, error=outcome.error, kind=kind)
    if outcome.status == "unknown":
        return LessonNow("unknown", person.language, claimed.lesson, kind=kind)
    return LessonNow("sent", person.language, claimed.lesson, channel_id=post.channel, kind=kind)


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
        deps = in_workspace(deps, caller.team_id, uow)
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
