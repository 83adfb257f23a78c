"""YAML an author got wrong: plain words, the line where the mistake starts, nothing else lost.

Each case breaks one file and also puts a heading in another lesson's body, then asserts the
exact output: the YAML fault at its line and the other file's fault too. Every case runs with
the pure-Python parser and with libyaml (CSafeLoader), whose own words and marks differ.

Lines of the lesson template (library_content.LESSON): 2 id, 3 skill, 4 level, 5 title,
6 minutes, 7 check, 8 question, 9 options, 10-12 the options, 13 answer, 14 explanation,
15 sources, 17 checked, 19 body. Question template: 1 id ... 4 choices, 5-7 the choices, 8 follow_up,
9 translations, 10 el, 11 prompt, 12 choices. Skills template: 9 is analytics' description.
"""

from __future__ import annotations

import pytest
import yaml
from library_content import QUESTION, SKILLS, ContentDir, lesson

from bot.library import yamllines

GOAL = "lessons/strategy/strategy-goal.md"
Q = "questions/q-networks.yaml"
OTHER = "lessons/analytics/analytics-reach.md"
OTHER_FAULT = "Slack cannot show headings; use a **bold** line instead"

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(autouse=True, params=LOADERS, ids=lambda loader: loader.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamllines, "_Loader", request.param)


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def check_with_other_fault(content: ContentDir) -> list[str]:
    """Break a second file too; return every printed problem (the summary line dropped)."""
    content.write(OTHER, lesson("analytics-reach", "analytics") + "\n## Why\n")
    code, lines = content.check()
    assert code == 1, lines
    return lines[:-1]


def assert_reported(content: ContentDir, relative: str, line: int, message: str) -> None:
    # The other lesson sorts first: lessons/analytics < lessons/strategy < questions < skills.
    assert check_with_other_fault(content) == [
        content.at(OTHER, 21, OTHER_FAULT),
        content.at(relative, line, message),
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "title: Start from",
            "title: Goal: start from",
            5,
            "a colon inside a value: put the value in quotes",
        ),
        (
            "title: Start from the business goal",
            'title: "Start from the business goal',
            5,
            "an unclosed quote that starts here: end the value with the same quote mark",
        ),
        (
            "  question: A lead",
            "\tquestion: A lead",
            8,
            "a tab: YAML indents with spaces; replace the tab with spaces",
        ),
        (
            "  answer: Which",
            "    answer: Which",
            13,
            "a list item and a key mixed at the same indent: a list goes under its own key, "
            "indented further than the keys around it",
        ),
        (
            "    - Which network grows fastest",
            "   - Which network grows fastest",
            11,
            "a list item indented differently from the items above it: line up its '-' with theirs",
        ),
        (
            "  answer: Which",
            " answer: Which",
            13,
            "'answer' is indented differently from the keys above it: line it up with the keys "
            "it belongs with",
        ),
        (
            "minutes: 2",
            "  minutes: 2",
            6,
            "'minutes' is indented more than the line above it: line it up with the keys it "
            "belongs with",
        ),
        (
            "explanation: Followers are a means, not an end.",
            "explanation: Followers are a means,\n  not an end: they serve a goal.",
            15,
            "a colon inside a value that continues from the line above: put the whole value "
            "in quotes",
        ),
        (
            "minutes: 2",
            "minutes:2",
            6,
            "a key without a space after its colon: write 'key: value'",
        ),
        (
            "minutes: 2",
            "minutes 2",
            6,
            "a line that is neither 'key: value' nor a list item: add ': ' after the key, or "
            "indent the line to continue the value above it",
        ),
        (
            "    - Which network grows fastest",
            "    -Which network grows fastest",
            11,
            "a list item needs a space after '-': write '- item'",
        ),
        (
            "title: Start from the business goal",
            "title: 'Don't start from the business goal'",
            5,
            "an apostrophe inside single quotes ends the value: write it twice ('') or put "
            'the value in double quotes (")',
        ),
        (
            "title: Start from the business goal",
            'title: "Start" from the business goal',
            5,
            "text after the closing quote: a value that starts with a quote must end with it; "
            "quote the whole value, using the other quote mark inside it",
        ),
        (
            "title: Start from the business goal",
            "title: *Start* from the business goal",
            5,
            "a value that starts with '*': put the whole value in quotes (YAML reads '*' as a "
            "reference to another value)",
        ),
        (
            "title: Start from the business goal",
            "title: [Draft] Start from the business goal",
            5,
            "a value that starts with '[': put the whole value in quotes (YAML reads '[' as the "
            "start of a list)",
        ),
        (
            "title: Start from the business goal",
            "title: @team start from the business goal",
            5,
            "a value that starts with '@': put the whole value in quotes (YAML reserves '@')",
        ),
        (
            "explanation: Followers",
            "explanation: >- Followers",
            14,
            "text after '>-' on the same line: start the text on the next line, indented under "
            "the key",
        ),
        (
            "explanation: Followers",
            "explanation: >-\nFollowers",
            15,
            "the text of a '>-' block must be indented under its key",
        ),
        (
            "title: Start from the business goal",
            'title: "Start from C:\\goals"',
            5,
            "a backslash inside double quotes starts an escape such as \\n: write \\\\ for a "
            "backslash, or use single quotes",
        ),
        (
            "title: Start from the business goal",
            "title: Start from the\x07 business goal",
            5,
            "an invisible control character (U+0007): delete it",
        ),
        (
            "title: Start from the business goal",
            "title: 2024-02-30",
            5,
            "'2024-02-30' reads as a date but there is no such date: put it in quotes if it is "
            "text",
        ),
    ],
    ids=[
        "colon-in-value",
        "unclosed-quote",
        "tab",
        "list-and-key-mixed",
        "list-item-misaligned",
        "key-misaligned",
        "key-indented-more",
        "colon-in-continued-value",
        "no-space-after-colon",
        "no-colon",
        "no-space-after-dash",
        "apostrophe",
        "text-after-quote",
        "starts-with-star",
        "starts-with-bracket",
        "starts-with-at",
        "block-text-on-key-line",
        "block-text-not-indented",
        "backslash",
        "control-character",
        "impossible-date",
    ],
)
def test_front_matter_mistake_in_plain_words_at_its_file_line(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write(GOAL, replaced(lesson("strategy-goal"), old, new))
    assert_reported(content, GOAL, line, message)


def test_unclosed_quote_is_reported_where_it_opens_not_at_the_end(content: ContentDir) -> None:
    """The admin's case: PyYAML put this at the closing '---' as "unexpected end of stream"."""
    text = replaced(lesson("strategy-goal"), "title: Start", 'title: "Start')
    content.write(GOAL, text + "\n**More** text.\n")
    problems = check_with_other_fault(content)
    assert problems[1] == content.at(
        GOAL, 5, "an unclosed quote that starts here: end the value with the same quote mark"
    )


def test_unclosed_quote_that_a_later_quote_closes(content: ContentDir) -> None:
    # The scanner runs on to the quote in the source title, eleven lines later.
    text = replaced(lesson("strategy-goal"), "title: Start", "title: 'Start")
    text = replaced(text, "title: A book", "title: Ada's book")
    content.write(GOAL, text)
    assert_reported(
        content,
        GOAL,
        5,
        "an unclosed quote that starts here: end the value with the same quote mark",
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "    choices: [Instagram, TikTok, LinkedIn]",
            "    choices: [Instagram, TikTok, LinkedIn",
            12,
            "an unclosed '[' that starts here: end it with ']' on the same line, and put any "
            "item that contains ': ' in quotes",
        ),
        (
            "follow_up: Name",
            "follow_up: Note: name",
            8,
            "a colon inside a value: put the value in quotes",
        ),
        (
            "translations:\n",
            "---\ntranslations:\n",
            9,
            "a second '---' line: a file holds one YAML document; remove it",
        ),
        (
            "  - TikTok\n",
            "  note: the most used\n  - TikTok\n",
            6,
            "a list item and a key mixed at the same indent: a list goes under its own key, "
            "indented further than the keys around it",
        ),
        (
            "  - Instagram\n",
            "  - 'Instagram\n",
            5,
            "an unclosed quote that starts here: end the value with the same quote mark",
        ),
    ],
    ids=["unclosed-bracket", "colon", "second-document", "key-inside-list", "unclosed-quote"],
)
def test_question_file_mistake_in_plain_words(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write(Q, replaced(QUESTION.format(id="q-networks"), old, new))
    assert_reported(content, Q, line, message)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "    name: Analytics",
            "    name: Analytics: numbers",
            8,
            "a colon inside a value: put the value in quotes",
        ),
        (
            "με τους στόχους.}",
            "με τους στόχους.",
            6,
            "an unclosed '{' that starts here: end it with '}' on the same line, and put any "
            "item that contains ': ' in quotes",
        ),
    ],
    ids=["colon", "unclosed-brace"],
)
def test_skills_yaml_mistake_still_checks_every_lesson(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write("skills.yaml", replaced(SKILLS, old, new))
    assert_reported(content, "skills.yaml", line, message)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # '&x' alone names the value; a lone '&' followed by text cannot be read.
        ("& Start", "YAML reads '&' as a name for this value"),
        ("!Start", "YAML reads '!' as a type"),
        ("`Start`", "YAML reserves '`'"),
        ("%Start", "YAML reserves '%'"),
        ("| Start", "YAML reads '|' as the start of a block of text"),
        ("> Start", "YAML reads '>' as the start of a block of text"),
        ("{Start} here", "YAML reads '{' as the start of a mapping"),
        ("- Start", "YAML reads '- ' as a list item"),
        ("? Start", "YAML reads '? ' as a key"),
    ],
)
def test_value_starting_with_a_sign_yaml_reads_itself(
    content: ContentDir, value: str, reason: str
) -> None:
    text = replaced(
        lesson("strategy-goal"), "title: Start from the business goal", f"title: {value}"
    )
    content.write(GOAL, text)
    assert_reported(
        content,
        GOAL,
        5,
        f"a value that starts with '{value[0]}': put the whole value in quotes ({reason})",
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "prompt:",
            ": prompt",
            3,
            "a line that starts with ':': write the key before it",
        ),
        (
            "id: q-networks\n",
            "%TAG ! tag:example.com\nid: q-networks\n",
            1,
            "a line that starts with '%': YAML reads it as a directive; remove it",
        ),
        (
            "follow_up: Name the data source behind your answer.",
            "follow_up: >-\n    Name the data source\n  behind your answer.",
            10,
            "this line's indent does not match the lines above it: indent it like the text it "
            "continues",
        ),
    ],
    ids=["starts-with-colon", "directive", "text-indent"],
)
def test_rarer_question_file_mistakes(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write(Q, replaced(QUESTION.format(id="q-networks"), old, new))
    assert_reported(content, Q, line, message)


def test_generic_words_still_name_the_line(content: ContentDir) -> None:
    # A key in brackets is a mapping YAML cannot use as a key: no common mistake fits.
    content.write(Q, QUESTION.format(id="q-networks") + "? [a, b]\n: c\n")
    assert_reported(
        content,
        Q,
        13,
        "YAML cannot read this line: check its indent and quotes, and put any value that "
        "contains ': ' or starts with a sign such as [ { * & ! in quotes",
    )
