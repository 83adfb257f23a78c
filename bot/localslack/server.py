"""LocalSlack: a Slack Web API emulator on loopback, and what a test asks of it.

The real ``slack_sdk.WebClient(base_url=local.api_url)`` and the real Bolt app talk to it over
HTTP, so the bot's code paths (serialisation, retry handlers, error handling) are the ones that run
in production. It answers in Slack's shapes and error codes, enforces rate tiers by an injected
clock and refuses Block Kit that Slack refuses, so that a test fails where Slack would. A fixed
``latency`` makes it answer as slowly as Slack does, for benchmarks.

This class is the test-facing front: it starts the transport and reads and steers the state.
The HTTP side is in :mod:`transport`, the methods in :mod:`methods`, the limits in
:mod:`ratelimit`, Socket Mode's WebSocket side in :mod:`socketmode`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

from bot.localslack import interactions, tiers
from bot.localslack.controls import ForcedFailure, Hold, Slowdown
from bot.localslack.methods import views
from bot.localslack.ratelimit import RateLimiter
from bot.localslack.records import ApiCall, Ephemeral, Message, UploadedFile, View
from bot.localslack.socketmode import SocketModeServer
from bot.localslack.state import SlackState, dm_channel_id
from bot.localslack.tenants import CLIENT_ID, CLIENT_SECRET, Tenant, Tenants
from bot.localslack.transport import AUTHORIZE_PATH, Transport
from bot.localslack.workspace import User, Workspace

T = TypeVar("T")


class LocalSlack:
    """One workspace's Web API on ``127.0.0.1:<free port>``; thread-safe, clock-injectable.

    :meth:`add_workspace` serves another workspace on the same host (as Slack serves every
    workspace at one URL), answering each call with the data of the workspace its token belongs
    to; the front it returns reads and steers that workspace as this one does the first."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        clock: Callable[[], float] = time.time,
        rate_limits: bool = True,
        post_allowance: int = tiers.POST_MESSAGE_WORKSPACE_PER_MINUTE,
        latency: float = 0.0,
    ) -> None:
        """`post_allowance`: chat.postMessage calls a minute across the workspace; `latency`:
        seconds every call waits before its answer (see the property)."""
        self._state = SlackState(workspace, clock)
        self.latency = latency
        self._limiter = RateLimiter(self._state, enabled=rate_limits, post_allowance=post_allowance)
        self._tenants = Tenants(Tenant(self._state, self._limiter))
        # The front of the first workspace owns the transport; another workspace's reads it there.
        self._host: LocalSlack = self
        self._transport: Transport | None = None
        self._socket_mode: SocketModeServer | None = None

    def add_workspace(self, workspace: Workspace) -> LocalSlack:
        """Serve ``workspace`` too, with the same clock and limits, and return its front (whose
        start and stop do nothing: this front's do). Socket Mode stays the first workspace's."""
        other = LocalSlack(
            workspace,
            clock=self._state.clock,
            rate_limits=self._limiter.enabled,
            post_allowance=self._limiter.post_allowance,
            latency=self.latency,
        )
        self._tenants.add(Tenant(other._state, other._limiter))
        other._tenants, other._host = self._tenants, self
        if self._transport is not None:
            other._state.url = self._transport.url
        return other

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> Self:
        if self._host is not self:
            return self
        self._transport = Transport(self._tenants)
        self._socket_mode = SocketModeServer(self._state)
        for tenant in self._tenants.all:
            with tenant.state.lock:
                tenant.state.url = self._transport.url
        with self._state.lock:
            self._state.socket_url = self._socket_mode.url
        return self

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.close()
            self._socket_mode = None
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def __enter__(self) -> Self:
        return self.start() if self._host._transport is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- identity -------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        return self._state.workspace

    @property
    def rate_limits(self) -> bool:
        """Whether calls over their tier answer 429; off for a demo that posts in bursts."""
        return self._limiter.enabled

    @rate_limits.setter
    def rate_limits(self, enabled: bool) -> None:
        self._limiter.enabled = enabled

    @property
    def latency(self) -> float:
        """Seconds every call (Web API, upload, response_url) waits before it is answered, as a
        request to the real Slack spends tens to hundreds of ms on the network and in Slack. Real
        time, not the injected clock: it is for measuring the bot against a slow Slack (`make
        bench`). The wait holds no lock, so calls wait side by side; 0 (the default) waits not
        at all. A change applies to the calls that arrive after it."""
        with self._state.lock:
            return self._state.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(f"latency must be 0 or more seconds, not {seconds!r}")
        with self._state.lock:
            self._state.latency = float(seconds)

    def wait_until_delayed(self, count: int = 1, timeout: float = 5.0) -> None:
        """Block until ``count`` calls are in their latency wait (TimeoutError otherwise): lets a
        test act while calls are in flight without guessing how long to sleep."""
        state = self._state
        state.wait_for(lambda: state.delayed >= count, timeout)

    @property
    def url(self) -> str:
        transport = self._host._transport
        if transport is None:
            raise RuntimeError("LocalSlack is not started; call .start() first")
        return transport.url

    @property
    def install_url(self) -> str:
        """Slack's install page (OAuthSettings' authorization_url): it approves at once."""
        return f"{self.url}{AUTHORIZE_PATH}"

    @property
    def oauth_redirect_url(self) -> str:
        """The app's Redirect URL, as set on its OAuth & Permissions page: where the install
        page sends the browser back with a code when the app's link names no redirect_uri."""
        return self._tenants.redirect_url

    @oauth_redirect_url.setter
    def oauth_redirect_url(self, url: str) -> None:
        self._tenants.redirect_url = url

    @property
    def installed(self) -> bool:
        """False after :meth:`uninstall`, until an install through OAuth."""
        with self._state.lock:
            return self._state.installed

    def uninstall(self) -> None:
        """The workspace removes the app: its tokens answer token_revoked from now on (the
        app_uninstalled and tokens_revoked events are the driver's to send)."""
        with self._state.lock:
            self._state.installed = False

    @property
    def socket_mode(self) -> SocketModeServer:
        """Slack's Socket Mode side: envelopes to the app, its acks, dropped connections."""
        if self._socket_mode is None:
            raise RuntimeError("LocalSlack is not started; call .start() first")
        return self._socket_mode

    @property
    def api_url(self) -> str:
        """WebClient ``base_url``: it must end with a slash, as slack_sdk appends the method."""
        return f"{self.url}/api/"

    #: The app's OAuth credentials, the same for every workspace (SLACK_CLIENT_ID/SECRET).
    client_id = CLIENT_ID
    client_secret = CLIENT_SECRET

    @property
    def bot_token(self) -> str:
        return self.workspace.bot.token

    @property
    def app_token(self) -> str:
        """The app-level token (xapp-...) that apps.connections.open takes."""
        return self.workspace.bot.app_token

    @property
    def team_id(self) -> str:
        return self.workspace.team.id

    @property
    def bot_user_id(self) -> str:
        return self.workspace.bot.user_id

    def user(self, user_id: str) -> User:
        found = self.workspace.user(user_id)
        if found is None:
            raise KeyError(f"no user {user_id} in the seed workspace")
        return found

    # -- what happened --------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        with self._state.lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._state.lock:
            return [c for c in self._state.calls if c.method == method]

    def messages(self, channel_id: str, *, include_deleted: bool = False) -> list[Message]:
        with self._state.lock:
            kept = self._state.messages.get(channel_id, [])
            return [m for m in kept if include_deleted or not m.deleted]

    def dm_channel_id(self, user_id: str) -> str:
        """Deterministic DM id per user; conversations.open returns the same one."""
        return dm_channel_id(user_id)

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages(self.dm_channel_id(user_id))

    def ephemerals(self, user_id: str) -> list[Ephemeral]:
        with self._state.lock:
            return [e for e in self._state.ephemerals if e.user == user_id and not e.deleted]

    def command_acks(self, user_id: str) -> list[Ephemeral]:
        """Replies a user saw from slash-command acknowledgements, oldest first."""
        with self._state.lock:
            return [e for e in self._state.command_acks if e.user == user_id]

    def views(self, user_id: str) -> list[View]:
        """The user's open modal stack, bottom first."""
        with self._state.lock:
            return list(self._state.view_stacks.get(user_id, []))

    def home(self, user_id: str) -> View | None:
        with self._state.lock:
            return self._state.homes.get(user_id)

    @property
    def files(self) -> list[UploadedFile]:
        with self._state.lock:
            return list(self._state.files)

    def wait_for(self, predicate: Callable[[], T | None] | str, timeout: float = 5.0) -> T:
        """Block until ``predicate()`` is truthy (re-checked on every call/post) and return it.

        A string waits for a call to that method that no earlier ``wait_for`` returned (calls that
        arrived before this wait count too, so a fast lazy listener cannot be missed).
        """
        return self._state.wait_for(predicate, timeout)

    # -- test controls --------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        every: int = 1,
        error: str = "",
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status`` (429 or 5xx), or with
        Slack's ``error`` code (give status=200: Slack answers its refusals with 200); with
        ``every=2``, only every second call among them."""
        if every < 1:
            raise ValueError("every must be 1 or more")
        with self._state.lock:
            self._state.failures[method] = ForcedFailure(status, retry_after, times, every, error)

    def slow_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` wait ``seconds`` (real time, beyond any
        latency) before they are answered as usual: Slack stalling past a client's timeout. The
        call still takes effect when the wait ends, whether or not the client waited for it;
        stopping ends the wait. Counted by :meth:`wait_until_delayed` while it waits."""
        if not seconds > 0 or times < 1:  # also refuses NaN
            raise ValueError(
                f"a slowdown needs seconds > 0 and times >= 1, not {seconds!r}, {times!r}"
            )
        with self._state.lock:
            self._state.slowdowns[method] = Slowdown(float(seconds), times)

    @contextmanager
    def hold(self, method: str) -> Iterator[Hold]:
        """Park every call to ``method`` until the block ends, then let them through."""
        held = Hold(method)
        with self._state.lock:
            self._state.holds[method] = held
        try:
            yield held
        finally:
            with self._state.lock:
                self._state.holds.pop(method, None)
            held.release()

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id usable once, for 3 s by the clock, as Slack hands to interactions."""
        with self._state.lock:
            return views.issue_trigger(self._state, user_id)

    def new_response_url(
        self,
        channel_id: str,
        user_id: str,
        *,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url; ``message_ts`` names the original that replace/delete_original act on."""
        with self._state.lock:
            url_id = interactions.issue_response_url(
                self._state, channel_id, user_id, message_ts, ephemeral
            )
            return f"{self.url}/response/{url_id}"

    def post_user_message(
        self, user_id: str, channel_id: str, text: str, *, thread_ts: str | None = None
    ) -> Message:
        """A message a person wrote (no API call): for events and cant_update_message tests."""
        with self._state.changed:
            message = Message(channel_id, self._state.next_ts(), user_id, text, thread_ts=thread_ts)
            self._state.add_message(message)
            self._state.changed.notify_all()
            return message

    def apply_view_ack(self, user_id: str, view_id: str, ack: dict[str, Any] | None) -> None:
        """Do to the modal stack what Slack does with a view_submission acknowledgement."""
        with self._state.changed:
            interactions.apply_view_ack(self._state, user_id, view_id, ack)
            self._state.changed.notify_all()

    def show_command_ack(self, channel_id: str, user_id: str, body: str) -> None:
        """Keep what a slash command's acknowledgement showed the invoker (Slack shows it as an
        ephemeral). Kept apart from :meth:`ephemerals`, which holds only what the bot sent through
        the Web API or a response_url; read it with :meth:`command_acks`."""
        with self._state.changed:
            interactions.show_command_ack(self._state, channel_id, user_id, body)

    def close_views(self, user_id: str) -> None:
        """The person closed their modals (the console's cancel)."""
        with self._state.changed:
            self._state.view_stacks.pop(user_id, None)
            self._state.changed.notify_all()
