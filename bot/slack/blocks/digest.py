"""The leads' weekly digest in LEADS_CHANNEL, in the team's language."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock

from bot.i18n import Translator
from bot.learning.digest import AreaTrend, WeeklyDigest
from bot.library import escape_mrkdwn
from bot.library.limits import SECTION_MAX
from bot.slack.blocks.team import remembered_text
from bot.slack.message import SlackMessage

# One section per answer; the rest are counted, to stay well inside Slack's 50 blocks.
ANSWERS_SHOWN = 20


def _section(text: str) -> SectionBlock:
    if len(text) > SECTION_MAX:
        text = text[: SECTION_MAX - 3] + "..."
    return SectionBlock(text=MarkdownTextObject(text=text))


def _arrow(area: AreaTrend) -> str:
    if area.this_week == area.last_week:
        return ":heavy_minus_sign:"
    return ":arrow_up:" if area.this_week > area.last_week else ":arrow_down:"


def _answers(t: Translator, digest: WeeklyDigest) -> list[Block]:
    count = digest.answer_count
    if count == 0:
        return [_section(t("digest.no_answers"))]
    if digest.withheld:
        return [_section(t.plural("digest.answers_withheld", count))]
    anonymous = all(answer.name is None for answer in digest.answers)
    heading = "digest.answers_anonymous" if anonymous else "digest.answers"
    blocks: list[Block] = [_section(t.plural(heading, count))]
    for answer in digest.answers[:ANSWERS_SHOWN]:
        # People's own words are shown as typed: a `<!channel>` in them is no mention.
        text = escape_mrkdwn(answer.text)
        named = f"*{escape_mrkdwn(answer.name)}*\n{text}" if answer.name is not None else text
        blocks.append(_section(named))
    hidden = len(digest.answers) - ANSWERS_SHOWN
    if hidden > 0:
        blocks.append(_section(t.plural("digest.more_answers", hidden)))
    return blocks


def digest_message(t: Translator, digest: WeeklyDigest) -> SlackMessage:
    participation = t(
        "digest.participation",
        week=t.day(digest.week_ending),
        nudged=digest.nudged,
        active=digest.active,
    )
    blocks: list[Block] = [HeaderBlock(text=t("digest.title")), _section(participation)]
    if digest.question is not None:
        blocks.append(_section(t("digest.question", question=escape_mrkdwn(digest.question))))
        blocks.extend(_answers(t, digest))
    if digest.trend:
        lines = [
            t(
                "digest.trend_line",
                arrow=_arrow(area),
                area=escape_mrkdwn(area.name),
                this_week=area.this_week,
                last_week=area.last_week,
            )
            for area in digest.trend
        ]
        blocks.append(_section("\n".join([t("digest.trend"), *lines])))
    remembered = remembered_text(t, ((area.name, area.remembered) for area in digest.trend))
    if remembered is not None:
        blocks.append(_section(remembered))
    spot = digest.blind_spot
    if spot is not None:
        blocks.append(
            _section(t("digest.blind_spot", area=escape_mrkdwn(spot.name), count=spot.this_week))
        )
    return SlackMessage(text=participation, blocks=[b.to_dict() for b in blocks])
