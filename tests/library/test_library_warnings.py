"""Warnings are printed but leave the exit code at 0 and the library in service."""

from __future__ import annotations

import pytest
from library_content import TODAY, TRANSLATION, ContentDir, lesson

from bot.library import check_library

AUDIENCE = "lessons/strategy/strategy-audience.md"
EL = "lessons/strategy/strategy-goal.el.md"


def test_lesson_without_sources_warns(content: ContentDir) -> None:
    text = lesson("strategy-audience", level=2)
    text = text.replace(
        'sources:\n  - {title: A book about planning, url: "https://example.com/book"}\n', ""
    )
    content.write(AUDIENCE, text)
    code, lines = content.check()
    assert lines == [
        content.at(
            AUDIENCE, 2, "warning: no sources; add at least one so readers can check the facts"
        ),
        "2 skills, 6 lessons, 1 translation, 1 question: 0 errors, 1 warning",
    ]
    assert code == 0


def test_skill_with_fewer_than_three_lessons_warns(content: ContentDir) -> None:
    content.remove("lessons/analytics/analytics-sales.md")
    code, lines = content.check()
    assert lines[:-1] == [
        content.at(
            "skills.yaml",
            7,
            "warning: skill 'analytics' has 2 lessons; give each skill area at least 3",
        )
    ]
    assert code == 0


def test_body_longer_than_two_minutes_warns(content: ContentDir) -> None:
    text = lesson("strategy-audience", level=2) + "\n" + "word " * 400 + "\n"
    content.write(AUDIENCE, text)
    code, lines = content.check()
    assert lines[:-1] == [
        content.at(
            AUDIENCE,
            19,
            "warning: the body is 409 words; a lesson is one idea in at most 250 words: cut it "
            "to its one idea, or split it into two lessons",
        )
    ]
    assert code == 0


BODY = "Start from **the business goal**, then pick the networks.\n"  # 9 words
EL_BODY = "Ξεκινήστε από **τον επιχειρηματικό στόχο**.\n"  # 5 words


@pytest.mark.parametrize(("words", "warned"), [(250, False), (251, True)])
def test_a_lesson_body_is_at_most_250_words(content: ContentDir, words: int, warned: bool) -> None:
    text = lesson("strategy-audience", level=2).replace(BODY, BODY + "word " * (words - 9))
    content.write(AUDIENCE, text)
    code, lines = content.check()
    expected = content.at(
        AUDIENCE,
        19,
        f"warning: the body is {words} words; a lesson is one idea in at most 250 words: cut it "
        "to its one idea, or split it into two lessons",
    )
    assert lines[:-1] == ([expected] if warned else [])
    assert code == 0


@pytest.mark.parametrize(("words", "warned"), [(300, False), (301, True)])
def test_a_translation_may_run_to_300_words(content: ContentDir, words: int, warned: bool) -> None:
    content.write(EL, TRANSLATION.replace(EL_BODY, EL_BODY + "λέξη " * (words - 5)))
    code, lines = content.check()
    expected = content.at(
        EL,
        12,
        f"warning: the body is {words} words; a lesson is one idea in at most 300 words: cut it "
        "to its one idea, or split it into two lessons",
    )
    assert lines[:-1] == ([expected] if warned else [])
    assert code == 0


def test_warnings_do_not_block_the_library(content: ContentDir) -> None:
    content.remove("lessons/analytics/analytics-sales.md")
    report = check_library(content.path, TODAY)
    assert report.ok
    assert report.library is not None
    assert [p.severity for p in report.problems] == ["warning"]
    assert report.warnings == report.problems
    assert report.errors == []
