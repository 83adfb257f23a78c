"""Slack's rate limits, enforced by the injected clock: a call over its allowance answers 429.

Windowed methods get their tier's calls per clock minute; chat.postMessage gets a token bucket per
channel, as Slack allows short bursts there. The allowances themselves are in :mod:`tiers`.
"""

from __future__ import annotations

import math
from typing import Any

from bot.localslack import tiers
from bot.localslack.errors import SlackError
from bot.localslack.state import SlackState


class RateLimiter:
    """Counts one workspace's calls; ``enabled`` off lets a demo post as fast as it likes."""

    def __init__(self, state: SlackState, *, enabled: bool = True) -> None:
        self.enabled = enabled
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
            return self._take_post_token(channel)
        return self._count_in_window(method)

    def _take_post_token(self, channel: str) -> int | None:
        now = self._state.clock()
        burst, rate = float(tiers.POST_MESSAGE_BURST), tiers.POST_MESSAGE_REFILL_PER_SECOND
        tokens, last = self._buckets.get(channel, (burst, now))
        tokens = min(burst, tokens + max(0.0, now - last) * rate)
        if tokens < 1.0:
            self._buckets[channel] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))
        self._buckets[channel] = (tokens - 1.0, now)
        return None

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
