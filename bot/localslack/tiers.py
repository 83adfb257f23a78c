"""Slack's rate-limit tiers for the Web API methods the local Slack serves.

Facts from Slack's method reference (docs.slack.dev, "Rate limits" of each method page). Limits are
per method, per workspace, per app; Slack publishes them as "N+ per minute", so the local Slack
enforces exactly N: a bot that stays under N is safe on real Slack too.
"""

from __future__ import annotations

from typing import Final, Literal

Tier = Literal["t1", "t2", "t3", "t4", "special"]

#: Calls allowed per method per workspace per minute, by tier.
PER_MINUTE: Final[dict[str, int]] = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}

#: Tier of every method served. ``special`` methods have their own rules (see below).
METHOD_TIERS: Final[dict[str, Tier]] = {
    "apps.connections.open": "t3",
    "auth.test": "special",  # documented as special; in practice thousands per minute
    "chat.postMessage": "special",  # about one message per second per channel, bursts allowed
    "chat.postEphemeral": "t4",
    "chat.update": "t3",
    "conversations.members": "t4",
    "conversations.open": "t3",
    "files.completeUploadExternal": "t4",
    "files.getUploadURLExternal": "t4",
    "oauth.v2.access": "special",  # Slack's reference: Tier 5; once per install
    "usergroups.users.list": "t2",
    "users.info": "t4",
    "users.list": "t2",
    "views.open": "t4",
    "views.publish": "t4",
    "views.push": "t4",
    "views.update": "t4",
}

#: auth.test: "special" in Slack's docs; modelled as a generous per-minute allowance.
AUTH_TEST_PER_MINUTE: Final[int] = 1000

#: chat.postMessage: a token bucket per channel. Slack allows short bursts over 1 msg/s.
POST_MESSAGE_BURST: Final[int] = 10
POST_MESSAGE_REFILL_PER_SECOND: Final[float] = 1.0

#: chat.postMessage across the whole workspace: an allowance per minute, spent evenly (a bucket
#: that holds a few seconds' worth). Slack publishes no number for it; the local Slack's is
#: configurable (``LocalSlack(post_allowance=...)``) so that a fan-out can be measured against it.
POST_MESSAGE_WORKSPACE_PER_MINUTE: Final[int] = 600


def per_minute(method: str) -> int | None:
    """The per-minute allowance of a windowed method; None when it is bucketed or unknown."""
    tier = METHOD_TIERS.get(method)
    if tier is None or method == "chat.postMessage":
        return None
    if tier == "special":
        return AUTH_TEST_PER_MINUTE if method == "auth.test" else None
    return PER_MINUTE[tier]
