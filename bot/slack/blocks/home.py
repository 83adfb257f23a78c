"""Nudge's Home tab: the member's own progress by skill area."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.services.progress import Progress


def _bar(answered: int, delivered: int) -> str:
    return "▰" * answered + "▱" * (delivered - answered) if delivered else "·"


def home_view(progress: Progress, command: str) -> dict[str, Any]:
    blocks: list[Any] = [HeaderBlock(text="Your learning with Nudge")]
    if not progress.known:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text="You have no lessons yet. Type "
                    f"`{command} now` for your first one; after that they come to your DMs."
                )
            )
        )
    else:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"*{progress.lessons}* lessons · *{progress.answered}* answered · "
                    f"*{progress.correct}* right"
                )
            )
        )
        blocks.append(DividerBlock())
        lines = [
            f"{_bar(s.engagement.answered, s.engagement.delivered)}  *{s.name}*: "
            f"{s.engagement.answered}/{s.engagement.delivered} answered"
            for s in progress.skills
        ]
        blocks.append(SectionBlock(text=MarkdownTextObject(text="\n".join(lines))))
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=f"`{command} help` lists everything.")])
    )
    return View(type="home", blocks=blocks).to_dict()
