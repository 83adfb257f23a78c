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
from bot.library import LocalizedQuestion, escape_mrkdwn
from bot.slack.message import SlackMessage

ANSWER_ACTION = "question_answer"
MODAL_CALLBACK = "question_modal"
CHOICE_BLOCK, CHOICE_ACTION = "question_choice", "choice"
TEXT_BLOCK, TEXT_ACTION = "question_text", "text"
ANSWER_MAX = 3000  # a plain_text_input's max_length


def question_message(
    t: Translator, question: LocalizedQuestion, skill_name: str, delivery_id: int, *, reminder: bool
) -> SlackMessage:
    """`delivery_id` is the question's own delivery (a reminder's button answers the question)."""
    title = t("question.reminder_title") if reminder else t("question.title")
    # Library text is shown as the author typed it: a `<!channel>` in it is no mention.
    prompt = escape_mrkdwn(question.prompt)
    blocks: list[Block] = [
        HeaderBlock(text=title),
        ContextBlock(elements=[MarkdownTextObject(text=f"*{escape_mrkdwn(skill_name)}*")]),
        SectionBlock(text=MarkdownTextObject(text=prompt)),
        ActionsBlock(
            block_id="question",
            elements=[
                ButtonElement(
                    text=t("question.answer_button"),
                    action_id=ANSWER_ACTION,
                    value=str(delivery_id),
                    style="primary",
                )
            ],
        ),
    ]
    if reminder:
        blocks.insert(1, SectionBlock(text=MarkdownTextObject(text=t("question.reminder"))))
    return SlackMessage(text=f"{title}: {prompt}", blocks=[b.to_dict() for b in blocks])


def answer_modal(t: Translator, question: LocalizedQuestion, delivery_id: int) -> dict[str, Any]:
    """A plain modal: the choices when the question has some, and room for the reasoning."""
    prompt = MarkdownTextObject(text=escape_mrkdwn(question.prompt))
    blocks: list[Block] = [SectionBlock(text=prompt)]
    if question.choices:
        options = [Option(text=choice, value=str(i)) for i, choice in enumerate(question.choices)]
        blocks.append(
            InputBlock(
                block_id=CHOICE_BLOCK,
                label=t("question.choice_label"),
                element=StaticSelectElement(action_id=CHOICE_ACTION, options=options),
                optional=True,
            )
        )
    blocks.append(
        InputBlock(
            block_id=TEXT_BLOCK,
            label=t("question.text_label"),
            hint=question.follow_up or None,
            element=PlainTextInputElement(
                action_id=TEXT_ACTION, multiline=True, min_length=1, max_length=ANSWER_MAX
            ),
        )
    )
    return View(
        type="modal",
        callback_id=MODAL_CALLBACK,
        private_metadata=str(delivery_id),
        title=PlainTextObject(text=t("question.modal_title")),
        submit=PlainTextObject(text=t("question.submit")),
        close=PlainTextObject(text=t("question.cancel")),
        blocks=blocks,
    ).to_dict()
