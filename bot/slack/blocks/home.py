"""Nudge's Home tab: the member's own progress by skill area, in their language."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.learning.progress import Progress
from bot.library import escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.library.mrkdwn import pack_sections

BAR_CELLS = 10  # a bar longer than this is drawn to scale: it must fit a line on a phone


def _bar(answered: int, delivered: int) -> str:
    """Text bars read well on a phone, where an image would not."""
    if delivered > BAR_CELLS:
        answered, delivered = round(answered * BAR_CELLS / delivered), BAR_CELLS
    return "▰" * answered + "▱" * (delivered - answered) if delivered else "·"


def home_view(t: Translator, progress: Progress, command: str, tz: str) -> dict[str, Any]:
    blocks: list[Block] = [HeaderBlock(text=t("home.title"))]
    if not progress.known or progress.last_lesson_at is None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=t("home.first", command=command))))
    else:
        totals = " · ".join(
            (
                t.plural("home.lessons", progress.lessons),
                t.plural("home.responses", progress.responses),
                t.plural("home.correct", progress.correct),
            )
        )
        last = t("home.last_lesson", when=t.when(progress.last_lesson_at, tz))
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{totals}\n{last}")))
        blocks.append(DividerBlock())
        lines = [
            f"{_bar(s.engagement.answered, s.engagement.delivered)}  *{escape_mrkdwn(s.name)}*: "
            + t(
                "home.skill_answered",
                answered=s.engagement.answered,
                delivered=s.engagement.delivered,
            )
            for s in progress.skills
        ]
        # Each line fits a section (the checker caps a skill name); many skills take several.
        blocks.extend(
            SectionBlock(text=MarkdownTextObject(text=text))
            for text in pack_sections(lines, SECTION_MAX, separator="\n")
        )
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=t("home.footer", command=command))])
    )
    return View(type="home", blocks=blocks).to_dict()
