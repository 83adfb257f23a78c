"""LocalSlack: a Slack Web API emulator on loopback.

The real ``slack_sdk.WebClient(base_url=local.api_url)`` and the real Bolt app talk to it over
HTTP, so the bot's code paths (serialisation, retry handlers, error handling) are the ones that run
in production. It answers in Slack's shapes and error codes, enforces rate tiers by an injected
clock and refuses Block Kit that Slack refuses, so that a test fails where Slack would.
"""

from __future__ import annotations

import json
import math
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, TypeVar, cast
from urllib.parse import parse_qs, urlsplit

from bot.localslack import blockkit, tiers
from bot.localslack.errors import SlackError
from bot.localslack.records import ApiCall, Ephemeral, Message, UploadedFile, View
from bot.localslack.webapi import WebApi
from bot.localslack.workspace import User, Workspace

T = TypeVar("T")

TRIGGER_TTL = 3.0
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_POSTS = 5


@dataclass
class _Trigger:
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class _ResponseUrl:
    channel_id: str
    user_id: str
    issued_at: float
    message_ts: str | None
    ephemeral: bool
    posts: int = 0


@dataclass
class _Failure:
    status: int
    retry_after: int
    times: int


class Hold:
    """Calls to one method parked until the ``hold`` block ends: proves the bot does not wait on
    the Web API (e.g. acks before a lazy listener posts). Parks at most ``max_seconds``."""

    def __init__(self, method: str, max_seconds: float = 30.0) -> None:
        self.method = method
        self.waiting = 0
        self._max_seconds = max_seconds
        self._released = threading.Event()
        self._arrived = threading.Condition()

    def park(self) -> None:
        with self._arrived:
            self.waiting += 1
            self._arrived.notify_all()
        self._released.wait(self._max_seconds)

    def wait_until_waiting(self, timeout: float = 5.0, count: int = 1) -> None:
        """Block until ``count`` calls are parked; TimeoutError otherwise."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: self.waiting >= count, timeout):
                raise TimeoutError(
                    f"{self.waiting} call(s) to {self.method} arrived within {timeout:g}s, "
                    f"expected {count}"
                )

    def release(self) -> None:
        self._released.set()


@dataclass
class _Response:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    retry_after: int | None = None


class LocalSlack(WebApi):
    """One workspace's Web API on ``127.0.0.1:<free port>``; thread-safe, clock-injectable."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        clock: Callable[[], float] = time.time,
        rate_limits: bool = True,
    ) -> None:
        self.workspace = workspace
        self._clock = clock
        self.rate_limits = rate_limits
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._calls: list[ApiCall] = []
        self._returned_by_wait: set[int] = set()
        self._messages: dict[str, list[Message]] = {}
        self._ephemerals: list[Ephemeral] = []
        self._command_acks: list[Ephemeral] = []
        self._view_stacks: dict[str, list[View]] = {}
        self._homes: dict[str, View] = {}
        self._files: list[UploadedFile] = []
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._opened_dms: set[str] = set()
        self._failures: dict[str, _Failure] = {}
        self._holds: dict[str, Hold] = {}
        self._windows: dict[str, tuple[int, int]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}
        self._last_ts_micros = 0
        self._counter = 0

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> Self:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        server = self._server
        # a short poll interval: stop() (shutdown) waits up to one interval
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02), name="localslack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start() if self._server is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- identity -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("LocalSlack is not started; call .start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """WebClient ``base_url``: it must end with a slash, as slack_sdk appends the method."""
        return f"{self.url}/api/"

    @property
    def bot_token(self) -> str:
        return self.workspace.bot.token

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

    # -- what happened ----------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        with self._lock:
            return [c for c in self._calls if c.method == method]

    def messages(self, channel_id: str, *, include_deleted: bool = False) -> list[Message]:
        with self._lock:
            kept = self._messages.get(channel_id, [])
            return [m for m in kept if include_deleted or not m.deleted]

    def dm_channel_id(self, user_id: str) -> str:
        """Deterministic DM id per user; conversations.open returns the same one."""
        return "D" + user_id[1:]

    def dm_messages(self, user_id: str) -> list[Message]:
        return self.messages(self.dm_channel_id(user_id))

    def ephemerals(self, user_id: str) -> list[Ephemeral]:
        with self._lock:
            return [e for e in self._ephemerals if e.user == user_id and not e.deleted]

    def views(self, user_id: str) -> list[View]:
        """The user's open modal stack, bottom first."""
        with self._lock:
            return list(self._view_stacks.get(user_id, []))

    def home(self, user_id: str) -> View | None:
        with self._lock:
            return self._homes.get(user_id)

    @property
    def files(self) -> list[UploadedFile]:
        with self._lock:
            return list(self._files)

    def wait_for(self, predicate: Callable[[], T | None] | str, timeout: float = 5.0) -> T:
        """Block until ``predicate()`` is truthy (re-checked on every call/post) and return it.

        A string waits for a call to that method that no earlier ``wait_for`` returned (calls that
        arrived before this wait count too, so a fast lazy listener cannot be missed).
        """
        if isinstance(predicate, str):
            method = predicate

            def next_call() -> Any:
                for index, call in enumerate(self._calls):
                    if call.method == method and index not in self._returned_by_wait:
                        self._returned_by_wait.add(index)
                        return call
                return None

            check: Callable[[], Any] = next_call
        else:
            check = predicate
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = check()
                if result:
                    return cast(T, result)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = (
                        "\n".join(
                            f"  {c.method} -> {c.status} {c.response.get('error') or 'ok'}"
                            for c in self._calls[-15:]
                        )
                        or "  (no calls at all)"
                    )
                    what = predicate if isinstance(predicate, str) else "the condition"
                    raise TimeoutError(
                        f"waited {timeout:g}s for {what}; the last calls to the local Slack "
                        f"were:\n{recent}"
                    )
                self._changed.wait(remaining)

    # -- test controls ----------------------------------------------------------------------------
    def fail_next(
        self, method: str, *, status: int = 429, retry_after: int = 1, times: int = 1
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status`` (429 or 5xx)."""
        with self._lock:
            self._failures[method] = _Failure(status, retry_after, times)

    @contextmanager
    def hold(self, method: str) -> Iterator[Hold]:
        """Park every call to ``method`` until the block ends, then let them through."""
        held = Hold(method)
        with self._lock:
            self._holds[method] = held
        try:
            yield held
        finally:
            with self._lock:
                self._holds.pop(method, None)
            held.release()

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id usable once, for 3 s by the clock, as Slack hands to interactions."""
        with self._lock:
            self._counter += 1
            trigger = f"{self._counter}.{int(self._clock())}.{secrets.token_hex(16)}"
            self._triggers[trigger] = _Trigger(user_id, self._clock())
            return trigger

    def new_response_url(
        self,
        channel_id: str,
        user_id: str,
        *,
        message_ts: str | None = None,
        ephemeral: bool = False,
    ) -> str:
        """A response_url; ``message_ts`` names the original that replace/delete_original act on."""
        with self._lock:
            self._counter += 1
            url_id = f"{self.team_id}{self._counter}{secrets.token_hex(12)}"
            self._response_urls[url_id] = _ResponseUrl(
                channel_id, user_id, self._clock(), message_ts, ephemeral
            )
            return f"{self.url}/response/{url_id}"

    def post_user_message(
        self, user_id: str, channel_id: str, text: str, *, thread_ts: str | None = None
    ) -> Message:
        """A message a person wrote (no API call): for events and cant_update_message tests."""
        with self._changed:
            message = Message(channel_id, self._next_ts(), user_id, text, thread_ts=thread_ts)
            self._messages.setdefault(channel_id, []).append(message)
            self._changed.notify_all()
            return message

    def apply_view_ack(self, user_id: str, view_id: str, ack: dict[str, Any] | None) -> None:
        """Do to the modal stack what Slack does with a view_submission acknowledgement."""
        with self._changed:
            stack = self._view_stacks.get(user_id, [])
            action = (ack or {}).get("response_action")
            index = next((i for i, v in enumerate(stack) if v.id == view_id), None)
            if action == "errors":
                pass
            elif action == "clear":
                stack.clear()
            elif action == "update" and index is not None:
                stack[index].definition = dict((ack or {}).get("view") or {})
                stack[index].hash = self._new_hash()
            elif action == "push":
                view = self._new_view(user_id, dict((ack or {}).get("view") or {}))
                if stack:
                    view.root_view_id, view.previous_view_id = stack[0].id, stack[-1].id
                stack.append(view)
            elif index is not None:
                del stack[index:]
            self._changed.notify_all()

    def show_command_ack(self, channel_id: str, user_id: str, body: str) -> None:
        """Keep what a slash command's acknowledgement showed the invoker (Slack shows it as an
        ephemeral). Kept apart from :meth:`ephemerals`, which holds only what the bot sent through
        the Web API or a response_url; read it with :meth:`command_acks`."""
        if not body.strip():
            return
        try:
            payload = json.loads(body)
        except json.JSONDecodeError:
            payload = {"text": body}
        if not isinstance(payload, dict) or not (payload.get("text") or payload.get("blocks")):
            return
        with self._changed:
            blocks = blockkit.parse_blocks(payload.get("blocks") or [])
            errors = blockkit.check_message_blocks(blocks)
            if errors:
                self._record(
                    "command_ack",
                    payload,
                    200,
                    {"ok": False, "error": "invalid_blocks", "errors": errors},
                )
                return
            self._command_acks.append(
                Ephemeral(
                    channel_id,
                    user_id,
                    self._next_ts(),
                    str(payload.get("text") or ""),
                    blocks if isinstance(blocks, list) else [],
                    source="command_ack",
                )
            )
            self._record("command_ack", payload, 200, {"ok": True})

    def command_acks(self, user_id: str) -> list[Ephemeral]:
        """Replies a user saw from slash-command acknowledgements, oldest first."""
        with self._lock:
            return [e for e in self._command_acks if e.user == user_id]

    def close_views(self, user_id: str) -> None:
        """The person closed their modals (the console's cancel)."""
        with self._changed:
            self._view_stacks.pop(user_id, None)
            self._changed.notify_all()

    # -- internals shared with webapi ---------------------------------------------------------
    def _next_ts(self) -> str:
        micros = max(round(self._clock() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000:010d}.{micros % 1_000_000:06d}"

    def _new_hash(self) -> str:
        return f"{int(self._clock())}.{secrets.token_hex(4)}"

    def _new_view(self, user_id: str, definition: dict[str, Any]) -> View:
        self._counter += 1
        ws = self.workspace
        return View(
            id=f"V{self._counter:010d}",
            user_id=user_id,
            team_id=ws.team.id,
            app_id=ws.bot.app_id,
            bot_id=ws.bot.bot_id,
            definition=definition,
            hash=self._new_hash(),
        )

    def _dm_user(self, channel_id: str) -> User | None:
        return next(
            (u for u in self.workspace.users if self.dm_channel_id(u.id) == channel_id), None
        )

    def _channel_members(self, channel_id: str) -> list[str]:
        channel = self.workspace.channel(channel_id)
        if channel is not None:
            return list(channel.members)
        user = self._dm_user(channel_id)
        if user is not None:
            return [user.id, self.workspace.bot.user_id]
        raise SlackError("channel_not_found")

    def _resolve_post_channel(self, channel: str) -> str:
        """Where a post lands: a C/G id, a D id, a user id (its DM) or a channel name."""
        ws = self.workspace
        if channel.startswith(("U", "W")) and ws.user(channel) is not None:
            return self.dm_channel_id(channel)
        named = ws.channel(channel) or ws.channel_by_name(channel)
        if named is not None:
            if ws.bot.user_id not in named.members:
                raise SlackError("not_in_channel")
            return named.id
        if self._dm_user(channel) is not None:
            return channel
        raise SlackError("channel_not_found")

    def _find_message(self, channel: str, ts: str) -> Message | None:
        return next(
            (m for m in self._messages.get(channel, []) if m.ts == ts and not m.deleted), None
        )

    def _record(self, method: str, args: dict[str, Any], status: int, body: dict) -> None:
        self._calls.append(ApiCall(method, args, status, body, self._clock()))
        self._changed.notify_all()

    # -- rate limits ----------------------------------------------------------------------------
    def _rate_limited(self, method: str, args: dict[str, Any]) -> int | None:
        """Seconds to wait when this call is over its tier, else None (and count the call)."""
        now = self._clock()
        if method == "chat.postMessage":
            try:
                key = self._resolve_post_channel(str(args.get("channel") or ""))
            except SlackError:
                return None  # the handler answers channel_not_found
            tokens, last = self._buckets.get(key, (float(tiers.POST_MESSAGE_BURST), now))
            rate = tiers.POST_MESSAGE_REFILL_PER_SECOND
            tokens = min(float(tiers.POST_MESSAGE_BURST), tokens + max(0.0, now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / rate))
            self._buckets[key] = (tokens - 1.0, now)
            return None
        allowance = tiers.per_minute(method)
        if allowance is None:
            return None
        window = int(now // 60)
        current, count = self._windows.get(method, (window, 0))
        if current != window:
            count = 0
        if count >= allowance:
            return max(1, math.ceil((window + 1) * 60 - now))
        self._windows[method] = (window, count + 1)
        return None

    # -- request handling -----------------------------------------------------------------------
    def _handle_api(self, method: str, args: dict[str, Any], token: str | None) -> _Response:
        with self._lock:
            held = self._holds.get(method)
        if held is not None:
            held.park()  # outside the lock: other calls go on while this one waits
        with self._changed:
            handler = getattr(self, "api_" + method.replace(".", "_"), None)
            if handler is None or method not in tiers.METHOD_TIERS:
                body: dict[str, Any] = {
                    "ok": False,
                    "error": "unknown_method",
                    "req_method": method,
                }
                return self._reply(method, args, 200, body)
            if not token:
                return self._reply(method, args, 200, {"ok": False, "error": "not_authed"})
            if token != self.bot_token:
                return self._reply(method, args, 200, {"ok": False, "error": "invalid_auth"})
            failure = self._failures.get(method)
            if failure is not None:
                failure.times -= 1
                if failure.times <= 0:
                    del self._failures[method]
                error = "ratelimited" if failure.status == 429 else "internal_error"
                return self._reply(
                    method,
                    args,
                    failure.status,
                    {"ok": False, "error": error},
                    retry_after=failure.retry_after if failure.status == 429 else None,
                )
            if self.rate_limits:
                wait = self._rate_limited(method, args)
                if wait is not None:
                    return self._reply(
                        method, args, 429, {"ok": False, "error": "ratelimited"}, retry_after=wait
                    )
            try:
                body = handler(args)
            except SlackError as error:
                body = error.body()
            return self._reply(method, args, 200, body)

    def _reply(
        self,
        method: str,
        args: dict[str, Any],
        status: int,
        body: dict[str, Any],
        retry_after: int | None = None,
    ) -> _Response:
        self._record(method, args, status, body)
        return _Response(status, json.dumps(body).encode(), retry_after=retry_after)

    def _handle_upload(self, file_id: str, data: bytes) -> _Response:
        with self._changed:
            found = next((f for f in self._files if f.id == file_id), None)
            if found is None:
                self._record("upload", {"file_id": file_id}, 404, {"ok": False})
                return _Response(404, b"not found", "text/plain; charset=utf-8")
            found.content = data
            self._record("upload", {"file_id": file_id, "length": len(data)}, 200, {"ok": True})
            return _Response(200, f"OK - {len(data)}".encode(), "text/plain; charset=utf-8")

    def _handle_response_url(self, url_id: str, raw: bytes) -> _Response:
        with self._changed:
            try:
                payload = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                payload = None
            args = payload if isinstance(payload, dict) else {"raw": raw.decode(errors="replace")}
            entry = self._response_urls.get(url_id)
            error = None
            if entry is None:
                error, status = "invalid_url", 404
            elif self._clock() - entry.issued_at > RESPONSE_URL_TTL:
                error, status = "expired_url", 404
            elif entry.posts >= RESPONSE_URL_MAX_POSTS:
                error, status = "used_url", 404
            elif not isinstance(payload, dict):
                error, status = "invalid_payload", 400
            if error is None and entry is not None:
                assert isinstance(payload, dict)
                try:
                    entry.posts += 1
                    self._respond(entry, payload)
                except SlackError as exc:
                    error, status = exc.code, 400
            if error is not None:
                self._record("response_url", args, status, {"ok": False, "error": error})
                return _Response(status, error.encode(), "text/plain; charset=utf-8")
            self._record("response_url", args, 200, {"ok": True})
            return _Response(200, b"ok", "text/plain; charset=utf-8")

    def _respond(self, entry: _ResponseUrl, payload: dict[str, Any]) -> None:
        """Apply one response_url post: replace/delete the original, or post a new message."""
        original: Message | Ephemeral | None = None
        if entry.message_ts is not None:
            if entry.ephemeral:
                original = next((e for e in self._ephemerals if e.ts == entry.message_ts), None)
            else:
                original = self._find_message(entry.channel_id, entry.message_ts)
        if _truthy(payload.get("delete_original")):
            if original is not None:
                original.deleted = True
            return
        blocks = None
        if payload.get("blocks") not in (None, ""):
            blocks = blockkit.parse_blocks(payload["blocks"])
            errors = blockkit.check_message_blocks(blocks)
            if errors:
                raise SlackError("invalid_blocks", errors=errors)
        text = payload.get("text")
        if not text and not blocks:
            raise SlackError("no_text")
        if _truthy(payload.get("replace_original")) and original is not None:
            self._replace(original, text, blocks)
            return
        ws = self.workspace
        if payload.get("response_type") == "in_channel":
            message = Message(
                entry.channel_id,
                self._next_ts(),
                ws.bot.user_id,
                str(text or ""),
                blocks or [],
                thread_ts=payload.get("thread_ts"),
                bot_id=ws.bot.bot_id,
            )
            self._messages.setdefault(entry.channel_id, []).append(message)
        else:
            self._ephemerals.append(
                Ephemeral(
                    entry.channel_id,
                    entry.user_id,
                    self._next_ts(),
                    str(text or ""),
                    blocks or [],
                    source="response_url",
                )
            )


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true")


def _merge_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Query string, form body and JSON body merged into one dict, as Slack reads them."""
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not body:
        return args
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except json.JSONDecodeError:
            args["__invalid_json__"] = True
            return args
        if isinstance(parsed, dict):
            args.update(parsed)
    else:
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        args.update({k: v[0] for k, v in form.items()})
    return args


def _make_handler(slack: LocalSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "localslack"

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the per-request stderr log; .calls is the record."""

        def _read_body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, response: _Response) -> None:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            if response.retry_after is not None:
                self.send_header("Retry-After", str(response.retry_after))
            self.end_headers()
            self.wfile.write(response.body)

        def _dispatch(self) -> None:
            parts = urlsplit(self.path)
            body = self._read_body()
            path = parts.path
            if path.startswith("/api/"):
                args = _merge_args(parts.query, body, self.headers.get("Content-Type") or "")
                if args.pop("__invalid_json__", False):
                    self._send(_Response(200, b'{"ok": false, "error": "invalid_json"}'))
                    return
                auth = self.headers.get("Authorization") or ""
                token = auth[7:].strip() if auth.startswith("Bearer ") else None
                token = token or args.pop("token", None)
                args.pop("token", None)
                self._send(slack._handle_api(path[len("/api/") :], args, token))
            elif path.startswith("/upload/") and self.command == "POST":
                self._send(slack._handle_upload(path[len("/upload/") :], body))
            elif path.startswith("/response/") and self.command == "POST":
                self._send(slack._handle_response_url(path[len("/response/") :], body))
            else:
                self._send(_Response(404, b"not found", "text/plain; charset=utf-8"))

        do_GET = _dispatch
        do_POST = _dispatch

    return Handler
