"""What the local Slack remembers: calls, messages, ephemerals, views and files.

Plain dataclasses so tests can assert on them directly ("what did Anna see?") without going
through the HTTP API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ApiCall:
    """One request to the Web API (or to a response_url / upload URL), as the bot sent it."""

    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass(frozen=True)
class MessageVersion:
    """A message as it read before a chat.update or a replace_original."""

    text: str
    blocks: list[dict[str, Any]]
    replaced_at: float


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    edits: list[MessageVersion] = field(default_factory=list)
    bot_id: str | None = None
    files: list[str] = field(default_factory=list)
    deleted: bool = False

    def to_slack(self, team_id: str) -> dict[str, Any]:
        """The message object as Slack returns it (chat.postMessage, block_actions payloads)."""
        data: dict[str, Any] = {
            "type": "message",
            "text": self.text,
            "user": self.user,
            "ts": self.ts,
            "team": team_id,
        }
        if self.bot_id:
            data["bot_id"] = self.bot_id
        if self.blocks:
            data["blocks"] = self.blocks
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        return data


@dataclass
class Ephemeral:
    """A message only ``user`` sees: chat.postEphemeral or a response_url reply."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    source: str = "chat.postEphemeral"  # or "response_url"
    edits: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False


@dataclass
class View:
    """A modal or Home tab as Slack stores it; ``to_slack`` gives the API's view object."""

    id: str
    user_id: str
    team_id: str
    app_id: str
    bot_id: str
    definition: dict[str, Any]
    hash: str
    root_view_id: str | None = None
    previous_view_id: str | None = None
    state: dict[str, Any] = field(default_factory=lambda: {"values": {}})

    @property
    def type(self) -> str:
        return str(self.definition.get("type"))

    @property
    def blocks(self) -> list[dict[str, Any]]:
        return list(self.definition.get("blocks") or [])

    @property
    def callback_id(self) -> str:
        return str(self.definition.get("callback_id") or "")

    @property
    def private_metadata(self) -> str:
        return str(self.definition.get("private_metadata") or "")

    @property
    def external_id(self) -> str:
        return str(self.definition.get("external_id") or "")

    def to_slack(self) -> dict[str, Any]:
        d = self.definition
        data: dict[str, Any] = {
            "id": self.id,
            "team_id": self.team_id,
            "type": d.get("type"),
            "blocks": d.get("blocks") or [],
            "private_metadata": d.get("private_metadata", ""),
            "callback_id": d.get("callback_id", ""),
            "state": self.state,
            "hash": self.hash,
            "clear_on_close": bool(d.get("clear_on_close", False)),
            "notify_on_close": bool(d.get("notify_on_close", False)),
            "root_view_id": self.root_view_id or self.id,
            "previous_view_id": self.previous_view_id,
            "app_id": self.app_id,
            "external_id": d.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        for key in ("title", "submit", "close"):
            data[key] = d.get(key)
        return data


@dataclass
class UploadedFile:
    id: str
    filename: str
    length: int
    title: str = ""
    content: bytes | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


#: What a Socket Mode envelope carries: a slash command, an interaction, an Events API event.
EnvelopeType = Literal["slash_commands", "interactive", "events_api"]


@dataclass
class Envelope:
    """One Socket Mode delivery: what the local Slack sent the app, and the app's acknowledgement.

    Times are the local Slack's clock. Slack reads an acknowledgement's ``payload`` only when the envelope
    ``accepts_response_payload``."""

    id: str
    type: EnvelopeType
    payload: dict[str, Any]
    accepts_response_payload: bool
    queued_at: float
    retry_attempt: int | None = None
    retry_reason: str | None = None
    sent_at: float | None = None
    ack: dict[str, Any] | None = None
    acked_at: float | None = None

    @property
    def response_payload(self) -> dict[str, Any] | None:
        """What Slack does something with: the ack's payload, when this envelope accepts one."""
        payload = (self.ack or {}).get("payload")
        return payload if self.accepts_response_payload and isinstance(payload, dict) else None

    def to_slack(self) -> dict[str, Any]:
        """The envelope as Slack sends it over the WebSocket."""
        data: dict[str, Any] = {
            "envelope_id": self.id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.retry_attempt is not None:
            data["retry_attempt"] = self.retry_attempt
            data["retry_reason"] = self.retry_reason or ""
        return data
