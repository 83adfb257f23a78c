"""SocketModeDriver: the requests :class:`SlackDriver` builds, sent over Socket Mode instead.

Every command, click, submission and event is built by the same code as over HTTP and delivered
in an envelope on the app's WebSocket connection to the local Slack; the acknowledgement's
payload plays the part of the HTTP answer's body, so what Slack does with it (a command's reply
shown to the invoker, a modal closed or updated) is the same code too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from bot.localslack.driver import DriverResponse, SlackDriver
from bot.localslack.records import EnvelopeType
from bot.localslack.server import LocalSlack


class SocketModeDriver(SlackDriver):
    """Plays Slack's side of Socket Mode for one workspace (``slack``). Each request waits for the
    app's acknowledgement, up to ``timeout`` (TimeoutError): an envelope sent while the app is not
    connected waits for it to connect. There is no HTTP here: no signing, no url_verification."""

    def __init__(
        self,
        slack: LocalSlack,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        # No URL and a secret nothing is signed with: every request goes through _deliver below.
        super().__init__("", "socket-mode-signs-nothing", slack, clock=clock, timeout=timeout)

    def _deliver(
        self,
        kind: EnvelopeType,
        payload: dict[str, Any],
        *,
        retry: tuple[int, str] | None = None,
    ) -> DriverResponse:
        started = time.perf_counter()
        attempt, reason = retry if retry is not None else (None, None)
        envelope = self.slack.socket_mode.deliver(
            kind, payload, retry_attempt=attempt, retry_reason=reason
        )
        self.slack.wait_for(lambda: envelope.ack is not None, self._timeout)
        answer = envelope.response_payload
        return DriverResponse(
            status=200,
            headers={},
            body=json.dumps(answer) if answer else "",
            elapsed=time.perf_counter() - started,
            payload=payload,
        )
