"""Each lesson error is reported once, as the exact ``path:line: message``, with exit code 1.

The lesson template (conftest.LESSON) has: 2 id, 3 skill, 4 level, 5 title, 6 minutes, 7 check,
8 question, 9 options, 10-12 the options, 13 answer, 14 explanation, 15 sources, 17 checked,
19 body.
"""

from __future__ import annotations

import pytest
from library_content import ContentDir, lesson

GOAL = "lessons/strategy/strategy-goal.md"
AUDIENCE = "lessons/strategy/strategy-audience.md"  # has no translation


def edited(old: str, new: str, id: str = "strategy-goal", skill: str = "strategy") -> str:
    text = lesson(id, skill)
    assert old in text, old
    return text.replace(old, new, 1)


def only_problem(content: ContentDir) -> str:
    code, lines = content.check()
    assert code == 1, lines
    assert len(lines) == 2, lines
    return lines[0]


def test_unreadable_front_matter_names_the_line_of_the_fault(content: ContentDir) -> None:
    content.write(GOAL, edited("title: Start from", "title: Start: from"))
    assert only_problem(content) == content.at(
        GOAL, 5, "a colon inside a value: put the value in quotes"
    )


def test_unclosed_front_matter(content: ContentDir) -> None:
    content.write(GOAL, edited("---\nStart from", "Start from"))
    assert only_problem(content) == content.at(
        GOAL, 1, "the front matter is never closed; add a '---' line after it"
    )


def test_duplicate_key_in_front_matter(content: ContentDir) -> None:
    content.write(GOAL, edited("minutes: 2\n", "minutes: 2\nlevel: 2\n"))
    assert only_problem(content) == content.at(
        GOAL, 7, "a duplicate key: 'level' is already set on line 4; keep one of them"
    )


def test_file_that_is_not_utf8(content: ContentDir) -> None:
    path = content.path / GOAL
    path.write_bytes(lesson("strategy-goal").encode("utf-8") + b"caf\xe9\n")
    assert only_problem(content) == content.at(
        GOAL, 20, "the file is not UTF-8 text; save it as UTF-8"
    )


def test_missing_top_level_field_points_at_the_front_matter(content: ContentDir) -> None:
    content.write(GOAL, edited("explanation: Followers are a means, not an end.\n", ""))
    assert only_problem(content) == content.at(GOAL, 2, "missing required field 'explanation'")


def test_missing_nested_field_points_at_its_parent_key(content: ContentDir) -> None:
    content.write(GOAL, edited("  answer: Which business result followers should move\n", ""))
    assert only_problem(content) == content.at(GOAL, 7, "missing required field 'check.answer'")


def test_unknown_field_points_at_the_key_and_suggests(content: ContentDir) -> None:
    content.write(GOAL, edited("explanation:", "explenation:"))
    code, lines = content.check()
    assert code == 1
    assert lines[:-1] == [
        content.at(GOAL, 2, "missing required field 'explanation'"),
        content.at(GOAL, 14, "unknown field 'explenation'; did you mean 'explanation'?"),
    ]


def test_yes_as_an_option_is_a_type_error_with_a_hint(content: ContentDir) -> None:
    content.write(GOAL, edited("    - Which network grows fastest", "    - yes"))
    assert only_problem(content) == content.at(
        GOAL,
        11,
        "option 2 in 'check.options' must be text; put it in quotes (YAML reads yes, no, "
        "numbers and dates as other types)",
    )


def test_level_out_of_range(content: ContentDir) -> None:
    content.write(GOAL, edited("level: 1", "level: 4"))
    assert only_problem(content) == content.at(GOAL, 4, "'level' must be at most 3")


def test_unknown_skill(content: ContentDir) -> None:
    content.write("lessons/seo/seo-basics.md", lesson("seo-basics", "seo"))
    assert only_problem(content) == content.at(
        "lessons/seo/seo-basics.md",
        3,
        "unknown skill 'seo' (skills.yaml lists: strategy, analytics)",
    )


def test_duplicate_lesson_id_names_both_places(content: ContentDir) -> None:
    content.write(
        "lessons/strategy/strategy-reach.md", edited("id: strategy-goal", "id: analytics-reach")
    )
    code, lines = content.check()
    assert code == 1
    # The copy's id also differs from its file name: two faults, each reported.
    assert lines[:-1] == [
        content.at(
            "lessons/strategy/strategy-reach.md",
            2,
            "duplicate id 'analytics-reach': also used at lessons/analytics/analytics-reach.md:2",
        ),
        content.at(
            "lessons/strategy/strategy-reach.md",
            2,
            "id 'analytics-reach' differs from the file name; name the file analytics-reach.md "
            "or set id: strategy-reach",
        ),
    ]


def test_same_file_name_in_two_skill_folders_is_a_duplicate_id(content: ContentDir) -> None:
    content.write("lessons/analytics/strategy-goal.md", lesson("strategy-goal", "analytics"))
    assert only_problem(content) == content.at(
        GOAL,
        2,
        "duplicate id 'strategy-goal': also used at lessons/analytics/strategy-goal.md:2",
    )


def test_lesson_and_question_share_one_id_space(content: ContentDir) -> None:
    content.write("lessons/strategy/q-networks.md", lesson("q-networks"))
    assert only_problem(content) == content.at(
        "questions/q-networks.yaml",
        1,
        "duplicate id 'q-networks': also used at lessons/strategy/q-networks.md:2",
    )


def test_id_differs_from_file_stem(content: ContentDir) -> None:
    content.write(GOAL, edited("id: strategy-goal", "id: strategy-goals"))
    assert only_problem(content) == content.at(
        GOAL,
        2,
        "id 'strategy-goals' differs from the file name; name the file strategy-goals.md "
        "or set id: strategy-goal",
    )


def test_skill_differs_from_folder(content: ContentDir) -> None:
    content.write(GOAL, edited("skill: strategy", "skill: analytics"))
    assert only_problem(content) == content.at(
        GOAL,
        3,
        "skill 'analytics' differs from the folder 'strategy'; move the file to "
        "lessons/analytics/ or set skill: strategy",
    )


def test_answer_not_among_options(content: ContentDir) -> None:
    content.write(GOAL, edited("  answer: Which business", "  answer: What business"))
    assert only_problem(content) == content.at(
        GOAL, 13, "'check.answer' must be one of the options, word for word"
    )


def test_fewer_than_two_options(content: ContentDir) -> None:
    text = edited(
        "    - Which network grows fastest\n    - How many posts a week we can publish\n",
        "",
        id="strategy-audience",
    )
    content.write(AUDIENCE, text)
    assert only_problem(content) == content.at(
        AUDIENCE, 9, "a check needs 2 to 5 options; this one has 1"
    )


def test_more_than_five_options(content: ContentDir) -> None:
    extra = "".join(f"    - Option {n}\n" for n in range(3))
    content.write(AUDIENCE, edited("  answer:", extra + "  answer:", id="strategy-audience"))
    assert only_problem(content) == content.at(
        AUDIENCE, 9, "a check needs 2 to 5 options; this one has 6"
    )


def test_duplicate_options(content: ContentDir) -> None:
    content.write(
        GOAL,
        edited("    - Which network grows fastest", "    - How many posts a week we can publish"),
    )
    assert only_problem(content) == content.at(
        GOAL, 12, "option 3 repeats an earlier option: 'How many posts a week we can publish'"
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "title: Start from the business goal",
            "title: " + "t" * 151,
            5,
            "'title' is 151 characters; a Slack header shows at most 150",
        ),
        (
            "    - Which network grows fastest",
            "    - " + "o" * 76,
            11,
            "option 2 is 76 characters; a Slack button shows at most 75",
        ),
        (
            "  question: A lead asks for more followers. What do you ask first?",
            "  question: " + "q" * 2896 + " <a>",
            8,
            "'check.question' is 2906 characters once rendered; it shares a Slack section with "
            "its label, so it may be at most 2900",
        ),
        (
            "explanation: Followers are a means, not an end.",
            "explanation: " + "e" * 1999 + " &",
            14,
            "'explanation' is 2005 characters once rendered; Slack shows at most 2000",
        ),
        (
            "Start from **the business goal**, then pick the networks.",
            "First paragraph.\n\n" + "word " * 500 + "\n\n" + "a&b " * 600,
            23,
            "this block is 4799 characters once rendered; a Slack section holds at most 3000: "
            "split it",
        ),
    ],
    ids=["title", "option", "question", "explanation", "body-block"],
)
def test_text_beyond_slack_limits(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write(GOAL, edited(old, new))
    code, lines = content.check()
    assert code == 1
    assert [entry for entry in lines if ": warning: " not in entry][:-1] == [
        content.at(GOAL, line, message)
    ]


@pytest.mark.parametrize(
    ("markdown", "line", "message"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |", 21, "Slack cannot show tables; use a list"),
        (
            "![chart](https://example.com/c.png)",
            21,
            "Slack cannot show images in a message; link to the page instead",
        ),
        ("## Why", 21, "Slack cannot show headings; use a **bold** line instead"),
        ("Some text\nand <b>html</b>", 22, "Slack cannot show raw HTML; use Markdown"),
        ("<div>\nblock\n</div>", 21, "Slack cannot show raw HTML; use Markdown"),
        ("---", 21, "Slack cannot show horizontal rules; leave a blank line instead"),
        (
            "See [the guide](guide.md).",
            21,
            "Slack cannot open the link 'guide.md'; use a full https:// address",
        ),
    ],
    ids=["table", "image", "heading", "inline-html", "html-block", "rule", "relative-link"],
)
def test_markdown_slack_cannot_show(
    content: ContentDir, markdown: str, line: int, message: str
) -> None:
    body = "Start from **the business goal**, then pick the networks."
    content.write(GOAL, edited(body, body + "\n\n" + markdown))
    assert only_problem(content) == content.at(GOAL, line, message)


def test_empty_body(content: ContentDir) -> None:
    content.write(GOAL, edited("Start from **the business goal**, then pick the networks.\n", ""))
    assert only_problem(content) == content.at(
        GOAL, 18, "the lesson has no body; write it after the closing '---'"
    )


def test_misnamed_file(content: ContentDir) -> None:
    content.write("lessons/strategy/strategy-goal.el.draft.md", "")
    assert only_problem(content) == content.at(
        "lessons/strategy/strategy-goal.el.draft.md",
        1,
        "a lesson file is named <id>.md, a translation <id>.<locale>.md",
    )
