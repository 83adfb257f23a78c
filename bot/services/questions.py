"""The weekly strategy question: opening it to answer or edit, and recording the answer once.

One answer per question delivery, whichever way it comes (the modal, a reply in the DM thread, a
reply in the team channel's thread). A second answer by a reply is not recorded (the first
stands; "Edit my answer" changes it); the modal's edit changes it until the leads' digest for that
week has gone out, after which it is locked. The same answer delivered again (Slack's retry, a
double press) is "unchanged": said again, stored once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.learning.model import Delivery, StrategyAnswer
from bot.library import LocalizedQuestion
from bot.services.deps import Deps
from bot.services.people import Caller, Directory, Person, recognize
from bot.services.team_setup import in_workspace
from bot.store.uow import UnitOfWork

Refusal = Literal["not_yours", "gone", "already_answered", "locked"]
Source = Literal["modal", "dm_reply", "channel_reply"]
# A member's question day in their own zone is at most a day from the team's in TEAM_ZONE.
ZONE_SPREAD = timedelta(days=1)


@dataclass(frozen=True)
class Asked:
    """A question as its owner sees it in their DM, with their answer when there is one."""

    delivery_id: int
    question: LocalizedQuestion
    skill_name: str
    channel_id: str | None  # the DM that holds the question, once it was sent
    ts: str | None
    answer: StrategyAnswer | None


@dataclass(frozen=True)
class QuestionOpen:
    status: Literal["open"] | Refusal
    language: str
    asked: Asked | None = None


def _locked(uow: UnitOfWork, person: Person, delivery: Delivery) -> bool:
    """The leads' digest for the question's week has gone out: its answer can no longer change."""
    assert person.member is not None
    if delivery.local_date is None:
        return False
    return uow.team_posts.gone_out(person.member.workspace_id, "digest", delivery.local_date)


def _asked(deps: Deps, person: Person, delivery: Delivery, answer: StrategyAnswer | None) -> Asked:
    question = deps.library.current.questions.get(delivery.lesson_id)
    assert question is not None  # checked by the caller
    skill = deps.library.current.skills.get(question.skill)
    name = skill.name_in(person.language) if skill else question.skill
    localized = question.localized(delivery.locale)
    return Asked(delivery.id, localized, name, delivery.channel_id, delivery.ts, answer)


def _find(
    deps: Deps, uow: UnitOfWork, person: Person, delivery_id: int
) -> Delivery | Literal["gone", "not_yours"]:
    delivery = uow.deliveries.get(delivery_id)
    if delivery is None or delivery.kind != "question":
        return "gone"
    if person.member is None or delivery.member_id != person.member.id:
        return "not_yours"
    if delivery.lesson_id not in deps.library.current.questions:
        return "gone"
    return delivery


def open_question(
    deps: Deps, slack: Directory, caller: Caller, delivery_id: int, *, editing: bool = False
) -> QuestionOpen:
    """The question behind an Answer (or Edit my answer) button, for the modal: refused unless it
    is the caller's own, and unanswered (Answer) or still open to change (Edit)."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        delivery = _find(deps, uow, person, delivery_id)
        if isinstance(delivery, str):
            return QuestionOpen(delivery, person.language)
        answer = uow.strategy_answers.get(delivery_id)
        if answer is not None and not editing:
            return QuestionOpen("already_answered", person.language)
        if answer is not None and _locked(uow, person, delivery):
            return QuestionOpen("locked", person.language)
    return QuestionOpen("open", person.language, _asked(deps, person, delivery, answer))


@dataclass(frozen=True)
class QuestionAnswered:
    status: Literal["recorded", "unchanged", "edited"] | Refusal
    language: str
    asked: Asked | None = None  # the question with the answer that stands


def answer_question(
    deps: Deps,
    slack: Directory,
    caller: Caller,
    delivery_id: int,
    choice: int | None,
    text: str,
    *,
    source: Source = "modal",
    editing: bool = False,
) -> QuestionAnswered:
    """Record the answer against the question's skill area, or change it when `editing`."""
    now, text = deps.clock(), text.strip()
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        person = recognize(uow, slack, deps.roles, caller)
        delivery = _find(deps, uow, person, delivery_id)
        if isinstance(delivery, str):
            return QuestionAnswered(delivery, person.language)
        question = deps.library.current.questions[delivery.lesson_id]
        if choice is not None and not 0 <= choice < len(question.choices):
            choice = None  # not one of the menu's: the written answer alone
        written = StrategyAnswer(delivery_id, text, choice, source, now, None)
        status = _write(uow, person, delivery, written, editing=editing)
        answer = uow.strategy_answers.get(delivery_id)
        uow.commit()
    asked = _asked(deps, person, delivery, answer) if answer is not None else None
    return QuestionAnswered(status, person.language, asked)


def _write(
    uow: UnitOfWork, person: Person, delivery: Delivery, written: StrategyAnswer, *, editing: bool
) -> Literal["recorded", "unchanged", "edited"] | Refusal:
    add = uow.strategy_answers.add
    if add(delivery.id, delivery.member_id, delivery.lesson_id, delivery.skill, written):
        return "recorded"
    stored = uow.strategy_answers.get(delivery.id)
    assert stored is not None  # the unique key refused the insert
    if (stored.text, stored.choice) == (written.text, written.choice):
        return "unchanged"  # the same answer again: Slack's retry, or a second press
    if not editing:
        return "already_answered"
    if _locked(uow, person, delivery):
        return "locked"
    uow.strategy_answers.edit(delivery.id, written.text, written.choice, written.answered_at)
    return "edited"


@dataclass(frozen=True)
class Reply:
    """A message a person typed in a thread: where, and what."""

    channel_id: str
    thread_ts: str
    text: str


def answer_by_reply(deps: Deps, slack: Directory, caller: Caller, reply: Reply) -> QuestionAnswered:
    """A reply in the thread of a question (the DM's, or the team channel's with
    QUESTION_IN_CHANNEL) is the replier's answer, when it is their first. "gone": the thread is
    no question of theirs (any other thread, or no question sent to them that week)."""
    with deps.uow() as uow:
        deps = in_workspace(deps, caller.team_id, uow)
        delivery_id = uow.strategy_answers.question_posted_at(reply.channel_id, reply.thread_ts)
        source: Source = "dm_reply"
        posted = uow.team_posts.find("question", reply.channel_id, reply.thread_ts)
        if delivery_id is None and posted is not None and deps.settings.question_in_channel:
            member = uow.members.find_in_team(caller.team_id, caller.slack_user_id)
            day, source = posted[1], "channel_reply"
            # A post of another workspace's (its channel and ts) says nothing of this one's week.
            if member is not None and member.workspace_id == posted[0]:
                delivery_id = uow.strategy_answers.latest_question(
                    member.id, day - ZONE_SPREAD, day + ZONE_SPREAD
                )
    if delivery_id is None:
        return QuestionAnswered("gone", "en")
    return answer_question(deps, slack, caller, delivery_id, None, reply.text, source=source)
