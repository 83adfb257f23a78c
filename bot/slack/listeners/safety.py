"""No stack trace ever reaches Slack: a failed lazy listener logs and tells the person, briefly."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Respond

SORRY = (
    ":warning: Something went wrong on Nudge's side and nothing was changed. "
    "Please try again in a minute; if it keeps happening, tell your Nudge admin."
)

log = logging.getLogger("bot.slack")


def apologise_on_error(work: Callable[..., None]) -> Callable[..., None]:
    """Wrap a lazy listener. Bolt injects arguments by parameter name, so the signature is kept."""

    @functools.wraps(work)
    def guarded(respond: Respond, **kwargs: Any) -> None:
        try:
            work(respond=respond, **kwargs)
        except Exception:
            log.exception("listener %s failed", work.__name__)
            try:
                respond(text=SORRY, response_type="ephemeral", replace_original=False)
            except Exception:
                log.exception("could not tell the user about the failure")

    return guarded
