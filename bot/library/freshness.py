"""``checked: YYYY-MM``: the month a lesson's platform facts were last verified.

Platform facts go stale (limits, objectives, where a feature is sold), so every English lesson
states when its facts were verified and the checker warns once that month is more than
``limits.CHECKED_MONTHS_MAX`` before today. Today is an input: the CLI passes the calendar's,
a reload the bot's clock's, a test a fixed date. The format itself is the schema's
(``schema.parse_month``); this module judges a well-formed month against today.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.i18n import Message
from bot.library import limits
from bot.library.problems import ProblemSink
from bot.library.schema import parse_month
from bot.library.yamllines import LinedYaml


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (days ignored)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def check_freshness(
    lined: LinedYaml, path: Path, original: bool, today: date, sink: ProblemSink
) -> None:
    """Missing (an original's) or stale: warnings; a month after today's: an error.

    Reads the raw data, so it runs when another field is wrong; a malformed month is left to
    validation. A translation inherits the original's month, so only the original is told
    that it is stale or missing.
    """
    data = lined.data
    if not isinstance(data, dict):
        return
    line = lined.line_of(("checked",))
    if "checked" not in data:
        if original:
            sink.warning(path, line, Message("check.problem.no_checked_month"))
        return
    month = parse_month(data["checked"])
    if month is None:
        return
    age = months_between(month, today)
    if age < 0:
        sink.error(
            path,
            line,
            Message(
                "check.problem.checked_in_future", month=f"{month:%Y-%m}", today=f"{today:%Y-%m-%d}"
            ),
        )
    elif original and age > limits.CHECKED_MONTHS_MAX:
        sink.warning(
            path,
            line,
            Message(
                "check.problem.checked_long_ago",
                month=f"{month:%Y-%m}",
                months=limits.CHECKED_MONTHS_MAX,
                today=f"{today:%Y-%m}",
            ),
        )
