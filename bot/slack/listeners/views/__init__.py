from slack_bolt import App

from bot.slack.listeners.views import question_modal, settings_modal


def register(app: App) -> None:
    question_modal.register(app)
    settings_modal.register(app)
