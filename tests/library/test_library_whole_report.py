"""One check reports everything that can be known, counts in plain English, options from 1.

A broken field does not hide the file's other faults, a broken file does not hide other
files', and a number in a message counts the way the admin does (option 1 is the first).
Lesson template lines: 2 id, 3 skill, 4 level, 5 title, 7 check, 9 options, 10-12 the options,
13 answer, 14 explanation, 15 sources, 16 url, 17 checked, 19 body.
"""

from __future__ import annotations

from library_content import QUESTION, SKILLS, ContentDir, lesson

GOAL = "lessons/strategy/strategy-goal.md"
Q = "questions/q-networks.yaml"
SUMMARY = "2 skills, 6 lessons, 1 translation, 1 question"
# Each test also breaks this lesson, to show that the other files are still checked.
OTHER = "lessons/analytics/analytics-reach.md"
OTHER_FAULT = "Slack cannot show headings; use a **bold** line instead"


def goal(*edits: tuple[str, str]) -> str:
    text = lesson("strategy-goal")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def check(content: ContentDir) -> list[str]:
    """Every printed line but the other lesson's fault, which must come first."""
    content.write(OTHER, lesson("analytics-reach", "analytics") + "\n## Why\n")
    code, lines = content.check()
    assert code == 1, lines
    assert lines[0] == content.at(OTHER, 21, OTHER_FAULT)
    return lines[1:]


def test_every_fault_of_a_lesson_whose_front_matter_is_invalid(content: ContentDir) -> None:
    content.write(
        GOAL,
        goal(
            ("skill: strategy", "skill: seo"),
            ("title: Start from the business goal", "title: " + "t" * 151),
            ("  answer: Which business", "  answer: What business"),
            ("explanation: Followers are a means, not an end.\n", ""),
        )
        + "\n| a | b |\n|---|---|\n",
    )
    assert check(content) == [
        content.at(GOAL, 2, "missing required field 'explanation'"),
        content.at(GOAL, 3, "unknown skill 'seo' (skills.yaml lists: strategy, analytics)"),
        content.at(GOAL, 5, "'title' is 151 characters; a Slack header shows at most 150"),
        content.at(GOAL, 13, "'check.answer' must be one of the options, word for word"),
        content.at(GOAL, 20, "Slack cannot show tables; use a list"),
        f"{SUMMARY}: 6 errors, 0 warnings",
    ]


def test_unreadable_front_matter_still_has_its_body_checked(content: ContentDir) -> None:
    content.write(GOAL, goal(("title: Start", "title: Start: now")) + "\n## Why\n")
    assert check(content) == [
        content.at(GOAL, 5, "a colon inside a value: put the value in quotes"),
        content.at(GOAL, 21, "Slack cannot show headings; use a **bold** line instead"),
        f"{SUMMARY}: 3 errors, 0 warnings",
    ]


def test_a_duplicate_key_does_not_hide_the_other_faults(content: ContentDir) -> None:
    content.write(
        GOAL,
        goal(
            ("minutes: 2\n", "minutes: 2\nminutes: 3\n"),
            ("    - Which network grows fastest", "    - " + "o" * 76),
        ),
    )
    assert check(content)[:-1] == [
        content.at(
            GOAL, 7, "a duplicate key: 'minutes' is already set on line 6; keep one of them"
        ),
        content.at(GOAL, 12, "option 2 is 76 characters; a Slack button shows at most 75"),
    ]


def test_an_unreadable_file_does_not_hide_other_files_faults(content: ContentDir) -> None:
    content.write(Q, "id: q-networks\nprompt: 'Which networks?\n")
    content.write(GOAL, goal(("level: 1", "level: 7")))
    assert check(content)[:-1] == [
        content.at(GOAL, 4, "'level' must be at most 3"),
        content.at(
            Q, 2, "an unclosed quote that starts here: end the value with the same quote mark"
        ),
    ]


def test_an_invalid_skill_entry_keeps_the_skill_checks(content: ContentDir) -> None:
    content.write("skills.yaml", SKILLS.replace("    description: Measure what matters.\n", ""))
    content.write(GOAL, goal(("skill: strategy", "skill: seo")))
    assert check(content)[:-1] == [
        content.at(GOAL, 3, "unknown skill 'seo' (skills.yaml lists: strategy, analytics)"),
        content.at("skills.yaml", 7, "missing required field 'description' of skill 2 in 'skills'"),
    ]


def test_question_limits_are_checked_when_another_field_is_missing(content: ContentDir) -> None:
    text = QUESTION.format(id="q-networks")
    text = text.replace("prompt: Which networks does our audience actually use?\n", "")
    text = text.replace(
        "follow_up: Name the data source behind your answer.", "follow_up: " + "f" * 2001
    )
    content.write(Q, text)
    assert check(content)[:-1] == [
        content.at(Q, 1, "missing required field 'prompt'"),
        content.at(Q, 7, "'follow_up' is 2001 characters; a Slack hint shows at most 2000"),
    ]


def test_answer_written_as_an_option_number_counts_from_1(content: ContentDir) -> None:
    answer = "  answer: Which business result followers should move"
    content.write(GOAL, goal((answer, "  answer: 2")))
    assert check(content)[:-1] == [
        content.at(
            GOAL,
            13,
            "'check.answer' must be the text of the right option, not its number: to pick "
            "option 2, write answer: Which network grows fastest",
        )
    ]


def test_answer_number_beyond_the_options(content: ContentDir) -> None:
    answer = "  answer: Which business result followers should move"
    content.write(GOAL, goal((answer, "  answer: 4")))
    assert check(content)[:-1] == [
        content.at(
            GOAL,
            13,
            "'check.answer' is the number 4 but the check has 3 options; write the text of the "
            "right option, word for word",
        )
    ]


def test_answer_number_when_the_options_cannot_be_read(content: ContentDir) -> None:
    options = (
        "  options:\n    - Which business result followers should move\n"
        "    - Which network grows fastest\n    - How many posts a week we can publish\n"
    )
    answer = "  answer: Which business result followers should move"
    content.write(GOAL, goal((options, "  options: none\n"), (answer, "  answer: 1")))
    assert check(content)[:-1] == [
        content.at(GOAL, 9, "'check.options' must be a list (lines starting with '- ')"),
        content.at(
            GOAL,
            10,
            "'check.answer' must be the text of the right option, word for word, not its number",
        ),
    ]


def test_an_option_yaml_reads_as_a_mapping_is_numbered_from_1(content: ContentDir) -> None:
    content.write(
        GOAL, goal(("    - Which network grows fastest", "    - Note: which network grows"))
    )
    assert check(content)[:-1] == [
        content.at(
            GOAL,
            11,
            "option 2 in 'check.options' must be text; put it in quotes (YAML reads a ': ' "
            "inside it as a key)",
        )
    ]


def test_answer_is_checked_against_an_option_as_written(content: ContentDir) -> None:
    # 'yes' is not text to pydantic, but the answer can still be seen to match none of them.
    content.write(
        GOAL,
        goal(
            ("    - Which network grows fastest", "    - yes"),
            ("  answer: Which business", "  answer: What business"),
        ),
    )
    assert check(content)[:-1] == [
        content.at(
            GOAL,
            11,
            "option 2 in 'check.options' must be text; put it in quotes (YAML reads yes, no, "
            "numbers and dates as other types)",
        ),
        content.at(GOAL, 13, "'check.answer' must be one of the options, word for word"),
    ]


def test_a_source_is_numbered_from_1(content: ContentDir) -> None:
    content.write(GOAL, goal(('url: "https://example.com/book"', 'url: "example.com/book"')))
    assert check(content)[:-1] == [
        content.at(
            GOAL, 16, "'url' of source 1 in 'sources' must be a full address starting with https://"
        )
    ]


def test_counts_of_one_are_singular(content: ContentDir) -> None:
    content.write("skills.yaml", SKILLS.split("  - id: analytics")[0])
    for stem in ("analytics/analytics-reach", "analytics/analytics-clicks"):
        content.remove(f"lessons/{stem}.md")
    for stem in ("analytics/analytics-sales", "strategy/strategy-audience"):
        content.remove(f"lessons/{stem}.md")
    content.remove("lessons/strategy/strategy-calendar.md")
    content.write(GOAL, lesson("strategy-goal") + "\n## Why\n")
    code, lines = content.check()
    assert code == 1
    assert lines == [
        content.at(GOAL, 21, "Slack cannot show headings; use a **bold** line instead"),
        content.at(
            "skills.yaml",
            2,
            "warning: skill 'strategy' has 1 lesson; give each skill area at least 3",
        ),
        "1 skill, 1 lesson, 1 translation, 1 question: 1 error, 1 warning",
    ]


def test_a_translation_with_one_option_says_option(content: ContentDir) -> None:
    el = "lessons/strategy/strategy-goal.el.md"
    text = (content.path / el).read_text("utf-8")
    content.write(
        el,
        text.replace(
            "    - Ποιο δίκτυο μεγαλώνει πιο γρήγορα\n    - Πόσες αναρτήσεις την εβδομάδα αντέχουμε\n",
            "",
        ),
    )
    assert check(content)[:-1] == [
        content.at(el, 5, "a check needs 2 to 5 options; this one has 1"),
        content.at(
            el,
            5,
            "the translation has 1 option but the original has 3; translate each option in the "
            "same order",
        ),
    ]


def test_a_question_translation_with_one_choice_says_choice(content: ContentDir) -> None:
    content.write(
        Q, QUESTION.format(id="q-networks").replace("[Instagram, TikTok, LinkedIn]", "[Instagram]")
    )
    assert check(content)[:-1] == [
        content.at(Q, 12, "'translations.el.choices' needs 2 to 10 choices; this one has 1"),
        content.at(Q, 12, "translation 'el' has 1 choice but the original has 3"),
    ]
