"""Warnings are printed but leave the exit code at 0 and the library in service."""

from __future__ import annotations

from library_content import TODAY, ContentDir, lesson

from bot.library import check_library

AUDIENCE = "lessons/strategy/strategy-audience.md"


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


def test_warnings_do_not_block_the_library(content: ContentDir) -> None:
    content.remove("lessons/analytics/analytics-sales.md")
    report = check_library(content.path, TODAY)
    assert report.ok
    assert report.library is not None
    assert [p.severity for p in report.problems] == ["warning"]
    assert report.warnings == report.problems
    assert report.errors == []
