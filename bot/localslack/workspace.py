"""The seed workspace: who and what exists in the local Slack.

A seed file (``seeds/demo.yaml``) is the only source of users, channels and user groups, so a
demo, the console and every test start from the same, readable world instead of ad-hoc fixtures.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)


class _Strict(BaseModel):
    """Unknown keys are typos in a hand-written seed; refuse them instead of ignoring them."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Team(_Strict):
    id: str = Field(pattern=r"^T[A-Z0-9]{2,}$")
    name: str
    domain: str


class Bot(_Strict):
    user_id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    bot_id: str = Field(pattern=r"^B[A-Z0-9]{8,}$")
    name: str
    token: str = Field(pattern=r"^xoxb-")
    app_id: str = Field(default="A0NUDGE001", pattern=r"^A[A-Z0-9]+$")
    # The app-level token that opens Socket Mode connections (apps.connections.open) and nothing else.
    app_token: str = Field(default="xapp-1-A0NUDGE001-localslack", pattern=r"^xapp-")
    real_name: str = "Nudge"


class Channel(_Strict):
    id: str = Field(pattern=r"^[CG][A-Z0-9]{8,}$")
    name: str
    members: list[str] = Field(default_factory=list)
    is_private: bool = False


class Usergroup(_Strict):
    id: str = Field(pattern=r"^S[A-Z0-9]{2,}$")
    handle: str
    name: str = ""
    users: list[str] = Field(default_factory=list)


class User(_Strict):
    id: str = Field(pattern=r"^[UW][A-Z0-9]{2,}$")
    name: str
    real_name: str
    tz: str
    locale: str = "en-US"
    title: str = ""
    email: str | None = None
    lead: bool = False
    admin: bool = False
    deleted: bool = False

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """A zone the interpreter cannot load would only fail later, inside users.info."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value


class WorkspaceSettings(_Strict):
    team_channel: str
    leads_channel: str | None = None


class Workspace(_Strict):
    team: Team
    bot: Bot
    channels: list[Channel]
    usergroups: list[Usergroup] = Field(default_factory=list)
    users: list[User]
    settings: WorkspaceSettings
    # Every post looks its person up: an index keeps a 10,000-person workspace as quick as ten.
    _users_by_id: dict[str, User] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: object, /) -> None:
        self._users_by_id.update((user.id, user) for user in self.users)

    @model_validator(mode="after")
    def _references_resolve(self) -> Workspace:
        """Every id a channel, group or setting names must exist, or tests would chase ghosts."""
        known = {u.id for u in self.users} | {self.bot.user_id}
        ids = [u.id for u in self.users] + [c.id for c in self.channels]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate user or channel id")
        for channel in self.channels:
            missing = set(channel.members) - known
            if missing:
                raise ValueError(f"channel {channel.name} lists unknown users {sorted(missing)}")
        for group in self.usergroups:
            missing = set(group.users) - known
            if missing:
                raise ValueError(f"usergroup {group.handle} lists unknown users {sorted(missing)}")
        channel_ids = {c.id for c in self.channels}
        for name, value in (
            ("team_channel", self.settings.team_channel),
            ("leads_channel", self.settings.leads_channel),
        ):
            if value is not None and value not in channel_ids:
                raise ValueError(f"settings.{name} {value} is not a channel of the workspace")
        return self

    def user(self, user_id: str) -> User | None:
        return self._users_by_id.get(user_id)

    def channel(self, channel_id: str) -> Channel | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def channel_by_name(self, name: str) -> Channel | None:
        return next((c for c in self.channels if c.name == name.lstrip("#")), None)

    def usergroup(self, group_id: str) -> Usergroup | None:
        return next((g for g in self.usergroups if g.id == group_id), None)

    @property
    def team_channel(self) -> Channel:
        channel = self.channel(self.settings.team_channel)
        assert channel is not None  # guaranteed by _references_resolve
        return channel

    @property
    def leads(self) -> list[User]:
        return [u for u in self.users if u.lead]

    @property
    def admins(self) -> list[User]:
        return [u for u in self.users if u.admin]


def load_workspace(path: str | Path) -> Workspace:
    """Read and validate a seed file; a broken seed fails here with pydantic's message."""
    with Path(path).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return Workspace.model_validate(data)


def default_seed_path() -> Path:
    """``seeds/demo.yaml`` in the repository, for the demo, the console and the tests."""
    return Path(__file__).resolve().parents[2] / "seeds" / "demo.yaml"


def second_seed_path() -> Path:
    """``seeds/second.yaml``: another workspace, served beside the demo's (many-workspace tests)."""
    return default_seed_path().with_name("second.yaml")
