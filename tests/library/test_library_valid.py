"""A valid library loads, localizes and prints a clean report."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_content import TODAY, ContentDir

from bot.library import (
    LibraryInvalid,
    Problem,
    check_library,
    load_library,
    normalize_locale,
)


def test_valid_library_checks_clean_with_exit_0(content: ContentDir) -> None:
    code, lines = content.check()
    assert lines == ["2 skills, 6 lessons, 1 translation, 1 question: 0 errors, 0 warnings"]
    assert code == 0


def test_lessons_in_orders_by_level_then_id(content: ContentDir) -> None:
    library = load_library(content.path, TODAY)
    assert [lesson.id for lesson in library.lessons_in("strategy")] == [
        "strategy-goal",
        "strategy-audience",
        "strategy-calendar",
    ]
    assert [lesson.id for lesson in library.lessons_in("analytics")] == [
        "analytics-clicks",
        "analytics-reach",
        "analytics-sales",
    ]


def test_lesson_localized_picks_translation_and_falls_back_to_english(
    content: ContentDir,
) -> None:
    lesson = load_library(content.path, TODAY).lessons["strategy-goal"]
    greek = lesson.localized("el-GR")
    assert greek.locale == "el"
    assert greek.title == "Ξεκινήστε από τον επιχειρηματικό στόχο"
    assert greek.body_mrkdwn == "Ξεκινήστε από *τον επιχειρηματικό στόχο*."
    assert greek.answer_index == 0
    assert greek.sources == lesson.sources  # inherited from the original
    english = lesson.localized("de-DE")
    assert english.locale == "en"
    assert english.title == "Start from the business goal"
    assert english.options[english.answer_index] == lesson.check.answer
    assert lesson.localized(None) == lesson.localized("en-US")


def test_skill_and_question_localize(content: ContentDir) -> None:
    library = load_library(content.path, TODAY)
    skill = library.skills["strategy"]
    assert skill.name_in("el-GR") == "Στρατηγική"
    assert skill.name_in("fr-FR") == "Strategy and planning"
    assert skill.description_in("el") == "Σύνδεση με τους στόχους."
    question = library.questions["q-networks"].localized("el-GR")
    assert question.prompt == "Ποια δίκτυα χρησιμοποιεί πραγματικά το κοινό μας;"
    assert question.choices == ["Instagram", "TikTok", "LinkedIn"]
    assert question.follow_up == "Name the data source behind your answer."  # inherited


@pytest.mark.parametrize(
    ("slack", "library"),
    [
        ("el-GR", "el"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("pt_BR", "pt"),
        (None, "en"),
        ("", "en"),
        ("xx-YY", "en"),
        ("EL", "el"),
    ],
)
def test_normalize_locale(slack: str | None, library: str) -> None:
    assert normalize_locale(slack) == library


def test_problem_prints_as_path_line_message() -> None:
    problem = Problem(Path("content/lessons/strategy/x.md"), 7, "boom", "error")
    assert str(problem) == "content/lessons/strategy/x.md:7: boom"


def test_load_library_raises_with_the_report(content: ContentDir) -> None:
    content.write("lessons/strategy/strategy-goal.md", "no front matter\n")
    with pytest.raises(LibraryInvalid) as raised:
        load_library(content.path, TODAY)
    report = raised.value.report
    assert report.library is None
    assert not report.ok
    assert [str(p) for p in report.errors] == [
        content.reported(
            "lessons/strategy/strategy-goal.md",
            1,
            "the file must start with a '---' line that opens the front matter",
        ),
    ]


def test_missing_directory_is_an_error_not_an_exception(tmp_path: Path) -> None:
    report = check_library(tmp_path / "nowhere", TODAY)
    assert [str(p) for p in report.problems] == [".:1: the content directory does not exist"]
