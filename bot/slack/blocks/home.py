"""Nudge's Home tab: the member's streak, week, next lesson, engagement per skill area and what
their lead can see, with the buttons that act on their own lessons; in their language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
from slack_sdk.models.views import View

from bot.i18n import Translator
from bot.library import escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.library.mrkdwn import pack_sections
from bot.slack.blocks.why import next_text

if TYPE_CHECKING:  # the learning rules, named for their types only: `web` starts without them
    from bot.learning.progress import MemberStats, SkillProgress

LESSON_NOW_ACTION = "home.lesson_now"
SETTINGS_ACTION = "home.settings"
PAUSE_ACTION = "home.pause"
RESUME_ACTION = "home.resume"

BAR_CELLS = 10  # a bar longer than this is drawn to scale: it must fit a line on a phone
# Slack refuses a view of more than 100 blocks; the rest of the Home takes fewer than ten, so the
# skill areas get at most this many sections, however large the library (then a line says how
# many areas are left out).
SKILL_SECTIONS_MAX = 40


def _bar(answered: int, delivered: int) -> str:
    """Text bars read well on a phone, where an image would not."""
    if delivered > BAR_CELLS:
        answered, delivered = round(answered * BAR_CELLS / delivered), BAR_CELLS
    return "▰" * answered + "▱" * (delivered - answered) if delivered else "·"


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _next(t: Translator, stats: MemberStats, command: str) -> str:
    return next_text(
        t, command, tz=stats.tz, learns=stats.learns, upcoming=stats.upcoming, holiday=stats.holiday
    )


def _buttons(t: Translator, stats: MemberStats) -> ActionsBlock:
    paused = stats.paused_until is not None
    return ActionsBlock(
        block_id="home_buttons",
        elements=[
            ButtonElement(
                text=t("home.button.lesson_now"), action_id=LESSON_NOW_ACTION, style="primary"
            ),
            ButtonElement(text=t("home.button.settings"), action_id=SETTINGS_ACTION),
            ButtonElement(
                text=t("home.button.resume" if paused else "home.button.pause"),
                action_id=RESUME_ACTION if paused else PAUSE_ACTION,
            ),
        ],
    )


def summary_text(t: Translator, stats: MemberStats) -> str:
    """Streak, this week, reviews due, and the totals: the Home's first lines and `/learn me`'s."""
    progress = stats.progress
    week = " · ".join(
        (
            t.plural("home.streak", stats.streak),
            t.plural("home.this_week", stats.lessons_this_week),
            t.plural("home.reviews_due", stats.reviews_due),
        )
    )
    totals = " · ".join(
        (
            t.plural("home.lessons", progress.lessons),
            t.plural("home.responses", progress.responses),
            t.plural("home.correct", progress.correct),
        )
    )
    return f"{week}\n{totals}"


def _skill_line(skill: SkillProgress, t: Translator) -> str:
    engagement = skill.engagement
    return (
        f"{_bar(engagement.answered, engagement.delivered)}  *{escape_mrkdwn(skill.name)}*: "
        + t("home.skill_answered", answered=engagement.answered, delivered=engagement.delivered)
    )


def skill_sections(t: Translator, title: str, lines: list[str]) -> list[SectionBlock]:
    """A titled list, one line per skill area, in as few sections as fit, and never more than
    SKILL_SECTIONS_MAX (each line fits a section: the checker caps a skill name)."""
    packed = pack_sections([title, *lines], SECTION_MAX, separator="\n")
    if len(packed) > SKILL_SECTIONS_MAX:
        packed = packed[: SKILL_SECTIONS_MAX - 1]
        shown = sum(text.count("\n") + 1 for text in packed) - 1  # the lines kept, less the title
        packed.append(t("home.more_skills", count=len(lines) - shown))
    return [_section(text) for text in packed]


# What the weekly digest shows of a member's weekly answers, by the digest's settings.
LEAD_ANSWERS = {
    "named": "home.lead_answers_named",
    "anonymous": "home.lead_answers_anonymous",
    "none": "home.lead_answers_none",
}


def _lead_can_see(t: Translator, command: str, digest: str) -> list[Block]:
    """What leads can see of a member: their figures per skill area, by name, in `/learn team`,
    its CSV and the heatmap under the weekly digest (bot/services/team.py, digest.py); their
    weekly answers as `digest` says ("named", "anonymous", or "none" without a leads' channel).
    Keep it true when those change."""
    answers = t(LEAD_ANSWERS[digest])
    lines = (
        t("home.lead_title"),
        t("home.lead_figures"),
        answers,
        t("home.lead_private", command=command),
    )
    return [_section("\n".join(lines))]


def home_view(
    t: Translator,
    stats: MemberStats,
    command: str,
    *,
    notice: str | None = None,
    digest: str = "named",
) -> dict[str, Any]:
    """`notice` says what became of a button just pressed (a lesson sent, a pause), on top;
    `digest` what the leads' digest shows of the member's weekly answers ("named", "anonymous",
    or "none" when there is no digest)."""
    progress = stats.progress
    blocks: list[Block] = [HeaderBlock(text=t("home.title"))]
    if notice:
        blocks.append(_section(notice))
    if not progress.known or progress.last_lesson_at is None:
        first = (
            t("home.first_lessons"),
            t("home.first_reviews"),
            t("home.first_when", next=_next(t, stats, command)),
        )
        blocks += [_section("\n".join(first)), _buttons(t, stats)]
    else:
        last = t("home.last_lesson", when=t.when(progress.last_lesson_at, stats.tz))
        blocks.append(_section(f"{summary_text(t, stats)}\n{last}\n{_next(t, stats, command)}"))
        blocks += [_buttons(t, stats), DividerBlock()]
        lines = [_skill_line(skill, t) for skill in progress.skills]
        blocks += skill_sections(t, t("home.skills_title"), lines)
    blocks += [DividerBlock(), *_lead_can_see(t, command, digest)]
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=t("home.footer", command=command))])
    )
    return View(type="home", blocks=blocks).to_dict()
