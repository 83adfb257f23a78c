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
from collections.abc import Callable

from bot.learning.model import MemberProfile

# A minute: a burst of requests from one person asks Slack once, and a zone or language changed
# in Slack reaches a person Nudge has not met within a minute (once met, user_change events keep
# the member row current). Long enough to matter, short enough that nobody notices it.
PROFILE_TTL_SECONDS = 60.0
# A few thousand profiles are a few megabytes at most, however many strangers call.
PROFILES_MAX = 4096


class ProfileCache:
    """Profiles by (token, user id), each kept PROFILE_TTL_SECONDS, the least recently used
    dropped first past `size`. Thread-safe: the work queue's threads share it."""

    def __init__(
        self,
        *,
        ttl: float = PROFILE_TTL_SECONDS,
        size: int = PROFILES_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._size, self._clock = ttl, size, clock
        self._kept: OrderedDict[tuple[str, str], tuple[float, MemberProfile]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> MemberProfile | None:
        """The profile kept for `key` if it is fresh; None otherwise (Slack is never asked)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or self._clock() - kept[0] >= self._ttl:
                self._kept.pop(key, None)
                return None
            self._kept.move_to_end(key)
            return kept[1]

    def put(self, key: tuple[str, str], profile: MemberProfile) -> None:
        with self._lock:
            self._kept[key] = (self._clock(), profile)
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
