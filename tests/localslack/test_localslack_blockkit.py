"""Block Kit that Slack refuses is refused here too, with Slack's error and JSON pointer."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack import blockkit
from bot.localslack.server import LocalSlack

ANNA = "U0ANNA0001"


def _section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _button(text: str, action_id: str = "a", value: str = "v") -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }


def _modal(title: str = "Weekly question", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [_section("Hi")],
        **extra,
    }


def _refused(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as raised:
        call()
    return dict(raised.value.response.data)


def test_button_text_over_75_is_invalid_blocks(client: WebClient) -> None:
    blocks = [_section("Pick one"), {"type": "actions", "elements": [_button("x" * 76)]}]
    body = _refused(lambda: client.chat_postMessage(channel=ANNA, text="q", blocks=blocks))
    assert body["error"] == "invalid_blocks"
    assert body["errors"] == [
        "must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]"
    ]
    assert body["response_metadata"]["messages"] == [f"[ERROR] {body['errors'][0]}"]


def test_blocks_as_a_json_string_are_checked_too(slack: LocalSlack, client: WebClient) -> None:
    import json

    blocks = json.dumps([_section("x" * 3001)])
    body = _refused(
        lambda: client.api_call(
            "chat.postMessage", params={"channel": ANNA, "text": "q", "blocks": blocks}
        )
    )
    assert body["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_more_than_50_blocks_in_a_message(client: WebClient) -> None:
    blocks = [_section(str(i)) for i in range(51)]
    body = _refused(lambda: client.chat_postMessage(channel=ANNA, text="q", blocks=blocks))
    assert body["errors"] == ["must provide no more than 50 items [json-pointer:/blocks]"]


def test_message_blocks_over_13000_characters(client: WebClient) -> None:
    blocks = [_section("x" * 2900) for _ in range(5)]
    body = _refused(lambda: client.chat_postMessage(channel=ANNA, text="q", blocks=blocks))
    assert body["error"] == "msg_blocks_too_long"


def test_update_is_checked_like_a_post(slack: LocalSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=ANNA, text="q")["ts"]
    body = _refused(
        lambda: client.chat_update(
            channel=slack.dm_channel_id(ANNA),
            ts=ts,
            text="q",
            blocks=[{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        )
    )
    assert body["errors"] == ["must be less than 151 characters [json-pointer:/blocks/0/text/text]"]
    assert slack.dm_messages(ANNA)[0].edits == []


def test_modal_title_over_24_is_invalid_arguments(slack: LocalSlack, client: WebClient) -> None:
    body = _refused(
        lambda: client.views_open(
            trigger_id=slack.new_trigger_id(ANNA), view=_modal("A title far too long for Slack")
        )
    )
    assert body["error"] == "invalid_arguments"
    assert body["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]
    assert slack.views(ANNA) == []


def test_view_over_250_kb_is_view_too_large(client: WebClient) -> None:
    home = {"type": "home", "blocks": [_section("x" * 2900) for _ in range(90)]}
    assert _refused(lambda: client.views_publish(user_id=ANNA, view=home))["error"] == (
        "view_too_large"
    )


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (
            [{"type": "actions", "elements": [_button(f"b{i}", f"a{i}") for i in range(26)]}],
            "must provide no more than 25 items [json-pointer:/blocks/0/elements]",
        ),
        (
            [_section("a", block_id="same"), _section("b", block_id="same")],
            "duplicate block_id [json-pointer:/blocks/1/block_id]",
        ),
        (
            [{"type": "actions", "elements": [_button("a", "dup"), _button("b", "dup")]}],
            "duplicate action_id [json-pointer:/blocks/0/elements/1/action_id]",
        ),
        ([{"type": "carousel"}], "unsupported block type 'carousel' [json-pointer:/blocks/0/type]"),
        (
            [_section("a", block_id="b" * 256)],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "must provide no more than 10 items [json-pointer:/blocks/0/fields]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "static_select",
                            "action_id": "s",
                            "options": [
                                {"text": {"type": "plain_text", "text": "o" * 76}, "value": "1"}
                            ],
                        }
                    ],
                }
            ],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/options/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [_button("ok", value="v" * 2001)]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
        ),
    ],
)
def test_message_block_refusals(blocks: list[dict[str, Any]], message: str) -> None:
    assert blockkit.check_message_blocks(blocks) == [message]


@pytest.mark.parametrize(
    ("view", "message"),
    [
        (
            _modal(submit={"type": "plain_text", "text": "s" * 25}),
            "must be less than 25 characters [json-pointer:/view/submit/text]",
        ),
        (
            _modal(private_metadata="m" * 3001),
            "must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
        (
            {**_modal(), "blocks": [_section(str(i)) for i in range(101)]},
            "must provide no more than 100 items [json-pointer:/view/blocks]",
        ),
        (
            {
                **_modal(submit={"type": "plain_text", "text": "Send"}),
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "answer",
                        "label": {"type": "plain_text", "text": "A"},
                        "element": {
                            "type": "plain_text_input",
                            "action_id": "v",
                            "max_length": 3001,
                        },
                    }
                ],
            },
            "must be less than 3001 [json-pointer:/view/blocks/0/element/max_length]",
        ),
        (
            {
                **_modal(),
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "answer",
                        "label": {"type": "plain_text", "text": "A"},
                        "element": {"type": "plain_text_input", "action_id": "v"},
                    }
                ],
            },
            "is required when the view has input blocks [json-pointer:/view/submit]",
        ),
    ],
)
def test_view_refusals(view: dict[str, Any], message: str) -> None:
    assert blockkit.check_view(view) == [message]


def test_a_good_lesson_passes() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Start from the business goal"}},
        _section("Followers are a means, not an end."),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Strategy · 2 min"}]},
        {"type": "divider"},
        {
            "type": "actions",
            "block_id": "check",
            "elements": [
                _button("Which business result", "answer_0", "0"),
                _button("Which network", "answer_1", "1"),
            ],
        },
    ]
    assert blockkit.check_message_blocks(blocks) == []
