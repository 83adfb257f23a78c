"""Slack's rate limits, enforced by the injected clock: a call over its allowance answers 429.

Windowed methods get their tier's calls per clock minute; chat.postMessage gets a token bucket per
channel, as Slack allows short bursts there, and one for the whole workspace. The allowances
themselves are in :mod:`tiers`.
"""

from __future__ import annotations

import math
from typing import Any

from bot.localslack import tiers
from bot.localslack.errors import SlackError
from bot.localslack.state import SlackState

# The workspace bucket holds this many seconds of its allowance, so that a handful of messages to
# different channels at once is never refused while the pace over a minute still holds.
WORKSPACE_BURST_SECONDS = 3


class RateLimiter:
    """Counts one workspace's calls; ``enabled`` off lets a demo post as fast as it likes."""

    def __init__(
        self,
        state: SlackState,
        *,
        enabled: bool = True,
        post_allowance: int = tiers.POST_MESSAGE_WORKSPACE_PER_MINUTE,
    ) -> None:
        self.enabled = enabled
        self.post_allowance = post_allowance  # chat.postMessage per minute, whole workspace
        self._state = state
        self._windows: dict[str, tuple[int, int]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}

    def retry_after(self, method: str, args: dict[str, Any]) -> int | None:
        """Seconds to wait when this call is over its tier, else None (and count the call)."""
        if not self.enabled:
            return None
        if method == "chat.postMessage":
            try:
                channel = self._state.resolve_post_channel(str(args.get("channel") or ""))
            except SlackError:
                return None  # the handler answers channel_not_found
            rate = self.post_allowance / 60
            workspace = self._peek("*workspace*", max(1.0, rate * WORKSPACE_BURST_SECONDS), rate)
            if workspace is not None:
                return workspace
            wait = self._peek(
                channel, float(tiers.POST_MESSAGE_BURST), tiers.POST_MESSAGE_REFILL_PER_SECOND
            )
            if wait is None:  # both allow it: spend one of each
                self._spend("*workspace*")
                self._spend(channel)
            return wait
        return self._count_in_window(method)

    def _peek(self, bucket: str, burst: float, rate: float) -> int | None:
        """Refill the bucket to now; seconds until a token when it has none, else None."""
        now = self._state.clock()
        tokens, last = self._buckets.get(bucket, (burst, now))
        tokens = min(burst, tokens + max(0.0, now - last) * rate)
        self._buckets[bucket] = (tokens, now)
        return None if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) / rate))

    def _spend(self, bucket: str) -> None:
        tokens, last = self._buckets[bucket]
        self._buckets[bucket] = (tokens - 1.0, last)

    def _count_in_window(self, method: str) -> int | None:
        allowance = tiers.per_minute(method)
        if allowance is None:
            return None
        now = self._state.clock()
        window = int(now // 60)
        current, count = self._windows.get(method, (window, 0))
        if current != window:
            count = 0
        if count >= allowance:
            return max(1, math.ceil((window + 1) * 60 - now))
        self._windows[method] = (window, count + 1)
        return None
