"""The apps the acknowledgement benchmark sends requests to: Nudge on a database, and bare Bolt.

Each runs on a local Slack of its own (rate limits off, so that 128 clients measure the app and not
the emulator's Tier pacing) and is driven by its own SlackDriver with the same signing secret.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

from bench.bare_bolt import build_bare_app
from bench.common import CONTENT, SEED, SIGNING_SECRET, Database
from bot.i18n import translator
from bot.localbot import LocalBot, local_settings, start_local_bot
from bot.localslack import DriverResponse, LocalSlack, Message, SlackDriver, load_workspace
from bot.slack.web import WebServer

HELP, NOW, PRESS = "/learn help", "/learn now", "check button"
BARE = "bare Bolt"
CLOSED = "Nudge, work queue closed"
# What the bare app is sent in place of each: it has one command and one button listener.
BARE_KIND = {HELP: "slash command", NOW: "slash command", PRESS: "button"}
BUSY_TEXTS = frozenset(translator(language)("error.busy") for language in ("en", "el"))
DRIVER_TIMEOUT = 15.0  # seconds a client waits for an answer before counting it as none


def _learners(slack: LocalSlack) -> list[str]:
    ws = slack.workspace
    return [m for m in ws.team_channel.members if m != ws.bot.user_id]


@dataclass
class Target:
    """One app under load; ``bot`` is None for the bare Bolt app (it has no work to drain)."""

    name: str
    slack: LocalSlack
    driver: SlackDriver
    kinds: tuple[str, ...]  # what it is sent, of HELP, NOW and PRESS
    bot: LocalBot | None = None
    server: WebServer | None = None
    users: list[str] = field(default_factory=list)
    # The lesson message each user presses a check button on (only the first press records).
    pressed: dict[str, Message] = field(default_factory=dict)

    def send(self, kind: str, number: int) -> DriverResponse:
        user = self.users[number % len(self.users)]
        if kind == PRESS:
            return self.driver.click(user, self.pressed[user], index=1)
        return self.driver.command(user, "help" if kind == HELP else "now")

    def drain(self, since: float, timeout: float) -> float | None:
        """Seconds from ``since`` (a perf_counter) until every accepted piece of work is done;
        None when ``timeout`` passes first. The bare app does no work: 0."""
        if self.bot is None:
            return 0.0
        deadline = time.perf_counter() + timeout
        for queue in (self.bot.queues.work, self.bot.queues.notices):
            if not queue.wait_idle(max(0.0, deadline - time.perf_counter())):
                return None
        return time.perf_counter() - since

    def busy_notices(self) -> int:
        """Replies saying "busy" through response_url: button presses the full queue refused."""
        return sum(
            1 for user in self.users for e in self.slack.ephemerals(user) if e.text in BUSY_TEXTS
        )

    def close(self) -> None:
        if self.bot is not None:
            self.bot.close()
        if self.server is not None:
            self.server.stop()
        self.slack.stop()


def start_nudge(database: Database) -> Target:
    """Nudge as the demo and the tests start it, on ``database``, with a lesson in every
    learner's DM to press (so the presses are on real lesson messages)."""
    slack = LocalSlack(load_workspace(SEED), rate_limits=False).start()
    settings = local_settings(slack, database.url, CONTENT, SIGNING_SECRET)
    bot = start_local_bot(slack, settings)
    driver = SlackDriver(bot.server.events_url, SIGNING_SECRET, slack, timeout=DRIVER_TIMEOUT)
    target = Target(
        f"Nudge, {database.name}", slack, driver, (HELP, NOW, PRESS), bot, users=bot.learners()
    )
    for user in target.users:
        answer = bot.driver.command(user, "now")
        if answer.status != 200:
            raise RuntimeError(f"/learn now answered {answer.status}: {answer.body}")
    bot.settle()
    # Copies as first posted: the first press replaces the live message's buttons with the verdict.
    target.pressed = {user: copy.deepcopy(slack.dm_messages(user)[-1]) for user in target.users}
    return target


def start_bare(pressed: dict[str, Message]) -> Target:
    """The bare Bolt app on a local Slack of its own, pressing copies of Nudge's lesson messages
    (the bare app never posted any; the driver only needs their blocks)."""
    slack = LocalSlack(load_workspace(SEED), rate_limits=False).start()
    app = build_bare_app(slack.bot_token, SIGNING_SECRET, slack.api_url)
    server = WebServer(app, host="127.0.0.1", port=0).start()
    driver = SlackDriver(server.events_url, SIGNING_SECRET, slack, timeout=DRIVER_TIMEOUT)
    users = _learners(slack)
    return Target(BARE, slack, driver, (HELP, PRESS), server=server, users=users, pressed=pressed)


def start_closed(database: Database, pressed: dict[str, Message]) -> Target:
    """Nudge with WORK_QUEUE=0, for check buttons only: every press is acknowledged and then
    refused, and the "busy" notice is refused too, so no work runs at all. What is left is
    Nudge's acknowledgement alone (Bolt, Nudge's middleware, the listener, a queue offer), which
    tells how much of Nudge's extra latency is the acknowledgement and how much the work beside
    it. (A refused command is no use for this: its "busy" answer reads the caller's language.)"""
    slack = LocalSlack(load_workspace(SEED), rate_limits=False).start()
    bot = start_local_bot(
        slack, local_settings(slack, database.url, CONTENT, SIGNING_SECRET, work_queue=0)
    )
    driver = SlackDriver(bot.server.events_url, SIGNING_SECRET, slack, timeout=DRIVER_TIMEOUT)
    return Target(CLOSED, slack, driver, (PRESS,), bot, users=bot.learners(), pressed=pressed)
