"""The local Slack's Socket Mode side: a WebSocket server on loopback that the app's real Socket
Mode client connects to, as it connects to Slack's ``wss://.../link/?ticket=...``.

slack_sdk's built-in client connects without TLS to any port but 443, so the bot's own
``SocketModeHandler`` runs unchanged against it. A connection needs a ticket that
apps.connections.open issued (one use each); it is greeted with ``hello``, receives envelopes
(``slash_commands``, ``interactive``, ``events_api``) and answers each with an acknowledgement,
``{"envelope_id": ..., "payload": ...}``, which is recorded on the :class:`Envelope`.
:meth:`SocketModeServer.drop` does what Slack does to refresh a connection: a ``disconnect``
message, then a closed socket. An envelope sent while no connection is open waits for the next
one, so a reconnecting app loses nothing.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import ServerConnection, serve

from bot.localslack.records import Envelope, EnvelopeType
from bot.localslack.state import SlackState

# websockets says "server listening" and "connection open" at INFO; a demo's log has no use for it.
_log = logging.getLogger(__name__)
_log.setLevel(logging.WARNING)

#: The host name Slack's hello and disconnect messages carry in ``debug_info``.
DEBUG_HOST = "applink-localslack"


class SocketModeServer:
    """Serves one state's Socket Mode on ``ws://127.0.0.1:<free port>`` until ``close``."""

    def __init__(self, state: SlackState) -> None:
        self._state = state
        #: Connections open for delivery, newest last (under the state's lock).
        self._open: list[ServerConnection] = []
        self._server = serve(
            self._serve_connection,
            "127.0.0.1",
            0,
            process_request=self._admit,
            compression=None,
            logger=_log,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="localslack-socket-mode", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- what a test asks of it -----------------------------------------------------------------
    @property
    def connections(self) -> int:
        """How many connections are open for delivery (one that was told to disconnect is not)."""
        with self._state.lock:
            return len(self._open)

    @property
    def envelopes(self) -> list[Envelope]:
        with self._state.lock:
            return list(self._state.envelopes)

    def deliver(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        retry_attempt: int | None = None,
        retry_reason: str | None = None,
    ) -> Envelope:
        """Send ``payload`` to the app in an envelope, on its newest connection, or queued for the
        next one. Slack reads an acknowledgement's payload for slash commands and modal
        submissions only; the Events API's envelopes say which delivery this is."""
        state = self._state
        accepts = kind == "slash_commands" or payload.get("type") == "view_submission"
        if kind == "events_api" and retry_attempt is None:
            retry_attempt, retry_reason = 0, ""
        with state.changed:
            envelope = Envelope(
                f"{state.next_serial()}-{secrets.token_hex(8)}",
                kind,
                payload,
                accepts,
                state.clock(),
                retry_attempt,
                retry_reason,
            )
            state.envelopes.append(envelope)
            while self._open and envelope.sent_at is None:
                self._send_envelope(self._open[-1], envelope)
            state.changed.notify_all()
        return envelope

    def ping(self) -> None:
        """Ping every open connection, as Slack does now and then to keep it alive."""
        with self._state.lock:
            connections = list(self._open)
        for connection in connections:
            try:
                connection.ping()
            except ConnectionClosed:
                continue

    def drop(self, reason: str = "refresh_requested") -> None:
        """Do what Slack does to the open connections before it refreshes them: tell each to
        ``disconnect`` with ``reason``, then close it. Nothing is delivered on them after this."""
        state = self._state
        notice = {"type": "disconnect", "reason": reason, "debug_info": {"host": DEBUG_HOST}}
        with state.changed:
            dropped, self._open = self._open, []
            for connection in dropped:
                _send(connection, notice)
            state.changed.notify_all()
        for connection in dropped:
            # close() waits for the client's side of the closing handshake, which a client that
            # is busy reconnecting may answer late: the test that dropped it need not wait.
            threading.Thread(target=connection.close, name="localslack-drop", daemon=True).start()

    # -- one connection -------------------------------------------------------------------------
    def _admit(self, connection: ServerConnection, request: Request) -> Response | None:
        """Let the handshake through only with a ticket apps.connections.open issued, once."""
        ticket = parse_qs(urlsplit(request.path).query).get("ticket", [""])[0]
        with self._state.lock:
            if ticket in self._state.socket_tickets:
                self._state.socket_tickets.discard(ticket)
                return None
        return connection.respond(HTTPStatus.UNAUTHORIZED, "invalid_ticket\n")

    def _serve_connection(self, connection: ServerConnection) -> None:
        state = self._state
        hello = {
            "type": "hello",
            "num_connections": 0,
            "debug_info": {"host": DEBUG_HOST, "approximate_connection_time": 18060},
            "connection_info": {"app_id": state.workspace.bot.app_id},
        }
        with state.changed:
            hello["num_connections"] = len(self._open) + 1
            if _send(connection, hello):
                self._open.append(connection)
                for waiting in [e for e in state.envelopes if e.sent_at is None]:
                    self._send_envelope(connection, waiting)
            state.changed.notify_all()
        try:
            for message in connection:
                self._receive(message)
        except ConnectionClosed:
            pass
        finally:
            with state.changed:
                if connection in self._open:
                    self._open.remove(connection)
                state.changed.notify_all()

    def _send_envelope(self, connection: ServerConnection, envelope: Envelope) -> None:
        """Send on ``connection``, or forget a connection that closed meanwhile (the envelope
        then waits for the next one). Under the state's lock."""
        if _send(connection, envelope.to_slack()):
            envelope.sent_at = self._state.clock()
        elif connection in self._open:
            self._open.remove(connection)

    def _receive(self, message: str | bytes) -> None:
        """Record an acknowledgement on its envelope; Slack ignores anything else an app sends."""
        try:
            ack = json.loads(message)
        except ValueError:
            return
        if not isinstance(ack, dict):
            return
        state = self._state
        with state.changed:
            envelope = next(
                (e for e in state.envelopes if e.id == ack.get("envelope_id") and e.ack is None),
                None,
            )
            if envelope is not None:
                envelope.ack = ack
                envelope.acked_at = state.clock()
                state.changed.notify_all()


def _send(connection: ServerConnection, message: dict[str, Any]) -> bool:
    """Whether ``message`` went out (False: the connection had closed)."""
    try:
        connection.send(json.dumps(message))
    except ConnectionClosed:
        return False
    return True
