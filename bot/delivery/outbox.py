"""Claim -> send -> mark: the one path by which a lesson leaves Nudge, scheduled or on demand.

The claim is a row with a unique key, committed before anything is sent, so only one process sends
a given delivery. The send happens outside any transaction (a Slack call must never hold a database
lock), and its outcome is marked in a second, short transaction: these are separate commits on
purpose. A send that fails is marked failed with Slack's error code and never retried behind the
member's back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from bot import observe
from bot.learning.model import Delivery, Member
from bot.library import LocalizedLesson, LocalizedQuestion
from bot.store.uow import DatabaseBusy, UnitOfWork

if TYPE_CHECKING:
    # Only for the type: the digest (and the team report it holds) is the clock's, not `web`'s.
    from bot.learning.digest import WeeklyDigest

log = logging.getLogger("bot.delivery")


@dataclass(frozen=True)
class SentMessage:
    channel_id: str
    ts: str


class SendFailed(Exception):
    """Slack refused the message; `code` is Slack's error code (e.g. channel_not_found)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SendCutOff(Exception):
    """Slack did not answer in time: the message may have been posted, or not."""


@dataclass(frozen=True)
class LessonPost:
    """Everything a lesson DM shows, in the member's language."""

    channel: str  # the member's DM channel, or their user id (posting to it opens the DM)
    lesson: LocalizedLesson
    skill_name: str
    minutes: int
    delivery_id: int
    language: str  # the words Nudge says around the lesson
    review: bool = False  # a lesson coming back by spaced repetition


@dataclass(frozen=True)
class QuestionPost:
    """The weekly strategy question (or its one reminder) in the member's language."""

    channel: str
    question: LocalizedQuestion
    skill_name: str
    delivery_id: int  # the question's delivery: the Answer button opens the modal for it
    language: str
    reminder: bool = False


@dataclass(frozen=True)
class ChannelQuestionPost:
    """The week's question in the team channel (QUESTION_IN_CHANNEL), answered in its thread."""

    channel: str
    question: LocalizedQuestion
    skill_name: str
    language: str


@dataclass(frozen=True)
class DigestPost:
    """The leads' weekly digest, in the team's language."""

    channel: str
    digest: WeeklyDigest
    language: str


class LessonPoster(Protocol):
    """Where a lesson goes: a member's DM in Slack, or anything that stands in for it."""

    def post_lesson(self, post: LessonPost) -> SentMessage: ...


class SchedulePoster(LessonPoster, Protocol):
    """Everything the clock sends."""

    def post_question(self, post: QuestionPost) -> SentMessage: ...

    def post_digest(self, post: DigestPost) -> SentMessage: ...

    def post_channel_question(self, post: ChannelQuestionPost) -> SentMessage: ...


@dataclass(frozen=True)
class DeliveryOutcome:
    status: Literal["sent", "failed", "unknown"]
    delivery_id: int
    error: str | None = None


# Slack's answers that mean a DM can never reach this person: they stop their scheduled messages
# (and are recorded), rather than being retried every day.
UNREACHABLE = frozenset(
    {"user_not_found", "account_inactive", "cannot_dm_bot", "channel_not_found", "user_disabled"}
)


def send_claimed(
    uow: Callable[[], UnitOfWork],
    member: Member,
    delivery: Delivery,
    send: Callable[[], SentMessage],
    now: datetime,
) -> DeliveryOutcome:
    """Send a delivery whose claim is committed (`send` posts it), then mark what happened. A
    send cut off by Slack's silence is marked "unknown" at once: counted as sent, never retried,
    as a claim cut off by a crash is later (see Deliveries.resolve_stale)."""
    try:
        sent = observed(send, delivery.kind, member.slack_user_id, member.workspace_id)()
    except SendCutOff:
        _record(uow, delivery, lambda work: work.deliveries.mark_unknown(delivery.id))
        return DeliveryOutcome("unknown", delivery.id)
    except SendFailed as failure:
        code = failure.code

        def failed(work: UnitOfWork) -> None:
            work.deliveries.mark_failed(delivery.id, code)
            if code in UNREACHABLE:
                work.members.update(member.workspace_id, member.slack_user_id, unreachable=code)

        _record(uow, delivery, failed)
        return DeliveryOutcome("failed", delivery.id, code)

    def delivered(work: UnitOfWork) -> None:
        work.deliveries.mark_sent(delivery.id, sent.channel_id, sent.ts, now)
        if member.dm_channel_id != sent.channel_id:
            work.members.set_dm_channel(member.id, sent.channel_id)

    _record(uow, delivery, delivered)
    return DeliveryOutcome("sent", delivery.id)


def observed(
    send: Callable[[], SentMessage], kind: str, to: str, workspace_id: int
) -> Callable[[], SentMessage]:
    """`send`, with what Slack did and how long it took logged and counted (bot.observe); `to`
    is the member's user id, or the channel of a team post."""

    def sending() -> SentMessage:
        started, outcome, error = time.perf_counter(), "error", None
        try:
            sent = send()
            outcome = "sent"
            return sent
        except SendCutOff:
            outcome = "unknown"
            raise
        except SendFailed as failure:
            outcome, error = "failed", failure.code
            raise
        finally:
            seconds = time.perf_counter() - started
            observe.delivery(
                workspace_id=workspace_id,
                user=to,
                kind=kind,
                outcome=outcome,
                error=error,
                seconds=seconds,
            )

    return sending


def _record(
    uow: Callable[[], UnitOfWork], delivery: Delivery, write: Callable[[UnitOfWork], None]
) -> None:
    """Write what Slack did, in a short transaction of its own. If the database stays locked, the
    claim is left as it is: the clock resolves it as "unknown" (counted once, never sent again),
    and the outcome, which is what the person is told, is what Slack did all the same."""
    try:
        with uow() as work:
            write(work)
            work.commit()
    except DatabaseBusy:
        log.warning("delivery %s stays claimed: the database stayed locked", delivery.id)
