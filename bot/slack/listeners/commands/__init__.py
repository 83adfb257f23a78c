from slack_bolt import App

from bot.slack.deps import AppDeps
from bot.slack.listeners.commands import learn


def register(app: App, deps: AppDeps) -> None:
    learn.register(app, deps)
