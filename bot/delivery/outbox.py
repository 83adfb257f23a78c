"""Claim -> send -> mark: the one path by which a lesson leaves Nudge, scheduled or on demand.

The claim is a row with a unique key, committed before anything is sent, so only one process sends
a given delivery. The send happens outside any transaction (a Slack call must never hold a database
lock), and its outcome is marked in a second, short transaction: these are separate commits on
purpose. A send that fails is marked failed with Slack's error code and never retried behind the
member's back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.learning.model import Delivery, Member
from bot.library import LocalizedLesson
from bot.store.uow import UnitOfWork


@dataclass(frozen=True)
class SentMessage:
    channel_id: str
    ts: str


class SendFailed(Exception):
    """Slack refused the message; `code` is Slack's error code (e.g. channel_not_found)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


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


class LessonPoster(Protocol):
    """Where a lesson goes: a member's DM in Slack, or anything that stands in for it."""

    def post_lesson(self, post: LessonPost) -> SentMessage: ...


@dataclass(frozen=True)
class DeliveryOutcome:
    status: Literal["sent", "failed"]
    delivery_id: int
    error: str | None = None


def send_claimed(
    uow: Callable[[], UnitOfWork],
    poster: LessonPoster,
    member: Member,
    delivery: Delivery,
    post: LessonPost,
    now: datetime,
) -> DeliveryOutcome:
    """Send a delivery whose claim is committed, then mark what happened."""
    try:
        sent = poster.post_lesson(post)
    except SendFailed as failure:
        with uow() as work:
            work.deliveries.mark_failed(delivery.id, failure.code)
            work.commit()
        return DeliveryOutcome("failed", delivery.id, failure.code)
    with uow() as work:
        work.deliveries.mark_sent(delivery.id, sent.channel_id, sent.ts, now)
        if member.dm_channel_id != sent.channel_id:
            work.members.set_dm_channel(member.id, sent.channel_id)
        work.commit()
    return DeliveryOutcome("sent", delivery.id)
