from slack_bolt import App

from bot.slack.listeners.actions import check_answer, home_buttons, home_settings, question_answer


def register(app: App) -> None:
    check_answer.register(app)
    question_answer.register(app)
    home_buttons.register(app)
    home_settings.register(app)
