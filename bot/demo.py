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
from pathlib import Path
from typing import TextIO

from bot.localslack import LocalSlack, SlackDriver, load_workspace, render_message
from bot.localslack.workspace import Workspace
from bot.runtime import build_deps
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.blocks.lesson import parse_answer_value
from bot.slack.deps import AppDeps
from bot.slack.executor import ListenerPool
from bot.slack.web import WebServer

# Each simulated member answers right with this probability, so the summary shows a spread.
RIGHT_ANSWER_RATE = 0.7
WAIT_SECONDS = 10.0


@dataclass
class Session:
    """A running local Slack + bot pair, shared by the demo and the console."""

    slack: LocalSlack
    server: WebServer
    driver: SlackDriver
    deps: AppDeps
    workspace: Workspace
    tmp: tempfile.TemporaryDirectory[str]
    pool: ListenerPool

    def settle(self) -> None:
        """Wait (bounded) until the bot has finished the work behind every request so far."""
        if not self.pool.wait_idle(timeout=WAIT_SECONDS):
            raise RuntimeError(f"the bot was still busy after {WAIT_SECONDS:g} s")

    def close(self) -> None:
        self.server.stop()
        self.pool.shutdown(wait=True)
        self.deps.store.engine.dispose()
        self.slack.stop()
        self.tmp.cleanup()

    def learners(self) -> list[str]:
        team = self.workspace.settings.team_channel
        members = next(c.members for c in self.workspace.channels if c.id == team)
        return [m for m in members if m != self.workspace.bot.user_id]

    def name(self, user_id: str) -> str:
        return self.slack.user(user_id).real_name or user_id


def start_session(
    seed: Path, content_dir: Path = Path("content"), *, rate_limits: bool = True
) -> Session:
    workspace = load_workspace(seed)
    slack = LocalSlack(workspace, rate_limits=rate_limits).start()
    tmp = tempfile.TemporaryDirectory(prefix="nudge-demo-")
    secret = secrets.token_hex(16)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=slack.bot_token,
        slack_signing_secret=secret,
        slack_api_url=slack.api_url,
        database_url=f"sqlite:///{Path(tmp.name) / 'demo.db'}",
        content_dir=content_dir,
        team_channel=workspace.settings.team_channel,
        leads_channel=workspace.settings.leads_channel or "",
        leads=[user.id for user in workspace.users if user.lead],
        admins=[user.id for user in workspace.users if user.admin],
    )
    deps = build_deps(settings)
    pool = ListenerPool(settings.listener_threads)
    server = WebServer(build_app(deps, pool), host="127.0.0.1", port=0).start()
    driver = SlackDriver(server.events_url, secret, slack)
    return Session(slack, server, driver, deps, workspace, tmp, pool)


def ask_for_lesson(session: Session, user_id: str) -> None:
    """`/learn now`, then wait (bounded) until the bot has posted the lesson."""
    response = session.driver.command(user_id, "now")
    if response.status != 200:
        raise RuntimeError(f"/learn now answered HTTP {response.status}: {response.body}")
    session.settle()


def answer_latest(session: Session, user_id: str, rng: random.Random) -> None:
    """Press one of the latest lesson's buttons and wait until the message shows the result."""
    message = session.slack.dm_messages(user_id)[-1]
    buttons = [
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    ]
    if not buttons:
        return
    parsed = parse_answer_value(buttons[0].get("value", ""))
    delivery = session.deps.store.delivery(parsed[0]) if parsed else None
    if delivery is None:
        raise RuntimeError(f"the lesson DM {message.ts} to {user_id} has no recorded delivery")
    right = delivery.answer_index
    wrong = [i for i in range(len(buttons)) if i != right]
    choice = right if rng.random() < RIGHT_ANSWER_RATE or not wrong else rng.choice(wrong)
    session.driver.click(user_id, message, index=choice + 1)
    session.settle()


def run_demo(seed: Path, *, rounds: int = 3, out: TextIO = sys.stdout) -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output
    started = time.perf_counter()
    session = start_session(seed)
    rng = random.Random(2026)
    try:
        learners = session.learners()
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
        help_reply = session.driver.command(shown, "help").json()
        for _round in range(rounds):
            for user_id in learners:
                ask_for_lesson(session, user_id)
                answer_latest(session, user_id, rng)
        reload_reply = session.driver.command(admin, "admin reload")
        session.settle()
        _print_transcript(session, shown, help_reply, out)
        _print_admin(session, admin, reload_reply.json(), out)
        _print_summary(session, out)
        print(
            f"\nDemo finished in {time.perf_counter() - started:.1f} s: "
            f"{len(session.slack.calls)} Slack API calls, all to the local Slack at "
            f"{session.slack.api_url}",
            file=out,
        )
        return 0
    finally:
        session.close()


def _rule(title: str, out: TextIO) -> None:
    print(f"\n{'=' * 8} {title} {'=' * max(4, 70 - len(title))}", file=out)


def _print_transcript(session: Session, user_id: str, help_reply: dict | None, out: TextIO) -> None:
    _rule(f"What {session.name(user_id)} saw ({session.slack.user(user_id).tz})", out)
    print(f"> /learn help\n(only visible to you)\n{render_message(help_reply or {})}", file=out)
    for message in session.slack.dm_messages(user_id):
        print(f"\n--- DM from Nudge, ts {message.ts} ---\n{render_message(message)}", file=out)


def _print_admin(session: Session, admin: str, ack: dict | None, out: TextIO) -> None:
    _rule(f"What the admin {session.name(admin)} saw", out)
    print("> /learn admin reload", file=out)
    print(f"(only visible to you) {render_message(ack or {})}", file=out)
    for ephemeral in session.slack.ephemerals(admin):
        print(render_message(ephemeral), file=out)


def _print_summary(session: Session, out: TextIO) -> None:
    _rule("Per-member summary (from the database)", out)
    workspace_id = session.deps.store.workspace_id(session.workspace.team.id, session.deps.clock())
    rows = session.deps.store.member_totals(workspace_id)
    header = f"{'member':<20}{'tz':<21}{'locale':<8}{'lessons':>8}{'answers':>8}{'right':>6}"
    print(f"{header}  skill areas", file=out)
    for row in rows:
        user = session.slack.user(row.slack_user_id)
        print(
            f"{row.name:<20}{user.tz:<21}{user.locale:<8}{row.lessons:>8}{row.answers:>8}"
            f"{row.correct:>6}  {', '.join(row.skills)}",
            file=out,
        )
