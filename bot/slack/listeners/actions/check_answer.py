"""A press of one of a lesson's check buttons: recorded once, then the message shows the result."""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.i18n import Translator, translator
from bot.slack.blocks.lesson import CHECK_ACTION_PREFIX, answered_message, parse_answer_value
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.listeners.handover import act_later, refresh_later
from bot.slack.listeners.safety import apologise_on_error

if TYPE_CHECKING:
    from bot.services.lessons import CheckOutcome

REFUSALS = {
    "not_yours": "check.not_yours",
    "unknown_delivery": "check.unknown_delivery",
    "bad_choice": "check.bad_choice",
}


def acknowledge(
    ack: Ack, respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    work = partial(answer, respond=respond, body=body, client=client, context=context)
    act_later(respond, context, work, opens_modal=False)


def answer(respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Record the press, then show the new figures on the presser's Home tab."""
    record(respond=respond, body=body, context=context)
    home = partial(publish_home, user_id=body["user"]["id"], client=client, context=context)
    refresh_later(context, home, opens_modal=False)


@apologise_on_error
def record(respond: Respond, body: dict[str, Any], context: BoltContext) -> None:
    from bot.services.lessons import answer_check

    parsed = parse_answer_value(body["actions"][0].get("value") or "")
    if parsed is None:
        _say_bad_value(respond, context)
        return
    outcome = answer_check(deps_of(context), slack_of(context), caller_of(context), *parsed)
    t = translator(outcome.language)
    if outcome.status in REFUSALS:
        respond(text=t(REFUSALS[outcome.status]), response_type="ephemeral", replace_original=False)
        return
    if not _show_result(t, context, body, outcome):
        respond(text=t("check.saved_not_shown"), response_type="ephemeral", replace_original=False)
    elif outcome.status == "already_answered":
        respond(text=t("check.already_answered"), response_type="ephemeral", replace_original=False)


def _say_bad_value(respond: Respond, context: BoltContext) -> None:
    """A value no button of ours sends, said in the presser's language."""
    from bot.services.home import identify_caller

    deps, slack, caller = deps_of(context), slack_of(context), caller_of(context)
    t = translator(identify_caller(deps, slack, caller).language)
    respond(text=t("check.bad_value"), response_type="ephemeral", replace_original=False)


def _show_result(
    t: Translator, context: BoltContext, body: dict[str, Any], outcome: CheckOutcome
) -> bool:
    """Replace the buttons with the verdict; harmless to repeat, so a second press repairs a
    message whose first update was lost. False when Slack refused the update: the answer is
    saved all the same, and the person must be told so, not that nothing changed."""
    delivery, choice, correct = outcome.delivery, outcome.choice, outcome.correct
    assert delivery is not None and choice is not None and correct is not None
    original = (body.get("message") or {}).get("blocks") or []
    message = answered_message(t, original, choice, correct, delivery.answer_index, outcome.lesson)
    container = body["container"]
    return slack_of(context).replace_message(
        delivery.channel_id or container["channel_id"],
        delivery.ts or container["message_ts"],
        message,
    )


def register(app: App) -> None:
    app.action(re.compile(rf"^{CHECK_ACTION_PREFIX}\d+$"))(acknowledge)
