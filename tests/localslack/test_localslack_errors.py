"""Slack's error codes, through a real WebClient: the bot's error handling meets real answers."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack.server import LocalSlack

ANNA, KARL = "U0ANNA0001", "U0KARL0001"
TEAM_CHANNEL = "C0SOCIAL01"


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_no_token_is_not_authed(slack: LocalSlack) -> None:
    assert _error(WebClient(base_url=slack.api_url).auth_test) == "not_authed"


def test_wrong_token_is_invalid_auth(slack: LocalSlack) -> None:
    client = WebClient(token="xoxb-wrong", base_url=slack.api_url)
    assert _error(client.auth_test) == "invalid_auth"


def test_token_as_a_form_argument_is_accepted(slack: LocalSlack) -> None:
    data = f"token={slack.bot_token}".encode()
    with urllib.request.urlopen(f"{slack.api_url}auth.test", data=data, timeout=5) as response:
        assert json.loads(response.read())["ok"] is True


def test_a_json_body_that_does_not_parse_is_invalid_json(slack: LocalSlack) -> None:
    request = urllib.request.Request(
        f"{slack.api_url}auth.test",
        data=b"{not json",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {slack.bot_token}"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read()) == {"ok": False, "error": "invalid_json"}
    assert slack.calls == []  # refused before it is a call of any method


def test_unknown_method(slack: LocalSlack, client: WebClient) -> None:
    assert _error(lambda: client.api_call("chat.nonsense")) == "unknown_method"


def test_channel_not_found(client: WebClient) -> None:
    assert _error(lambda: client.chat_postMessage(channel="C0NOWHERE1", text="x")) == (
        "channel_not_found"
    )
    assert _error(lambda: client.conversations_members(channel="C0NOWHERE1")) == (
        "channel_not_found"
    )


def test_user_not_found(client: WebClient) -> None:
    assert _error(lambda: client.users_info(user="U0NOBODY01")) == "user_not_found"
    assert _error(lambda: client.conversations_open(users="U0NOBODY01")) == "user_not_found"


def test_missing_required_argument_is_invalid_arguments(client: WebClient) -> None:
    assert _error(lambda: client.api_call("usergroups.users.list")) == "invalid_arguments"
    assert (
        _error(lambda: client.api_call("files.getUploadURLExternal", params={"filename": "a.csv"}))
        == "invalid_arguments"
    )


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_no_text(client: WebClient) -> None:
    assert _error(lambda: client.chat_postMessage(channel=TEAM_CHANNEL)) == "no_text"


def test_message_not_found_and_cant_update(slack: LocalSlack, client: WebClient) -> None:
    assert (
        _error(lambda: client.chat_update(channel=TEAM_CHANNEL, ts="1700000000.000001", text="x"))
        == "message_not_found"
    )
    theirs = slack.post_user_message(ANNA, TEAM_CHANNEL, "my own words")
    assert (
        _error(lambda: client.chat_update(channel=TEAM_CHANNEL, ts=theirs.ts, text="x"))
        == "cant_update_message"
    )


def test_ephemeral_to_someone_outside_the_channel(client: WebClient) -> None:
    assert (
        _error(lambda: client.chat_postEphemeral(channel=TEAM_CHANNEL, user=KARL, text="x"))
        == "user_not_in_channel"
    )


def test_unknown_usergroup(client: WebClient) -> None:
    assert _error(lambda: client.usergroups_users_list(usergroup="S0NOPE0001")) == (
        "no_such_subteam"
    )


def test_every_call_is_recorded_with_its_outcome(slack: LocalSlack, client: WebClient) -> None:
    client.auth_test()
    _error(lambda: client.users_info(user="U0NOBODY01"))
    assert [(c.method, c.status, c.error) for c in slack.calls] == [
        ("auth.test", 200, None),
        ("users.info", 200, "user_not_found"),
    ]
