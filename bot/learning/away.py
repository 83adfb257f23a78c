"""A Slack status that says someone is away pauses their lessons until the status ends.

Nobody should come back from a holiday to a pile of lessons, or be nudged on the beach: the status
people already set for their colleagues is enough, in English or Greek.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot.learning.model import MemberProfile

# A status without an end date keeps the pause until the status changes (a user_change event or the
# daily roster refresh clears it); stored as a date no schedule ever reaches.
UNTIL_CHANGED = datetime(9999, 12, 31, tzinfo=UTC)

AWAY_EMOJI = frozenset({":palm_tree:", ":desert_island:", ":beach_with_umbrella:", ":airplane:"})
AWAY_WORDS = re.compile(
    r"\b(vacation|vacay|holidays?|on leave|annual leave|ooo|out of (the )?office|pto|"
    r"άδεια|άδειας|διακοπές|διακοπών)\b",
    re.IGNORECASE,
)


def away_until(profile: MemberProfile, now: datetime) -> datetime | None:
    """When the away status ends (aware UTC), or None when the status does not say away."""
    away = profile.status_emoji in AWAY_EMOJI or bool(AWAY_WORDS.search(profile.status_text))
    if not away:
        return None
    if profile.status_expiration <= 0:
        return UNTIL_CHANGED
    ends = datetime.fromtimestamp(profile.status_expiration, UTC)
    return ends if ends > now else None
