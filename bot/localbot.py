"""Nudge served against the built-in local Slack: what the demo, the console and the tests start,
so that all three run the bot exactly the same way.

Every request is signed and sent over HTTP as Slack sends it, or, when SLACK_APP_TOKEN is set, sent
over Socket Mode by the bot's real Socket Mode handler as `python -m bot run` connects it; the bot's
real WebClient calls the local Slack through SLACK_API_URL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.localslack import LocalSlack, SlackDriver
from bot.localslack.socketdriver import SocketModeDriver
from bot.runtime import build_deps
from bot.serve import open_socket_url, socket_mode_handler
from bot.services.deps import Deps, utc_now
from bot.settings import Settings
from bot.slack.app import build_app, health_of, make_queues
from bot.slack.context import Queues
from bot.slack.gateway import Sleep
from bot.slack.web import WebServer


def local_settings(
    slack: LocalSlack, database_url: str, content_dir: Path, signing_secret: str, **overrides: Any
) -> Settings:
    """Settings that point Nudge at the local Slack, with its seeded leads and admins."""
    ws = slack.workspace
    values: dict[str, Any] = {
        "slack_bot_token": slack.bot_token,
        "slack_signing_secret": signing_secret,
        "slack_api_url": slack.api_url,
        "database_url": database_url,
        "content_dir": content_dir,
        "team_channel": ws.settings.team_channel,
        "leads_channel": ws.settings.leads_channel or "",
        "leads": [user.id for user in ws.users if user.lead],
        "admins": [user.id for user in ws.users if user.admin],
        # Each local bot checks its library: tests change content between starts, and none should
        # read or write the user's own cache folder.
        "library_cache": "off",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class LocalBot:
    slack: LocalSlack
    deps: Deps
    # The HTTP server that takes Slack's requests; None in Socket Mode, where `socket_mode` does.
    server: WebServer | None
    driver: SlackDriver
    queues: Queues
    # How long the Slack client would have waited before each retry, when started with `record_waits`.
    waits: list[float] = field(default_factory=list)
    socket_mode: SocketModeHandler | None = None

    def settle(self, timeout: float = 15.0) -> None:
        """Wait (bounded) until the work behind every acknowledged request has finished."""
        for queue in (self.queues.work, self.queues.notices):
            if not queue.wait_idle(timeout=timeout):
                raise RuntimeError(f"the bot's work queue was still busy after {timeout:g} s")

    def close(self) -> None:
        """Stop the bot (the local Slack is its owner's to stop)."""
        if self.server is not None:
            self.server.stop()
        if self.socket_mode is not None:
            self._close_socket_mode(self.socket_mode)
        self.queues.close()
        self.deps.db.dispose()

    def _close_socket_mode(self, handler: SocketModeHandler) -> None:
        """Close the handler without sitting out its client's waits: close() joins a receive loop
        that looks up from its socket only when a frame arrives (else every 3 s), and a message
        loop that looks up from its queue only when a message arrives (else every second). A
        ping from Slack wakes the first, and None, which the client skips, the second."""
        closing = threading.Thread(target=handler.close, name="nudge-socket-mode-close")
        closing.start()
        while closing.is_alive():
            self.slack.socket_mode.ping()
            handler.client.message_queue.put(None)
            closing.join(timeout=0.05)

    def learners(self) -> list[str]:
        ws = self.slack.workspace
        members = next(c.members for c in ws.channels if c.id == ws.settings.team_channel)
        return [m for m in members if m != ws.bot.user_id]

    def name(self, user_id: str) -> str:
        return self.slack.user(user_id).real_name or user_id


def start_local_bot(
    slack: LocalSlack,
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utc_now,
    record_waits: bool = False,
) -> LocalBot:
    """Socket Mode when `settings` has SLACK_APP_TOKEN, as `python -m bot run` chooses, else HTTP.
    `record_waits` replaces the Slack client's sleeping before a retry with a note of how long
    it would have slept, so that a test of a 429 neither waits nor loses the fact."""
    socket_url = open_socket_url(settings) if settings.slack_app_token else None
    deps = build_deps(settings, clock=clock)
    queues = make_queues(deps)
    waits: list[float] = []
    sleep: Sleep = waits.append if record_waits else time.sleep
    app = build_app(deps, queues, sleep=sleep)
    if socket_url is not None:
        handler = socket_mode_handler(app, settings, socket_url)
        handler.connect()  # type: ignore[no-untyped-call]
        over_socket = SocketModeDriver(slack)
        return LocalBot(slack, deps, None, over_socket, queues, waits, socket_mode=handler)
    health = health_of(deps, queues)
    server = WebServer(app, host="127.0.0.1", port=0, health=health).start()
    driver = SlackDriver(server.events_url, settings.slack_signing_secret, slack)
    return LocalBot(slack, deps, server, driver, queues, waits)
