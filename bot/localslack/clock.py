"""A clock you advance by hand, for the local Slack, the driver and the bot in tests and demos.

Trigger expiry, response_url lifetimes, rate-limit windows and message timestamps all read the
injected clock, so a test moves time forward instead of sleeping.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime


class FakeClock:
    """Callable like ``time.time``; ``now`` gives the bot its datetime. Thread-safe because the
    server reads it from its threads."""

    def __init__(self, start: float | datetime = 1_700_000_000.0) -> None:
        self._now = start.timestamp() if isinstance(start, datetime) else float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def now(self) -> datetime:
        """The same moment as an aware UTC datetime: the bot's clock."""
        return datetime.fromtimestamp(self(), UTC)

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._now += seconds
            return self._now

    def set(self, when: float | datetime) -> None:
        with self._lock:
            self._now = when.timestamp() if isinstance(when, datetime) else float(when)
