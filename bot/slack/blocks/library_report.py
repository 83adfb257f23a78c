"""What an admin sees after `/learn admin check` or `/learn admin reload`."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.library import CheckReport
from bot.slack.blocks.lesson import SECTION_LIMIT, SlackMessage

# Keep the list readable in Slack; the full list is one `python -m bot content check` away.
MAX_PROBLEMS_SHOWN = 30


def _problem_list(report: CheckReport) -> str:
    lines = [str(problem) for problem in report.problems[:MAX_PROBLEMS_SHOWN]]
    hidden = len(report.problems) - len(lines)
    if hidden > 0:
        lines.append(f"... and {hidden} more: run `python -m bot content check` to see them all")
    text = "\n".join(lines)
    budget = SECTION_LIMIT - 8
    if len(text) > budget:
        text = text[: budget - 3] + "..."
    return f"```{text}```"


def library_report_message(report: CheckReport, *, action: str) -> SlackMessage:
    """`action` is "check" or "reload"; a refused reload says the last good library stays."""
    summary = report.summary_line()
    if not report.ok:
        if action == "reload":
            headline = (
                ":no_entry: *Reload refused.* The library has errors, so the last good "
                "library stays in service."
            )
        else:
            headline = ":no_entry: *The library has errors.* A reload would be refused."
    elif action == "reload":
        headline = ":white_check_mark: *Library reloaded.*"
    else:
        headline = ":white_check_mark: *The library is valid.* A reload would succeed."
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"{headline}\n{summary}"))]
    if report.problems:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_problem_list(report))))
    return SlackMessage(text=f"{headline} {summary}", blocks=[b.to_dict() for b in blocks])
