"""The weekly strategy question: its DM (and reminder) and the answer modal."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.learning.model import StrategyAnswer
from bot.library import LocalizedQuestion, escape_mrkdwn
from bot.slack.message import SlackMessage

ANSWER_ACTION = "question_answer"
EDIT_ACTION = "question_edit"
EDITING = ":edit"  # the end of an edit modal's private_metadata
MODAL_CALLBACK = "question_modal"
CHOICE_BLOCK, CHOICE_ACTION = "question_choice", "choice"
TEXT_BLOCK, TEXT_ACTION = "question_text", "text"
ANSWER_MAX = 3000  # a plain_text_input's max_length


def _question_blocks(title: str, question: LocalizedQuestion, skill_name: str) -> list[Block]:
    # Library text is shown as the author typed it: a `<!channel>` in it is no mention.
    return [
        HeaderBlock(text=title),
        ContextBlock(elements=[MarkdownTextObject(text=f"*{escape_mrkdwn(skill_name)}*")]),
        SectionBlock(text=MarkdownTextObject(text=escape_mrkdwn(question.prompt))),
    ]


def _button(t: Translator, key: str, action_id: str, delivery_id: int) -> ActionsBlock:
    label = t(key)
    element = ButtonElement(text=label, action_id=action_id, value=str(delivery_id))
    if action_id == ANSWER_ACTION:
        element.style = "primary"
    return ActionsBlock(block_id="question", elements=[element])


def _message(title: str, question: LocalizedQuestion, blocks: list[Block]) -> SlackMessage:
    text = f"{title}: {escape_mrkdwn(question.prompt)}"
    return SlackMessage(text=text, blocks=[b.to_dict() for b in blocks])


def question_message(
    t: Translator, question: LocalizedQuestion, skill_name: str, delivery_id: int, *, reminder: bool
) -> SlackMessage:
    """`delivery_id` is the question's own delivery (a reminder's button answers the question)."""
    title = t("question.reminder_title") if reminder else t("question.title")
    blocks = _question_blocks(title, question, skill_name)
    blocks.append(_button(t, "question.answer_button", ANSWER_ACTION, delivery_id))
    if reminder:
        blocks.insert(1, SectionBlock(text=MarkdownTextObject(text=t("question.reminder"))))
    return _message(title, question, blocks)


def answered_message(
    t: Translator,
    question: LocalizedQuestion,
    skill_name: str,
    delivery_id: int,
    *,
    edited: bool,
) -> SlackMessage:
    """The question's DM once answered, in place of the Answer button: thanks, and a way to
    change the answer until the leads' digest goes out."""
    title = t("question.title")
    said = t("question.edited" if edited else "question.answered")
    blocks = _question_blocks(title, question, skill_name)
    blocks.append(SectionBlock(text=MarkdownTextObject(text=f":white_check_mark: {said}")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("question.edit_until"))]))
    blocks.append(_button(t, "question.edit_button", EDIT_ACTION, delivery_id))
    return _message(title, question, blocks)


def channel_question_message(
    t: Translator, question: LocalizedQuestion, skill_name: str
) -> SlackMessage:
    """The week's question in the team channel (QUESTION_IN_CHANNEL): answered in its thread."""
    title = t("question.title")
    blocks = _question_blocks(title, question, skill_name)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("question.channel_hint"))]))
    return _message(title, question, blocks)


def answer_modal(
    t: Translator,
    question: LocalizedQuestion,
    delivery_id: int,
    answer: StrategyAnswer | None = None,
) -> dict[str, Any]:
    """A plain modal: the choices when the question has some, and room for the reasoning (the
    why, also under a menu); an `answer` given fills it in to be edited."""
    prompt = MarkdownTextObject(text=escape_mrkdwn(question.prompt))
    blocks: list[Block] = [SectionBlock(text=prompt)]
    if question.choices:
        options = [Option(text=choice, value=str(i)) for i, choice in enumerate(question.choices)]
        chosen = answer.choice if answer is not None else None
        blocks.append(
            InputBlock(
                block_id=CHOICE_BLOCK,
                label=t("question.choice_label"),
                element=StaticSelectElement(
                    action_id=CHOICE_ACTION,
                    options=options,
                    initial_option=options[chosen] if chosen is not None else None,
                ),
                optional=True,
            )
        )
    blocks.append(
        InputBlock(
            block_id=TEXT_BLOCK,
            label=t("question.text_label"),
            hint=question.follow_up or None,
            element=PlainTextInputElement(
                action_id=TEXT_ACTION,
                multiline=True,
                min_length=1,
                max_length=ANSWER_MAX,
                initial_value=answer.text if answer is not None else None,
            ),
        )
    )
    editing = answer is not None
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        private_metadata=f"{delivery_id}{EDITING if editing else ''}",
        title=PlainTextObject(text=t("question.edit_title" if editing else "question.modal_title")),
        submit=PlainTextObject(text=t("question.submit")),
        close=PlainTextObject(text=t("question.cancel")),
        blocks=blocks,
    ).to_dict()
