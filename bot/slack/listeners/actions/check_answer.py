"""A press of one of a lesson's check buttons: recorded once, then the message shows the result."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.services.lessons import AnswerOutcome, answer_check
from bot.slack.blocks.lesson import CHECK_ACTION_PREFIX, answered_message, parse_answer_value
from bot.slack.deps import AppDeps, team_of
from bot.slack.listeners.safety import apologise_on_error

REFUSALS = {
    "not_yours": "This lesson was sent to someone else, so your answer was not recorded.",
    "unknown_delivery": "I can't find that lesson any more, so nothing was recorded.",
    "bad_choice": "That option is not part of this lesson, so nothing was recorded.",
    "bad_value": "That button is not one of Nudge's lessons, so nothing was recorded.",
}


def register(app: App, deps: AppDeps) -> None:
    def acknowledge(ack: Ack) -> None:
        ack()

    @apologise_on_error
    def record(
        respond: Respond, body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        action = body["actions"][0]
        parsed = parse_answer_value(action.get("value") or "")
        if parsed is None:
            _refuse(respond, "bad_value")
            return
        delivery_id, choice = parsed
        outcome = answer_check(
            deps.store,
            deps.library.current,
            team_id=team_of(context),
            slack_user_id=body["user"]["id"],
            delivery_id=delivery_id,
            choice=choice,
            now=deps.clock(),
        )
        if outcome.status in ("recorded", "already_answered"):
            _show_result(client, body, outcome)
            if outcome.status == "already_answered":
                respond(
                    text="You already answered this lesson; your first answer stands.",
                    response_type="ephemeral",
                    replace_original=False,
                )
        else:
            _refuse(respond, outcome.status)

    app.action(re.compile(rf"^{CHECK_ACTION_PREFIX}\d+$"))(ack=acknowledge, lazy=[record])


def _refuse(respond: Respond, reason: str) -> None:
    respond(text=REFUSALS[reason], response_type="ephemeral", replace_original=False)


def _show_result(client: WebClient, body: dict[str, Any], outcome: AnswerOutcome) -> None:
    """Replace the buttons with the verdict; harmless to repeat, so a second press repairs a
    message whose first update was lost."""
    delivery = outcome.delivery
    assert delivery is not None and outcome.choice is not None and outcome.correct is not None
    original = (body.get("message") or {}).get("blocks") or []
    lesson = outcome.lesson
    message = answered_message(
        original,
        choice=outcome.choice,
        correct=outcome.correct,
        answer_index=delivery.answer_index,
        explanation=lesson.explanation if lesson else None,
        title=lesson.title if lesson else "Lesson",
        locale=delivery.locale,
    )
    client.chat_update(
        channel=delivery.channel_id or body["container"]["channel_id"],
        ts=delivery.ts or body["container"]["message_ts"],
        text=message.text,
        blocks=message.blocks,
    )
