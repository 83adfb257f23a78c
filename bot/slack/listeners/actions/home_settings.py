"""App Home's Settings button: opens the presser's own settings (only ever their own: the
modal is built for whoever pressed, whatever the Home they pressed it on)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.slack.blocks.home import SETTINGS_ACTION
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly
from bot.slack.listeners.views.settings_modal import show_settings


def acknowledge(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    refresh_later(context, lambda: show(body=body, context=context), opens_modal=True)


@apologise_quietly
def show(body: dict[str, Any], context: BoltContext) -> None:
    """A press in App Home has no response_url: a failure is logged, nobody is told."""
    trigger_id = str(body.get("trigger_id") or "")
    show_settings(deps_of(context), slack_of(context), caller_of(context), trigger_id)


def register(app: App) -> None:
    app.action(SETTINGS_ACTION)(acknowledge)
