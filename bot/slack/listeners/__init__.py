"""Listeners by Slack surface, as in Slack's Bolt starter template: each package has register().

A listener imports the use case it calls in its own body, and names the use case's types under
TYPE_CHECKING: registering every listener then imports no use case nor the learning rules behind
it, so `web` answers its first /healthz without them (issue 7, tests/test_start_up.py) and the
first request that needs one pays for it, once per process."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners import actions, commands, events, views


def register_listeners(app: App, command: str) -> None:
    commands.register(app, command)
    actions.register(app)
    events.register(app)
    views.register(app)
