"""The demo's scheduled week: the clock ticking every 15 minutes from Monday to Friday, each
member's lesson arriving at their own 09:30, what `/learn why` says, and the leads' digest."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from bot.delivery.outbox import DigestPost, LessonPost, QuestionPost, SentMessage
from bot.localslack import render_message
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.slack.gateway import SlackGateway, make_web_client

if TYPE_CHECKING:
    from bot.demo import Session

STEP = timedelta(minutes=15)
ANSWER_RATE = 0.8  # most people answer their lesson's check the same morning


@dataclass
class Seen:
    """What each tick posted, with the tick's time, to print as a timeline."""

    lines: list[tuple[datetime, str, str]] = field(default_factory=list)  # (when, user, what)


class RecordingGateway(SlackGateway):
    def __init__(self, session: Session, seen: Seen) -> None:
        super().__init__(make_web_client(session.bot.deps.settings))
        self.session, self.seen, self.now = session, seen, datetime.now(UTC)

    def post_lesson(self, post: LessonPost) -> SentMessage:
        sent = super().post_lesson(post)
        what = ("review: " if post.review else "lesson: ") + post.lesson.title
        self.seen.lines.append((self.now, post.channel, what))
        return sent

    def post_question(self, post: QuestionPost) -> SentMessage:
        sent = super().post_question(post)
        what = "reminder of the question" if post.reminder else "question of the week"
        self.seen.lines.append((self.now, post.channel, what))
        return sent

    def post_digest(self, post: DigestPost) -> SentMessage:
        self.seen.lines.append((self.now, post.channel, "the leads' digest"))
        return super().post_digest(post)


def next_monday(now: datetime) -> datetime:
    days = (7 - now.weekday()) % 7 or 7
    return datetime.combine(now.date() + timedelta(days=days), datetime.min.time(), UTC)


def run_week(session: Session, out: TextIO, shown: str, rng: random.Random) -> None:
    """Monday to Friday of the week after the demo's rounds; members answer most lessons."""
    from bot.demo import answer_latest
    from bot.demo_member import answer_weekly_question

    deps, slack = session.bot.deps, session.slack
    seen = Seen()
    gateway = RecordingGateway(session, seen)
    monday = next_monday(session.clock.now())
    refresh_roster(deps, gateway, slack.team_id, monday)
    at, weekly = monday, list[str]()
    while at < monday + timedelta(days=5):
        session.clock.set(at)
        gateway.now = at
        before = len(seen.lines)
        run_tick(deps, gateway, slack.team_id, at)
        for _at, channel, what in seen.lines[before:]:
            if what.startswith(("lesson", "review")) and rng.random() < ANSWER_RATE:
                answer_latest(session, _person(session, channel), rng)
            if what == "question of the week" and _person(session, channel) == shown:
                weekly = answer_weekly_question(session, shown)  # the same morning
        at += STEP
    session.clock.set(monday + timedelta(days=4, hours=18))  # Friday evening, UTC
    session.settle()
    _print(session, seen, out)
    if weekly:
        print("\n" + "\n".join(weekly), file=out)
    before = len(session.slack.ephemerals(shown))
    session.bot.driver.command(shown, "why")
    session.settle()
    print(f"\n> /learn why   ({session.bot.name(shown)})", file=out)
    for ephemeral in session.slack.ephemerals(shown)[before:]:
        print(render_message(ephemeral), file=out)


def _person(session: Session, channel: str) -> str:
    """The user behind a DM channel or user id that a post went to."""
    return next(
        user.id
        for user in session.workspace.users
        if channel in (user.id, session.slack.dm_channel_id(user.id))
    )


def _print(session: Session, seen: Seen, out: TextIO) -> None:
    print(f"\n{'=' * 8} A scheduled week: the clock ticks every 15 minutes {'=' * 10}", file=out)
    print(f"{'when (their own time)':<38}{'who':<20}what", file=out)
    for at, channel, what in seen.lines:
        user = next(
            (
                u
                for u in session.workspace.users
                if channel in (u.id, session.slack.dm_channel_id(u.id))
            ),
            None,
        )
        zone = user.tz if user else session.bot.deps.settings.team_zone
        name = session.bot.name(user.id) if user else channel
        local = at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M")
        print(f"{local + ' ' + zone:<38}{name:<20}{what}", file=out)
    leads = session.bot.deps.settings.leads_channel
    for message in session.slack.messages(leads)[:1]:  # the digest; its heatmap follows as a file
        print(f"\n--- in the leads' channel ---\n{render_message(message)}", file=out)
    for picture in [f for f in session.slack.files if f.channel_id == leads][-1:]:
        print(f"\n--- and a picture: {picture.filename} ({picture.length:,} bytes) ---", file=out)
