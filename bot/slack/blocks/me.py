"""`/learn me`: the member's own summary, ephemeral, from the same figures as the Home tab."""

from __future__ import annotations

from typing import TYPE_CHECKING

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.library import escape_mrkdwn
from bot.slack.blocks.home import skill_sections, summary_text
from bot.slack.blocks.why import next_text
from bot.slack.message import SlackMessage

if TYPE_CHECKING:  # the learning rules, named for their types only: `web` starts without them
    from bot.learning.progress import MemberStats


def me_message(t: Translator, stats: MemberStats, command: str) -> SlackMessage:
    progress = stats.progress
    upcoming = next_text(
        t, command, tz=stats.tz, learns=stats.learns, upcoming=stats.upcoming, holiday=stats.holiday
    )
    lines = [f"*{escape_mrkdwn(t('home.title'))}*", summary_text(t, stats)]
    if not progress.known:
        lines.append(t("home.first_lessons"))
    if progress.strongest is not None:
        right = t.plural("home.correct", progress.strongest.engagement.correct)
        lines.append(t("me.strongest", skill=escape_mrkdwn(progress.strongest.name), right=right))
    if progress.known and progress.least_engaged is not None:
        lines.append(t("me.least_engaged", skill=escape_mrkdwn(progress.least_engaged.name)))
    lines.append(upcoming)
    head = "\n".join(lines)
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=head))]
    practised = [skill for skill in progress.skills if skill.engagement.delivered]
    if practised:
        per_skill = [
            t(
                "me.skill_right",
                skill=escape_mrkdwn(skill.name),
                correct=skill.engagement.correct,
                answered=skill.engagement.answered,
            )
            for skill in practised
        ]
        blocks += skill_sections(t, t("me.skills_title"), per_skill)
    if stats.remembered:
        still = [
            t.plural(
                "me.remembered",
                recall.cards,
                skill=escape_mrkdwn(name),
                right=recall.likely_right,
            )
            for name, recall in stats.remembered
        ]
        blocks += skill_sections(t, t("me.remembered_title"), still)
    return SlackMessage(text=head, blocks=[block.to_dict() for block in blocks])
