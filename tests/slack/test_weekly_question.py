"""The weekly strategy question as a member meets it in Slack: the Answer modal (with and without a
menu), the thanks in the question's own DM message, "Edit my answer" until the leads' digest goes
out, a reply in the DM's thread or (QUESTION_IN_CHANNEL) the team channel's thread counted once,
and Slack's retries and a crowd of presses recorded once. All over signed HTTP."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from bot.localslack import LocalSlack, Message
from bot.services.roster import refresh_roster
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store import tables
from tests.conftest import TEST_LIBRARY, Bot, start_bot
from tests.slack.test_schedule_over_slack import (
    MONDAY_0000,
    MONDAY_1000_LONDON,
    _question,
    _tick,
)

MONDAY_0800 = datetime(2027, 3, 22, 8, tzinfo=UTC)  # 10:00 in Athens
FRIDAY_1000 = datetime(2027, 3, 26, 10, tzinfo=UTC)  # the digest went out at 09:30 UTC
CHOICES = """id: q-alpha-plan
skill: alpha
prompt: Which alpha goal matters most this quarter?
choices: [Reach, Revenue, Retention]
follow_up: Say why, with one number.
translations:
  el:
    prompt: Ποιος στόχος άλφα μετράει περισσότερο αυτό το τρίμηνο;
    choices: [Απήχηση, Έσοδα, Διατήρηση]
    follow_up: Πείτε γιατί, με έναν αριθμό.
"""


def _stored(bot: Bot) -> list[tuple[str, int | None, str, bool]]:
    """Every answer: its text, menu choice, source, and whether it was edited."""
    answer = tables.StrategyAnswer
    query = select(answer.text, answer.choice, answer.source, answer.edited_at.is_not(None))
    with bot.deps.db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query.order_by(answer.id))]  # type: ignore[misc]


def _asked(bot: Bot, user: str) -> Message:
    """The week's question in `user`'s DM, wherever they are: ticks through Monday morning."""
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY_0000)
    for at in (MONDAY_0000, MONDAY_0800, MONDAY_1000_LONDON):
        _tick(bot, at)
    return next(m for m in bot.slack.dm_messages(user) if "question_answer" in _said(m))


def _now(bot: Bot, message: Message) -> Message:
    return next(m for m in bot.slack.messages(message.channel) if m.ts == message.ts)


def _said(message: Message) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def _labels(view: Any) -> list[str]:
    return [b["label"]["text"] for b in view.blocks if b["type"] == "input"]


def _open(bot: Bot, user: str, message: Message, action_id: str) -> Any:
    assert bot.driver.click(user, message, action_id=action_id).status == 200
    bot.settle()
    return bot.slack.views(user)[-1]


@pytest.fixture
def chooser(slack: LocalSlack, database_url: str, tmp_path: Path) -> Iterator[Bot]:
    """The bot with a library whose question has a menu."""
    library = tmp_path / "library"
    shutil.copytree(TEST_LIBRARY, library)
    (library / "questions" / "q-alpha-plan.yaml").write_text(CHOICES)
    running = start_bot(slack, database_url, content_dir=library)
    try:
        yield running
    finally:
        running.close()


def test_a_menu_answer_keeps_its_choice_and_why_and_can_be_edited(chooser: Bot) -> None:
    bot, member = chooser, chooser.user("member")
    question = _question(bot, member)

    modal = _open(bot, member, question, "question_answer")
    assert _labels(modal) == ["Your choice", "Your answer, and why"]
    bot.driver.submit_view(
        member,
        modal,
        {"question_choice": {"choice": "1"}, "question_text": {"text": "Revenue: we miss by 4%."}},
    )
    bot.settle()

    assert _stored(bot) == [("Revenue: we miss by 4%.", 1, "modal", False)]
    assert bot.slack.home(member) is not None  # the Home tab is refreshed after the answer
    thanked = _now(bot, question)
    assert "Thank you: your answer to this week's question is recorded." in _said(thanked)
    assert "Edit my answer" in _said(thanked) and '"question_answer"' not in _said(thanked)

    edit = _open(bot, member, thanked, "question_edit")
    assert edit.definition["title"]["text"] == "Edit my answer"
    (choice,) = [b for b in edit.blocks if b.get("block_id") == "question_choice"]
    assert choice["element"]["initial_option"]["value"] == "1"
    (text,) = [b for b in edit.blocks if b.get("block_id") == "question_text"]
    assert text["element"]["initial_value"] == "Revenue: we miss by 4%."
    bot.driver.submit_view(
        member,
        edit,
        {
            "question_choice": {"choice": "2"},
            "question_text": {"text": "Retention, on reflection."},
        },
    )
    bot.settle()

    assert _stored(bot) == [("Retention, on reflection.", 2, "modal", True)]
    assert "your answer to this week's question is changed" in _said(_now(bot, question))


def test_greek_members_see_greek_buttons_and_labels(chooser: Bot) -> None:
    bot, greek = chooser, chooser.user("greek")
    question = _asked(bot, greek)
    assert "Απάντηση" in _said(question)

    modal = _open(bot, greek, question, "question_answer")
    assert _labels(modal) == ["Η επιλογή σας", "Η απάντησή σας, και γιατί"]
    assert modal.definition["title"]["text"] == "Ερώτηση εβδομάδας"
    assert "Διατήρηση" in _said(modal)
    bot.driver.submit_view(greek, modal, {"question_text": {"text": "Έσοδα."}})
    bot.settle()

    thanked = _said(_now(bot, question))
    assert "Αλλαγή απάντησης" in thanked and "καταγράφηκε" in thanked


def test_the_answer_is_locked_once_the_leads_digest_is_out(bot: Bot) -> None:
    member, greek = bot.user("member"), bot.user("greek")
    questions = {user: _asked(bot, user) for user in (member, greek)}
    for user, question in questions.items():
        modal = _open(bot, user, question, "question_answer")
        bot.driver.submit_view(user, modal, {"question_text": {"text": f"{user}'s first"}})
    bot.settle()
    edit = _open(bot, member, _now(bot, questions[member]), "question_edit")  # open before

    _tick(bot, FRIDAY_1000)  # the leads' digest goes out
    assert bot.slack.messages("C0LEADS001")

    for user, question in questions.items():
        bot.driver.click(user, _now(bot, question), action_id="question_edit")
    bot.settle()
    assert bot.slack.ephemerals(member)[-1].text == (
        "The leads' digest for that week has gone out, so your answer is locked and stays as it is."
    )
    assert bot.slack.ephemerals(greek)[-1].text == (
        "Η σύνοψη εκείνης της εβδομάδας έχει σταλεί στους υπεύθυνους ομάδας, οπότε η απάντησή σας "
        "κλείδωσε και μένει όπως είναι."
    )
    # A modal opened before the digest cannot change it afterwards either.
    bot.driver.submit_view(member, edit, {"question_text": {"text": "too late"}})
    bot.settle()
    assert sorted(text for text, *_ in _stored(bot)) == [f"{member}'s first", f"{greek}'s first"]
    assert bot.slack.ephemerals(member)[-1].text.startswith("The leads' digest for that week")


def test_a_reply_in_the_dm_thread_is_the_answer_once(bot: Bot) -> None:
    member = bot.user("member")
    question = _question(bot, member)

    _, first = bot.driver.message(member, question.channel, "Two weeks.", thread_ts=question.ts)
    bot.settle()
    bot.driver.event(first.payload["event"], retry_num=1, event_id=first.payload["event_id"])
    bot.settle()

    assert _stored(bot) == [("Two weeks.", None, "dm_reply", False)]
    assert "Edit my answer" in _said(_now(bot, question))
    (thanks,) = bot.slack.ephemerals(member)  # the retry said nothing more
    assert thanks.text.startswith("Thank you: this reply is your answer")

    bot.driver.message(member, question.channel, "Actually three.", thread_ts=question.ts)
    bot.driver.message(member, question.channel, "Hello, unthreaded.")
    bot.settle()
    assert _stored(bot) == [("Two weeks.", None, "dm_reply", False)]
    assert bot.slack.ephemerals(member)[-1].text == (
        'You have answered this question already, so this reply is not recorded; "Edit my answer" '
        "under the question in our DM changes your answer."
    )
    assert len(bot.slack.ephemerals(member)) == 2


def test_someone_else_writing_in_the_thread_answers_nothing(bot: Bot) -> None:
    member, other = bot.user("member"), bot.user("lead")
    question = _question(bot, member)
    bot.driver.event(
        {
            "type": "message",
            "channel": question.channel,
            "channel_type": "im",
            "user": other,
            "text": "I answer for them.",
            "ts": "1999999999.000100",
            "thread_ts": question.ts,
        }
    )
    bot.settle()
    assert _stored(bot) == [] and bot.slack.ephemerals(other) == []


def test_with_question_in_channel_a_thread_reply_there_is_the_answer_once(
    slack: LocalSlack, database_url: str
) -> None:
    bot = start_bot(slack, database_url, question_in_channel=True)
    try:
        member, greek = bot.user("member"), bot.user("greek")
        dm_question = _asked(bot, member)
        team = bot.slack.workspace.settings.team_channel
        (posted,) = [m for m in bot.slack.messages(team) if "Question of the week" in m.text]
        assert "Reply in this thread" in _said(posted)

        bot.driver.message(member, team, "Four weeks.", thread_ts=posted.ts)
        bot.driver.message(greek, team, "Τέσσερις.", thread_ts=posted.ts)
        bot.settle()
        bot.driver.message(member, team, "No, five.", thread_ts=posted.ts)
        bot.settle()

        assert sorted(_stored(bot)) == [  # the two replies are taken side by side
            ("Four weeks.", None, "channel_reply", False),
            ("Τέσσερις.", None, "channel_reply", False),
        ]
        assert "Edit my answer" in _said(_now(bot, dm_question))
        assert bot.slack.ephemerals(member)[-1].text.startswith("You have answered this question")
        assert bot.slack.ephemerals(greek)[-1].text.startswith("Ευχαριστούμε: αυτή η απάντηση")
    finally:
        bot.close()


def test_without_question_in_channel_nothing_is_posted_there(bot: Bot) -> None:
    _question(bot, bot.user("member"))
    team = bot.slack.workspace.settings.team_channel
    assert [m for m in bot.slack.messages(team) if "Question of the week" in m.text] == []


def _again(bot: Bot, request: Any) -> int:
    """Slack's redelivery: the same bytes, marked as a retry."""
    headers = {**request.headers, "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    return bot.driver.post_raw(request.body, headers).status


def test_a_press_and_a_submission_delivered_twice_record_once(bot: Bot) -> None:
    member = bot.user("member")
    question = _question(bot, member)
    with bot.driver.capture() as presses:
        bot.driver.click(member, question, action_id="question_answer")
    assert [bot.driver.post_raw(presses[0].body, presses[0].headers).status] == [200]
    assert _again(bot, presses[0]) == 200
    bot.settle()
    (modal,) = bot.slack.views(member)

    with bot.driver.capture() as submissions:
        bot.driver.submit_view(member, modal, {"question_text": {"text": "Once."}})
    payload = json.loads(parse_qs(submissions[0].body.decode())["payload"][0])
    assert payload["view"]["id"] == modal.id
    assert bot.driver.post_raw(submissions[0].body, submissions[0].headers).status == 200
    assert _again(bot, submissions[0]) == 200
    bot.settle()

    assert _stored(bot) == [("Once.", None, "modal", False)]
    assert bot.slack.ephemerals(member) == []  # no apology, no "already answered"


def test_twenty_presses_and_twenty_submissions_at_once_record_once(bot: Bot) -> None:
    member = bot.user("member")
    question = _question(bot, member)
    with ThreadPoolExecutor(max_workers=20) as pool:
        presses = list(
            pool.map(
                lambda _: bot.driver.click(member, question, action_id="question_answer").status,
                range(20),
            )
        )
    bot.settle()
    assert presses == [200] * 20 and _stored(bot) == []
    modal = bot.slack.views(member)[-1]

    with ThreadPoolExecutor(max_workers=20) as pool:
        submitted = list(
            pool.map(
                lambda _: (
                    bot.driver.submit_view(
                        member, modal, {"question_text": {"text": "All at once."}}
                    ).status
                ),
                range(20),
            )
        )
    bot.settle()

    assert submitted == [200] * 20
    assert _stored(bot) == [("All at once.", None, "modal", False)]
    assert [e.text for e in bot.slack.ephemerals(member)] == []
    assert "Edit my answer" in _said(_now(bot, question))
