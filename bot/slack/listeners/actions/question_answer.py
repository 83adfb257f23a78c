"""The Answer button under the weekly question: opens the answer modal for its owner."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services.questions import open_question
from bot.slack.blocks.question import ANSWER_ACTION, answer_modal
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import act_later
from bot.slack.listeners.safety import apologise_on_error

REFUSALS = {
    "not_yours": "question.not_yours",
    "gone": "question.gone",
    "already_answered": "question.already_answered",
}


def acknowledge(
    ack: Ack, respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    act_later(
        respond, context, lambda: show(respond=respond, body=body, client=client, context=context)
    )


@apologise_on_error
def show(respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    value = str(body["actions"][0].get("value") or "")
    delivery_id = int(value) if value.isdigit() else 0
    opened = open_question(deps_of(context), slack_of(context), caller_of(context), delivery_id)
    t = translator(opened.language)
    if opened.status != "open" or opened.question is None:
        respond(text=t(REFUSALS[opened.status]), response_type="ephemeral", replace_original=False)
        return
    client.views_open(
        trigger_id=body["trigger_id"], view=answer_modal(t, opened.question, delivery_id)
    )


def register(app: App) -> None:
    app.action(ANSWER_ACTION)(acknowledge)
