"""YAML that would cost more to read than its size: aliases, too many keys or values.

An alias bomb ("billion laughs") is a few hundred bytes that stand for billions of values; a
front matter with thousands of keys made the report quadratic. Each is refused with one plain
message on its line, before any data is built. Every case runs with both parsers.

Lines of the lesson template: 2 id ... 8 question, 9 options, 13 answer, 14 explanation.
Question template: 1 id ... 9 translations, 10 el.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from library_content import QUESTION, ContentDir, lesson

from bot.library import limits, yamllines
from bot.library.yamllines import parse_yaml

GOAL = "lessons/strategy/strategy-goal.md"
Q = "questions/q-networks.yaml"
LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(autouse=True, params=LOADERS, ids=lambda loader: loader.__name__)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamllines, "_Loader", request.param)


def problems(content: ContentDir) -> list[str]:
    code, lines = content.check()
    assert code == 1, lines
    return lines[:-1]


def alias(name: str) -> str:
    return (
        f"'*{name}' refers to another value (a YAML alias); content files may not use aliases: "
        "write the value out in full, or put it in quotes if it is text"
    )


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_an_alias_is_refused_on_its_own_line(content: ContentDir) -> None:
    text = replaced(lesson("strategy-goal"), "title: Start", "title: &t Start")
    text = replaced(text, "explanation: Followers are a means, not an end.", "explanation: *t")
    content.write(GOAL, text)
    assert problems(content) == [content.at(GOAL, 14, alias("t"))]


def test_a_merge_key_is_an_alias_too(content: ContentDir) -> None:
    text = replaced(
        QUESTION.format(id="q-networks"),
        "  el:\n",
        "  de: &de\n    prompt: Welche Netzwerke?\n  el:\n    <<: *de\n",
    )
    content.write(Q, text)
    assert problems(content) == [content.at(Q, 13, alias("de"))]


def billion_laughs(depth: int) -> str:
    """The review's bomb: each level a list of nine references to the level below."""
    lines = ["id: q-bomb", "skill: strategy", "prompt: Which?", 'l0: &l0 ["lol","lol","lol"]']
    for level in range(1, depth + 1):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_a_single_value_is_repeated(
    content: ContentDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With so few values allowed, a walk that followed even one alias past its first use would
    # stop with "more than 60 values" instead: the refusal costs the text's size, no more.
    monkeypatch.setattr(limits, "YAML_NODES_MAX", 60)
    built: list[yaml.Node] = []
    construct = yaml.constructor.BaseConstructor.construct_document

    def counted(self: yaml.constructor.BaseConstructor, node: yaml.Node) -> Any:
        built.append(node)
        return construct(self, node)

    monkeypatch.setattr(yaml.constructor.BaseConstructor, "construct_document", counted)
    content.write("questions/q-bomb.yaml", billion_laughs(9))  # 9^10 "lol"s, 600 bytes
    assert problems(content) == [content.at("questions/q-bomb.yaml", 5, alias("l0"))]
    # Only the other files' documents were built; the bomb never was.
    assert len(built) == 9


def test_a_mapping_with_too_many_keys_is_refused_on_its_line(content: ContentDir) -> None:
    extra = "".join(f"  x{n}: {{prompt: P}}\n" for n in range(limits.MAPPING_KEYS_MAX))
    content.write(Q, replaced(QUESTION.format(id="q-networks"), "  el:\n", extra + "  el:\n"))
    assert problems(content) == [
        content.at(
            Q,
            10,
            "101 keys in one mapping; at most 100 are allowed (a lesson's front matter has 9): "
            "remove the keys that do not belong",
        )
    ]


def test_thousands_of_front_matter_keys_are_one_problem(content: ContentDir) -> None:
    keys = "".join(f"key{n}: value\n" for n in range(5_000))
    content.write(GOAL, replaced(lesson("strategy-goal"), "id: ", keys + "id: "))
    assert problems(content) == [
        content.at(
            GOAL,
            2,
            "5,009 keys in one mapping; at most 100 are allowed (a lesson's front matter has "
            "9): remove the keys that do not belong",
        )
    ]


def test_too_many_values_are_refused(content: ContentDir) -> None:
    options = "".join(f"    - option {n}\n" for n in range(limits.YAML_NODES_MAX))
    content.write(GOAL, replaced(lesson("strategy-goal"), "  options:\n", "  options:\n" + options))
    assert problems(content) == [
        content.at(
            GOAL,
            2,
            "the YAML holds more than 10,000 values; a content file needs a few hundred: "
            "remove what does not belong",
        )
    ]


def test_every_unknown_key_up_to_the_cap_is_reported_on_its_line(content: ContentDir) -> None:
    keys = "".join(f"key{n}: value\n" for n in range(limits.MAPPING_KEYS_MAX - 9))
    content.write(GOAL, replaced(lesson("strategy-goal"), "id: ", keys + "id: "))
    reported = problems(content)
    assert len(reported) == 91
    assert reported[-1] == content.at(GOAL, 92, "unknown field 'key90'")


class CountingList(list[Any]):
    """A mapping's key list that counts how often it is scanned."""

    scans = 0

    def __iter__(self) -> Any:
        CountingList.scans += 1
        return super().__iter__()


def test_finding_the_line_of_many_keys_scans_the_mapping_once() -> None:
    count = limits.MAPPING_KEYS_MAX
    lined = parse_yaml("".join(f"key{n}: {n}\n" for n in range(count)), first_line=2)
    assert isinstance(lined.root, yaml.MappingNode)
    lined.root.value = CountingList(lined.root.value)
    CountingList.scans = 0
    assert [lined.line_of((f"key{n}",)) for n in range(count)] == list(range(2, count + 2))
    assert [lined.text_at((f"key{n}",)) for n in range(count)] == [str(n) for n in range(count)]
    assert CountingList.scans == 1  # one scan per mapping, not one per lookup (quadratic)
