"""The one place a workspace's bot token is looked up, and the gateway built on it.

Today a deployment serves the one workspace whose token is SLACK_BOT_TOKEN: its team id is read
from Slack (auth.test) once, and any other team has no token here. An installation store keyed by
team id (OAuth) replaces `token` and nothing else: the clock, the worker and `tick` ask this class
for a workspace's gateway by team id.
"""

from __future__ import annotations

import threading
import time

from bot.settings import Settings
from bot.slack.gateway import SlackGateway, Sleep, make_web_client


class Workspaces:
    def __init__(self, settings: Settings, *, sleep: Sleep = time.sleep) -> None:
        self._settings, self._sleep = settings, sleep
        self._gateways: dict[str, SlackGateway] = {}
        self._home: str | None = None
        self._lock = threading.Lock()

    def home_team(self) -> str:
        """The team id of SLACK_BOT_TOKEN's workspace (asked of Slack once)."""
        with self._lock:
            if self._home is None:
                client = make_web_client(self._settings, sleep=self._sleep)
                self._home = str(client.auth_test()["team_id"])
            return self._home

    def token(self, team_id: str) -> str | None:
        """The bot token for the team; None when this deployment has none for it."""
        return self._settings.slack_bot_token if team_id == self.home_team() else None

    def gateway(self, team_id: str) -> SlackGateway | None:
        """The team's gateway (one per team, shared by the threads), or None without a token."""
        token = self.token(team_id)
        if token is None:
            return None
        with self._lock:
            if team_id not in self._gateways:
                client = make_web_client(self._settings, sleep=self._sleep, token=token)
                self._gateways[team_id] = SlackGateway(client, sleep=self._sleep)
            return self._gateways[team_id]
