"""Weekly question files: YAML, fields, skill, id, Slack limits, translations.

The question template (conftest.QUESTION) has: 1 id, 2 skill, 3 prompt, 4 choices, 5-7 the
choices, 8 follow_up, 9 translations, 10 el, 11 prompt, 12 choices.
"""

from __future__ import annotations

import pytest
from library_content import QUESTION, SKILLS, ContentDir

Q = "questions/q-networks.yaml"


def edited(old: str, new: str) -> str:
    text = QUESTION.format(id="q-networks")
    assert old in text, old
    return text.replace(old, new, 1)


def problems(content: ContentDir) -> list[str]:
    code, lines = content.check()
    assert code == 1, lines
    return lines[:-1]


def test_unreadable_question_yaml(content: ContentDir) -> None:
    content.write(Q, edited("  - TikTok\n", "  - TikTok\n - LinkedIn\n"))
    assert problems(content) == [
        content.at(
            Q,
            7,
            "a list item indented differently from the items above it: line up its '-' with theirs",
        )
    ]


def test_unreadable_skills_yaml(content: ContentDir) -> None:
    content.write("skills.yaml", SKILLS.replace("description: Measure", "description: 'Measure"))
    assert problems(content) == [
        content.at(
            "skills.yaml",
            9,
            "an unclosed quote that starts here: end the value with the same quote mark",
        )
    ]


def test_missing_skills_yaml(content: ContentDir) -> None:
    content.remove("skills.yaml")
    assert problems(content) == [
        content.at(
            "skills.yaml", 1, "skills.yaml is missing; every library lists its skill areas there"
        )
    ]


def test_duplicate_skill_id(content: ContentDir) -> None:
    content.write("skills.yaml", SKILLS + "  - {id: strategy, name: Again, description: Again.}\n")
    assert problems(content) == [
        content.at(
            "skills.yaml",
            10,
            "duplicate skill id 'strategy': also at skills.yaml:2",
        )
    ]


def test_question_missing_field(content: ContentDir) -> None:
    content.write(Q, edited("prompt: Which networks does our audience actually use?\n", ""))
    assert problems(content) == [content.at(Q, 1, "missing required field 'prompt'")]


def test_question_unknown_field(content: ContentDir) -> None:
    content.write(Q, edited("follow_up:", "followup:"))
    assert problems(content) == [
        content.at(Q, 8, "unknown field 'followup'; did you mean 'follow_up'?")
    ]


def test_question_for_a_skill_that_does_not_exist(content: ContentDir) -> None:
    content.write(Q, edited("skill: strategy", "skill: seo"))
    assert problems(content) == [
        content.at(
            Q, 2, "weekly question for unknown skill 'seo' (skills.yaml lists: strategy, analytics)"
        )
    ]


def test_question_id_differs_from_file_stem(content: ContentDir) -> None:
    content.write(Q, edited("id: q-networks", "id: q-network"))
    assert problems(content) == [
        content.at(
            Q,
            1,
            "id 'q-network' differs from the file name; name the file q-network.yaml or set "
            "id: q-networks",
        )
    ]


def test_question_translation_with_other_number_of_choices(content: ContentDir) -> None:
    content.write(Q, edited("[Instagram, TikTok, LinkedIn]", "[Instagram, TikTok]"))
    assert problems(content) == [
        content.at(Q, 12, "translation 'el' has 2 choices but the original has 3")
    ]


def test_question_unknown_locale_key(content: ContentDir) -> None:
    content.write(Q, edited("  el:", "  xx:"))
    [problem] = problems(content)
    assert problem.startswith(content.at(Q, 10, "unknown locale 'xx' (known: ar,"))


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "prompt: Which networks does our audience actually use?",
            "prompt: " + "p" * 2001,
            3,
            "'prompt' is 2001 characters; a Slack modal label shows at most 2000",
        ),
        (
            "  - TikTok",
            "  - " + "c" * 76,
            6,
            "choice 2 is 76 characters; a Slack menu option shows at most 75",
        ),
        (
            "  - LinkedIn\n",
            "  - LinkedIn\n" + "".join(f"  - Network {n}\n" for n in range(8)),
            4,
            "'choices' needs 2 to 10 choices; this one has 11",
        ),
        (
            "follow_up: Name the data source behind your answer.",
            "follow_up: " + "f" * 2001,
            8,
            "'follow_up' is 2001 characters; a Slack hint shows at most 2000",
        ),
        (
            "    prompt: Ποια δίκτυα",
            "    prompt: " + "π" * 2001 + " Ποια δίκτυα",
            11,
            "'translations.el.prompt' is 2051 characters; a Slack modal label shows at most 2000",
        ),
        (
            "  - LinkedIn\n",
            "  - TikTok\n",
            7,
            "choice 3 repeats an earlier choice: 'TikTok'",
        ),
    ],
    ids=["prompt", "choice", "too-many-choices", "follow-up", "translated-prompt", "dup-choice"],
)
def test_question_beyond_slack_limits(
    content: ContentDir, old: str, new: str, line: int, message: str
) -> None:
    content.write(Q, edited(old, new))
    assert problems(content)[0] == content.at(Q, line, message)
