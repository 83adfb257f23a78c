"""The local Slack's Socket Mode: apps.connections.open for an app-level token, and a WebSocket
server that greets, delivers envelopes, records acknowledgements and drops connections as Slack
does. A plain WebSocket client plays the app here; tests/slack/test_socket_mode.py runs the bot's
own Socket Mode handler against it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from bot.localslack.server import LocalSlack


def _open_url(slack: LocalSlack, token: str) -> str:
    return str(WebClient(base_url=slack.api_url).apps_connections_open(app_token=token)["url"])


@contextmanager
def _app(slack: LocalSlack) -> Iterator[ClientConnection]:
    """An app connected over Socket Mode that has read its hello."""
    with connect(_open_url(slack, slack.app_token), open_timeout=5) as connection:
        hello = _receive(connection)
        assert hello["type"] == "hello"
        yield connection


def _receive(connection: ClientConnection) -> dict[str, Any]:
    message = json.loads(connection.recv(timeout=5))
    assert isinstance(message, dict)
    return message


def test_an_app_token_opens_a_connection_url_on_loopback(slack: LocalSlack) -> None:
    url = _open_url(slack, slack.app_token)

    assert url.startswith(f"{slack.socket_mode.url}/link/?ticket=")
    assert url.startswith("ws://127.0.0.1:")
    assert url.endswith(f"&app_id={slack.workspace.bot.app_id}")


@pytest.mark.parametrize(
    ("token", "error"),
    [("xapp-1-A0NUDGE001-wrong", "invalid_auth"), ("bot", "not_allowed_token_type")],
)
def test_apps_connections_open_refuses_any_other_token(
    slack: LocalSlack, token: str, error: str
) -> None:
    with pytest.raises(SlackApiError) as refused:
        _open_url(slack, slack.bot_token if token == "bot" else token)

    assert refused.value.response["error"] == error


def test_an_app_token_calls_no_other_method(slack: LocalSlack) -> None:
    client = WebClient(token=slack.app_token, base_url=slack.api_url)

    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0SOCIAL01", text="hi")

    assert refused.value.response["error"] == "not_allowed_token_type"
    assert slack.messages("C0SOCIAL01") == []


def test_the_connection_is_greeted_with_hello(slack: LocalSlack) -> None:
    with connect(_open_url(slack, slack.app_token), open_timeout=5) as connection:
        hello = _receive(connection)

    assert hello["type"] == "hello"
    assert hello["num_connections"] == 1
    assert hello["connection_info"] == {"app_id": slack.workspace.bot.app_id}


def test_a_ticket_opens_one_connection_and_no_ticket_none(slack: LocalSlack) -> None:
    url = _open_url(slack, slack.app_token)
    with connect(url, open_timeout=5):
        pass

    for refused_url in (url, f"{slack.socket_mode.url}/link/"):
        with pytest.raises(InvalidStatus) as refused:
            connect(refused_url, open_timeout=5)
        assert refused.value.response.status_code == 401


def test_an_envelope_is_delivered_and_its_ack_recorded(slack: LocalSlack) -> None:
    command = {"command": "/learn", "text": "now", "user_id": "U0ANNA0001"}
    with _app(slack) as app:
        envelope = slack.socket_mode.deliver("slash_commands", command)
        received = _receive(app)
        app.send(json.dumps({"envelope_id": received["envelope_id"], "payload": {"text": "ok"}}))
        slack.wait_for(lambda: envelope.ack is not None)

    assert received == {
        "envelope_id": envelope.id,
        "payload": command,
        "type": "slash_commands",
        "accepts_response_payload": True,
    }
    assert envelope.response_payload == {"text": "ok"}
    assert envelope.sent_at is not None and envelope.acked_at is not None


@pytest.mark.parametrize(
    ("kind", "payload", "accepts"),
    [
        ("interactive", {"type": "block_actions"}, False),
        ("interactive", {"type": "view_submission"}, True),
        ("events_api", {"type": "event_callback"}, False),
    ],
)
def test_only_commands_and_submissions_accept_a_response_payload(
    slack: LocalSlack, kind: Any, payload: dict[str, Any], accepts: bool
) -> None:
    with _app(slack) as app:
        envelope = slack.socket_mode.deliver(kind, payload)
        received = _receive(app)
        app.send(json.dumps({"envelope_id": envelope.id, "payload": {"text": "ignored?"}}))
        slack.wait_for(lambda: envelope.ack is not None)

    assert received["accepts_response_payload"] is accepts
    assert envelope.response_payload == ({"text": "ignored?"} if accepts else None)
    if kind == "events_api":  # Slack numbers the Events API's deliveries from 0
        assert (received["retry_attempt"], received["retry_reason"]) == (0, "")


def test_a_drop_says_disconnect_then_closes_and_what_follows_waits(slack: LocalSlack) -> None:
    with _app(slack) as app:
        slack.socket_mode.drop()
        envelope = slack.socket_mode.deliver("events_api", {"type": "event_callback"})
        notice = _receive(app)
        with pytest.raises(ConnectionClosed):
            app.recv(timeout=5)

    assert (notice["type"], notice["reason"]) == ("disconnect", "refresh_requested")
    assert slack.socket_mode.connections == 0
    assert envelope.sent_at is None, "nothing is sent on a connection told to go"
    with _app(slack) as again:
        assert _receive(again)["envelope_id"] == envelope.id
