"""A member's own data: the confirmation before `/learn forget`, and what it deleted."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.slack.message import SlackMessage

FORGET_CALLBACK = "forget_confirm"

# What each table about a member holds, in words; a table added later is counted as "other".
KINDS = {
    "deliveries": "data.deliveries",
    "responses": "data.responses",
    "strategy_answers": "data.strategy_answers",
    "cards": "data.cards",
    "lesson_progress": "data.lesson_progress",
}


def data_lines(t: Translator, counts: dict[str, int]) -> str:
    """One bullet per kind of row: the profile and settings (their `members` row), then counts."""
    lines = [t("data.profile")] if counts.get("members") else []
    lines += [t.plural(key, counts.get(table, 0)) for table, key in KINDS.items()]
    other = sum(count for table, count in counts.items() if table not in {*KINDS, "members"})
    if other:
        lines.append(t.plural("data.other", other))
    return "\n".join(f"• {line}" for line in lines)


def forget_modal(t: Translator, counts: dict[str, int], owner: str, command: str) -> dict[str, Any]:
    """The confirmation: what will go, that it cannot be undone, and what happens afterwards.
    `owner` (private_metadata) is whom it was shown to: only they may confirm it."""
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=t("forget.intro"))),
        SectionBlock(text=MarkdownTextObject(text=data_lines(t, counts))),
        SectionBlock(text=MarkdownTextObject(text=t("forget.export_first", command=command))),
        ContextBlock(elements=[MarkdownTextObject(text=t("forget.afterwards", command=command))]),
    ]
    return View(
        type="modal",
        callback_id=FORGET_CALLBACK,
        private_metadata=owner,
        title=t("forget.title"),
        submit=t("forget.submit"),
        close=t("forget.cancel"),
        blocks=blocks,
    ).to_dict()


def forget_busy_modal(t: Translator) -> dict[str, Any]:
    """In place of the confirmation when Nudge is too busy to take it: nothing was deleted."""
    return View(
        type="modal",
        callback_id=FORGET_CALLBACK,
        title=t("forget.title"),
        close=t("forget.cancel"),
        blocks=[SectionBlock(text=MarkdownTextObject(text=t("error.busy")))],
    ).to_dict()


def forgotten_message(t: Translator, counts: dict[str, int], command: str) -> SlackMessage:
    text = "\n".join(
        (t("forget.done"), data_lines(t, counts), t("forget.done_after", command=command))
    )
    return SlackMessage(
        text=t("forget.done"), blocks=[SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    )
