"""Nudge's configuration: one `Settings` object, read from the environment and `.env`, passed down.

Nothing else in the code reads `os.environ`; a module that needs a value takes it from `Settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.learning.schedule_settings import TeamSchedule, parse_team_schedule

SLACK_API_URL_DEFAULT = "https://slack.com/api/"

# Where to find each secret, said in the one line that start-up prints when it is missing.
WHERE_TO_GET = {
    "slack_bot_token": "the Bot User OAuth Token (xoxb-...) on your app's OAuth & Permissions page",
    "slack_signing_secret": "the Signing Secret on your app's Basic Information page",
    "slack_app_token": "an app-level token (xapp-...) with connections:write, Basic Information page",
    "slack_client_secret": "the Client Secret on your app's Basic Information page",
}

# What Nudge asks a workspace for when it is installed by OAuth (manifest.yml's bot scopes).
BOT_SCOPES = (
    "chat:write",
    "commands",
    "im:write",
    "im:history",
    "channels:history",
    "users:read",
    "channels:read",
    "groups:read",
    "usergroups:read",
    "files:write",
)


class ConfigError(Exception):
    """A setting needed for the chosen command is missing or wrong; its message is one line for a person."""


CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """Every setting Nudge reads. Names match the environment variables (upper case) in the README table."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    # Installs by OAuth in many workspaces when both are set (README, "Install in many
    # workspaces"); SLACK_BOT_TOKEN is then not used.
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_scopes: CommaList = Field(default_factory=lambda: list(BOT_SCOPES))
    slack_api_url: str = SLACK_API_URL_DEFAULT
    database_url: str = "sqlite:///nudge.db"
    database_auto_upgrade: bool = True
    # Seconds a write waits for another writer's lock before it gives up (and the person is told
    # that nothing was saved): SQLite's busy timeout, PostgreSQL's lock_timeout.
    database_busy_timeout: float = 30.0
    content_dir: Path = Path("content")
    # Where a checked library is kept between starts ("" the user's cache folder, "off" none).
    library_cache: str = ""
    port: int = 3000
    slash_command: str = "/learn"
    team_channel: str = ""
    leads: CommaList = Field(default_factory=list)
    admins: CommaList = Field(default_factory=list)
    leads_channel: str = ""
    # The work behind acknowledged requests runs on this many threads (each holds one database
    # connection at most); WORK_QUEUE bounds what may wait, beyond which people are told "busy".
    work_threads: int = 5
    work_queue: int = 200
    # Where that work runs: "web", on those threads; "worker", in `worker` processes, which take
    # each request from the database (web stores it before answering; README, "Workers").
    work_in: str = "web"
    # Retries that slack_sdk's handlers make for 429, 5xx and connection errors before giving up.
    slack_max_retries: int = 2
    # Seconds a call to Slack may take before Nudge gives up on it (a send it gave up on may have
    # reached the member: it is counted once and never sent again).
    slack_timeout: int = 10
    # The team's schedule, read by bot.learning.schedule_settings (README, Configuration).
    lesson_time: str = "09:30"
    working_days: str = "mon-fri"
    lessons_per_week: str = ""  # blank: one a working day
    question_day: str = "mon"
    reminder_day: str = "wed"
    digest_day: str = "fri"
    holidays: str = "auto"
    grace: str = "2h"
    # The zone whose DIGEST_DAY and LESSON_TIME post the leads' digest, and the language it is in.
    team_zone: str = "UTC"
    # Post the week's question in TEAM_CHANNEL too, where a member's reply in its thread is their
    # answer (as a reply in their DM's thread is).
    question_in_channel: bool = False
    team_language: str = "en"
    # The digest quotes the week's answers without names (and none of a week with fewer than 3).
    digest_anonymous: bool = False
    # The clock's threads (planning, and sending when CLOCK_SENDS), and scheduled chat.postMessage
    # calls a minute at most per workspace, shared by the clock and every worker through the
    # database (under Slack's allowance, so that a fan-out meets no 429).
    tick_senders: int = 4
    # On-demand lessons a member may ask for in an hour (`/learn now`): a friendly limit.
    now_per_hour: int = 10
    posts_per_minute: int = 600
    # Whether the clock sends what it plans (with TICK_SENDERS threads); false when `worker`
    # processes send it all (README, "Workers").
    clock_sends: bool = True
    # Seconds a worker waits before it looks at an empty queue again.
    worker_poll: float = 1.0
    # The log: "text" lines for a person, or "json" (one object a line) for a log pipeline.
    log_format: str = "text"
    log_level: str = "INFO"
    # The clock's own /metrics port (its ticks and deliveries); 0: none. `web` serves on PORT.
    metrics_port: int = 0

    @field_validator("work_in")
    @classmethod
    def _work_in(cls, value: str) -> str:
        if value not in ("web", "worker"):
            raise ConfigError(f"WORK_IN is {value!r}: it is web (the default) or worker.")
        return value

    @field_validator("leads", "admins", "slack_scopes", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient builds request URLs as base_url + method name.
        return value if value.endswith("/") else value + "/"

    @field_validator("slash_command")
    @classmethod
    def _leading_slash(cls, value: str) -> str:
        return value if value.startswith("/") else "/" + value

    @property
    def many_workspaces(self) -> bool:
        """Installed by OAuth, a token per workspace, rather than one SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id)

    def require_slack(self, *, signed: bool = True) -> None:
        """The secrets the serving commands need: the bot token of the one workspace, or the
        app's OAuth credentials; the signing secret either way, unless the requests are not
        `signed` (a worker's come from the database)."""
        secret = ("slack_signing_secret",) if signed else ()
        if self.many_workspaces:
            self.require("slack_client_secret", *secret)
            if self.slack_app_token:
                raise ConfigError(
                    "SLACK_APP_TOKEN and SLACK_CLIENT_ID are both set: installs by OAuth come back "
                    "to /slack/oauth_redirect over HTTP, so unset SLACK_APP_TOKEN (Socket Mode)."
                )
        else:
            self.require("slack_bot_token", *secret)

    def library_cache_folder(self) -> Path | None:
        """LIBRARY_CACHE as a folder, or None when it is "off"."""
        if self.library_cache.strip().lower() == "off":
            return None
        if self.library_cache.strip():
            return Path(self.library_cache.strip())
        from bot.library.cache import default_folder

        return default_folder()

    def team_schedule(self) -> TeamSchedule:
        """The schedule settings, checked together; a bad one stops start-up with its reason."""
        names = (
            "lesson_time",
            "working_days",
            "lessons_per_week",
            "question_day",
            "reminder_day",
            "digest_day",
            "holidays",
            "grace",
        )
        try:
            return parse_team_schedule({name.upper(): getattr(self, name) for name in names})
        except ValueError as problem:
            raise ConfigError(str(problem)) from None

    def require(self, *names: str) -> None:
        """Stop start-up with one readable line when a setting the command needs is empty."""
        for name in names:
            if not getattr(self, name):
                where = WHERE_TO_GET.get(name, "see the configuration table in README.md")
                raise ConfigError(
                    f"{name.upper()} is not set: put {where} in .env or the environment."
                )
