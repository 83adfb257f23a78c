"""One pass of the clock: every member whose lesson, weekly question or reminder fell due gets it,
once, and the leads get their weekly digest.

The schedule lives in the database (each member's `next_due_at`, each workspace's `last_tick_at`),
so a restarted, repeated or doubled clock finds the same work; what keeps every message to one is
the claim of its delivery row (member, kind, local date) before anything is sent. The pass plans
(claims, queued) and then sends the queue itself, or leaves it to `worker`s (CLOCK_SENDS,
bot.services.sending). A delivery cut off between a sender taking it and Slack's answer is never
retried: at most once; after STALE_CLAIM it is resolved as "unknown" and counted as sent (README,
"Exactly once").
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from bot import observe
from bot.delivery.outbox import (
    ChannelQuestionPost,
    DigestPost,
    SchedulePoster,
    SendCutOff,
    SendFailed,
    SentMessage,
    observed,
)
from bot.i18n import language_of
from bot.learning.calendars import is_public_holiday
from bot.learning.model import Member
from bot.learning.schedule import MemberCalendar, Missed, Slot, due, next_lesson, team_post_due
from bot.learning.schedule_settings import TeamSchedule
from bot.library import Library, Question
from bot.services.deps import Deps
from bot.services.lessons import claim_lesson
from bot.services.people import speaks
from bot.services.team_setup import in_workspace

if TYPE_CHECKING:
    from bot.services.sending import Sleep

# What only the clock's pass uses (sending, and the store's constants for it) is imported inside
# it: `web` imports this module for a member's next lesson, and starts without the ORM's tables.

log = logging.getLogger("bot.tick")

# The questions rotate through the library week by week from this Monday, the same for the team.
ROTATION_START = datetime(2026, 1, 5).date()
# With nothing within a year (a long pause), look again tomorrow.
RECHECK = timedelta(days=1)
TICK_BATCH = 20_000
# A claim still unmarked after this long was cut off: longer than any send with its retries takes
# (SLACK_TIMEOUT, 10 s by default, and a few Retry-After waits).
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class TickReport:
    sent: Counter[str]  # by kind: lesson, question, reminder, digest
    missed: int
    failed: int
    members: int  # members looked at
    planned: int = 0  # deliveries claimed for the senders (sent by this pass or by workers)

    def line(self) -> str:
        kinds = (
            ", ".join(f"{count} {kind}" for kind, count in sorted(self.sent.items())) or "nothing"
        )
        return (
            f"planned {self.planned}, sent {kinds}; {self.missed} missed, {self.failed} failed, "
            f"{self.members} members looked at"
        )


def question_of_week(library: Library, day: date) -> Question | None:
    """Round robin by team week, so that a team sees every question before any comes again."""
    if not library.questions:
        return None
    weeks = (day.toordinal() - ROTATION_START.toordinal()) // 7
    ordered = sorted(library.questions)
    return library.questions[ordered[weeks % len(ordered)]]


def calendar_of(member: Member) -> MemberCalendar:
    try:
        return MemberCalendar(member.tz, member.paused_until, member.away_until)
    except ValueError:  # a zone this machine's tz database does not know
        log.warning("member %s has an unknown zone %r: scheduled in UTC", member.id, member.tz)
        return MemberCalendar("UTC", member.paused_until, member.away_until)


def schedule_of(team: TeamSchedule, member: Member) -> TeamSchedule:
    """The team's schedule with the member's own settings over it. A count of lessons that no
    longer fits (the team's working days changed since) is capped, not an error."""
    mine = member.settings.schedule()
    try:
        return mine.apply(team)
    except ValueError:
        log.warning("member %s: their lessons per week no longer fit; capped", member.id)
        return replace(mine, lessons_per_week=None).apply(team)


def next_due(team: TeamSchedule, member: Member, now: datetime) -> datetime:
    """When the clock next looks at the member: their next lesson, or tomorrow when none comes
    within a year."""
    following = next_lesson(schedule_of(team, member), calendar_of(member), is_public_holiday, now)
    return following.due_at if following else now + RECHECK


@observe.timed_tick
def run_tick(
    deps: Deps,
    slack: SchedulePoster,
    team_id: str,
    now: datetime,
    *,
    senders: int = 1,
    send: bool = True,
    sleep: Sleep | None = None,
) -> TickReport:
    """Plan (claim what fell due, queued for the senders), post the team's posts, and, with
    `send`, send the workspace's queue with `senders` threads side by side, each waiting for the
    workspace's slot through `sleep` (bot.services.sending). Without `send`, workers send."""
    from bot.services.sending import send_all
    from bot.store.lesson_sql import DELIVERED

    failures = Counter[str]()
    with deps.uow() as uow:
        deps = in_workspace(deps, team_id, uow)
        workspace_id = uow.workspaces.ensure(team_id, now)
        last = uow.workspaces.last_tick(workspace_id)
        stale = uow.deliveries.resolve_stale(now - STALE_CLAIM, workspace_id)
        members = uow.members.due(workspace_id, now, TICK_BATCH)
        if last is None or last < now:
            uow.workspaces.set_last_tick(workspace_id, now)
        uow.commit()
    if stale:
        log.warning("%s deliveries were cut off mid-send: counted as sent", stale)
    since = now if last is None else last  # the very first tick sends nothing from the past

    def plan(member: Member) -> tuple[int, int]:
        return _plan(deps, member, since, now)

    if senders > 1 and len(members) > 1:
        with ThreadPoolExecutor(senders, thread_name_prefix="nudge-tick") as pool:
            planned = list(pool.map(plan, members))
    else:
        planned = [plan(member) for member in members]
    sent: Counter[str] = Counter()
    if send:
        done = send_all(
            deps, lambda _: slack, now, workspace_id=workspace_id, senders=senders, sleep=sleep
        )
        sent.update(one.kind for one in done if one.status in DELIVERED)
        failures.update(one.kind for one in done if one.status == "failed")
    _channel_question(deps, slack, workspace_id, since, now, sent, failures)
    _digest(deps, slack, workspace_id, since, now, sent, failures)
    claimed = sum(count for count, _ in planned)
    missed = sum(lost for _, lost in planned)
    return TickReport(sent, missed, sum(failures.values()), len(members), claimed)


def _plan(deps: Deps, member: Member, since: datetime, now: datetime) -> tuple[int, int]:
    """Claim what fell due for one member (queued for the senders), record what was missed,
    schedule the next look: (claimed, missed)."""
    calendar = calendar_of(member)
    # Newly known or rescheduled (no next_due_at): nothing from before this look. Otherwise from
    # the earlier of the last tick and the member's own due time, so that a tick cut short leaves
    # no one behind.
    start = (
        now
        if member.next_due_at is None
        else min(since, member.next_due_at - timedelta(microseconds=1))
    )
    slots = due(schedule_of(deps.schedule, member), calendar, is_public_holiday, start, now)
    for lost in slots.missed:
        _record_missed(deps, member, lost, now)
    claimed = sum(_claim(deps, member, slot, now) for slot in slots.send)
    with deps.uow() as uow:
        uow.members.update(
            member.workspace_id,
            member.slack_user_id,
            next_due_at=next_due(deps.schedule, member, now),
        )
        uow.commit()
    return claimed, len(slots.missed)


def _record_missed(deps: Deps, member: Member, lost: Missed, now: datetime) -> None:
    with deps.uow() as uow:
        claimed = uow.deliveries.claim(
            member.id,
            kind=lost.slot.kind,
            local_date=lost.slot.local_date,
            lesson_id="",
            skill="",
            locale="",
            answer_index=0,
            now=now,
        )
        if claimed is not None:
            uow.deliveries.mark_missed(claimed.id)
        uow.commit()
    log.info("member %s missed the %s of %s", member.id, lost.slot.kind, lost.slot.local_date)


def _claim(deps: Deps, member: Member, slot: Slot, now: datetime) -> bool:
    """Claim the slot's lesson, question or reminder for the senders; False when there is
    nothing to send (claimed elsewhere, an empty library, a question answered already)."""
    from bot.store.weekly import WEEK_BEFORE

    library = deps.library.current
    with deps.uow() as uow:
        if slot.kind == "lesson":
            refused = deps.library.refused
            lesson = claim_lesson(uow, library, member, now, slot.local_date, refused, queued=True)
            uow.commit()
            return lesson is not None
        question = question_of_week(library, slot.local_date)
        if slot.kind == "reminder":
            # The week's question counts once it is claimed, sent or not: with workers far
            # behind, it may still be queued when its reminder falls due (the reminder is
            # queued after it, so it is taken after it too).
            since = slot.local_date - WEEK_BEFORE
            asked = uow.strategy_answers.latest_question(member.id, since, queued=True)
            if asked is None or uow.strategy_answers.answered(asked):
                return False  # nothing asked this week, or answered already: no reminder
            asked_delivery = uow.deliveries.get(asked)
            question = library.questions.get(asked_delivery.lesson_id) if asked_delivery else None
        if question is None:
            return False
        delivery = uow.deliveries.claim(
            member.id,
            kind=slot.kind,
            local_date=slot.local_date,
            lesson_id=question.id,
            skill=question.skill,
            locale=speaks(member),
            answer_index=0,
            now=now,
            queued=True,
        )
        uow.commit()
    return delivery is not None


def _digest(
    deps: Deps,
    slack: SchedulePoster,
    workspace_id: int,
    since: datetime,
    now: datetime,
    sent: Counter[str],
    failures: Counter[str],
) -> None:
    channel = deps.settings.leads_channel
    if not channel:
        return
    # Imported here: the digest and the team report it quotes are the clock's alone, and `web`
    # (which imports this module for the next lesson's time) starts without them.
    from bot.services.digest import claim_digest, digest_language

    schedule, zone = deps.schedule, deps.settings.team_zone
    for slot in team_post_due(schedule, "digest", zone, last_tick=since, now=now).send:
        question = question_of_week(deps.library.current, slot.local_date)
        claimed = claim_digest(deps, workspace_id, slot, question, now)
        if claimed is None:
            continue  # posted already: once a week, whatever happens to the clock
        post_id, digest = claimed
        post = DigestPost(channel, digest, digest_language(deps))
        send = observed(partial(slack.post_digest, post), "digest", channel, workspace_id)
        _send_team_post(deps, post_id, slot.kind, send, sent, failures)


def _channel_question(
    deps: Deps,
    slack: SchedulePoster,
    workspace_id: int,
    since: datetime,
    now: datetime,
    sent: Counter[str],
    failures: Counter[str],
) -> None:
    """With QUESTION_IN_CHANNEL, the week's question in the team channel too: a member's reply in
    its thread is their answer (bot.services.questions.answer_by_reply)."""
    channel, zone = deps.settings.team_channel, deps.settings.team_zone
    if not (deps.settings.question_in_channel and channel):
        return
    library, language = deps.library.current, language_of(deps.settings.team_language, None)
    for slot in team_post_due(deps.schedule, "question", zone, last_tick=since, now=now).send:
        question = question_of_week(library, slot.local_date)
        if question is None:
            continue
        skill = library.skills.get(question.skill)
        name = skill.name_in(language) if skill else question.skill
        post = ChannelQuestionPost(channel, question.localized(language), name, language)
        send = observed(
            partial(slack.post_channel_question, post), "team_question", channel, workspace_id
        )
        _team_post(deps, workspace_id, slot, send, now, sent, failures)


def _team_post(
    deps: Deps,
    workspace_id: int,
    slot: Slot,
    send: Callable[[], SentMessage],
    now: datetime,
    sent: Counter[str],
    failures: Counter[str],
) -> None:
    """Claim the week's team post of `slot.kind`, send it, mark it: once a week, whatever happens
    to the clock."""
    with deps.uow() as uow:
        post_id = uow.team_posts.claim(workspace_id, slot.kind, slot.local_date, now)
        uow.commit()
    if post_id is None:
        return  # posted already
    _send_team_post(deps, post_id, slot.kind, send, sent, failures)


def _send_team_post(
    deps: Deps,
    post_id: int,
    kind: str,
    send: Callable[[], SentMessage],
    sent: Counter[str],
    failures: Counter[str],
) -> None:
    """Send a claimed team post and mark what became of it: a cut-off send counts as sent once
    (it may have been posted), a refusal is recorded, and the rest of the tick goes on."""
    try:
        message = send()
    except SendCutOff:  # it may have been posted: never posted twice
        with deps.uow() as uow:
            uow.team_posts.mark(post_id, "unknown")
            uow.commit()
        sent[kind] += 1
        return
    except SendFailed as failure:  # recorded; the rest of the tick goes on
        with deps.uow() as uow:
            uow.team_posts.mark(post_id, "failed", error=failure.code)
            uow.commit()
        failures[kind] += 1
        return
    with deps.uow() as uow:
        uow.team_posts.mark(post_id, "sent", channel_id=message.channel_id, ts=message.ts)
        uow.commit()
    sent[kind] += 1
