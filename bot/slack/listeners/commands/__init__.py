from slack_bolt import App

from bot.slack.listeners.commands import learn


def register(app: App, command: str) -> None:
    learn.register(app, command)
