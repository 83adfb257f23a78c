"""A pace for one kind of Slack call, shared by the threads of one process: the clock's fan-out
posts at the allowance Slack gives a workspace, not faster (a 429 would cost a second's wait per
thread) and not slower.

Only the clock sends at volume, and a deployment has one clock, so one process's pace is the
workspace's pace.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.slack.gateway import Sleep


class Pace:
    def __init__(
        self,
        per_minute: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._interval = 60.0 / per_minute
        self._monotonic, self._sleep = monotonic, sleep
        self._next = monotonic()
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Return when this call may go: calls are spaced evenly, in the order they asked."""
        with self._lock:
            now = self._monotonic()
            at = max(self._next, now)
            self._next = at + self._interval
        if at > now:
            self._sleep(at - now)
