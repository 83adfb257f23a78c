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


def test_a_greek_speaker_sees_the_home_tab_in_greek_with_a_local_date(bot: Bot) -> None:
    greek = bot.user("greek")
    lesson_for(bot, greek)

    bot.driver.event({"type": "app_home_opened", "user": greek, "tab": "home"})
    bot.settle()

    view = bot.slack.home(greek)
    assert view is not None
    assert view.blocks[0]["text"]["text"] == "Η μάθησή σας με το Nudge"
    # The bot's clock reads 09:30 UTC on Thursday 26 November 2026: 11:30 in Athens.
    assert view.blocks[1]["text"]["text"] == (
        "*1* μάθημα · *0* απαντήσεις · *0* σωστές\nΤελευταίο μάθημα: Πέμπτη 26 Νοεμβρίου, 11:30"
    )
