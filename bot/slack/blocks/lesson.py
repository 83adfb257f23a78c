"""The lesson DM: title, body, and the check question as one button per option."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.library import LocalizedLesson
from bot.slack.blocks.phrases import phrase

CHECK_BLOCK_ID = "check"
CHECK_ACTION_PREFIX = "check_answer_"
SECTION_LIMIT = 3000


@dataclass(frozen=True)
class SlackMessage:
    text: str  # the notification and screen-reader text
    blocks: list[dict[str, Any]]


def answer_value(delivery_id: int, choice: int) -> str:
    return f"{delivery_id}:{choice}"


def parse_answer_value(value: str) -> tuple[int, int] | None:
    """The delivery and option a check button stands for; None for anything we did not write."""
    delivery, _, choice = value.partition(":")
    if not (delivery.isdigit() and choice.isdigit()):
        return None
    return int(delivery), int(choice)


def _body_sections(sections: tuple[str, ...]) -> list[Block]:
    """Top-level Markdown blocks packed into as few sections as Slack's 3,000-character limit
    allows (the checker guarantees that no single block is longer)."""
    packed: list[str] = []
    for block in sections:
        if packed and len(packed[-1]) + 2 + len(block) <= SECTION_LIMIT:
            packed[-1] += "\n\n" + block
        else:
            packed.append(block)
    return [SectionBlock(text=MarkdownTextObject(text=text)) for text in packed if text.strip()]


def _lesson_blocks(lesson: LocalizedLesson, skill_name: str, minutes: int) -> list[Block]:
    return [
        HeaderBlock(text=lesson.title),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"*{skill_name}* · {phrase(lesson.locale, 'read', minutes=minutes)}"
                )
            ]
        ),
        *_body_sections(lesson.body_sections),
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(text=f"{phrase(lesson.locale, 'check')} {lesson.question}")
        ),
    ]


def lesson_message(
    lesson: LocalizedLesson, skill_name: str, minutes: int, delivery_id: int
) -> SlackMessage:
    buttons = [
        ButtonElement(
            text=option,
            action_id=f"{CHECK_ACTION_PREFIX}{index}",
            value=answer_value(delivery_id, index),
        )
        for index, option in enumerate(lesson.options)
    ]
    blocks = [
        *_lesson_blocks(lesson, skill_name, minutes),
        ActionsBlock(block_id=CHECK_BLOCK_ID, elements=buttons),
    ]
    return SlackMessage(
        text=phrase(lesson.locale, "lesson", title=lesson.title),
        blocks=[b.to_dict() for b in blocks],
    )


def option_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The check's options as the member saw them, read back from the message's buttons."""
    for block in blocks:
        if block.get("block_id") == CHECK_BLOCK_ID:
            return [element["text"]["text"] for element in block.get("elements", [])]
    return []


def answered_message(
    original_blocks: list[dict[str, Any]],
    *,
    choice: int,
    correct: bool,
    answer_index: int,
    explanation: str | None,
    title: str,
    locale: str,
) -> SlackMessage:
    """The same lesson with the buttons replaced by the result, so it cannot be answered twice."""
    options = option_texts(original_blocks)
    chosen = options[choice] if choice < len(options) else f"option {choice + 1}"
    right = options[answer_index] if answer_index < len(options) else f"option {answer_index + 1}"
    verdict = phrase(locale, "right" if correct else "wrong", chosen=chosen, right=right)
    result: list[Block] = [SectionBlock(block_id="result", text=MarkdownTextObject(text=verdict))]
    if explanation:
        result.append(
            ContextBlock(block_id="explanation", elements=[MarkdownTextObject(text=explanation)])
        )
    replaced = {CHECK_BLOCK_ID, "result", "explanation"}
    kept = [block for block in original_blocks if block.get("block_id") not in replaced]
    return SlackMessage(
        text=phrase(locale, "answered", title=title),
        blocks=[*kept, *(block.to_dict() for block in result)],
    )
