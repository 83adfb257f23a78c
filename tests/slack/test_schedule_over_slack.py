"""Scheduled lessons as a member meets them in Slack: the weekly question answered in a modal,
pause, resume, why, join and leave, all over signed HTTP against the local Slack."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.localslack import LocalSlack, Message
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store import tables
from tests.conftest import REPO, TEST_LIBRARY, Bot, recipient

MONDAY_0000 = datetime(2027, 3, 22, tzinfo=UTC)
MONDAY_1000_LONDON = datetime(2027, 3, 22, 10, tzinfo=UTC)  # 09:30 there was 30 minutes ago


def _tick(bot: Bot, at: datetime) -> None:
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    run_tick(bot.deps, gateway, bot.slack.team_id, at)


def _question(bot: Bot, user: str) -> Message:
    refresh_roster(
        bot.deps, SlackGateway(make_web_client(bot.deps.settings)), bot.slack.team_id, MONDAY_0000
    )
    _tick(bot, MONDAY_0000)
    _tick(bot, MONDAY_1000_LONDON)
    dms = bot.slack.dm_messages(user)
    assert [m.text.split(":")[0] for m in dms][-1] == "Question of the week"
    return dms[-1]


def _answers(bot: Bot) -> list[str]:
    with bot.deps.db.engine.connect() as connection:
        return list(connection.scalars(select(tables.StrategyAnswer.text)))


def test_the_weekly_question_is_answered_in_a_modal_once(bot: Bot) -> None:
    member = bot.user("member")  # Chloe, in London
    question = _question(bot, member)

    assert bot.driver.click(member, question, index=1).status == 200
    bot.settle()
    (modal,) = bot.slack.views(member)
    empty = bot.driver.submit_view(member, modal, {"question_text": {"text": "   "}})
    assert empty.json() == {
        "response_action": "errors",
        "errors": {"question_text": "Write a few words: an empty answer cannot be recorded."},
    }
    done = bot.driver.submit_view(
        member, modal, {"question_text": {"text": "Four weeks: our buyers take three to decide."}}
    )
    assert (done.status, done.body) == (200, "")
    bot.settle()

    assert _answers(bot) == ["Four weeks: our buyers take three to decide."]
    (thanked,) = [m for m in bot.slack.messages(question.channel) if m.ts == question.ts]
    assert ":white_check_mark: Thank you: your answer to this week's question is recorded." in (
        str(thanked.blocks)
    )
    bot.driver.click(member, thanked, index=1)  # the button is "Edit my answer" now
    bot.settle()
    assert bot.slack.views(member)[-1].definition["title"]["text"] == "Edit my answer"


def test_someone_elses_question_cannot_be_opened(bot: Bot) -> None:
    question = _question(bot, bot.user("member"))
    other = bot.user("greek")
    bot.driver.click(other, question, index=1)
    bot.settle()
    assert bot.slack.views(other) == []
    assert bot.slack.ephemerals(other)[-1].text == (
        "Αυτή η ερώτηση στάλθηκε σε κάποιον άλλον, οπότε δεν μπορείτε να την απαντήσετε εδώ."
    )


def test_pause_resume_and_why(bot: Bot) -> None:
    member = bot.user("member")
    bot.clock.set(MONDAY_0000)

    bad = bot.ask(member, "pause for a bit")
    assert bad.text == (
        "Tell me how long, for example `/learn pause 1w`, `/learn pause 3d` or "
        "`/learn pause until 2027-01-04`."
    )
    paused = bot.ask(member, "pause until 2027-03-29")
    assert paused.text == (
        ":double_vertical_bar: Paused. Your lessons start again on Monday 29 March; "
        "`/learn resume` brings them back sooner."
    )
    why = bot.ask(member, "why").text.splitlines()
    assert why == [
        "You have had no lesson yet; `/learn now` sends one.",
        "Scheduled lessons are off for you; `/learn join` turns them on.",
    ]
    bot.ask(member, "join")
    assert bot.ask(member, "why").text.splitlines()[1] == (
        "The next comes Monday 29 March, 09:30 (Europe/London): you paused your lessons until "
        "Sunday 28 March."
    )
    assert bot.ask(member, "resume").text == (
        ":arrow_forward: Your scheduled lessons are back, from your next working day."
    )
    assert bot.ask(member, "why").text.splitlines()[1] == (
        "The next comes Monday 22 March, 09:30, your lesson time in Europe/London."
    )


def test_leave_stops_scheduled_lessons_and_now_still_works(bot: Bot) -> None:
    member = bot.user("member")
    refresh_roster(
        bot.deps, SlackGateway(make_web_client(bot.deps.settings)), bot.slack.team_id, MONDAY_0000
    )
    assert bot.ask(member, "leave").text == (
        "You will get no more scheduled lessons. `/learn now` still sends one when you ask, and "
        "`/learn join` brings them back."
    )
    _tick(bot, MONDAY_0000)
    _tick(bot, MONDAY_1000_LONDON)
    assert bot.slack.dm_messages(member) == []
    bot.ask(member, "now")
    with bot.deps.db.engine.connect() as connection:
        sent = connection.scalar(select(func.count()).select_from(tables.Delivery))
    assert len(bot.slack.dm_messages(member)) == 1 and sent is not None


def test_with_half_of_all_calls_refused_429_everyone_still_gets_theirs_once(bot: Bot) -> None:
    waits: list[float] = []
    gateway = SlackGateway(make_web_client(bot.deps.settings, sleep=waits.append))
    for method in ("chat.postMessage", "users.list", "conversations.members"):
        bot.slack.fail_next(method, status=429, retry_after=2, times=10_000, every=2)
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY_0000)
    at = MONDAY_0000
    while at <= MONDAY_0000 + timedelta(days=2):
        run_tick(bot.deps, gateway, bot.slack.team_id, at)
        at += timedelta(minutes=30)

    lessons = {user: bot.slack.dm_messages(user) for user in bot.learners()}
    posts = bot.slack.calls_to("chat.postMessage")
    assert sum(call.status == 429 for call in posts) == sum(call.ok for call in posts)
    with bot.deps.db.engine.connect() as connection:
        sent = connection.execute(
            select(
                tables.Delivery.member_id, tables.Delivery.kind, tables.Delivery.local_date
            ).where(tables.Delivery.status == "sent")
        ).all()
    assert len(sent) == len(set(sent)) == sum(call.ok for call in posts)
    assert sum(len(dms) for dms in lessons.values()) == len(sent)
    assert all(dms for dms in lessons.values())  # nobody left out
    assert waits and all(2 <= wait < 3 for wait in waits)  # each 429 waited its Retry-After


def test_two_tick_processes_at_the_same_instant_send_each_message_once(
    slack: LocalSlack, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "PYTHONPATH": str(REPO),
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "CONTENT_DIR": str(TEST_LIBRARY),
        "TEAM_CHANNEL": "C0SOCIAL01",
    }

    def tick(at: str) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "bot", "tick", "--at", at]
        return subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)

    assert tick("2027-03-22T00:00:00Z").wait(timeout=60) == 0  # learns the team and the time
    both = [tick("2027-03-22T07:45:00Z") for _ in range(2)]
    assert [process.wait(timeout=60) for process in both] == [0, 0]

    posted = sorted(
        recipient(slack, call.args["channel"])
        for call in slack.calls_to("chat.postMessage")
        if call.ok
    )
    greek = ["U0ANNA0001", "U0DIMI0001", "U0ELENI001"]
    assert posted == sorted(greek * 2)  # a lesson and the week's question each, once
