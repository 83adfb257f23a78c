"""Whatever an admin (or an attacker) puts in a content file, the checker answers with problems
that name a file and a line, never an exception, and the admin's report still fits Slack.

One file of a valid library is replaced per example: skills.yaml, a lesson (front matter of
random keys, values and types, and a random body up to the size cap) or a weekly question.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from library_content import TODAY, make_content

from bot.i18n import translator
from bot.library import check_library, limits
from bot.library.schema import LessonFrontMatter, QuestionFile, SkillsFile, field_names
from bot.localslack.blockkit import check_message_blocks
from bot.slack.blocks.library_report import library_report_message

KEYS = [*sorted(field_names(LessonFrontMatter, QuestionFile, SkillsFile)), "el", "en", "xx"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.dates(),
    st.text(max_size=40),
    st.text(min_size=100, max_size=4000),
    st.sampled_from(["<!channel>", "&amp;", "---", "- a", "{a: b}", "*x", "'", "\t", "é"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=25,
)
MAPPINGS = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12), VALUES, max_size=12)
BODIES = st.one_of(
    st.text(max_size=500),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
    st.sampled_from(["# Heading", "| a | b |\n|---|---|\n| 1 | 2 |", "![i](x.png)", "<b>x</b>"]),
    # Near the size cap, in both directions: 4-byte characters land the cut inside one.
    st.integers(min_value=-3, max_value=3).map(
        lambda delta: "𝕏" * ((limits.FILE_BYTES_MAX + delta) // 4)
    ),
    st.integers(limits.FILE_BYTES_MAX - 400, limits.FILE_BYTES_MAX + 400).map(
        lambda n: "w " * (n // 2)
    ),
)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


FRONT_MATTER = MAPPINGS.map(_dump) | st.text(max_size=400)
LESSON = st.tuples(FRONT_MATTER, BODIES).map(lambda fb: f"---\n{fb[0]}---\n{fb[1]}")
RAW = st.one_of(st.binary(max_size=600), st.text(max_size=600), LESSON, MAPPINGS.map(_dump))
TARGETS = {
    "skills.yaml": st.one_of(
        st.fixed_dictionaries({"skills": st.lists(MAPPINGS, max_size=4)}).map(_dump), RAW
    ),
    "lessons/strategy/strategy-goal.md": st.one_of(LESSON, RAW),
    "lessons/strategy/strategy-goal.el.md": st.one_of(LESSON, RAW),
    "questions/q-networks.yaml": st.one_of(MAPPINGS.map(_dump), RAW),
}
PROBLEM = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>[1-9][0-9]*): \S")


@pytest.fixture(scope="module")
def valid_library() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as root:
        yield make_content(Path(root)).path


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    target=st.sampled_from(sorted(TARGETS)),
    data=st.data(),
)
def test_any_file_gets_problems_with_a_path_and_line_and_never_an_exception(
    valid_library: Path, target: str, data: st.DataObject
) -> None:
    written = data.draw(TARGETS[target], label="file")
    with tempfile.TemporaryDirectory() as root:
        content = Path(root) / "content"
        shutil.copytree(valid_library, content)
        path = content / target
        if isinstance(written, bytes):
            path.write_bytes(written)
        else:
            path.write_text(written, "utf-8")

        report = check_library(content, TODAY)

    for problem in report.problems:
        found = PROBLEM.match(str(problem))
        assert found, str(problem)
        assert not Path(found["path"]).is_absolute() and root not in str(problem)
    assert report.ok is (report.library is not None)
    for action in ("check", "reload"):
        for language in ("en", "el"):
            message = library_report_message(translator(language), report, action=action)
            assert check_message_blocks(message.blocks) == []
