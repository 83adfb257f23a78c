"""`python -m bot demo`: the whole bot against the built-in local Slack, no Slack account needed.

It starts the local Slack and the bot on free loopback ports, lets the seeded team use `/learn`
for a few rounds (every request signed and sent over HTTP exactly as Slack sends it), then prints
one member's conversation and a per-member summary read back from the database.
"""

from __future__ import annotations

import logging
import random
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.demo_member import show_home_and_settings
from bot.demo_week import run_week
from bot.localbot import LocalBot, local_settings, start_local_bot
from bot.localslack import FakeClock, LocalSlack, load_workspace, render_message
from bot.localslack.workspace import Workspace
from bot.slack.blocks.lesson import parse_answer_value

# The demo's own time, the same on every run: a Friday morning, so that the scheduled week that
# follows starts on Monday 22 March 2027 (Thursday 25 March is a public holiday in Greece).
DEMO_START = datetime(2027, 3, 19, 10, 0, tzinfo=UTC)
# Each simulated member answers right with this probability, so the summary shows a spread.
RIGHT_ANSWER_RATE = 0.7
WAIT_SECONDS = 10.0


@dataclass
class Session:
    """The local Slack and the bot on it, shared by the demo and the console."""

    slack: LocalSlack
    bot: LocalBot
    workspace: Workspace
    tmp: tempfile.TemporaryDirectory[str]
    clock: FakeClock  # the bot's time: the demo moves it through a scheduled week

    def settle(self) -> None:
        self.bot.settle(WAIT_SECONDS)

    def close(self) -> None:
        self.bot.close()
        self.slack.stop()
        self.tmp.cleanup()


def start_session(
    seed: Path,
    content_dir: Path = Path("content"),
    *,
    rate_limits: bool = True,
    signing_secret: str | None = None,
) -> Session:
    """`signing_secret`: the one the local Slack signs with (a fresh random one by default)."""
    workspace = load_workspace(seed)
    slack = LocalSlack(workspace, rate_limits=rate_limits).start()
    tmp = tempfile.TemporaryDirectory(prefix="nudge-demo-")
    database = f"sqlite:///{Path(tmp.name) / 'demo.db'}"
    secret = signing_secret or secrets.token_hex(16)
    settings = local_settings(slack, database, content_dir, secret)
    clock = FakeClock(DEMO_START)
    return Session(slack, start_local_bot(slack, settings, clock=clock.now), workspace, tmp, clock)


def ask_for_lesson(session: Session, user_id: str) -> None:
    """`/learn now`, then wait (bounded) until the bot has posted the lesson."""
    response = session.bot.driver.command(user_id, "now")
    if response.status != 200:
        raise RuntimeError(f"/learn now answered HTTP {response.status}: {response.body}")
    session.settle()


def answer_latest(session: Session, user_id: str, rng: random.Random) -> None:
    """Press one of the latest lesson's buttons and wait until the message shows the result."""
    checks = [
        m
        for m in session.slack.dm_messages(user_id)
        if any(b.get("block_id") == "check" for b in m.blocks)
    ]
    if not checks:
        return
    message = checks[-1]
    buttons = [
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]
    if not buttons:
        return
    parsed = parse_answer_value(buttons[0].get("value", ""))
    delivery = None
    if parsed:
        with session.bot.deps.uow() as uow:
            delivery = uow.deliveries.get(parsed[0])
    if delivery is None:
        raise RuntimeError(f"the lesson DM {message.ts} to {user_id} has no recorded delivery")
    right = delivery.answer_index
    wrong = [i for i in range(len(buttons)) if i != right]
    choice = right if rng.random() < RIGHT_ANSWER_RATE or not wrong else rng.choice(wrong)
    session.bot.driver.click(user_id, message, index=choice + 1)
    session.settle()


def run_demo(seed: Path, *, rounds: int = 3, out: TextIO = sys.stdout) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output
    started = time.perf_counter()
    # The week answers faster than any person could: Slack's per-minute tiers would only slow it.
    session = start_session(seed, rate_limits=False)
    try:
        play(session, rounds=rounds, out=out)
        print(
            f"\nDemo finished in {time.perf_counter() - started:.1f} s: "
            f"{len(session.slack.calls)} Slack API calls, all to the local Slack at "
            f"{session.slack.api_url}",
            file=out,
        )
        return 0
    finally:
        session.close()


def play(session: Session, *, rounds: int, out: TextIO) -> None:
    """The demo's script on a started session: the rounds of lessons, what people saw, a
    scheduled week, the admin's and the lead's views."""
    rng = random.Random(2026)
    learners = session.bot.learners()
    admin = next(user.id for user in session.workspace.users if user.admin)
    # Show an English speaker's DMs; the Greek speakers' lessons arrive in Greek.
    shown = next(
        (
            u
            for u in learners
            if session.slack.user(u).locale.startswith("en")
            and not (session.slack.user(u).lead or session.slack.user(u).admin)
        ),
        learners[0],
    )
    session.bot.driver.command(shown, "help")
    session.settle()
    for _round in range(rounds):
        for user_id in learners:
            ask_for_lesson(session, user_id)
            answer_latest(session, user_id, rng)
    session.bot.driver.command(admin, "admin reload")
    session.settle()
    _print_transcript(session, shown, out)
    _print_admin(session, admin, out)
    _print_summary(session, out)
    show_home_and_settings(session, shown, out)
    run_week(session, out, shown, rng)
    _print_stats(session, admin, out)
    _print_lead(session, out)


def _rule(title: str, out: TextIO) -> None:
    print(f"\n{'=' * 8} {title} {'=' * max(4, 70 - len(title))}", file=out)


def _print_transcript(session: Session, user_id: str, out: TextIO) -> None:
    _rule(f"What {session.bot.name(user_id)} saw ({session.slack.user(user_id).tz})", out)
    print("> /learn help", file=out)
    for ephemeral in session.slack.ephemerals(user_id)[:1]:
        print(render_message(ephemeral), file=out)
    for message in session.slack.dm_messages(user_id):
        print(f"\n--- DM from Nudge, ts {message.ts} ---\n{render_message(message)}", file=out)


def _print_admin(session: Session, admin: str, out: TextIO) -> None:
    _rule(f"What the admin {session.bot.name(admin)} saw", out)
    print("> /learn admin reload", file=out)
    for ephemeral in session.slack.ephemerals(admin)[-1:]:
        print(render_message(ephemeral), file=out)


def _print_stats(session: Session, admin: str, out: TextIO) -> None:
    """The admin's view at the end of the week."""
    session.bot.driver.command(admin, "admin stats")
    session.settle()
    print(f"\n> /learn admin stats   ({session.bot.name(admin)})", file=out)
    print(render_message(session.slack.ephemerals(admin)[-1]), file=out)


def _print_lead(session: Session, out: TextIO) -> None:
    """What a lead sees of the team after the week (the heatmap is a file in their DMs)."""
    lead = next(user.id for user in session.workspace.users if user.lead)
    _rule(f"What the lead {session.bot.name(lead)} saw", out)
    session.bot.driver.command(lead, "team")
    session.settle()
    print("> /learn team", file=out)
    for ephemeral in session.slack.ephemerals(lead)[-1:]:
        print(render_message(ephemeral), file=out)
    for sent in session.slack.files[-1:]:
        print(f"\n--- a file in the DMs: {sent.filename} ({sent.length:,} bytes) ---", file=out)


def _print_summary(session: Session, out: TextIO) -> None:
    _rule("Per-member summary (from the database)", out)
    with session.bot.deps.uow() as uow:
        workspace_id = uow.workspaces.find(session.workspace.team.id)
        rows = [] if workspace_id is None else uow.responses.member_totals(workspace_id)
    header = f"{'member':<20}{'tz':<21}{'locale':<8}{'lessons':>8}{'answers':>8}{'right':>6}"
    print(f"{header}  skill areas", file=out)
    for row in rows:
        user = session.slack.user(row.slack_user_id)
        print(
            f"{row.name:<20}{user.tz:<21}{user.locale:<8}{row.lessons:>8}{row.responses:>8}"
            f"{row.correct:>6}  {', '.join(row.skills)}",
            file=out,
        )
