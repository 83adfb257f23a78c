from slack_bolt import App

from bot.slack.deps import AppDeps
from bot.slack.listeners.actions import check_answer


def register(app: App, deps: AppDeps) -> None:
    check_answer.register(app, deps)
