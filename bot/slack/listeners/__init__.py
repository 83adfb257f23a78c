"""Listeners by Slack surface, as in Slack's Bolt starter template: each package has register()."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, views


def register_listeners(app: App, command: str) -> None:
    commands.register(app, command)
    actions.register(app)
    events.register(app)
    views.register(app)
