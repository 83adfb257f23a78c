"""The Home tab shows a member's own progress, published on app_home_opened."""

from __future__ import annotations

from tests.conftest import Bot
from tests.slack.test_learn_now_and_answer import lesson_for, wait_answered


def _home_text(bot: Bot, user_id: str) -> str:
    view = bot.slack.home(user_id)
    assert view is not None, "no Home tab was published"
    return "\n".join(b["text"]["text"] for b in view.blocks if b["type"] in ("section", "header"))


def test_a_new_member_is_invited_to_ask_for_a_lesson(bot: Bot) -> None:
    member = bot.user("member")
    response = bot.driver.event({"type": "app_home_opened", "user": member, "tab": "home"})
    assert response.status == 200
    bot.settle()
    assert "`/learn now` for your first one" in _home_text(bot, member)


def test_the_home_tab_counts_lessons_and_answers_by_skill_area(bot: Bot) -> None:
    member = bot.user("member")
    message = lesson_for(bot, member)
    bot.driver.click(member, message, index=2)
    wait_answered(bot, message)
    lesson_for(bot, member)

    bot.driver.event({"type": "app_home_opened", "user": member, "tab": "home"})
    bot.settle()

    text = _home_text(bot, member)
    assert "*2* lessons · *1* answered · *1* right" in text
    assert text.count("1/1 answered") == 1 and text.count("0/1 answered") == 1


def test_the_messages_tab_publishes_nothing(bot: Bot) -> None:
    member = bot.user("member")
    bot.driver.event({"type": "app_home_opened", "user": member, "tab": "messages"})
    bot.settle()
    assert bot.slack.home(member) is None
