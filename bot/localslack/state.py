"""Everything the local Slack remembers about one workspace, and how it names new things.

The transport, the method handlers and the test-facing :class:`LocalSlack` share one
:class:`SlackState`. Every read and write happens under ``lock``; a write a waiting test may care
about notifies ``changed``. Keeping the data apart from HTTP and from the handlers is what lets a
second workspace become a second state rather than a second server.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bot.localslack.controls import ForcedFailure, Hold, Slowdown
from bot.localslack.errors import SlackError
from bot.localslack.records import ApiCall, Envelope, Ephemeral, Message, UploadedFile, View
from bot.localslack.workspace import User, Workspace

T = TypeVar("T")


@dataclass
class Trigger:
    """A trigger_id as Slack hands it to an interaction: one views.open or views.push, briefly."""

    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseUrl:
    """A response_url: where it posts, and the original message replace/delete_original act on."""

    channel_id: str
    user_id: str
    issued_at: float
    message_ts: str | None
    ephemeral: bool
    posts: int = 0


def dm_channel_id(user_id: str) -> str:
    """Deterministic DM id per user, so a test can name a DM before the bot opens it."""
    return "D" + user_id[1:]


class SlackState:
    """One workspace's messages, views, files, issued ids and the calls that made them."""

    def __init__(self, workspace: Workspace, clock: Callable[[], float]) -> None:
        self.workspace = workspace
        self.clock = clock
        #: False once the app is uninstalled: its tokens answer token_revoked until it is again.
        self.installed = True
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        #: Where the transport listens (empty until it starts): upload URLs point here.
        self.url = ""
        self.calls: list[ApiCall] = []
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.command_acks: list[Ephemeral] = []
        self.view_stacks: dict[str, list[View]] = {}
        self.homes: dict[str, View] = {}
        self.files: list[UploadedFile] = []
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.opened_dms: set[str] = set()
        #: Socket Mode: where its WebSocket server listens (ws://...), the tickets that
        #: apps.connections.open issued and no connection used yet, and every envelope sent.
        self.socket_url = ""
        self.socket_tickets: set[str] = set()
        self.envelopes: list[Envelope] = []
        self.holds: dict[str, Hold] = {}
        self.failures: dict[str, ForcedFailure] = {}
        self.slowdowns: dict[str, Slowdown] = {}
        #: Seconds every call waits before it is answered (see :meth:`LocalSlack.latency`), and
        #: how many calls are in that wait (or a slowdown's) now.
        self.latency = 0.0
        self.delayed = 0
        self._returned_by_wait: set[int] = set()
        self._last_ts_micros = 0
        self._serial = 0

    # -- new names ------------------------------------------------------------------------------
    def next_ts(self) -> str:
        """A message ts from the clock, strictly increasing: Slack's ts is a message's identity."""
        micros = max(round(self.clock() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000:010d}.{micros % 1_000_000:06d}"

    def next_serial(self) -> int:
        """A number no trigger_id, response_url or view of this workspace used before."""
        self._serial += 1
        return self._serial

    def new_hash(self) -> str:
        return f"{int(self.clock())}.{secrets.token_hex(4)}"

    # -- where things are -----------------------------------------------------------------------
    def dm_user(self, channel_id: str) -> User | None:
        """The person a DM channel (D + their id without its first letter) belongs to."""
        if not channel_id.startswith("D"):
            return None
        for prefix in ("U", "W"):
            user = self.workspace.user(prefix + channel_id[1:])
            if user is not None and dm_channel_id(user.id) == channel_id:
                return user
        return None

    def channel_members(self, channel_id: str) -> list[str]:
        channel = self.workspace.channel(channel_id)
        if channel is not None:
            return list(channel.members)
        user = self.dm_user(channel_id)
        if user is not None:
            return [user.id, self.workspace.bot.user_id]
        raise SlackError("channel_not_found")

    def resolve_post_channel(self, channel: str) -> str:
        """Where a post lands: a C/G id, a D id, a user id (its DM) or a channel name."""
        ws = self.workspace
        if channel.startswith(("U", "W")) and ws.user(channel) is not None:
            return dm_channel_id(channel)
        named = ws.channel(channel) or ws.channel_by_name(channel)
        if named is not None:
            if ws.bot.user_id not in named.members:
                raise SlackError("not_in_channel")
            return named.id
        if self.dm_user(channel) is not None:
            return channel
        raise SlackError("channel_not_found")

    def add_message(self, message: Message) -> None:
        self.messages.setdefault(message.channel, []).append(message)

    def find_message(self, channel: str, ts: str) -> Message | None:
        return next(
            (m for m in self.messages.get(channel, []) if m.ts == ts and not m.deleted), None
        )

    # -- what happened --------------------------------------------------------------------------
    def record(self, method: str, args: dict[str, Any], status: int, body: dict[str, Any]) -> None:
        self.calls.append(ApiCall(method, args, status, body, self.clock()))
        self.changed.notify_all()

    def take_failure(self, method: str) -> ForcedFailure | None:
        """The forced failure the next call of ``method`` meets, counting it as spent."""
        failure = self.failures.get(method)
        if failure is None:
            return None
        failure.seen += 1
        if (failure.seen - 1) % failure.every:
            return None  # a call between two failing ones goes through
        failure.times -= 1
        if failure.times <= 0:
            del self.failures[method]
        return failure

    def take_slowdown(self, method: str) -> float:
        """Seconds the next call of ``method`` is slowed down by (0 for none), counting it."""
        slowdown = self.slowdowns.get(method)
        if slowdown is None:
            return 0.0
        slowdown.times -= 1
        if slowdown.times <= 0:
            del self.slowdowns[method]
        return slowdown.seconds

    def wait_for(self, predicate: Callable[[], T | None] | str, timeout: float) -> T:
        """Block until ``predicate()`` is truthy, re-checked on every change; a string waits for
        a call to that method no earlier wait returned (see :meth:`LocalSlack.wait_for`)."""
        if isinstance(predicate, str):
            method = predicate

            def next_call() -> Any:
                for index, call in enumerate(self.calls):
                    if call.method == method and index not in self._returned_by_wait:
                        self._returned_by_wait.add(index)
                        return call
                return None

            check: Callable[[], Any] = next_call
        else:
            check = predicate
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                result = check()
                if result:
                    return cast(T, result)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = (
                        "\n".join(
                            f"  {c.method} -> {c.status} {c.response.get('error') or 'ok'}"
                            for c in self.calls[-15:]
                        )
                        or "  (no calls at all)"
                    )
                    what = predicate if isinstance(predicate, str) else "the condition"
                    raise TimeoutError(
                        f"waited {timeout:g}s for {what}; the last calls to the local Slack "
                        f"were:\n{recent}"
                    )
                self.changed.wait(remaining)
