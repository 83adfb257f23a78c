from slack_bolt import App

from bot.slack.listeners.views import forget_modal, question_modal, settings_modal, setup_modal


def register(app: App) -> None:
    question_modal.register(app)
    settings_modal.register(app)
    forget_modal.register(app)
    setup_modal.register(app)
