"""HTTP serving: Bolt's WSGI adapter behind waitress (a production WSGI server), plus /healthz and
/metrics."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import make_wsgi_app
from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from bot import observe

EVENTS_PATH = "/slack/events"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


log = logging.getLogger("bot.slack")


class NudgeRequestHandler(SlackRequestHandler):
    """Bolt's WSGI adapter, with two things set right before Bolt sees the request.

    - slack_bolt's `parse_body` reads any form body that contains the word "payload" as an
      interactive payload, so `/learn now payload` arrives empty and is answered 404 (README,
      "Known issues"). A form body with no `payload` field is read as the fields it has.
    - A request timestamp that is not a whole number is refused 401 here: Bolt would raise on it
      deep in the signature check and answer with an apology and a traceback in the log.
    - A button press or modal submission whose fields are of the wrong type is refused 400
      (`bot.slack.payloads`): Bolt and the listeners would fail on it with a traceback.
    """

    def __init__(self, app: App, path: str, signing_secret: str) -> None:
        super().__init__(app, path=path)
        self._verifier = SignatureVerifier(signing_secret)

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        started = time.perf_counter()
        headers = request.get_headers()
        given = next(
            (v for k, v in headers.items() if k.lower() == "x-slack-request-timestamp"), None
        )
        stamp = given if isinstance(given, str) or given is None else next(iter(given), "")
        if stamp is not None and not stamp.isdigit():
            return _unread(BoltResponse(status=401, body='{"error":"invalid request"}'), started)
        try:
            body = request.get_body()
        except UnicodeDecodeError:  # Slack sends UTF-8; anything else is not from Slack
            return _unread(BoltResponse(status=400, body='{"error":"invalid request"}'), started)
        try:
            bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
        # A payload that is not a JSON object; KeyError: Bolt's own debug line for a view with
        # several `response_urls` reads a logger its fresh context does not have yet.
        except (ValueError, AttributeError, TypeError, KeyError):
            return _unread(self._refuse(body, headers), started)
        if "payload" in body and not bolt_request.body and not body.lstrip().startswith("{"):
            fields = dict(parse_qsl(body, keep_blank_values=True))
            if "payload" not in fields:
                bolt_request.body = fields
                bolt_request.context = build_context(BoltContext({}), fields)
        # Imported here: its pydantic models take ~10 ms to build, which the first /healthz
        # need not wait for (tests/test_start_up.py).
        from bot.slack.payloads import well_formed

        if not well_formed(bolt_request.body):
            return _unread(self._refuse(body, headers), started)
        try:
            return self.app.dispatch(bolt_request)
        except Exception as error:  # Bolt's own matching met a payload of another shape
            # One line: a stranger's payload must not fill the log with tracebacks.
            log.warning("refused a request Bolt could not read (%s)", type(error).__name__)
            return _unread(self._refuse(body, headers), started)

    def _refuse(self, body: str, headers: dict[str, Any]) -> BoltResponse:
        """401 when the signature does not verify, else 400: a malformed request is never a 500
        (waitress's error page) and never reaches a listener."""
        flat = {
            k.lower(): v if isinstance(v, str) else next(iter(v), "") for k, v in headers.items()
        }
        stamp = flat.get("x-slack-request-timestamp", "")
        signed = stamp.isdigit() and self._verifier.is_valid(
            body, stamp, flat.get("x-slack-signature", "")
        )
        return BoltResponse(status=400 if signed else 401, body='{"error":"invalid request"}')


def _unread(response: BoltResponse, started: float) -> BoltResponse:
    """A request refused before Bolt read it (the app logs those it reads): its line and count."""
    seconds = time.perf_counter() - started
    observe.request(
        kind="unreadable", action="", workspace="", user="", status=response.status, seconds=seconds
    )
    return response


@dataclass(frozen=True)
class HealthReport:
    problem: str | None  # None when requests can be served, else what is wrong, in a few words
    details: Mapping[str, object] = field(default_factory=dict)  # what /healthz shows beside it


Health = Callable[[], HealthReport]


def always_healthy() -> HealthReport:
    return HealthReport(None)


def probes_app(health: Health = always_healthy) -> WSGIApp:
    """`health` is asked on every GET /healthz: 200, or 503 when requests could not be served,
    so that a load balancer stops sending them; the body is JSON, `status` first ("ok", or what
    is wrong). GET /metrics is Prometheus's text format (bot.observe). Anything else: 404 (in
    Socket Mode, where this is all that HTTP serves)."""
    metrics = make_wsgi_app()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            report = health()
            status = "200 OK" if report.problem is None else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            body = {"status": report.problem or "ok", **report.details}
            return [json.dumps(body, ensure_ascii=False).encode() + b"\n"]
        if path == "/metrics":
            return metrics(environ, start_response)  # type: ignore[no-any-return]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    return application


PROBES = ("/healthz", "/metrics")


def wsgi_app(app: App, health: Health = always_healthy) -> WSGIApp:
    """Slack's requests to Bolt, and the probes (`probes_app`) beside them."""
    slack = NudgeRequestHandler(app, EVENTS_PATH, app._signing_secret)  # Bolt keeps it private
    probes = probes_app(health)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") in PROBES:
            return probes(environ, start_response)
        return slack(environ, start_response)

    return application


class WebServer:
    """waitress on HOST:PORT; port 0 picks a free one (tests, demo), read back from `.port`.
    `app` None: only /healthz and /metrics (Socket Mode, where Slack's requests come over the
    socket)."""

    def __init__(
        self,
        app: App | None,
        *,
        host: str = "0.0.0.0",
        port: int = 3000,
        threads: int = 8,
        health: Health = always_healthy,
    ):
        # The socket map is ours, so that the serving thread can poll and close its sockets.
        self._sockets: dict[int, Any] = {}
        served = probes_app(health) if app is None else wsgi_app(app, health)
        server = create_server(served, map=self._sockets, host=host, port=port, threads=threads)
        # One host and port make one listening socket, never waitress's multi-socket server.
        assert isinstance(server, BaseWSGIServer)
        self._server = server
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._closing = threading.Lock()

    @property
    def port(self) -> int:
        return int(self._server.getsockname()[1])

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
        """Serve on this thread until the process ends (the benchmarks' bare app)."""
        self._server.run()

    def start(self) -> WebServer:
        self._thread = threading.Thread(
            target=self._serve_until_stopped, name="nudge-web", daemon=True
        )
        self._thread.start()
        return self

    def _serve_until_stopped(self) -> None:
        sockets = self._sockets
        while not self._stopping.is_set():
            wasyncore.loop(timeout=30, map=sockets, count=1)
        # Sockets are closed by the thread that polls them: closing them from another thread
        # while select() waits on them fails with EBADF. The lock keeps them open until `stop`
        # has pulled the trigger, which would otherwise write to a closed pipe.
        with self._closing:
            wasyncore.close_all(sockets)

    def stop(self) -> None:
        """Finish the requests in flight (their answers still flow out), then end the loop."""
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        with self._closing:
            if not self._stopping.is_set():  # a second stop finds the sockets closed
                self._stopping.set()
                self._server.pull_trigger()  # wake the loop's select() at once
        if self._thread is not None:
            self._thread.join(timeout=10)
