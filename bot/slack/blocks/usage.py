"""`/learn help`: every subcommand in DESIGN.md, with those not built yet marked as coming."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject, SectionBlock

from bot.slack.blocks.lesson import SlackMessage


@dataclass(frozen=True)
class Subcommand:
    usage: str
    does: str
    who: str  # member | lead | admin
    built: bool


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "show this list", "member", True),
    Subcommand("now", "send me a lesson right now", "member", True),
    Subcommand("me", "my progress by skill area", "member", False),
    Subcommand("why", "why I got my last lesson, and what comes next", "member", False),
    Subcommand("pause 1w|3d|until YYYY-MM-DD", "pause my lessons", "member", False),
    Subcommand("resume", "start my lessons again", "member", False),
    Subcommand("settings", "my lesson time and working days", "member", False),
    Subcommand("join", "join the team's learning", "member", False),
    Subcommand("leave", "stop receiving lessons", "member", False),
    Subcommand("export", "a file of everything Nudge keeps about me", "member", False),
    Subcommand("forget", "delete everything Nudge keeps about me", "member", False),
    Subcommand("team [weeks]", "participation and the member x skill map", "lead", False),
    Subcommand("team csv", "the team report as a CSV file", "lead", False),
    Subcommand("admin check", "check the lesson library without loading it", "admin", True),
    Subcommand(
        "admin reload", "load the lesson library again, keeping it if it is broken", "admin", True
    ),
    Subcommand("admin stats", "library and delivery figures", "admin", False),
)

ROLE_TITLES = {"member": "For everyone", "lead": "For leads", "admin": "For admins"}


def usage_message(command: str, *, unknown: str | None = None) -> SlackMessage:
    """The usage as one ephemeral message; `unknown` is what the user typed that we did not know."""
    blocks = []
    if unknown is not None:
        shown = unknown if len(unknown) <= 60 else unknown[:57] + "..."
        intro = f"I don't know `{command} {shown}`. Here is what I can do:"
    else:
        intro = "Nudge brings a short lesson to your DMs on working days. Here is what I can do:"
    blocks.append(SectionBlock(text=MarkdownTextObject(text=intro)))
    for role, title in ROLE_TITLES.items():
        lines = [
            f"`{command} {sub.usage}` {sub.does}" + ("" if sub.built else " _(coming soon)_")
            for sub in SUBCOMMANDS
            if sub.who == role
        ]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{title}*\n" + "\n".join(lines))))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(text="Lessons arrive at your local time; answers are one click.")
            ]
        )
    )
    return SlackMessage(text=intro, blocks=[block.to_dict() for block in blocks])


def notice(text: str) -> SlackMessage:
    """A one-line ephemeral answer (errors, confirmations)."""
    return SlackMessage(
        text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    )
