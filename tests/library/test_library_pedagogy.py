"""Pedagogy warnings: a check whose answer can be guessed without knowing it.

Per check (originals and translations): the right option longest by far, the question or the
title repeating the right option's key words. Across the English checks: the right answer's
position and how often it is the longest. The lesson template has 5 title, 8 question, 10 the
right option; the translation template 4 question, 6 the right option.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from library_content import SKILLS, TRANSLATION, ContentDir, lesson

GOAL = "lessons/strategy/strategy-goal.md"
EL = "lessons/strategy/strategy-goal.el.md"
QUESTION = "  question: A lead asks for more followers. What do you ask first?"


def edited(old: str, new: str) -> str:
    text = lesson("strategy-goal")
    assert old in text, old
    return text.replace(old, new, 1)


def warnings(content: ContentDir) -> list[str]:
    code, lines = content.check()
    assert code == 0, lines
    return lines[:-1]


# -- one check --------------------------------------------------------------------------------


def test_the_right_option_longest_by_far_warns_at_its_line(content: ContentDir) -> None:
    # 43 characters against 35: 1.23 times the longest other option
    content.write(
        GOAL,
        edited(
            "    - How many posts a week we can publish",
            "    - How many posts a day we can publish",
        ),
    )
    assert warnings(content) == [
        content.at(
            GOAL,
            10,
            "warning: the right answer is the longest option by far (43 characters against at "
            "most 35); learners pick the longest option; make the options similar in length",
        )
    ]


def test_a_right_option_a_little_longer_is_fine(content: ContentDir) -> None:
    # The template: 43 characters against 36, 1.19 times
    assert warnings(content) == []


def test_a_translation_is_held_to_the_same_rule(content: ContentDir) -> None:
    content.write(
        EL,
        TRANSLATION.replace(
            "    - Πόσες αναρτήσεις την εβδομάδα αντέχουμε", "    - Πόσες αναρτήσεις την ημέρα"
        ),
    )
    assert warnings(content) == [
        content.at(
            EL,
            6,
            "warning: the right answer is the longest option by far (42 characters against at "
            "most 33); learners pick the longest option; make the options similar in length",
        )
    ]


def test_a_question_repeating_two_key_words_of_the_answer_warns(content: ContentDir) -> None:
    content.write(
        GOAL, edited(QUESTION, "  question: Followers are up. What business result do you ask?")
    )
    assert warnings(content) == [
        content.at(
            GOAL,
            8,
            "warning: the question repeats the right option's words 'business', 'result', "
            "'followers', which no other option uses, so learners can match words instead of "
            "recalling; reword the question or use those words in a wrong option too",
        )
    ]


def test_one_shared_key_word_is_chance(content: ContentDir) -> None:
    # The template's question shares 'followers' with the right option, and nothing else.
    assert "followers" in QUESTION
    assert warnings(content) == []


def test_key_words_a_wrong_option_also_uses_give_nothing_away(content: ContentDir) -> None:
    text = edited(QUESTION, "  question: Followers are up. What business result do you ask?")
    text = text.replace(
        "    - Which network grows fastest", "    - Which business result is fastest"
    )
    content.write(GOAL, text)
    assert warnings(content) == []


def test_stop_words_and_short_words_are_not_key_words(content: ContentDir) -> None:
    # 'which' and 'should' are stop words, 'move' is short: only 'followers' is shared.
    content.write(GOAL, edited(QUESTION, "  question: Which followers should move first, and why?"))
    assert warnings(content) == []


def test_words_match_whatever_their_case_and_accents(content: ContentDir) -> None:
    question = "  question: Ένας υπεύθυνος ζητά περισσότερους ακόλουθους. Τι ρωτάτε πρώτα;"
    content.write(
        EL, TRANSLATION.replace(question, "  question: ΠΟΙΟ ΕΠΙΧΕΙΡΗΜΑΤΙΚΟ ΑΠΟΤΕΛΕΣΜΑ ρωτάτε;")
    )
    assert warnings(content) == [
        content.at(
            EL,
            4,
            "warning: the question repeats the right option's words 'επιχειρηματικό', "
            "'αποτέλεσμα', which no other option uses, so learners can match words instead of "
            "recalling; reword the question or use those words in a wrong option too",
        )
    ]


def test_a_title_stating_the_answer_warns(content: ContentDir) -> None:
    content.write(
        GOAL,
        edited("title: Start from the business goal", "title: Ask which business result to move"),
    )
    assert warnings(content) == [
        content.at(
            GOAL,
            5,
            "warning: the title states the answer: it shares the right option's words "
            "'business', 'result', which no other option uses; retitle the lesson so it names "
            "the topic, not the answer",
        )
    ]


# -- across the library -----------------------------------------------------------------------

OPTIONS = ("Option A of this check", "Option B of this check", "Option C of this check")
OPTIONS += ("Option D of this check",)


def four_options(id: str, right: int, longest: bool = False) -> str:
    """A lesson whose four options are equally long; ``longest`` adds one letter to the right
    one (strictly longest, yet not by far)."""
    options = list(OPTIONS)
    if longest:
        options[right] += "s"
    listed = "".join(f"    - {option}\n" for option in options)
    text = lesson(id)
    start, end = text.index("  options:\n"), text.index("explanation:")
    return text[:start] + f"  options:\n{listed}  answer: {options[right]}\n" + text[end:]


def library(tmp_path: Path, rights: list[int], longest: int = 0) -> ContentDir:
    """One skill, a lesson per entry of ``rights`` (the right option's index); the first
    ``longest`` of them have the right option strictly longest."""
    content = ContentDir(tmp_path / "library")
    content.write("skills.yaml", SKILLS.split("  - id: analytics")[0])
    for number, right in enumerate(rights):
        text = four_options(f"strategy-{number}", right, longest=number < longest)
        content.write(f"lessons/strategy/strategy-{number}.md", text)
    return content


def test_unbalanced_positions_warn_once_at_skills_yaml(tmp_path: Path) -> None:
    content = library(tmp_path, [0] * 7 + [1] * 3 + [2] * 3 + [3] * 3)
    assert warnings(content) == [
        content.at(
            "skills.yaml",
            1,
            "warning: the right answer's position is unbalanced across the 16 checks with 4 "
            "options (1st 7, 2nd 3, 3rd 3, 4th 3), so learners can guess by place; move right "
            "answers to the least used (2nd, 3rd, 4th) until the counts differ by at most 3",
        )
    ]


@pytest.mark.parametrize(
    "rights",
    [
        [0] * 4 + [1] * 4 + [2] * 4 + [3] * 4,
        [0] * 6 + [1] * 3 + [2] * 4 + [3] * 3,  # a spread of 3 is allowed
        [0] * 15,  # fewer than 16 checks: too few to count
    ],
    ids=["balanced", "spread-3", "15-checks"],
)
def test_positions_within_the_spread_or_too_few_checks_are_fine(
    tmp_path: Path, rights: list[int]
) -> None:
    assert warnings(library(tmp_path, rights)) == []


def test_a_larger_library_may_spread_an_eighth_of_its_checks(tmp_path: Path) -> None:
    # 40 checks: up to 5 apart
    assert warnings(library(tmp_path, [0] * 13 + [1] * 9 + [2] * 9 + [3] * 9)) == []
    content = library(tmp_path, [0] * 14 + [1] * 8 + [2] * 9 + [3] * 9)
    [warning] = warnings(content)
    assert "(1st 14, 2nd 8, 3rd 9, 4th 9)" in warning
    assert warning.endswith("until the counts differ by at most 5")


def test_more_than_a_quarter_longest_right_answers_warn(tmp_path: Path) -> None:
    content = library(tmp_path, [0, 1, 2, 3] * 4, longest=5)
    assert warnings(content) == [
        content.at(
            "skills.yaml",
            1,
            "warning: the right answer is the longest option in 5 of 16 checks, more than a "
            "quarter, so learners learn to pick the longest; shorten right answers or lengthen "
            "wrong ones until at most 4 are",
        )
    ]


def test_a_quarter_longest_right_answers_is_fine(tmp_path: Path) -> None:
    assert warnings(library(tmp_path, [0, 1, 2, 3] * 4, longest=4)) == []


def test_fifteen_checks_are_too_few_for_the_longest_share(tmp_path: Path) -> None:
    assert warnings(library(tmp_path, [0, 1, 2, 3] * 3 + [0, 1, 2], longest=15)) == []
