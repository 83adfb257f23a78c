"""Long-running processes: `run` (all in one), `web` (HTTP only) and `clock` (the scheduler)."""

from __future__ import annotations

import logging
import re
import signal
import threading
from collections.abc import Callable
from http.client import HTTPException
from typing import TYPE_CHECKING
from urllib.error import URLError

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.runtime import build_deps, collect_again
from bot.settings import SLACK_API_URL_DEFAULT, ConfigError, Settings
from bot.slack.app import build_app, health_of, make_queues
from bot.slack.context import Queues
from bot.slack.web import WebServer

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger("bot")

# The probe reports its own failure in one line; left to itself slack_sdk logs every failed attempt
# (ERROR) and every retry (INFO) first. A logger outside the hierarchy with a NullHandler says nothing,
# and the NullHandler keeps logging's last-resort handler from printing to stderr instead.
_QUIET = logging.Logger("nudge.slack-probe")
_QUIET.addHandler(logging.NullHandler())

# Slack's own error codes are snake_case words (invalid_auth, token_revoked, account_inactive);
# anything else in `error` is slack_sdk describing a reply that did not come from Slack's API.
_SLACK_ERROR_CODE = re.compile(r"[a-z_]+")


class SlackUnreachable(ConfigError):
    """No answer from SLACK_API_URL at all (as opposed to an answer that refuses the token)."""


class SlackWatch:
    """Whether Slack answered auth.test. `web` starts even when Slack does not answer (a Slack
    outage must not stop a deploy): /healthz says "degraded" and auth.test is retried until it
    answers. A token Slack refuses still stops start-up: that is a setting to fix, not an outage."""

    RETRY_SECONDS = 30.0

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._answered = threading.Event()
        # Slack's answer at start, which Bolt's App is given rather than asking again.
        self.verified: SlackResponse | None = None
        if settings.many_workspaces:
            # No token of its own to check: each workspace's is checked as its requests come.
            self._answered.set()
            return
        try:
            self.verified = check_slack(settings)
            self._answered.set()
        except SlackUnreachable as down:
            log.warning("%s Serving anyway; /healthz says degraded until Slack answers.", down)
            threading.Thread(target=self._retry, name="nudge-slack-watch", daemon=True).start()

    @property
    def answered(self) -> bool:
        return self._answered.is_set()

    def health(self) -> str | None:
        return None if self.answered else "degraded: Slack does not answer"

    def _retry(self) -> None:
        while not self._answered.wait(self.RETRY_SECONDS):
            try:
                check_slack(self._settings)
            except SlackUnreachable:
                continue
            except ConfigError as refused:  # it answers now, and refuses the token
                log.error("%s", refused)
                continue
            log.info("Slack answers again")
            self._answered.set()


# Where each token Slack may refuse comes from, said in the one line that start-up prints.
_TOKEN_SOURCES = {
    "slack_bot_token": "the Bot User OAuth Token (xoxb-...) on the OAuth & Permissions page of the "
    "app installed in your workspace",
    "slack_app_token": "an App-Level Token (xapp-...) with the connections:write scope, from the "
    "Basic Information page of the same app",
}


def check_slack(settings: Settings) -> SlackResponse:
    """Call auth.test once before anything is opened or built, so that an unreachable Slack or a
    refused token ends start-up with one line. Bolt's App would make the same call in its
    constructor and let a connection error through as a 100-line traceback: it is given this
    answer instead (bot.slack.app.build_app's `verified`)."""
    return _ask_slack(settings, "auth.test", "slack_bot_token")


def open_socket_url(settings: Settings) -> str:
    """A Socket Mode WebSocket URL from apps.connections.open with SLACK_APP_TOKEN, asked before
    anything is built so that a refused token ends start-up with one line. slack_sdk's Socket
    Mode client would log Slack's whole answer at ERROR and raise it through a traceback."""
    return str(_ask_slack(settings, "apps.connections.open", "slack_app_token")["url"])


def socket_mode_handler(app: App, settings: Settings, url: str) -> SocketModeHandler:
    """Bolt's Socket Mode handler for ``app``, to connect to ``url`` (see :func:`open_socket_url`)
    with connect(). It reconnects by itself whenever Slack asks it to or the connection drops;
    close() stops it."""
    # Imported here: only Socket Mode needs its client, and `web` starts without it.
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, settings.slack_app_token)
    # The client calls apps.connections.open itself only when it has no URL: it uses the one the
    # start-up check obtained, whose ticket would otherwise go unused.
    handler.client.wss_uri = url
    return handler


def _ask_slack(settings: Settings, method: str, setting: str) -> SlackResponse:
    """Call ``method`` with the token in ``setting``; any failure is one ConfigError line."""
    url = settings.slack_api_url
    client = WebClient(
        token=getattr(settings, setting),
        base_url=url,
        timeout=settings.slack_timeout,
        # The app's own client retries as often, so a blip at start-up is not fatal here either.
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=settings.slack_max_retries),
            ServerErrorRetryHandler(max_retry_count=settings.slack_max_retries),
        ],
        logger=_QUIET,
    )
    try:
        return client.api_call(method)
    except SlackApiError as answered:
        status = answered.response.status_code
        code = answered.response.get("error")
        slack_code = code if isinstance(code, str) and _SLACK_ERROR_CODE.fullmatch(code) else ""
        if status == 200 and slack_code:
            raise ConfigError(
                f"Slack at {url} refused {setting.upper()} ({slack_code}): check that it is "
                f"{_TOKEN_SOURCES[setting]}."
            ) from None
        detail = f" ({slack_code})" if slack_code else ", not a Slack API reply"
        raise ConfigError(
            f"{url} answered {method} with HTTP {status}{detail}: check SLACK_API_URL (Slack's is "
            f"{SLACK_API_URL_DEFAULT}), or try again later if Slack is having trouble."
        ) from None
    except ValueError:
        # urllib's answer to a URL without http:// or https://
        raise ConfigError(
            f"SLACK_API_URL is {url!r}, not an http(s) URL (Slack's is {SLACK_API_URL_DEFAULT})."
        ) from None
    except (OSError, HTTPException) as unreachable:
        raise SlackUnreachable(
            f"cannot reach Slack at {url} ({_reason(unreachable)}): check SLACK_API_URL, and that "
            "this host can make outbound HTTPS requests (DNS, proxy, firewall)."
        ) from None


def _reason(error: Exception) -> str:
    """'Connection refused', 'timed out', 'Name or service not known': the words, not the repr."""
    cause: object = error.reason if isinstance(error, URLError) else error
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror
    return str(cause) or type(cause).__name__


def web(settings: Settings) -> int:
    """HTTP serving with waitress; run several of these behind a load balancer to scale."""
    settings.require_slack()
    watch = SlackWatch(settings)
    deps = build_deps(settings)
    queues = make_queues(deps)
    # With Slack silent, Bolt checks the token at the first request instead of at start.
    app = build_app(deps, queues, verify_token=watch.answered, verified=watch.verified)
    health = health_of(deps, queues, also=watch.health)
    server = WebServer(app, port=settings.port, health=health)
    installs = ", GET /slack/install" if settings.many_workspaces else ""
    log.info(
        "Nudge is listening on port %s (POST /slack/events%s, GET /healthz)", server.port, installs
    )
    until_told_to_stop(server.start, server.stop, queues)
    return 0


def until_told_to_stop(
    start: Callable[[], object], stop_taking: Callable[[], object], queues: Queues
) -> None:
    """Start taking requests and take them until SIGTERM (a deploy, a scale-down) or Ctrl-C; then
    stop taking them, finish those in flight and the work they queued, and return: nothing
    acknowledged is dropped."""
    told = threading.Event()
    for sign in (signal.SIGTERM, signal.SIGINT):
        # Set from a thread of its own: the main thread may be inside `told.wait()` holding the
        # event's lock when the signal's handler runs on it (see bot.clock.worker).
        signal.signal(sign, lambda _sign, _frame: threading.Thread(target=told.set).start())
    collect_again()
    start()
    told.wait()
    log.info("stopping: finishing the requests in flight and the work they queued")
    stop_taking()
    queues.close()
    log.info("stopped")


def run(settings: Settings) -> int:
    """One process for a small team, with the clock and one worker beside the app: Socket Mode
    when SLACK_APP_TOKEN is set, else HTTP on PORT."""
    if settings.work_in == "worker":
        raise ConfigError(
            "WORK_IN=worker is for `web` beside `worker` processes; `run` does its work itself: "
            "unset WORK_IN (or set it to web)."
        )
    settings.require_slack()
    verified = None if settings.many_workspaces else check_slack(settings)
    socket_url = open_socket_url(settings) if settings.slack_app_token else None
    deps = build_deps(settings)
    queues = make_queues(deps)
    app = build_app(deps, queues, verified=verified)
    from bot.clock import start_beside

    stop_clock = start_beside(deps)
    if socket_url is None:
        server = WebServer(app, port=settings.port, health=health_of(deps, queues))
        log.info("Nudge and its clock are listening on port %s", server.port)
        until_told_to_stop(server.start, server.stop, queues)
    else:
        # No requests over HTTP, but a load balancer's or Prometheus's probes all the same.
        probes = WebServer(
            None, port=settings.metrics_port or settings.port, health=health_of(deps, queues)
        )
        log.info(
            "Nudge is connecting to Slack over Socket Mode, with the clock beside it; "
            "GET /healthz and GET /metrics on port %s",
            probes.port,
        )
        handler = socket_mode_handler(app, settings, socket_url)

        def start() -> None:
            probes.start()
            handler.connect()  # type: ignore[no-untyped-call]

        def stop() -> None:
            handler.close()  # type: ignore[no-untyped-call]
            probes.stop()

        until_told_to_stop(start, stop, queues)
    stop_clock()
    return 0
