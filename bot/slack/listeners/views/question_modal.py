"""The answer modal's submission: an empty answer is refused in the modal; anything else closes it
at once and is recorded from the work queue, which then marks the question answered in the DM."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services.questions import answer_question
from bot.slack.blocks.notice import notice
from bot.slack.blocks.question import (
    CHOICE_ACTION,
    CHOICE_BLOCK,
    MODAL_CALLBACK,
    TEXT_ACTION,
    TEXT_BLOCK,
)
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly, caller_language

log = logging.getLogger("bot.slack")


def _answers(view: dict[str, Any]) -> tuple[str | None, str]:
    values = (view.get("state") or {}).get("values") or {}
    chosen = (values.get(CHOICE_BLOCK) or {}).get(CHOICE_ACTION) or {}
    option = chosen.get("selected_option") or {}
    text = ((values.get(TEXT_BLOCK) or {}).get(TEXT_ACTION) or {}).get("value") or ""
    return ((option.get("text") or {}).get("text")), str(text)


def submitted(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    view = body["view"]
    choice, text = _answers(view)
    if not text.strip():
        t = translator(caller_language(context))
        ack(response_action="errors", errors={TEXT_BLOCK: t("question.empty")})
        return
    ack()
    metadata = str(view.get("private_metadata") or "")
    delivery_id = int(metadata) if metadata.isdigit() else 0
    refresh_later(
        context,
        lambda: record(
            client=client, context=context, delivery_id=delivery_id, choice=choice, text=text
        ),
    )


@apologise_quietly
def record(
    client: WebClient, context: BoltContext, delivery_id: int, choice: str | None, text: str
) -> None:
    deps = deps_of(context)
    done = answer_question(deps, slack_of(context), caller_of(context), delivery_id, choice, text)
    t = translator(done.language)
    if done.status in ("recorded", "already_answered") and done.channel_id and done.ts:
        said = t("question.answered" if done.status == "recorded" else "question.already_answered")
        reply = notice(f":white_check_mark: {said}")
        client.chat_postMessage(
            channel=done.channel_id, thread_ts=done.ts, text=reply.text, blocks=reply.blocks
        )
    else:
        log.warning("answer to question delivery %s refused: %s", delivery_id, done.status)


def register(app: App) -> None:
    app.view(MODAL_CALLBACK)(submitted)
