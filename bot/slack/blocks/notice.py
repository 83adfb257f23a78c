"""A one-line ephemeral answer: confirmations, refusals, apologies."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.slack.message import SlackMessage


def notice(text: str) -> SlackMessage:
    return SlackMessage(
        text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    )
