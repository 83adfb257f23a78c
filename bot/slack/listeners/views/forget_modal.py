"""The forget confirmation's submission: the modal closes at once; the deletion runs from the work
queue, and the member is told in their DM what was deleted, in the language they had."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.slack.blocks.own_data import FORGET_CALLBACK, forget_busy_modal, forgotten_message
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.events.app_home import publish_home
from bot.slack.listeners.handover import confirm_later
from bot.slack.listeners.safety import apologise_quietly

log = logging.getLogger("bot.slack")


def submitted(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    owner = str(body["view"].get("private_metadata") or "")
    work = partial(record, client=client, context=context, owner=owner)
    confirm_later(ack, context, work, lambda language: forget_busy_modal(translator(language)))


@apologise_quietly
def record(client: WebClient, context: BoltContext, owner: str) -> None:
    # Imported here: forgetting is rare, and `web` answers its first /healthz without it.
    from bot.services.own_data import forget

    deps = deps_of(context)
    done = forget(deps, slack_of(context), caller_of(context), owner)
    if done.status != "forgotten":
        log.warning("forget refused for %.32s: %s", context.user_id, done.status)
        return
    said = forgotten_message(translator(done.language), done.counts, deps.settings.slash_command)
    user_id = caller_of(context).slack_user_id
    client.chat_postMessage(channel=user_id, text=said.text, blocks=said.blocks)
    publish_home(user_id=user_id, client=client, context=context)  # a first day's Home again


def register(app: App) -> None:
    app.view(FORGET_CALLBACK)(submitted)
