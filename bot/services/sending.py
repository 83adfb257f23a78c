"""Sending what the clock planned: take a queued delivery, wait for its workspace's slot, build its
message, send it, mark what Slack did.

Any number of senders share the queue in the database: the clock's threads, `worker` processes,
the worker inside `run`. Each has at most one message in flight, so a sender killed mid-send
leaves at most that one claim unmarked, which the clock resolves as "unknown" after STALE_CLAIM
(README, "Exactly once"). The message is built when it is sent, from the delivery's row and the
library of the moment.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from bot.delivery.outbox import QuestionPost, SchedulePoster, SentMessage, send_claimed
from bot.services.deps import Deps
from bot.services.lessons import ClaimedLesson, lesson_post, note_refusal
from bot.services.people import speaks
from bot.store.sending import Taken
from bot.store.weekly import WEEK_BEFORE

log = logging.getLogger("bot.sending")

# The poster for a Slack team: its gateway, with that workspace's token (bot.slack.installs);
# None when the deployment has no token for the team.
Posters = Callable[[str], SchedulePoster | None]
Sleep = Callable[[float], None]
# The errors a delivery is marked failed with when its lesson or question left the library between
# the clock's plan and the send, or when its workspace has no token (uninstalled since).
GONE = "not_in_library"
NO_TOKEN = "no_token"


@dataclass(frozen=True)
class Sent:
    kind: str  # lesson, question, reminder
    status: str  # sent, unknown (Slack silent past the timeout), failed


def send_next(
    deps: Deps,
    posters: Posters,
    now: datetime,
    *,
    workspace_id: int | None = None,
    sleep: Sleep | None = None,
) -> Sent | None:
    """Send the oldest queued delivery (of one workspace, or any); None when none waits. With
    `sleep`, first wait for the workspace's next slot at POSTS_PER_MINUTE; without, at once."""
    with deps.uow() as uow:
        taken = uow.sending.take(now, workspace_id)
        uow.commit()
    if taken is None:
        return None
    delivery, poster = taken.delivery, posters(taken.team_id)
    send = None if poster is None else _message(deps, poster, taken)
    if send is None:
        with deps.uow() as uow:
            uow.deliveries.mark_failed(delivery.id, NO_TOKEN if poster is None else GONE)
            uow.commit()
        return Sent(delivery.kind, "failed")
    if sleep is not None:
        with deps.uow() as uow:
            wait = uow.sending.pace(taken.member.workspace_id, 60 / deps.settings.posts_per_minute)
            uow.commit()
        sleep(wait)
    outcome = send_claimed(deps.uow, taken.member, delivery, send, now)
    if delivery.kind == "lesson" and outcome.status == "failed":
        note_refusal(deps, delivery.lesson_id, outcome.error)
    return Sent(delivery.kind, outcome.status)


def send_all(
    deps: Deps,
    posters: Posters,
    now: datetime,
    *,
    workspace_id: int | None = None,
    senders: int = 1,
    sleep: Sleep | None = None,
) -> list[Sent]:
    """Send until the queue is empty, with `senders` side by side (the clock's pass)."""

    def sender() -> list[Sent]:
        done: list[Sent] = []
        while sent := send_next(deps, posters, now, workspace_id=workspace_id, sleep=sleep):
            done.append(sent)
        return done

    if senders <= 1:
        return sender()
    # The first here: a tick with nothing queued (most minutes) costs one query, no threads.
    first = send_next(deps, posters, now, workspace_id=workspace_id, sleep=sleep)
    if first is None:
        return []
    with ThreadPoolExecutor(senders, thread_name_prefix="nudge-send") as pool:
        started = [pool.submit(sender) for _ in range(senders)]
        return [first, *(sent for future in started for sent in future.result())]


def work(
    deps: Deps,
    posters: Posters,
    stop: threading.Event,
    *,
    poll: float,
    sleep: Sleep,
    requests: Callable[[], bool] = lambda: False,
    idle: Callable[[float], object] | None = None,
) -> int:
    """A worker: run one request people made (`requests`, WORK_IN=worker: whether one ran) or,
    when none waits, send one message, until `stop` is set; while both queues are empty, wait
    with `idle(poll)` (default: `poll` seconds; a wake-up may end it sooner). `stop` is read
    between two, never during one, so the work in flight is always finished. How many messages
    were sent."""
    count = 0
    while not stop.is_set():
        try:
            if requests():  # a person is waiting for this one: it goes before the deliveries
                continue
            sent = send_next(deps, posters, deps.clock(), sleep=sleep)
        except Exception:
            # The database or Slack out of reach: a claim this left taken resolves as any send
            # cut off does, and the worker looks again after `poll` rather than dying.
            log.exception("a send went wrong; the worker goes on")
            sent = None
        if sent is None:
            (idle or stop.wait)(poll)
        else:
            count += 1
    return count


def _message(deps: Deps, slack: SchedulePoster, taken: Taken) -> Callable[[], SentMessage] | None:
    """What sends the delivery, built from its row; None when its content left the library."""
    library, member, delivery = deps.library.current, taken.member, taken.delivery
    language = speaks(member)
    if delivery.kind == "lesson":
        lesson = library.lessons.get(delivery.lesson_id)
        if lesson is None:
            return None
        with deps.uow() as uow:
            review = uow.sending.seen_before(delivery)
        claimed = ClaimedLesson(delivery, lesson.localized(language), review)
        post = lesson_post(library, member, language, claimed)
        return lambda: slack.post_lesson(post)
    question = library.questions.get(delivery.lesson_id)
    if question is None:
        return None
    asked = None
    if delivery.kind == "reminder" and delivery.local_date is not None:
        with deps.uow() as uow:
            since = delivery.local_date - WEEK_BEFORE
            asked = uow.strategy_answers.latest_question(member.id, since, queued=True)
    skill = library.skills.get(question.skill)
    question_post = QuestionPost(
        channel=member.dm_channel_id or member.slack_user_id,
        question=question.localized(language),
        skill_name=skill.name_in(language) if skill else question.skill,
        delivery_id=asked if asked is not None else delivery.id,
        language=language,
        reminder=delivery.kind == "reminder",
    )
    return lambda: slack.post_question(question_post)
