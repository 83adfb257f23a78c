"""The local Slack's HTTP side: a loopback server thread, request parsing, auth and dispatch.

Real HTTP is the point: the bot's slack_sdk WebClient and Bolt app serialise, retry and handle
errors exactly as they do against Slack. Four kinds of path are served: ``/api/<method>`` (the Web
API, answered in JSON), ``/upload/<team id>/<file id>`` and ``/response/<id>`` (answered in plain
text, as Slack's upload host and response_url endpoint answer), and ``/oauth/v2/authorize`` (the
install page, which approves at once and redirects to the app with a code).
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from bot.localslack import interactions
from bot.localslack.errors import SlackError
from bot.localslack.methods import APP_TOKEN_METHODS, CLIENT_METHODS, HANDLERS
from bot.localslack.methods.args import Args
from bot.localslack.methods.files import receive_upload
from bot.localslack.state import SlackState
from bot.localslack.tenants import CLIENT_ID, CLIENT_SECRET, Tenant, Tenants

#: Slack's install page, where /slack/install sends the browser (OAuthSettings.authorization_url).
AUTHORIZE_PATH = "/oauth/v2/authorize"

_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class _Response:
    status: int
    body: bytes
    content_type: str = _JSON
    retry_after: int | None = None
    location: str | None = None


class Transport:
    """Serves every tenant's state on ``127.0.0.1:<free port>`` from a daemon thread until
    ``close``: a Web API call is answered by the workspace its token belongs to."""

    def __init__(self, tenants: Tenants) -> None:
        self._tenants = tenants
        # Set by close(): ends every latency or slowdown wait at once, so stopping never sits out
        # a delay.
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True
        server = self._server
        # a short poll interval: close() (shutdown) waits up to one interval
        self._thread = threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02), name="localslack", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def delay(self, state: SlackState, method: str | None = None) -> None:
        """Wait the state's latency, as a request to Slack spends time on the network and in
        Slack, before the call is looked at, plus any slowdown forced on the Web API ``method``.
        The wait holds no lock: the state lock is taken only to read the wait and count the
        waiting call, so other calls (and a test reading the state) go on while this one waits,
        as they do against Slack. Closing ends every wait at once."""
        with state.changed:
            seconds = state.latency + (state.take_slowdown(method) if method else 0.0)
            if seconds <= 0:
                return
            state.delayed += 1
            state.changed.notify_all()
        try:
            self._closing.wait(seconds)
        finally:
            with state.changed:
                state.delayed -= 1
                state.changed.notify_all()

    def tenant_of(
        self, method: str, args: Args, token: str | None, app: str | None
    ) -> tuple[Tenant, bool]:
        """The workspace that answers: the token's, or for oauth.v2.access the code's (with the
        installing person put in the arguments, and True for a code redeemed by the app's
        credentials); a call nobody's token names is answered, and recorded, by the first."""
        if method in CLIENT_METHODS:
            args.pop("authed_user", None)  # only a redeemed code says who installed, and what
            args.pop("scope", None)
            grant = self._tenants.redeem(str(args.get("code") or "")) if app else None
            if grant is not None and app == f"{CLIENT_ID}:{CLIENT_SECRET}":
                args["authed_user"], args["scope"] = grant.user_id, grant.scope
                return grant.tenant, True
            return self._tenants.first, False
        return (self._tenants.by_token(token) if token else None) or self._tenants.first, False

    def answer_api(self, method: str, args: Args, token: str | None, app: str | None) -> _Response:
        """Park if held, then refuse in turn an unknown method, a missing or wrong token, a
        forced failure and a call over its tier; else run the handler. Every answer is recorded."""
        tenant, redeemed = self.tenant_of(method, args, token, app)
        state = tenant.state
        self.delay(state, method)
        with state.lock:
            held = state.holds.get(method)
        if held is not None:
            held.park()  # outside the lock: other calls go on while this one waits
        with state.changed:
            handler = HANDLERS.get(method)
            if handler is None:
                unknown = {"ok": False, "error": "unknown_method", "req_method": method}
                return self._reply(state, method, args, 200, unknown)
            refused = _refused(state, method, token, app, redeemed)
            if refused is not None:
                return self._reply(state, method, args, 200, {"ok": False, "error": refused})
            failure = state.take_failure(method)
            if failure is not None:
                limited = failure.status == 429
                default = "ratelimited" if limited else "internal_error"
                return self._reply(
                    state,
                    method,
                    args,
                    failure.status,
                    {"ok": False, "error": failure.error or default},
                    retry_after=failure.retry_after if limited else None,
                )
            wait = tenant.limiter.retry_after(method, args)
            if wait is not None:
                refused_429 = {"ok": False, "error": "ratelimited"}
                return self._reply(state, method, args, 429, refused_429, retry_after=wait)
            try:
                body = handler(state, args)
            except SlackError as error:
                body = error.body()
            return self._reply(state, method, args, 200, body)

    def answer_upload(self, path: str, data: bytes) -> _Response:
        team_id, _, file_id = path.partition("/")
        tenant = self._tenants.by_team(team_id)
        if tenant is None:
            return _Response(404, b"not found", _TEXT)
        self.delay(tenant.state)
        with tenant.state.changed:
            status, text = receive_upload(tenant.state, file_id, data)
        return _Response(status, text.encode(), _TEXT)

    def answer_response_url(self, url_id: str, raw: bytes) -> _Response:
        state = (self._tenants.by_response_url(url_id) or self._tenants.first).state
        self.delay(state)
        with state.changed:
            status, text = interactions.post_to_response_url(state, url_id, raw)
        return _Response(status, text.encode(), _TEXT)

    def authorize(self, query: str) -> _Response:
        """Slack's install page, approved at once: a code for the workspace named by ``team``
        (else the first) and the person named by ``user`` (else its first admin), handed to
        the app's ``redirect_uri`` with the app's ``state``, as Slack redirects the browser."""
        asked = {k: v[0] for k, v in parse_qs(query).items()}
        tenant = self._tenants.by_team(asked.get("team", "")) or self._tenants.first
        redirect = asked.get("redirect_uri") or self._tenants.redirect_url
        if asked.get("client_id") != CLIENT_ID or not redirect.startswith("http"):
            return _Response(400, b"invalid client_id or redirect_uri", _TEXT)
        ws = tenant.state.workspace
        user = asked.get("user") or next((u.id for u in ws.users if u.admin), ws.users[0].id)
        code = self._tenants.issue_code(tenant, user, redirect, asked.get("scope", ""))
        sep = "&" if "?" in redirect else "?"
        location = f"{redirect}{sep}{urlencode({'code': code, 'state': asked.get('state', '')})}"
        return _Response(302, b"", _TEXT, location=location)

    def _reply(
        self,
        state: SlackState,
        method: str,
        args: Args,
        status: int,
        body: dict[str, Any],
        retry_after: int | None = None,
    ) -> _Response:
        state.record(method, args, status, body)
        return _Response(status, json.dumps(body).encode(), retry_after=retry_after)


def _merge_args(query: str, body: bytes, content_type: str) -> Args | None:
    """Query string, form body and JSON body merged into one dict, as Slack reads them; None
    when a JSON body does not parse."""
    args: Args = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
    if not body:
        return args
    if content_type.startswith("application/json"):
        try:
            parsed = json.loads(body)
        except json.JSONDecodeError:
            return None
        if isinstance(parsed, dict):
            args.update(parsed)
    else:
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        args.update({k: v[0] for k, v in form.items()})
    return args


def _refused(
    state: SlackState, method: str, token: str | None, app: str | None, redeemed: bool
) -> str | None:
    """Slack's error for a call this workspace does not take: oauth.v2.access without the app's
    credentials or a live code; no token (not_authed); one it never issued (invalid_auth), or
    one revoked by an uninstall (token_revoked); the wrong kind, a bot token for an app-level
    method or the reverse (not_allowed_token_type)."""
    if method in CLIENT_METHODS:
        if app != f"{CLIENT_ID}:{CLIENT_SECRET}":
            return "invalid_client_id" if app else "not_authed"
        return None if redeemed else "invalid_code"
    if not token:
        return "not_authed"
    bot = state.workspace.bot
    if token not in (bot.token, bot.app_token):
        return "invalid_auth"
    if not state.installed:
        return "token_revoked"
    if (token == bot.app_token) != (method in APP_TOKEN_METHODS):
        return "not_allowed_token_type"
    return None


def _client(authorization: str, args: Args) -> str | None:
    """The app's ``client_id:client_secret``, from HTTP Basic auth (as slack_sdk sends them) or
    the arguments (as Slack also takes them); taken out of the args either way."""
    client_id, secret = args.pop("client_id", None), args.pop("client_secret", None)
    if authorization.startswith("Basic "):
        try:
            return base64.b64decode(authorization[6:].strip()).decode()
        except (ValueError, UnicodeDecodeError):
            return "?"
    return f"{client_id}:{secret}" if client_id else None


def _token(authorization: str, args: Args) -> str | None:
    """The bearer token, else the ``token`` argument (taken out of the args either way)."""
    bearer = authorization[7:].strip() if authorization.startswith("Bearer ") else None
    argument = args.pop("token", None)
    return bearer or (str(argument) if argument else None)


def _handler_class(transport: Transport) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "localslack"

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the per-request stderr log; the state's calls are the record."""

        def _read_body(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _send(self, response: _Response) -> None:
            try:
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                if response.retry_after is not None:
                    self.send_header("Retry-After", str(response.retry_after))
                if response.location is not None:
                    self.send_header("Location", response.location)
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (its timeout): what the call did stays done

        def _dispatch(self) -> None:
            parts = urlsplit(self.path)
            body = self._read_body()
            path = parts.path
            if path.startswith("/api/"):
                args = _merge_args(parts.query, body, self.headers.get("Content-Type") or "")
                if args is None:
                    self._send(_Response(200, b'{"ok": false, "error": "invalid_json"}'))
                    return
                authorization = self.headers.get("Authorization") or ""
                app = _client(authorization, args)
                token = _token(authorization, args)
                self._send(transport.answer_api(path[len("/api/") :], args, token, app))
            elif path == AUTHORIZE_PATH and self.command == "GET":
                self._send(transport.authorize(parts.query))
            elif path.startswith("/upload/") and self.command == "POST":
                self._send(transport.answer_upload(path[len("/upload/") :], body))
            elif path.startswith("/response/") and self.command == "POST":
                self._send(transport.answer_response_url(path[len("/response/") :], body))
            else:
                self._send(_Response(404, b"not found", _TEXT))

        do_GET = _dispatch
        do_POST = _dispatch

    return Handler
