from slack_bolt import App

from bot.slack.deps import AppDeps
from bot.slack.listeners.events import app_home


def register(app: App, deps: AppDeps) -> None:
    app_home.register(app, deps)
