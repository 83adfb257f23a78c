"""Listeners by Slack surface, as in Slack's Bolt starter template: each package has register()."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import AppDeps
from bot.slack.listeners import actions, commands, events


def register_listeners(app: App, deps: AppDeps) -> None:
    commands.register(app, deps)
    actions.register(app, deps)
    events.register(app, deps)
