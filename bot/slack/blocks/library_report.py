"""What an admin sees after `/learn admin check` or `/learn admin reload`."""

from __future__ import annotations

from typing import Literal

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.library import CheckReport, escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.slack.message import SlackMessage

# Keep the list readable in Slack; the full list is one `make check` away.
MAX_PROBLEMS_SHOWN = 30

HEADLINES = {
    ("check", True): "library.check_ok",
    ("check", False): "library.check_failed",
    ("reload", True): "library.reload_ok",
    ("reload", False): "library.reload_refused",
}


def _problem_list(t: Translator, report: CheckReport) -> str:
    """The problems as `path:line: message` in the admin's language, the way an editor or CI
    shows them; a message quotes the file, so its `<!channel>` is shown, never sent."""
    shown = report.problems[:MAX_PROBLEMS_SHOWN]
    lines = [escape_mrkdwn(problem.in_language(t)) for problem in shown]
    hidden = len(report.problems) - len(lines)
    if hidden > 0:
        lines.append(t.plural("library.more_problems", hidden))
    text = "\n".join(lines)
    budget = SECTION_MAX - 8  # the code fence
    if len(text) > budget:
        text = text[: budget - 3] + "..."
    return f"```{text}```"


def library_report_message(
    t: Translator,
    report: CheckReport,
    *,
    action: Literal["check", "reload"],
    refused: dict[str, str] | None = None,
) -> SlackMessage:
    """A refused reload says that the last good library stays in service."""
    headline = t(HEADLINES[action, report.ok])
    counts = (
        ("library.skills", report.skills),
        ("library.lessons", report.lessons),
        ("library.translations", report.translations),
        ("library.questions", report.questions),
        ("library.errors", len(report.errors)),
        ("library.warnings", len(report.warnings)),
    )
    summary = " · ".join(t.plural(message_id, count) for message_id, count in counts)
    blocks = [SectionBlock(text=MarkdownTextObject(text=f"{headline}\n{summary}"))]
    if report.problems:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_problem_list(t, report))))
    if refused:
        lines = "\n".join(f"`{lesson}` ({code})" for lesson, code in sorted(refused.items()))
        text = f"{t('library.refused')}\n{lines}"[:SECTION_MAX]
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
    return SlackMessage(text=f"{headline} {summary}", blocks=[b.to_dict() for b in blocks])
