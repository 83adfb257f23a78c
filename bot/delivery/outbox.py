"""Claim -> send -> mark. The one path by which a lesson leaves Nudge, scheduled or on demand.

The claim is a row with a unique key, so only one process sends a given delivery; a send that fails
is marked failed with Slack's error code and never retried behind the member's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from bot.learning.model import Member
from bot.library import LocalizedLesson
from bot.store.repository import Store


@dataclass(frozen=True)
class SentMessage:
    channel_id: str
    ts: str


class SendFailed(Exception):
    """Slack refused the message; `code` is Slack's error code (e.g. channel_not_found)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class LessonPoster(Protocol):
    """Where a lesson goes: a member's DM in Slack, or anything that stands in for it."""

    def post_lesson(
        self, member: Member, lesson: LocalizedLesson, delivery_id: int
    ) -> SentMessage: ...


@dataclass(frozen=True)
class DeliveryOutcome:
    status: Literal["sent", "already_claimed", "failed"]
    delivery_id: int | None = None
    error: str | None = None


def deliver_lesson(
    store: Store,
    poster: LessonPoster,
    member: Member,
    lesson: LocalizedLesson,
    *,
    kind: str,
    local_date: date | None,
    now: datetime,
) -> DeliveryOutcome:
    delivery = store.claim_delivery(
        member.id,
        kind=kind,
        local_date=local_date,
        lesson_id=lesson.id,
        skill=lesson.skill,
        locale=lesson.locale,
        answer_index=lesson.answer_index,
        now=now,
    )
    if delivery is None:
        return DeliveryOutcome("already_claimed")
    try:
        sent = poster.post_lesson(member, lesson, delivery.id)
    except SendFailed as failure:
        store.mark_failed(delivery.id, failure.code)
        return DeliveryOutcome("failed", delivery.id, failure.code)
    store.mark_sent(delivery.id, sent.channel_id, sent.ts, now)
    if member.dm_channel_id != sent.channel_id:
        store.set_dm_channel(member.id, sent.channel_id)
    return DeliveryOutcome("sent", delivery.id)
