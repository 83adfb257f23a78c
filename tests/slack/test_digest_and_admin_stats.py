"""The leads' digest as it lands in LEADS_CHANNEL, and `/learn admin stats`, over signed HTTP
against the local Slack: answers written in the modal, the digest read back as Slack renders it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.localslack import LocalSlack
from bot.localslack.render import render_message
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store.db import HEAD_REVISION
from tests.conftest import Bot, start_bot

MONDAY = datetime(2027, 3, 22, tzinfo=UTC)
FRIDAY_0930 = datetime(2027, 3, 26, 9, 30, tzinfo=UTC)
# Members whose Monday 09:30 comes after the first tick, at Monday 00:00 UTC.
ANSWERING = ["U0CHLOE001", "U0DIMI0001", "U0ELENI001", "U0ISLA0001", "U0JACK0001"]


def _tick(bot: Bot, at: datetime) -> None:
    run_tick(bot.deps, SlackGateway(make_web_client(bot.deps.settings)), bot.slack.team_id, at)


def _digest_after(bot: Bot, answers: int) -> str:
    """The week's question answered in its modal by `answers` members, then Friday's digest."""
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY)
    for hour in (0, 8, 10, 17):  # after 09:30 in Athens, London and Los Angeles, within GRACE
        _tick(bot, MONDAY + timedelta(hours=hour))
    bot.clock.set(MONDAY + timedelta(days=1))
    for index, user in enumerate(ANSWERING[:answers]):
        question = bot.slack.dm_messages(user)[-1]
        bot.driver.click(user, question, index=1)
        bot.settle()
        (modal,) = bot.slack.views(user)
        typed = {"question_text": {"text": f"Four weeks, plan {index}."}}
        bot.driver.submit_view(user, modal, typed)
        bot.settle()
    _tick(bot, FRIDAY_0930)
    channel = bot.deps.settings.leads_channel
    digest, *pictures = bot.slack.messages(channel)  # the digest, then its heatmap's file share
    assert len(pictures) <= 1
    return render_message(digest)


@pytest.fixture
def anonymous(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_bot(slack, database_url, digest_anonymous=True)
    try:
        yield running
    finally:
        running.close()


def test_an_anonymous_digest_of_two_answers_shows_no_answer_text(anonymous: Bot) -> None:
    shown = _digest_after(anonymous, 2)
    assert "2 answers came in. This digest is anonymous" in shown
    assert "Four weeks" not in shown
    assert not any(anonymous.name(user) in shown for user in ANSWERING)


def test_an_anonymous_digest_of_five_answers_shows_them_without_names(anonymous: Bot) -> None:
    shown = _digest_after(anonymous, 5)
    assert "5 answers, shown without names:" in shown
    assert all(f"Four weeks, plan {index}." in shown for index in range(5))
    assert not any(anonymous.name(user) in shown for user in ANSWERING)


def test_an_attributed_digest_names_each_answer(bot: Bot) -> None:
    shown = _digest_after(bot, 2)
    assert "2 answers:" in shown
    for index, user in enumerate(ANSWERING[:2]):
        assert f"*{bot.name(user)}*\nFour weeks, plan {index}." in shown
    # No check was answered this week: the trend is there, and no area is named a blind spot.
    assert "this week (last week)" in shown and "Blind spot:" not in shown
    # Under the digest, the week's member x area heatmap as a picture in the same channel.
    (picture,) = [f for f in bot.slack.files if f.channel_id == bot.deps.settings.leads_channel]
    assert picture.completed and picture.filename.endswith(".png")
    assert picture.content is not None and picture.content.startswith(b"\x89PNG")


def test_admin_stats_over_slack(bot: Bot) -> None:
    refresh_roster(
        bot.deps, SlackGateway(make_web_client(bot.deps.settings)), bot.slack.team_id, MONDAY
    )
    shown = render_message(bot.ask(bot.user("admin"), "admin stats"))
    assert "NUDGE AT A GLANCE" in shown
    assert "*Members:* 10 learning, 0 paused or away, 0 not learning" in shown
    assert "*Library:* 9 lessons, 1 question, 3 skill areas" in shown
    assert f"schema {HEAD_REVISION} (this code needs {HEAD_REVISION})" in shown
