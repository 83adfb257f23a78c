"""No stack trace ever reaches Slack: failed work logs and tells the person, briefly, in their
language."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, Respond
from slack_sdk.errors import SlackApiError

from bot.i18n import language_of, translator
from bot.services.deps import DatabaseBusy
from bot.slack.context import LANGUAGES_KEY, caller_of, deps_of, slack_locale
from bot.slack.gateway import slack_error_code
from bot.slack.profiles import Kept

log = logging.getLogger("bot.slack")


def caller_language(context: BoltContext, *, recent: bool = False) -> str:
    """The caller's language from the database, else from the Slack locale already known (see
    `slack_locale`): no Slack call, usable anywhere. `recent`: as read for this caller within
    LANGUAGE_TTL_SECONDS, if it was (the "busy" answers, which need no query then)."""
    caller = caller_of(context)
    languages: Kept[tuple[str, str], str] | None = context.get(LANGUAGES_KEY) if recent else None
    key = (caller.team_id, caller.slack_user_id)
    if languages is not None and (known := languages.get(key)) is not None:
        return known
    from bot.services.home import language_of_caller

    try:
        language = language_of_caller(deps_of(context), caller, slack_locale(context))
    except Exception:  # the database may be what failed: the locale is all that is left
        log.exception("could not read the language of %s", context.user_id)
        return language_of(None, slack_locale(context))
    if languages is not None:
        languages.put(key, language)
    return language


def _from_nobody(error: Exception, context: BoltContext | None) -> bool:
    """Slack does not know the caller (a forged or since deleted user): not a fault of Nudge's,
    and nobody to tell. One line in the log, with at most 32 characters of what was sent."""
    if not (isinstance(error, SlackApiError) and slack_error_code(error) == "user_not_found"):
        return False
    log.warning(
        "refused a request from a user Slack does not know (%.32r)", context and context.user_id
    )
    return True


SPENT_TRIGGERS = frozenset({"invalid_trigger_id", "expired_trigger_id", "exchanged_trigger_id"})


def _spent_trigger(error: Exception) -> bool:
    """Slack would not open a modal for the trigger_id a request carried (used, expired or
    forged): one line in the log. Only for work with nobody to tell (a click in App Home)."""
    if not (isinstance(error, SlackApiError) and slack_error_code(error) in SPENT_TRIGGERS):
        return False
    log.warning("Slack refused a modal's trigger_id: %s", slack_error_code(error))
    return True


def apologise_on_error(work: Callable[..., None]) -> Callable[..., None]:
    """Wrap the work behind a command or a button: a failure becomes a short apology."""

    @functools.wraps(work)
    def guarded(respond: Respond, context: BoltContext, **kwargs: Any) -> None:
        try:
            work(respond=respond, context=context, **kwargs)
        except DatabaseBusy:
            log.warning("listener %s gave up: the database stayed locked", work.__name__)
            _tell(respond, context, "error.database_busy")
        except Exception as error:
            if _from_nobody(error, context):
                return
            log.exception("listener %s failed", work.__name__)
            _tell(respond, context, "error.apology")

    return guarded


def _tell(respond: Respond, context: BoltContext, key: str) -> None:
    """Say what became of the work (nothing of it was stored), as a short ephemeral."""
    try:
        sorry = translator(caller_language(context))(key)
        respond(text=sorry, response_type="ephemeral", replace_original=False)
    except Exception:
        log.exception("could not tell the user about the failure")


def apologise_quietly(work: Callable[..., None]) -> Callable[..., None]:
    """Wrap work that has nobody to answer (an event): a failure is logged, never raised into the
    work queue's thread."""

    @functools.wraps(work)
    def guarded(**kwargs: Any) -> None:
        try:
            work(**kwargs)
        except Exception as error:
            if not (_from_nobody(error, kwargs.get("context")) or _spent_trigger(error)):
                log.exception("%s failed", work.__name__)

    return guarded
