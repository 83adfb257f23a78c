"""What Slack would refuse at send time is an error at check time, proven on the real messages.

A lesson DM holds at most 50 blocks: header, context, the body's sections, divider, check
question, buttons; once answered, a result and an explanation replace the buttons. The checker
counts the body's sections with the Slack layer's own packing, so a lesson that passes can
always be sent and answered.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from library_content import TODAY, ContentDir, lesson

from bot.i18n import LANGUAGES, translator
from bot.library import Lesson, LocalizedLesson, check_library, limits
from bot.library.mrkdwn import pack_sections
from bot.slack.blocks.lesson import answered_message, lesson_message

GOAL = "lessons/strategy/strategy-goal.md"
BODY = "Start from **the business goal**, then pick the networks.\n"  # line 19
EN = translator("en")


def with_body(body: str) -> str:
    text = lesson("strategy-goal")
    assert BODY in text
    return text.replace(BODY, body)


def paragraphs(count: int) -> str:
    """``count`` paragraphs too long for two to share a section: one section each."""
    return "\n\n".join(f"{n}" + "w" * 1600 for n in range(count)) + "\n"


def checked_lesson(content: ContentDir) -> Lesson:
    report = check_library(content.path, TODAY)
    assert report.ok, [str(p) for p in report.problems]
    assert report.library is not None
    return report.library.lessons["strategy-goal"]


def body_texts(blocks: list[dict[str, Any]]) -> list[str]:
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return sections[:-1]  # the last section is the check question


def test_the_longest_body_the_checker_passes_fits_slack_sent_and_answered(
    content: ContentDir,
) -> None:
    content.write(GOAL, with_body(paragraphs(limits.BODY_SECTIONS_MAX)))
    localized = checked_lesson(content).localized("en")
    sent = lesson_message(EN, localized, "Strategy", 2, delivery_id=1).blocks
    answered = answered_message(EN, sent, 0, True, 0, localized).blocks
    assert (len(sent), len(answered)) == (49, limits.MESSAGE_BLOCKS_MAX)


def test_a_body_one_section_longer_is_an_error(content: ContentDir) -> None:
    content.write(GOAL, with_body(paragraphs(limits.BODY_SECTIONS_MAX + 1)))
    code, lines = content.check()
    assert code == 1
    assert lines[:-1] == [
        content.at(
            GOAL,
            19,
            "the body is too long for one Slack message: it fills 45 sections of at most "
            "3,000 characters, and a lesson has room for 44; shorten it (a lesson is a "
            "2-minute read)",
        )
    ]


def _localized(sections: tuple[str, ...]) -> LocalizedLesson:
    return LocalizedLesson(
        id="x-1",
        skill="x",
        locale="en",
        title="A title",
        body_sections=sections,
        question="Which?",
        options=["One", "Two"],
        answer_index=0,
        explanation="Because.",
        sources=[],
    )


@given(st.lists(st.integers(min_value=1, max_value=limits.SECTION_MAX), max_size=60))
def test_the_checker_packs_sections_as_the_slack_layer_does(lengths: list[int]) -> None:
    blocks = tuple(f"{n}".ljust(length, "x") for n, length in enumerate(lengths))
    sent = lesson_message(EN, _localized(blocks), "Skill", 2, delivery_id=1).blocks
    assert pack_sections(blocks, limits.SECTION_MAX) == body_texts(sent)


def test_the_longest_check_question_fits_its_section_in_every_language(
    content: ContentDir,
) -> None:
    question = "question: A lead asks for more followers. What do you ask first?"
    longest = "q" * limits.CHECK_QUESTION_MAX
    content.write(GOAL, lesson("strategy-goal").replace(question, f"question: {longest}"))
    localized = checked_lesson(content).localized("en")
    for language in LANGUAGES:
        sent = lesson_message(translator(language), localized, "Skill", 2, delivery_id=1)
        check = [b["text"]["text"] for b in sent.blocks if b["type"] == "section"][-1]
        assert longest in check
        assert len(check) <= limits.SECTION_MAX

    content.write(GOAL, lesson("strategy-goal").replace(question, f"question: {longest}q"))
    assert content.check()[1][:-1] == [
        content.at(
            GOAL,
            8,
            "'check.question' is 2901 characters once rendered; it shares a Slack section "
            "with its label, so it may be at most 2900",
        )
    ]


SKILL_NAME = "    name: Strategy and planning\n"  # line 3 of skills.yaml
GREEK_NAME = "      el: {name: Στρατηγική, description: Σύνδεση με τους στόχους.}\n"  # line 6


def test_a_skill_name_too_long_for_where_it_is_shown_is_an_error(content: ContentDir) -> None:
    longest = "&" * (limits.SKILL_NAME_MAX // len("&amp;"))  # each '&' is shown as '&amp;'
    skills = (content.path / "skills.yaml").read_text("utf-8")
    content.write("skills.yaml", skills.replace(SKILL_NAME, f"    name: '{longest}'\n"))
    assert content.check()[0] == 0

    too_long = "n" * (limits.SKILL_NAME_MAX + 1)
    content.write(
        "skills.yaml",
        skills.replace(SKILL_NAME, f"    name: '{longest}&'\n").replace(
            GREEK_NAME, f"      el: {{name: {too_long}, description: Σύνδεση.}}\n"
        ),
    )
    code, lines = content.check()
    assert code == 1
    assert lines[:-1] == [
        content.at(
            "skills.yaml",
            3,
            "'name' of skill 1 in 'skills' is 155 characters once rendered; Slack shows a "
            "skill name in a header or a line of at most 150",
        ),
        content.at(
            "skills.yaml",
            6,
            "'translations.el.name' of skill 1 in 'skills' is 151 characters once rendered; "
            "Slack shows a skill name in a header or a line of at most 150",
        ),
    ]


def test_the_home_tab_fits_slack_with_many_long_skill_names_and_long_histories() -> None:
    from bot.learning.model import SkillEngagement
    from bot.learning.progress import MemberStats, Progress, SkillProgress
    from bot.localslack.blockkit import check_view
    from bot.slack.blocks.home import home_view

    skills = tuple(
        SkillProgress(f"{n}".ljust(limits.SKILL_NAME_MAX, "<"), SkillEngagement(f"s{n}", 900, 400))
        for n in range(60)
    )
    progress = Progress(54_000, 24_000, 20_000, skills, datetime(2026, 1, 5, tzinfo=UTC))
    stats = MemberStats(progress, 300, 5, 20, None, True, "Europe/Athens", None, "")
    for language in LANGUAGES:
        view = home_view(translator(language), stats, "/learn", notice="x" * 3000)
        assert check_view(view) == []
        shown = "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")
        assert all(f"*{n}" in shown for n in range(60))
