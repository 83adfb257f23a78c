"""The renderer shows what people saw, in the words they saw."""

from __future__ import annotations

from bot.localslack.records import Ephemeral, Message
from bot.localslack.render import mrkdwn_to_text, render_message, render_view

LESSON = [
    {"type": "header", "text": {"type": "plain_text", "text": "Start from the business goal"}},
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "Strategy · 2 min read"}]},
    {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": "Followers are a means. See <https://example.com/goals|the goals guide>.",
        },
    },
    {"type": "divider"},
    {"type": "section", "text": {"type": "mrkdwn", "text": "*A lead asks for more followers.*"}},
    {
        "type": "actions",
        "block_id": "check",
        "elements": [
            {
                "type": "button",
                "action_id": "a0",
                "value": "0",
                "text": {"type": "plain_text", "text": "Which business result"},
            },
            {
                "type": "button",
                "action_id": "a1",
                "value": "1",
                "text": {"type": "plain_text", "text": "Which network"},
            },
        ],
    },
]


def test_lesson_message_reads_as_plain_text() -> None:
    message = Message(
        channel="D0ANNA0001",
        ts="1700000000.000000",
        user="U0NUDGE00",
        text="Start from the business goal",
        blocks=LESSON,
    )
    assert render_message(message) == "\n".join(
        [
            "START FROM THE BUSINESS GOAL",
            "============================",
            "(Strategy · 2 min read)",
            "Followers are a means. See the goals guide (https://example.com/goals).",
            "-" * 72,
            "*A lead asks for more followers.*",
            "[1] Which business result  [2] Which network",
        ]
    )


def test_text_only_and_ephemeral_messages() -> None:
    note = Ephemeral(channel="C0SOCIAL01", user="U0ANNA0001", ts="1.0", text="Paused <@U0ANNA0001>")
    assert render_message(note, users={"U0ANNA0001": "anna"}) == (
        "(only visible to you)\nPaused @anna"
    )


def test_mrkdwn_links() -> None:
    assert mrkdwn_to_text("<https://a.example|A> and <https://b.example>") == (
        "A (https://a.example) and https://b.example"
    )


def test_modal_with_inputs_and_select() -> None:
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Weekly question"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "c",
                "label": {"type": "plain_text", "text": "Network"},
                "element": {
                    "type": "static_select",
                    "action_id": "p",
                    "placeholder": {"type": "plain_text", "text": "Pick"},
                    "options": [
                        {"text": {"type": "plain_text", "text": "Instagram"}, "value": "ig"},
                        {"text": {"type": "plain_text", "text": "LinkedIn"}, "value": "li"},
                    ],
                },
            },
            {
                "type": "input",
                "block_id": "a",
                "label": {"type": "plain_text", "text": "Why?"},
                "element": {"type": "plain_text_input", "action_id": "t"},
            },
        ],
    }
    assert render_view(view) == "\n".join(
        [
            "+-----------------+",
            "| Weekly question |",
            "+-----------------+",
            "Network:",
            "  <Pick: Instagram | LinkedIn>",
            "Why?:",
            "  [text: ____]",
            "<Cancel>  <Send>",
        ]
    )
