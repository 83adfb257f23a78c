"""The Slack profiles of callers Nudge has not met, kept a short while per process.

Someone who has no member row yet (they have only asked for help, opened Settings, or are typing
`/learn` again and again) would cost a users.info call on every request: a burst from one person,
or a property test's hundreds, meets users.info's rate limit. Once Nudge has met them, the member
row holds their zone and locale and users.info is not asked at all.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from bot.learning.model import MemberProfile

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# A minute: a burst of requests from one person asks Slack once, and a zone or language changed
# in Slack reaches a person Nudge has not met within a minute (once met, user_change events keep
# the member row current). Long enough to matter, short enough that nobody notices it.
PROFILE_TTL_SECONDS = 60.0
# A few thousand profiles are a few megabytes at most, however many strangers call.
PROFILES_MAX = 4096


class Kept(Generic[K, V]):
    """Values by key, each kept `ttl` seconds, the least recently used dropped first past `size`.
    Thread-safe: the request threads and the work queue's threads share it."""

    def __init__(
        self,
        *,
        ttl: float = PROFILE_TTL_SECONDS,
        size: int = PROFILES_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._size, self._clock = ttl, size, clock
        self._kept: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept for `key` if it is fresh; None otherwise."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or self._clock() - kept[0] >= self._ttl:
                self._kept.pop(key, None)
                return None
            self._kept.move_to_end(key)
            return kept[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._kept[key] = (self._clock(), value)
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)


# Profiles by (token, user id): what users.info said lately (the gateway never asks it for them).
ProfileCache = Kept[tuple[str, str], MemberProfile]
