"""The lesson DM: title, body, and the check question as one button per option."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, NamedTuple

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

from bot.i18n import Translator, translator
from bot.library import LocalizedLesson, escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.library.mrkdwn import pack_sections
from bot.slack.message import SlackMessage

CHECK_BLOCK_ID = "check"
CHECK_ACTION_PREFIX = "check_answer_"


def answer_value(delivery_id: int, choice: int) -> str:
    return f"{delivery_id}:{choice}"


def parse_answer_value(value: str) -> tuple[int, int] | None:
    """The delivery and option a check button stands for; None for anything we did not write."""
    delivery, _, choice = value.partition(":")
    if not (delivery.isdigit() and choice.isdigit()):
        return None
    return int(delivery), int(choice)


class _LessonText(NamedTuple):
    """What of a lesson its message shows above the buttons (hashable, unlike the lesson)."""

    title: str
    body_sections: tuple[str, ...]
    question: str


def _body_sections(sections: tuple[str, ...]) -> list[Block]:
    """Top-level Markdown blocks packed into as few sections as Slack's 3,000-character limit
    allows: the checker counts with the same packing, so a lesson that passes it fits."""
    packed = pack_sections(sections, SECTION_MAX)
    return [SectionBlock(text=MarkdownTextObject(text=text)) for text in packed]


def _lesson_blocks(
    t: Translator, text: _LessonText, skill_name: str, minutes: int, review: bool
) -> list[Block]:
    # Library text is shown as the author typed it: a `<!channel>` in it is no mention.
    about = [f"*{escape_mrkdwn(skill_name)}*", t.plural("lesson.minutes", minutes)]
    if review:
        about.insert(1, t("lesson.review"))
    return [
        HeaderBlock(text=text.title),
        ContextBlock(elements=[MarkdownTextObject(text=" · ".join(about))]),
        *_body_sections(text.body_sections),
        DividerBlock(),
        SectionBlock(
            text=MarkdownTextObject(text=f"*{t('lesson.check')}* {escape_mrkdwn(text.question)}")
        ),
    ]


def lesson_message(
    t: Translator,
    lesson: LocalizedLesson,
    skill_name: str,
    minutes: int,
    delivery_id: int,
    *,
    review: bool = False,
) -> SlackMessage:
    """`review`: the lesson comes back by spaced repetition, and says so."""
    text = _LessonText(lesson.title, lesson.body_sections, lesson.question)
    shown = _message_json(t.language, text, skill_name, minutes, review, tuple(lesson.options))
    blocks: list[dict[str, Any]] = json.loads(shown)
    for index, button in enumerate(blocks[-1]["elements"]):
        button["value"] = answer_value(delivery_id, index)
    return SlackMessage(
        text=t("lesson.notification", title=escape_mrkdwn(lesson.title)), blocks=blocks
    )


@lru_cache(maxsize=1024)
def _message_json(
    language: str,
    text: _LessonText,
    skill_name: str,
    minutes: int,
    review: bool,
    options: tuple[str, ...],
) -> str:
    """The message's blocks as JSON, the same for every member who reads the lesson in one
    language but for the buttons' values (the delivery, filled in per message): built and
    checked by the Block Kit models once, not on every send (it was most of a lesson's rendering
    CPU). Each message parses its own blocks from it, so no caller can change another's: json's
    parser makes them in a fraction of the CPU a copy of the dicts in Python took."""
    buttons = [
        ButtonElement(text=option, action_id=f"{CHECK_ACTION_PREFIX}{index}", value="-")
        for index, option in enumerate(options)
    ]
    blocks = [
        *_lesson_blocks(translator(language), text, skill_name, minutes, review),
        ActionsBlock(block_id=CHECK_BLOCK_ID, elements=buttons),
    ]
    return json.dumps([block.to_dict() for block in blocks])


def option_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The check's options as the member saw them, read back from the message's buttons."""
    for block in blocks:
        if block.get("block_id") == CHECK_BLOCK_ID:
            texts = (element.get("text") for element in block.get("elements") or [])
            return [text["text"] if isinstance(text, dict) else str(text) for text in texts]
    return []


def answered_message(
    t: Translator,
    original_blocks: list[dict[str, Any]],
    choice: int,
    correct: bool,
    answer_index: int,
    lesson: LocalizedLesson | None,
) -> SlackMessage:
    """The same lesson with the buttons replaced by the result, so it cannot be answered twice.
    `lesson` is None when it has since left the library: the verdict still shows."""
    options = option_texts(original_blocks)

    def option(index: int) -> str:
        """A button's plain text, put into mrkdwn."""
        if index < len(options):
            return escape_mrkdwn(options[index])
        return t("lesson.option", number=index + 1)

    if correct:
        verdict = t("lesson.right", chosen=option(choice))
    else:
        verdict = t("lesson.wrong", chosen=option(choice), right=option(answer_index))
    result: list[Block] = [SectionBlock(block_id="result", text=MarkdownTextObject(text=verdict))]
    if lesson is not None and lesson.explanation:
        explanation = MarkdownTextObject(text=escape_mrkdwn(lesson.explanation))
        result.append(ContextBlock(block_id="explanation", elements=[explanation]))
    replaced = {CHECK_BLOCK_ID, "result", "explanation"}
    kept = [block for block in original_blocks if block.get("block_id") not in replaced]
    return SlackMessage(
        text=t(
            "lesson.answered",
            title=escape_mrkdwn(lesson.title) if lesson else t("lesson.untitled"),
        ),
        blocks=[*kept, *(block.to_dict() for block in result)],
    )
