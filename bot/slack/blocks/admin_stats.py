"""What an admin sees after `/learn admin stats`."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.learning.figures import AdminFigures
from bot.slack.message import SlackMessage


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def admin_stats_message(t: Translator, stats: AdminFigures) -> SlackMessage:
    members, week = stats.members, stats.week
    lines = [
        t("admin.stats.members", active=members.active, paused=members.paused, left=members.left),
        t("admin.stats.week", delivered=week.delivered, answers=week.answers),
    ]
    if week.failed:
        failures = ", ".join(
            f"`{code or '?'}` {count}" for code, count in sorted(week.failed.items())
        )
        lines.append(t("admin.stats.failed", failures=failures))
    else:
        lines.append(t("admin.stats.no_failures"))
    library = (
        ("library.lessons", stats.lessons),
        ("library.questions", stats.questions),
        ("library.skills", stats.skills),
    )
    summary = ", ".join(t.plural(message_id, count) for message_id, count in library)
    lines.append(t("admin.stats.library", summary=summary))
    oldest = ", ".join(
        f"`{lesson.id}` ({lesson.checked:%Y-%m})" if lesson.checked else f"`{lesson.id}` (?)"
        for lesson in stats.oldest
    )
    if oldest:
        lines.append(t("admin.stats.oldest", lessons=oldest))
    system = t(
        "admin.stats.system",
        database=stats.database,
        revision=stats.revision or "-",
        head=stats.head,
        version=stats.version,
    )
    title = t("admin.stats.title")
    blocks: list[Block] = [HeaderBlock(text=title), _section("\n".join(lines)), _section(system)]
    return SlackMessage(
        text=f"{title}\n" + "\n".join([*lines, system]), blocks=[b.to_dict() for b in blocks]
    )
