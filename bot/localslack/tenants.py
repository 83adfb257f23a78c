"""The workspaces one local Slack serves, and the app that is installed in them by OAuth.

Slack is one host for every workspace: a call is answered with the data of the workspace its token
belongs to. Each workspace is a :class:`Tenant` (its state and its rate limits); :class:`Tenants`
finds the one a token, a response_url, an upload or an OAuth code belongs to.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from bot.localslack.ratelimit import RateLimiter
from bot.localslack.state import SlackState

#: The app's OAuth credentials (Basic Information page); every workspace installs the same app.
CLIENT_ID = "0000000001.0000000001"
CLIENT_SECRET = "localslack-client-secret"


@dataclass(frozen=True)
class Tenant:
    state: SlackState
    limiter: RateLimiter

    @property
    def team_id(self) -> str:
        return self.state.workspace.team.id


@dataclass(frozen=True)
class Grant:
    """What an OAuth code stands for: the workspace and the person who approved the install."""

    tenant: Tenant
    user_id: str
    redirect_uri: str
    scope: str  # what the app asked for, granted whole


class Tenants:
    """Every workspace of one local Slack; the first is the one it was started with."""

    def __init__(self, first: Tenant) -> None:
        self._lock = threading.Lock()
        self._all = [first]
        self._codes: dict[str, Grant] = {}
        #: The app's Redirect URL (OAuth & Permissions page): where the install page sends the
        #: browser when the app's link names none.
        self.redirect_url = ""

    @property
    def first(self) -> Tenant:
        return self._all[0]

    @property
    def all(self) -> list[Tenant]:
        with self._lock:
            return list(self._all)

    def add(self, tenant: Tenant) -> None:
        with self._lock:
            if any(t.team_id == tenant.team_id for t in self._all):
                raise ValueError(f"workspace {tenant.team_id} is already served")
            self._all.append(tenant)

    def by_team(self, team_id: str) -> Tenant | None:
        return next((t for t in self.all if t.team_id == team_id), None)

    def by_token(self, token: str) -> Tenant | None:
        """The workspace a bot or app-level token was issued by."""
        for tenant in self.all:
            bot = tenant.state.workspace.bot
            if token in (bot.token, bot.app_token):
                return tenant
        return None

    def by_response_url(self, url_id: str) -> Tenant | None:
        for tenant in self.all:
            with tenant.state.lock:
                if url_id in tenant.state.response_urls:
                    return tenant
        return None

    def issue_code(self, tenant: Tenant, user_id: str, redirect_uri: str, scope: str) -> str:
        """A code for oauth.v2.access, as Slack's authorize page hands one to the redirect URL."""
        code = f"{tenant.team_id}.{secrets.token_hex(16)}"
        with self._lock:
            self._codes[code] = Grant(tenant, user_id, redirect_uri, scope)
        return code

    def redeem(self, code: str) -> Grant | None:
        """The grant a code stands for, once: Slack's codes are single-use."""
        with self._lock:
            return self._codes.pop(code, None)
