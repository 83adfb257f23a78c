"""HTTP serving: Bolt's WSGI adapter behind waitress (a production WSGI server), plus /healthz."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

EVENTS_PATH = "/slack/events"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def wsgi_app(app: App) -> WSGIApp:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return application


class WebServer:
    """waitress on HOST:PORT; port 0 picks a free one (tests, demo), read back from `.port`."""

    def __init__(self, app: App, *, host: str = "0.0.0.0", port: int = 3000, threads: int = 8):
        # The socket map is ours, so that the serving thread can poll and close its sockets.
        self._sockets: dict[int, Any] = {}
        server = create_server(
            wsgi_app(app), map=self._sockets, host=host, port=port, threads=threads
        )
        # One host and port make one listening socket, never waitress's multi-socket server.
        assert isinstance(server, BaseWSGIServer)
        self._server = server
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        return int(self._server.getsockname()[1])

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
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
        # while select() waits on them fails with EBADF.
        wasyncore.close_all(sockets)

    def stop(self) -> None:
        """Finish the requests in flight (their answers still flow out), then end the loop."""
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        self._stopping.set()
        self._server.pull_trigger()  # wake the loop's select() at once
        if self._thread is not None:
            self._thread.join(timeout=10)
