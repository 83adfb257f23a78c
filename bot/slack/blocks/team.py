"""What a lead sees after `/learn team`: the summary (ephemeral), in the lead's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.i18n import Translator
from bot.learning.recall import Recall
from bot.learning.team import Periods, QuestionLine, TeamReport, trend
from bot.library import escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.slack.message import SlackMessage

# Enough names to act on in one screen; the CSV has everyone.
QUIET_NAMES_SHOWN = 30
TRENDS = {"up": "team.trend.up", "down": "team.trend.down", "same": "team.trend.same"}


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def period_days(t: Translator, periods: Periods) -> dict[str, str]:
    """The period's first and last day as `{since}` and `{until}` fill a message."""
    last = periods.now.until - timedelta(microseconds=1)
    return {"since": t.day(periods.now.since.date()), "until": t.day(last.date())}


def _participation(t: Translator, report: TeamReport) -> str:
    weeks = report.periods.weeks
    change = trend(report.participation, report.participation_before)
    compared = t.plural(TRENDS[change], weeks, before=percent(report.participation_before))
    return t.plural(
        "team.participation", report.members, rate=percent(report.participation), compared=compared
    )


def _areas(t: Translator, report: TeamReport) -> str:
    lines = [
        t(
            "team.area_line",
            name=escape_mrkdwn(line.name),
            lessons=line.counts.lessons,
            answers=line.counts.answers,
            correct=line.counts.correct,
            answers_before=line.counts.answers_before,
        )
        for line in report.areas
    ]
    return "\n".join([f"*{t('team.areas')}*", *lines])[:SECTION_MAX]


def remembered_text(t: Translator, areas: Iterable[tuple[str, Recall]]) -> str | None:
    """ "The team still remembers 72% of paid-social checks, 41% of analytics": the areas with
    cards, as given; None when there is none."""
    parts = [
        t("remembered.area", percent=percent(share), area=escape_mrkdwn(name))
        for name, recall in areas
        if (share := recall.share) is not None
    ]
    return t("remembered.team", areas=", ".join(parts))[:SECTION_MAX] if parts else None


def _spots(t: Translator, report: TeamReport) -> str:
    if report.blind_spot is None:
        return t("team.no_answers")
    lines = [t("team.blind_spot", area=escape_mrkdwn(report.blind_spot))]
    if report.strongest is not None:
        lines.append(t("team.strongest", area=escape_mrkdwn(report.strongest)))
    if report.focus is not None:
        lines.append(t("team.focus", lesson=escape_mrkdwn(report.focus)))
    return "\n".join(lines)


def _quiet(t: Translator, report: TeamReport) -> str:
    if not report.quiet:
        return t("team.quiet_none")
    names = ", ".join(escape_mrkdwn(name) for name in report.quiet[:QUIET_NAMES_SHOWN])
    hidden = len(report.quiet) - QUIET_NAMES_SHOWN
    if hidden > 0:
        names += " " + t.plural("team.quiet_more", hidden)
    return t.plural("team.quiet", len(report.quiet), names=names)[:SECTION_MAX]


def _question(t: Translator, message_id: str, line: QuestionLine) -> str:
    return t(message_id, prompt=escape_mrkdwn(line.prompt), answers=line.answers, sent=line.sent)


def _questions(t: Translator, report: TeamReport) -> str:
    if report.most_answered is None:
        return t("team.no_questions")
    lines = [_question(t, "team.question_most", report.most_answered)]
    if report.fewest_answered is not None:
        lines.append(_question(t, "team.question_fewest", report.fewest_answered))
    return "\n".join(lines)[:SECTION_MAX]


def team_summary_message(t: Translator, report: TeamReport, command: str) -> SlackMessage:
    days = period_days(t, report.periods)
    title = t.plural("team.title", report.periods.weeks, **days)
    texts = [
        f"*{title}*\n{_participation(t, report)}",
        _areas(t, report),
        *filter(None, [remembered_text(t, ((a.name, a.recall) for a in report.areas))]),
        _spots(t, report),
        _quiet(t, report),
        _questions(t, report),
    ]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=texts[0])), DividerBlock()]
    blocks += [SectionBlock(text=MarkdownTextObject(text=text)) for text in texts[1:]]
    if report.members:
        footer = t("team.files_follow", command=command)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    return SlackMessage(text=title, blocks=[block.to_dict() for block in blocks])
