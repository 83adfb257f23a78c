"""What a test can do to the local Slack's answers: park calls to a method, slow the next ones
down, or fail them.

All act in the transport before a handler runs, so a test can prove the bot does not wait on the
Web API (a parked call), gives up on a stalled one at its timeout (a slowdown) and that its retry
handlers cope with 429 and 5xx (a forced failure).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


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
class ForcedFailure:
    """The next ``times`` calls of a method answer ``status`` (429 with Retry-After, or a 5xx);
    with ``every`` = 2 only every second call does (the first, third, ...), so that half of all
    calls fail and every retry of a failed one goes through."""

    status: int
    retry_after: int
    times: int
    every: int = 1
    error: str = ""  # Slack's error code to answer with (a 200 with ok: false, e.g. invalid_blocks)
    seen: int = 0


@dataclass
class Slowdown:
    """The next ``times`` calls of a method wait ``seconds`` (beyond any latency) before they are
    looked at, and are then answered as usual: Slack stalling on one method. A client that gives
    up meanwhile does not stop the call, as a real Slack may post a message nobody saw succeed."""

    seconds: float
    times: int
