"""Socket Mode end to end: the bot's real Bolt SocketModeHandler (slack_sdk's built-in client), as
`python -m bot run` connects it with SLACK_APP_TOKEN, against the local Slack's WebSocket server.
The requests are the ones the HTTP tests send, built by the same driver code, delivered in
envelopes; the acknowledgements come back over the socket."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.localslack import LocalSlack
from tests.conftest import Bot, start_bot
from tests.slack import (
    test_acks_never_wait,
    test_app_home,
    test_learn_now_and_answer,
    test_schedule_over_slack,
)
from tests.slack.test_learn_now_and_answer import buttons, lesson_for, wait_answered


def start_socket_bot(slack: LocalSlack, database_url: str, **overrides: Any) -> Bot:
    return start_bot(slack, database_url, slack_app_token=slack.app_token, **overrides)


@pytest.fixture
def socket_bot(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_socket_bot(slack, database_url)
    try:
        yield running
    finally:
        running.close()


def test_learn_now_and_a_check_press_travel_over_the_socket(socket_bot: Bot) -> None:
    slack, member = socket_bot.slack, socket_bot.user("member")

    message = lesson_for(socket_bot, member)
    socket_bot.driver.click(member, message, index=2)

    answered = wait_answered(socket_bot, message)
    assert not buttons(answered), "the check is closed on the message"
    assert any("Right." in b.get("text", {}).get("text", "") for b in answered.blocks)
    assert socket_bot.server is None, "no HTTP server: everything came over Socket Mode"
    command, press = slack.socket_mode.envelopes
    assert (command.type, command.payload["command"], command.payload["text"]) == (
        "slash_commands",
        "/learn",
        "now",
    )
    assert (press.type, press.payload["type"]) == ("interactive", "block_actions")
    assert [e.ack for e in (command, press)] == [
        {"envelope_id": command.id},
        {"envelope_id": press.id},
    ]
    assert [c.ok for c in slack.calls_to("apps.connections.open")] == [True]


def test_the_ack_does_not_wait_for_the_work_behind_it(socket_bot: Bot) -> None:
    slack, member = socket_bot.slack, socket_bot.user("member")
    with slack.hold("chat.postMessage") as held:
        ack = socket_bot.driver.command(member, "now")
        held.wait_until_waiting()

        # Acknowledged while the lesson is still stuck on its way to Slack.
        assert (ack.status, ack.body) == (200, "")
        assert slack.dm_messages(member) == []
    socket_bot.settle()
    assert len(slack.dm_messages(member)) == 1


# The HTTP tests' journeys, played over Socket Mode: a button, a modal whose acknowledgement
# carries errors and then closes it, an Events API event.
JOURNEYS = [
    test_learn_now_and_answer.test_pressing_the_right_answer_records_it_and_closes_the_check,
    test_schedule_over_slack.test_the_weekly_question_is_answered_in_a_modal_once,
    test_app_home.test_a_new_member_sees_in_three_lines_what_nudge_will_do_and_when,
]


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda journey: journey.__name__[5:])
def test_a_journey_runs_the_same_over_socket_mode(socket_bot: Bot, journey: Any) -> None:
    journey(socket_bot)

    envelopes = socket_bot.slack.socket_mode.envelopes
    assert envelopes and all(e.ack is not None for e in envelopes)


def test_a_full_queue_says_busy_in_the_commands_ack(slack: LocalSlack, database_url: str) -> None:
    small = start_socket_bot(slack, database_url, work_threads=1, work_queue=3)
    try:
        test_acks_never_wait.test_a_full_queue_says_busy_and_everything_it_accepted_is_delivered_once(
            small
        )
        refused = small.learners()[3]
    finally:
        small.close()

    # Slack shows a command's ack payload to the person who typed it, as over HTTP.
    shown = [ack.text for ack in slack.command_acks(refused)]
    assert shown[-1] in (test_acks_never_wait.BUSY, test_acks_never_wait.BUSY_EL)


def test_a_dropped_connection_is_reopened_and_nothing_sent_meanwhile_is_lost(
    socket_bot: Bot,
) -> None:
    slack, member = socket_bot.slack, socket_bot.user("member")
    slack.wait_for(lambda: slack.socket_mode.connections == 1)

    with ThreadPoolExecutor(max_workers=1) as person:
        with slack.hold("apps.connections.open") as reconnecting:
            slack.socket_mode.drop()  # disconnect (refresh_requested), then a closed socket
            reconnecting.wait_until_waiting()
            typed = person.submit(socket_bot.driver.command, member, "now")
            # Slack holds the command until the app is connected again.
            slack.wait_for(lambda: slack.socket_mode.envelopes)
            assert slack.socket_mode.envelopes[0].sent_at is None
            assert slack.socket_mode.connections == 0
        ack = typed.result(timeout=10)

    assert (ack.status, ack.body) == (200, "")
    socket_bot.settle()
    assert len(slack.dm_messages(member)) == 1
    assert [c.ok for c in slack.calls_to("apps.connections.open")] == [True, True]
    assert slack.socket_mode.connections == 1


@pytest.mark.parametrize(
    ("app_token", "error"),
    [("xapp-wrong", "invalid_auth"), ("the bot token", "not_allowed_token_type")],
)
def test_an_app_token_slack_refuses_stops_run_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    slack: LocalSlack,
    app_token: str,
    error: str,
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env, and where a database would be created
    for name, value in {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.api_url,
        "SLACK_APP_TOKEN": slack.bot_token if app_token == "the bot token" else app_token,
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["run"]) == 2

    assert capsys.readouterr() == (
        "",
        f"nudge: Slack at {slack.api_url} refused SLACK_APP_TOKEN ({error}): check that it is an "
        "App-Level Token (xapp-...) with the connections:write scope, from the Basic Information "
        "page of the same app.\n",
    )
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert list(tmp_path.iterdir()) == [], "nothing is created for a bot that cannot connect"
