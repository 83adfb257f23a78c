"""``checked: YYYY-MM``: a malformed or future month is an error, a missing or stale one a warning.

Every check here is made as of ``TODAY`` (2026-12-01); the lesson template says
``checked: 2026-05`` on line 17.
"""

from __future__ import annotations

from datetime import date

import pytest
from library_content import TODAY, TRANSLATION, ContentDir, lesson

from bot.library import check_library, load_library

GOAL = "lessons/strategy/strategy-goal.md"
EL = "lessons/strategy/strategy-goal.el.md"
SUMMARY = "2 skills, 6 lessons, 1 translation, 1 question"


def with_checked(written: str) -> str:
    return lesson("strategy-goal").replace("checked: 2026-05\n", written)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2025-13", "'2025-13'"),
        ("May 2025", "'May 2025'"),
        ("2025-5", "'2025-5'"),
        ("2025-05-01", "'2025-05-01'"),  # YAML reads a date
        ("2025", "'2025'"),  # YAML reads a number
        ("", "empty"),
    ],
)
def test_a_malformed_month_is_an_error_at_its_line(
    content: ContentDir, written: str, shown: str
) -> None:
    content.write(GOAL, with_checked(f"checked: {written}\n"))
    code, lines = content.check()
    assert lines == [
        content.at(
            GOAL,
            17,
            f"'checked' is {shown}, not a month: write the month the facts were last verified "
            "as YYYY-MM, e.g. checked: 2026-05",
        ),
        f"{SUMMARY}: 1 error, 0 warnings",
    ]
    assert code == 1


def test_a_month_still_to_come_is_an_error(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2027-01\n"))
    code, lines = content.check()
    assert lines[:-1] == [
        content.at(
            GOAL,
            17,
            "'checked' is 2027-01, a month still to come (today is 2026-12-01); write the month "
            "the facts were last verified",
        )
    ]
    assert code == 1


def test_this_month_is_not_to_come(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2026-12\n"))
    assert content.check() == (0, [f"{SUMMARY}: 0 errors, 0 warnings"])


def test_a_lesson_without_checked_warns(content: ContentDir) -> None:
    content.write(GOAL, with_checked(""))
    code, lines = content.check()
    assert lines == [
        content.at(
            GOAL, 2, "warning: add checked: YYYY-MM, the month its facts were last verified"
        ),
        f"{SUMMARY}: 0 errors, 1 warning",
    ]
    assert code == 0


def test_facts_checked_more_than_12_months_ago_warn_naming_the_month(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2025-11\n"))
    code, lines = content.check()
    assert lines[:-1] == [
        content.at(
            GOAL,
            17,
            "warning: the facts were last checked in 2025-11, more than 12 months ago; verify "
            "them and set checked: 2026-12",
        )
    ]
    assert code == 0


def test_facts_checked_12_months_ago_are_still_fresh(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2025-12\n"))
    assert content.check() == (0, [f"{SUMMARY}: 0 errors, 0 warnings"])


def test_the_day_of_the_month_does_not_matter(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2025-11\n"))
    assert check_library(content.path, date(2026, 11, 30)).warnings == []
    assert len(check_library(content.path, date(2026, 12, 1)).warnings) == 1


def test_the_loaded_lesson_says_when_it_was_checked(content: ContentDir) -> None:
    content.write(GOAL, with_checked(""))
    library = load_library(content.path, TODAY)
    assert library.lessons["strategy-audience"].checked == date(2026, 5, 1)
    assert library.lessons["strategy-goal"].checked is None


def test_a_translation_inherits_checked_and_is_not_warned_twice(content: ContentDir) -> None:
    content.write(GOAL, with_checked("checked: 2025-01\n"))
    code, lines = content.check()
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [str(content.path / GOAL) + ":17"]
    assert code == 0


def test_a_translation_may_repeat_the_originals_month(content: ContentDir) -> None:
    content.write(EL, TRANSLATION.replace("title:", "checked: 2026-05\ntitle:", 1))
    assert content.check() == (0, [f"{SUMMARY}: 0 errors, 0 warnings"])


def test_a_translation_with_another_month_is_an_error(content: ContentDir) -> None:
    content.write(EL, TRANSLATION.replace("title:", "checked: 2026-04\ntitle:", 1))
    code, lines = content.check()
    assert lines[:-1] == [
        content.at(
            EL,
            2,
            "'checked' is 2026-04 but the original says 2026-05; omit it to inherit the original's",
        )
    ]
    assert code == 1


def test_a_translation_month_still_to_come_is_an_error(content: ContentDir) -> None:
    content.write(EL, TRANSLATION.replace("title:", "checked: 2027-05\ntitle:", 1))
    code, lines = content.check()
    assert (
        content.at(
            EL,
            2,
            "'checked' is 2027-05, a month still to come (today is 2026-12-01); write the month the "
            "facts were last verified",
        )
        in lines
    )
    assert code == 1
