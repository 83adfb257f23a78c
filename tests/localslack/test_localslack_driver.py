"""The driver sends what Slack sends: signed requests, real payload shapes, Slack's headers.

The bot is not this package's; a tiny stdlib server stands in for ``/slack/events`` and checks
each request with slack_sdk's own SignatureVerifier, as Bolt does.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from bot.localslack.driver import SlackDriver
from bot.localslack.server import LocalSlack

SECRET = "driver-test-signing-secret"
ANNA = "U0ANNA0001"
TEAM_CHANNEL = "C0SOCIAL01"


class FakeBot:
    """Records signed requests and answers with ``reply`` (status, JSON body or None)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply: tuple[int, Any] = (200, None)
        verifier = SignatureVerifier(SECRET)
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if not verifier.is_valid_request(body, headers):
                    self.send_response(401)
                    self.end_headers()
                    return
                bot.requests.append({"headers": headers, "body": body})
                status, reply = bot.reply
                data = b"" if reply is None else json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server = self.server
        threading.Thread(
            target=lambda: server.serve_forever(poll_interval=0.02), daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"

    def last_form(self) -> dict[str, str]:
        form = parse_qs(self.requests[-1]["body"].decode())
        return {k: v[0] for k, v in form.items()}

    def last_payload(self) -> dict[str, Any]:
        return json.loads(self.last_form()["payload"])


@pytest.fixture
def fake_bot() -> Iterator[FakeBot]:
    bot = FakeBot()
    yield bot
    bot.server.shutdown()
    bot.server.server_close()


@pytest.fixture
def driver(fake_bot: FakeBot, slack: LocalSlack) -> SlackDriver:
    return SlackDriver(fake_bot.url, SECRET, slack)


LESSON = [
    {"type": "header", "text": {"type": "plain_text", "text": "Start from the business goal"}},
    {
        "type": "actions",
        "block_id": "check",
        "elements": [
            {
                "type": "button",
                "action_id": "answer_0",
                "value": "0",
                "text": {"type": "plain_text", "text": "Which business result"},
            },
            {
                "type": "button",
                "action_id": "answer_1",
                "value": "1",
                "text": {"type": "plain_text", "text": "Which network"},
            },
        ],
    },
]


def test_command_is_signed_and_has_slacks_fields(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack, client: WebClient
) -> None:
    response = driver.command(ANNA, "now")
    assert response.status == 200
    form = fake_bot.last_form()
    assert {k: form[k] for k in ("command", "text", "user_id", "team_id", "channel_id")} == {
        "command": "/learn",
        "text": "now",
        "user_id": ANNA,
        "team_id": "T0ACME001",
        "channel_id": slack.dm_channel_id(ANNA),
    }
    assert set(form) >= {
        "team_domain",
        "channel_name",
        "user_name",
        "api_app_id",
        "is_enterprise_install",
        "response_url",
        "trigger_id",
    }
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Settings"}, "blocks": []}
    assert client.views_open(trigger_id=form["trigger_id"], view=modal)["ok"]


def test_command_ack_text_is_shown_to_the_invoker(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack
) -> None:
    fake_bot.reply = (200, {"text": "Usage: /learn now | me | pause 1w"})
    driver.command(ANNA, "nonsense")
    assert [(e.text, e.channel) for e in slack.command_acks(ANNA)] == [
        ("Usage: /learn now | me | pause 1w", slack.dm_channel_id(ANNA))
    ]
    assert slack.ephemerals(ANNA) == []  # only what the bot sent through the API


def test_bad_signature_and_old_timestamp_come_back_as_401(driver: SlackDriver) -> None:
    body = b"command=%2Flearn"
    headers = driver.sign(body)
    assert driver.post_raw(body, {**headers, "X-Slack-Signature": "v0=bad"}).status == 401
    assert driver.post_raw(body, {}).status == 401
    old = driver.sign(body, timestamp=int(driver._clock()) - 301)
    assert driver.post_raw(body, old).status == 401
    assert driver.post_raw(body, headers).status == 200


def test_click_builds_block_actions_from_the_real_message(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack, client: WebClient
) -> None:
    client.chat_postMessage(channel=ANNA, text="Lesson", blocks=LESSON)
    (message,) = slack.dm_messages(ANNA)
    driver.click(ANNA, message, action_id="answer_1")
    payload = fake_bot.last_payload()
    assert payload["type"] == "block_actions"
    assert payload["container"] == {
        "type": "message",
        "message_ts": message.ts,
        "channel_id": message.channel,
        "is_ephemeral": False,
    }
    (action,) = payload["actions"]
    assert (action["action_id"], action["block_id"], action["value"], action["type"]) == (
        "answer_1",
        "check",
        "1",
        "button",
    )
    assert payload["message"]["blocks"] == LESSON
    driver.click(ANNA, message, index=1)
    assert fake_bot.last_payload()["actions"][0]["value"] == "0"
    with pytest.raises(LookupError):
        driver.click(ANNA, message, index=3)


def test_response_url_of_a_click_replaces_the_original(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack, client: WebClient
) -> None:
    client.chat_postMessage(channel=ANNA, text="Lesson", blocks=LESSON)
    driver.click(ANNA, slack.dm_messages(ANNA)[0], index=2)
    url = fake_bot.last_payload()["response_url"]
    import urllib.request

    request = urllib.request.Request(
        url,
        data=json.dumps(
            {"replace_original": True, "text": "Not quite: start from the goal."}
        ).encode(),
    )
    urllib.request.urlopen(request, timeout=5).close()
    assert slack.dm_messages(ANNA)[0].text == "Not quite: start from the goal."


def test_submit_view_shapes_state_and_applies_the_ack(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack, client: WebClient
) -> None:
    modal = {
        "type": "modal",
        "callback_id": "weekly",
        "private_metadata": "q-which-networks",
        "title": {"type": "plain_text", "text": "Weekly question"},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "answer",
                "label": {"type": "plain_text", "text": "A"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            },
            {
                "type": "input",
                "block_id": "choice",
                "label": {"type": "plain_text", "text": "C"},
                "element": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [
                        {"text": {"type": "plain_text", "text": "Instagram"}, "value": "ig"},
                        {"text": {"type": "plain_text", "text": "LinkedIn"}, "value": "li"},
                    ],
                },
            },
        ],
    }
    client.views_open(trigger_id=slack.new_trigger_id(ANNA), view=modal)
    (view,) = slack.views(ANNA)
    fake_bot.reply = (200, {"response_action": "errors", "errors": {"answer": "Too short"}})
    driver.submit_view(ANNA, view, {"answer": {"text": "ok"}, "choice": {"pick": "li"}})
    payload = fake_bot.last_payload()
    assert payload["type"] == "view_submission"
    assert payload["view"]["callback_id"] == "weekly"
    assert payload["view"]["state"]["values"] == {
        "answer": {"text": {"type": "plain_text_input", "value": "ok"}},
        "choice": {
            "pick": {
                "type": "static_select",
                "selected_option": {
                    "text": {"type": "plain_text", "text": "LinkedIn"},
                    "value": "li",
                },
            }
        },
    }
    assert len(slack.views(ANNA)) == 1  # errors keep the modal open
    fake_bot.reply = (200, None)
    driver.submit_view(ANNA, view, {"answer": {"text": "Our survey says LinkedIn"}})
    assert slack.views(ANNA) == []


def test_event_with_retry_headers_and_url_verification(
    driver: SlackDriver, fake_bot: FakeBot
) -> None:
    event = {"type": "app_home_opened", "user": ANNA, "tab": "home", "channel": "D0ANNA0001"}
    first = driver.event(event)
    again = driver.event(
        event, retry_num=1, retry_reason="http_timeout", event_id=first.payload["event_id"]
    )
    assert again.status == 200
    sent = json.loads(fake_bot.requests[-1]["body"])
    assert sent["event_id"] == first.payload["event_id"]
    assert sent["type"] == "event_callback" and sent["event"] == event
    assert fake_bot.requests[-1]["headers"]["x-slack-retry-num"] == "1"
    assert fake_bot.requests[-1]["headers"]["x-slack-retry-reason"] == "http_timeout"
    fake_bot.reply = (200, {"challenge": "abc"})
    assert driver.url_verification("abc").json() == {"challenge": "abc"}


def test_captured_requests_are_signed_and_sent_later(
    driver: SlackDriver, fake_bot: FakeBot, slack: LocalSlack
) -> None:
    """A load generator sends them from another process: nothing goes out while capturing, and
    each request then passes the bot's signature check as it is."""
    with driver.capture() as prepared:
        assert driver.command(ANNA, "help").status == 0
        driver.event({"type": "app_home_opened", "user": ANNA, "tab": "home"})
    assert fake_bot.requests == []
    assert [r.url for r in prepared] == [driver.events_url] * 2
    for request in prepared:
        sent = urllib.request.Request(request.url, data=request.body, headers=request.headers)
        with urllib.request.urlopen(sent, timeout=5) as answer:
            assert answer.status == 200
    assert parse_qs(fake_bot.requests[0]["body"].decode())["text"] == ["help"]
    assert json.loads(fake_bot.requests[1]["body"])["event"]["type"] == "app_home_opened"
    assert slack.command_acks(ANNA) == []  # the driver saw no answer, so showed none
    assert driver.command(ANNA, "now").status == 200  # capturing ended with the block
