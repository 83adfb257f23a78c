"""The weekly strategy question: opening it to answer, and recording the answer once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.library import LocalizedQuestion
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, recognize

Refusal = Literal["not_yours", "gone", "already_answered"]


@dataclass(frozen=True)
class QuestionOpen:
    status: Literal["open"] | Refusal
    language: str
    question: LocalizedQuestion | None = None
    channel_id: str | None = None  # the DM that holds the question, once it was sent
    ts: str | None = None


def open_question(deps: Deps, slack: Directory, caller: Caller, delivery_id: int) -> QuestionOpen:
    """The question behind an Answer button, for the modal; refused unless it is the caller's own
    and still unanswered."""
    with deps.uow() as uow:
        person = recognize(uow, slack, deps.roles, caller)
        delivery = uow.deliveries.get(delivery_id)
        if delivery is None or delivery.kind != "question":
            return QuestionOpen("gone", person.language)
        if person.member is None or delivery.member_id != person.member.id:
            return QuestionOpen("not_yours", person.language)
        if uow.strategy_answers.answered(delivery_id):
            return QuestionOpen("already_answered", person.language)
    question = deps.library.current.questions.get(delivery.lesson_id)
    if question is None:
        return QuestionOpen("gone", person.language)
    return QuestionOpen(
        "open",
        person.language,
        question.localized(delivery.locale),
        delivery.channel_id,
        delivery.ts,
    )


@dataclass(frozen=True)
class QuestionAnswered:
    status: Literal["recorded"] | Refusal
    language: str
    channel_id: str | None = None
    ts: str | None = None


def answer_question(
    deps: Deps, slack: Directory, caller: Caller, delivery_id: int, choice: str | None, text: str
) -> QuestionAnswered:
    """Record the answer against the question's skill area; a second answer changes nothing."""
    opened = open_question(deps, slack, caller, delivery_id)
    if opened.status != "open" or opened.question is None:
        refusal: Refusal = "gone" if opened.status == "open" else opened.status
        return QuestionAnswered(refusal, opened.language)
    written = text.strip() if choice is None else f"{choice}\n\n{text.strip()}"
    with deps.uow() as uow:
        delivery = uow.deliveries.get(delivery_id)
        assert delivery is not None  # open_question found it
        added = uow.strategy_answers.add(
            delivery_id,
            delivery.member_id,
            delivery.lesson_id,
            delivery.skill,
            written,
            deps.clock(),
        )
        uow.commit()
    status: Literal["recorded", "already_answered"] = "recorded" if added else "already_answered"
    return QuestionAnswered(status, opened.language, opened.channel_id, opened.ts)
