"""The Answer button under the weekly question, and "Edit my answer" once it is answered: each
opens the answer modal for the question's owner (prefilled to edit), or says why not."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.i18n import translator
from bot.slack.blocks.question import ANSWER_ACTION, EDIT_ACTION, answer_modal
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.gateway import slack_error_code
from bot.slack.listeners.handover import act_later
from bot.slack.listeners.safety import apologise_on_error

log = logging.getLogger("bot.slack")

REFUSALS = {
    "not_yours": "question.not_yours",
    "gone": "question.gone",
    "already_answered": "question.already_answered",
    "locked": "question.locked",
}


def acknowledge(
    ack: Ack, respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    ack()
    work = partial(show, respond=respond, body=body, client=client, context=context)
    act_later(respond, context, work, opens_modal=True)


@apologise_on_error
def show(respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    from bot.services.questions import open_question

    action = body["actions"][0]
    value = str(action.get("value") or "")
    delivery_id = int(value) if value.isdigit() else 0
    editing = action["action_id"] == EDIT_ACTION
    deps, caller = deps_of(context), caller_of(context)
    opened = open_question(deps, slack_of(context), caller, delivery_id, editing=editing)
    t = translator(opened.language)
    if opened.status != "open" or opened.asked is None:
        respond(text=t(REFUSALS[opened.status]), response_type="ephemeral", replace_original=False)
        return
    modal = answer_modal(t, opened.asked.question, delivery_id, opened.asked.answer)
    _open(client, body["trigger_id"], modal)


def _open(client: WebClient, trigger_id: str, modal: dict[str, Any]) -> None:
    try:
        client.views_open(trigger_id=trigger_id, view=modal)
    except SlackApiError as error:
        if slack_error_code(error) != "exchanged_trigger_id":
            raise
        # The same press delivered twice (Slack's retry): the first delivery opened the modal.
        log.info("a press delivered again: its modal is open already")


def register(app: App) -> None:
    app.action(ANSWER_ACTION)(acknowledge)
    app.action(EDIT_ACTION)(acknowledge)
