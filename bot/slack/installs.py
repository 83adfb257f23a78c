"""Nudge in many workspaces: installs by OAuth, and the one place that finds a workspace's token.

slack_sdk's SQLAlchemy installation and state stores keep their rows in Nudge's own database. Their
tables are declared here into Nudge's metadata with the library's own builders, so that Alembic's
comparison (tests/store) holds migration 0008, which creates them, to the library's definition;
the stores' create_tables is never called.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import cast

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, select

from bot.services.deps import Deps
from bot.services.team_setup import first_admin
from bot.settings import Settings
from bot.slack.gateway import make_web_client
from bot.store.tables import Base

log = logging.getLogger("bot.slack")

BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, "slack_installations"
)
STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")

# How long an install started at /slack/install may take to come back to /slack/oauth_redirect.
STATE_SECONDS = 600


def authorization_url(settings: Settings) -> str:
    """Slack's install page beside SLACK_API_URL (its /api/ replaced by /oauth/v2/authorize):
    Slack's own for Slack's API, and the local Slack's own for the local Slack."""
    return settings.slack_api_url.removesuffix("api/") + "oauth/v2/authorize"


class _Installations(SQLAlchemyInstallationStore):
    """The installation store, which also makes the installing person the workspace's first
    admin (until one is named in the setup modal)."""

    def __init__(self, deps: Deps) -> None:
        super().__init__(deps.settings.slack_client_id, deps.db.engine)
        self._deps = deps

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if installation.team_id:
            first_admin(self._deps, installation.team_id, installation.user_id, self._deps.clock())


def oauth_settings(deps: Deps) -> OAuthSettings:
    """Bolt's OAuth flow (/slack/install, /slack/oauth_redirect) on Nudge's database."""
    settings, engine = deps.settings, deps.db.engine
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=settings.slack_scopes,
        installation_store=_Installations(deps),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(STATE_SECONDS, engine),
        authorization_url=authorization_url(settings),
    )


def cached_authorize(oauth: OAuthSettings, client: WebClient) -> Callable[..., AuthorizeResult]:
    """Bolt's own authorization from the installation store (what it builds from `oauth` when
    given none), with its cache on. Without it Bolt calls auth.test for every request; with it,
    once per token per process. The token is still looked up in the store for every request and
    only then the cache is read, so an uninstalled workspace is refused at once and a reinstall's
    new token is asked about once."""
    # App(authorize=) takes an Authorize as it is (its type hint names only plain functions).
    return cast(
        Callable[..., AuthorizeResult],
        InstallationStoreAuthorize(
            logger=log,
            installation_store=oauth.installation_store,
            client_id=oauth.client_id,
            client_secret=oauth.client_secret,
            bot_only=oauth.installation_store_bot_only,
            cache_enabled=True,
            client=client,
        ),
    )


class Tokens:
    """The bot token of each workspace Nudge serves: SLACK_BOT_TOKEN's one workspace, or every
    workspace that installed the app by OAuth (its latest install) and did not uninstall it. The
    clock asks here for the workspaces to serve and the client to serve each with; so does any
    process that sends."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self._settings = settings
        self._engine = engine
        self._store = (
            SQLAlchemyInstallationStore(settings.slack_client_id, engine)
            if settings.many_workspaces
            else None
        )
        self._lock = threading.Lock()
        self._single_team: str | None = None

    def teams(self) -> list[str]:
        """The team ids of the workspaces installed now, in a stable order."""
        if self._store is None:
            return [self._the_one_team()]
        query = (
            select(BOTS.c.team_id)
            .where(BOTS.c.client_id == self._settings.slack_client_id)
            .where(BOTS.c.bot_token.is_not(None), BOTS.c.team_id.is_not(None))
            .distinct()
            .order_by(BOTS.c.team_id)
        )
        with self._engine.connect() as connection:
            return [str(team) for team in connection.scalars(query)]

    def token_for(self, team_id: str) -> str | None:
        """The workspace's bot token; None when it is not installed (or was uninstalled)."""
        if self._store is None:
            return self._settings.slack_bot_token if team_id == self._the_one_team() else None
        bot = self._store.find_bot(enterprise_id=None, team_id=team_id)
        return bot.bot_token if bot is not None else None

    def client_for(self, team_id: str) -> WebClient | None:
        """A WebClient (SLACK_API_URL, retries) with the workspace's token; None when it is not
        installed."""
        token = self.token_for(team_id)
        if token is None:
            return None
        client = make_web_client(self._settings)
        client.token = token
        return client

    def _the_one_team(self) -> str:
        """SLACK_BOT_TOKEN's workspace, asked of auth.test once per process."""
        with self._lock:
            if self._single_team is None:
                client = make_web_client(self._settings)
                self._single_team = str(client.auth_test()["team_id"])
            return self._single_team
