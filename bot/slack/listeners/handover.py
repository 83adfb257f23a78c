"""Acknowledge now, work later: what every listener does with a request that needs real work.

Where the work runs (`_offer`): on `web`'s own work threads; with WORK_IN=worker, in a worker,
which takes the stored request from the database and runs the same listener again, where these
functions run the work at once. Each caller says whether its work `opens_modal`: such work stays on
`web`'s threads in both modes, since a modal needs its trigger_id within 3 seconds of the click.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.i18n import translator
from bot.slack.context import queues_of
from bot.slack.listeners.safety import caller_language

log = logging.getLogger("bot.slack")


def busy_text(context: BoltContext) -> str:
    return translator(caller_language(context, recent=True))("error.busy")


def _offer(context: BoltContext, work: Callable[[], None], opens_modal: bool) -> bool:
    """Hand `work` over (False: refused, too much waits already). Accepted work always runs."""
    queues = queues_of(context)
    if queues.inline:
        work()
        return True
    if queues.forward is not None and not opens_modal:
        return queues.forward(context)
    return queues.work.offer(work)


def answer_later(
    ack: Ack, context: BoltContext, work: Callable[[], None], *, opens_modal: bool
) -> None:
    """For a slash command: an empty acknowledgement, or "busy" in it when the queue is full."""
    if _offer(context, work, opens_modal):
        ack()
    else:
        ack(text=busy_text(context), response_type="ephemeral")


def act_later(
    respond: Respond, context: BoltContext, work: Callable[[], None], *, opens_modal: bool
) -> None:
    """For a button (acknowledged already: Slack shows nothing of an action's ack body): "busy"
    goes through response_url from the notices queue, never from the request's thread."""
    if _offer(context, work, opens_modal):
        return

    def say_busy() -> None:
        respond(text=busy_text(context), response_type="ephemeral", replace_original=False)

    queues_of(context).notices.offer(say_busy)


def refresh_later(context: BoltContext, work: Callable[[], None], *, opens_modal: bool) -> None:
    """For an event: when the queue is full it is dropped; the next one does the same job."""
    if not _offer(context, work, opens_modal):
        log.warning("work queue full: dropped a refresh for %s", context.user_id)


def save_later(
    ack: Ack, context: BoltContext, work: Callable[[], None], *, block_id: str, language: str
) -> None:
    """For a modal's submission: it closes once the work is queued; when the queue is full it
    stays open with "busy" under `block_id`, so that nothing is lost without the person knowing.
    (Saving opens no modal.)"""
    if _offer(context, work, opens_modal=False):
        ack()
    else:
        ack(response_action="errors", errors={block_id: translator(language)("error.busy")})


def confirm_later(
    ack: Ack, context: BoltContext, work: Callable[[], None], busy: Callable[[str], dict[str, Any]]
) -> None:
    """For a confirmation modal with nothing to type in: it closes once the work is queued; when
    the queue is full it shows `busy(language)` in its place, so that nothing is lost without the
    person knowing (Slack accepts field errors only under an input block). (It opens no modal.)"""
    if _offer(context, work, opens_modal=False):
        ack()
    else:
        ack(response_action="update", view=busy(caller_language(context, recent=True)))
