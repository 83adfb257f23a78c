"""`/learn help`: the subcommands a person may use, grouped by the role that grants them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.learning.model import Role
from bot.library import escape_mrkdwn
from bot.slack.message import SlackMessage

# Long enough to recognise what was typed, short enough to keep the answer one screen.
ECHO_MAX = 60

SECTION_TITLES = {
    Role.MEMBER: "help.for_everyone",
    Role.LEAD: "help.for_leads",
    Role.ADMIN: "help.for_admins",
}


@dataclass(frozen=True)
class HelpLine:
    usage: str  # e.g. "admin reload", "pause 1w|3d|until YYYY-MM-DD"
    does: str  # already in the reader's language
    role: Role


def shown(typed: str) -> str:
    """What the person typed, cut short and escaped: `<!channel>` or `<http://x|click>` in a
    command's text must come back as text, never as a mention or a link. Backticks are dropped so
    the echo stays inside its own code span."""
    cut = typed if len(typed) <= ECHO_MAX else typed[: ECHO_MAX - 3] + "..."
    return escape_mrkdwn(cut.replace("`", "'"))


def help_message(
    t: Translator, command: str, lines: Sequence[HelpLine], *, unknown: str | None = None
) -> SlackMessage:
    """`lines` are only those the reader may use; `unknown` is what they typed that we did not know."""
    if unknown is not None:
        intro = t("help.unknown", command=command, typed=shown(unknown))
    else:
        intro = t("help.intro")
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    for role, title in SECTION_TITLES.items():
        mine = [f"`{command} {line.usage}` {line.does}" for line in lines if line.role == role]
        if mine:
            text = f"*{t(title)}*\n" + "\n".join(mine)
            blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=t("help.footer"))]))
    return SlackMessage(text=intro, blocks=[block.to_dict() for block in blocks])
