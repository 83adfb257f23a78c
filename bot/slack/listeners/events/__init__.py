from slack_bolt import App

from bot.slack.listeners.events import app_home, question_reply, roster


def register(app: App) -> None:
    app_home.register(app)
    question_reply.register(app)
    roster.register(app)
