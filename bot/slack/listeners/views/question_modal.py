"""The answer modal's submission: an empty answer is refused in the modal; anything else closes it
at once and is recorded (or, from an edit modal, changed) from the work queue, which then thanks
the member in the question's own DM message, updated in place."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import Translator, translator
from bot.slack.blocks.question import (
    CHOICE_ACTION,
    CHOICE_BLOCK,
    EDITING,
    MODAL_CALLBACK,
    TEXT_ACTION,
    TEXT_BLOCK,
    answered_message,
)
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly, caller_language

if TYPE_CHECKING:
    from bot.services.questions import Asked, QuestionAnswered

log = logging.getLogger("bot.slack")

# What the member is told, beside their DM, when the answer they sent is not the one that stands.
NOT_RECORDED = {"already_answered": "question.already_answered", "locked": "question.locked"}


def _answers(view: dict[str, Any]) -> tuple[int | None, str]:
    values = (view.get("state") or {}).get("values") or {}
    chosen = (values.get(CHOICE_BLOCK) or {}).get(CHOICE_ACTION) or {}
    option = str((chosen.get("selected_option") or {}).get("value") or "")
    text = ((values.get(TEXT_BLOCK) or {}).get(TEXT_ACTION) or {}).get("value") or ""
    return (int(option) if option.isdigit() else None), str(text)


def _target(view: dict[str, Any]) -> tuple[int, bool]:
    """The question delivery the modal answers, and whether it edits an answer."""
    metadata = str(view.get("private_metadata") or "")
    number = metadata.removesuffix(EDITING)
    return (int(number) if number.isdigit() else 0), metadata.endswith(EDITING)


def submitted(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    view = body["view"]
    choice, text = _answers(view)
    if not text.strip():
        t = translator(caller_language(context))
        ack(response_action="errors", errors={TEXT_BLOCK: t("question.empty")})
        return
    ack()
    delivery_id, editing = _target(view)
    work = partial(record, client=client, context=context, delivery_id=delivery_id)
    refresh_later(
        context, lambda: work(choice=choice, text=text, editing=editing), opens_modal=False
    )


@apologise_quietly
def record(
    client: WebClient,
    context: BoltContext,
    delivery_id: int,
    choice: int | None,
    text: str,
    editing: bool,
) -> None:
    from bot.services.questions import answer_question

    deps, caller = deps_of(context), caller_of(context)
    done = answer_question(
        deps, slack_of(context), caller, delivery_id, choice, text, editing=editing
    )
    say_answered(client, context, done)
    if done.status in ("recorded", "edited"):  # the Home tab is refreshed after each answer
        publish_home(user_id=caller.slack_user_id, client=client, context=context)


def say_answered(client: WebClient, context: BoltContext, done: QuestionAnswered) -> None:
    """The answer that stands, shown in the question's DM message; an answer that was not taken
    is said to its writer alone, beside the DM message."""
    t, asked = translator(done.language), done.asked
    if asked is None:
        log.warning("answer to question refused: %s", done.status)
        return
    thank_in_place(context, t, asked)
    if done.status in NOT_RECORDED and asked.channel_id:
        client.chat_postEphemeral(
            channel=asked.channel_id,
            user=caller_of(context).slack_user_id,
            text=t(NOT_RECORDED[done.status]),
        )


def thank_in_place(context: BoltContext, t: Translator, asked: Asked) -> None:
    """Harmless to repeat: the same answer delivered twice shows the same message."""
    if asked.channel_id is None or asked.ts is None or asked.answer is None:
        return
    edited = asked.answer.edited_at is not None
    message = answered_message(
        t, asked.question, asked.skill_name, asked.delivery_id, edited=edited
    )
    slack_of(context).replace_message(asked.channel_id, asked.ts, message)


def register(app: App) -> None:
    app.view(MODAL_CALLBACK)(submitted)
