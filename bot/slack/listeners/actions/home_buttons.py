"""The Home tab's buttons: "Lesson now" (as `/learn now`), "Pause a week" (`/learn pause 1w`) and
"Resume" (`/learn resume`). Each acts on the presser's own lessons only (Slack names them in the
payload; nothing in the view is trusted), then republishes their Home with what it did on top.

A press from the Home tab has no response_url: the answer is the republished Home.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack.blocks.home import LESSON_NOW_ACTION, PAUSE_ACTION, RESUME_ACTION
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.commands.handlers import lesson_now_text, pause_text
from bot.slack.listeners.events.app_home import show_home
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly


def acknowledge(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    ack()
    refresh_later(
        context, lambda: press(body=body, client=client, context=context), opens_modal=False
    )


@apologise_quietly
def press(body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    from bot.services.home import lesson_now_from_home, pause_from_home

    deps, slack, caller = deps_of(context), slack_of(context), caller_of(context)
    command = deps.settings.slash_command
    if body["actions"][0]["action_id"] == LESSON_NOW_ACTION:
        sent, report = lesson_now_from_home(deps, slack, caller)
        notice = lesson_now_text(sent, command)
    else:
        paused = body["actions"][0]["action_id"] == PAUSE_ACTION
        changed, report = pause_from_home(deps, slack, caller, paused=paused)
        notice = pause_text(changed, command)
    show_home(client, context, body["user"]["id"], report, notice)


def register(app: App) -> None:
    for action in (LESSON_NOW_ACTION, PAUSE_ACTION, RESUME_ACTION):
        app.action(action)(acknowledge)
