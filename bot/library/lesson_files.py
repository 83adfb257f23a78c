"""One lesson or translation file: parse it and check what can be checked without the rest.

Cross-file rules (unknown skill, duplicate ids, a translation against its original) are the
checker's; everything here needs only the file itself, so a broken file is reported completely
even when the rest of the library cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.library import limits
from bot.library.mrkdwn import escape_mrkdwn, mrkdwn_blocks, unsupported_markdown
from bot.library.problems import ProblemSink
from bot.library.schema import CheckFile, LessonFrontMatter, TranslationFrontMatter
from bot.library.sourcefile import FileFault, SplitLesson, read_text, split_front_matter
from bot.library.validation import validate
from bot.library.yamllines import KeyLines, LinedYaml, YamlFault, parse_yaml

FRONT_MATTER_FIRST_LINE = 2  # the line after the opening '---'
CROSS_CHECKED = (
    ("id",),
    ("skill",),
    ("level",),
    ("minutes",),
    ("check", "options"),
    ("check", "answer"),
)  # the keys the checker's cross-file rules point at


@dataclass(frozen=True)
class LessonFile:
    """A lesson (``locale`` None) or translation file whose front matter is valid."""

    path: Path
    folder: str
    stem_id: str
    locale: str | None
    lined: KeyLines
    front: LessonFrontMatter | TranslationFrontMatter
    body: str
    body_first_line: int


def read_lesson_file(
    path: Path, folder: str, stem_id: str, locale: str | None, sink: ProblemSink
) -> LessonFile | None:
    """Parse, validate and check one file; None (after reporting) when it cannot be used."""

    def report(line: int, message: str) -> None:
        sink.error(path, line, message)

    try:
        split = split_front_matter(read_text(path))
    except FileFault as fault:
        report(fault.line, fault.message)
        return None
    check_body(split, path, sink)
    try:
        lined = parse_yaml(split.front_matter, FRONT_MATTER_FIRST_LINE)
    except YamlFault as fault:
        report(fault.line, fault.message)
        return None
    model = LessonFrontMatter if locale is None else TranslationFrontMatter
    front = validate(model, lined, report)
    if front is None:
        return None
    check_front_matter_text(front, lined, report)
    if locale is None and not front.sources:
        line = lined.line_of(("sources",))
        sink.warning(path, line, "no sources; add at least one so readers can check the facts")
    return LessonFile(
        path,
        folder,
        stem_id,
        locale,
        lined.keep(*CROSS_CHECKED),
        front,
        split.body,
        split.body_first_line,
    )


def check_body(split: SplitLesson, path: Path, sink: ProblemSink) -> None:
    """Markdown Slack cannot show, blocks too long for a section, and reading time."""
    offset = split.body_first_line
    if not split.body.strip():
        sink.error(path, offset - 1, "the lesson has no body; write it after the closing '---'")
        return
    for line, message in unsupported_markdown(split.body):
        sink.error(path, line + offset, message)
    for block in mrkdwn_blocks(split.body):
        if len(block.text) > limits.SECTION_MAX:
            sink.error(
                path,
                block.line + offset,
                f"this block is {len(block.text)} characters once rendered; a Slack section "
                f"holds at most {limits.SECTION_MAX}: split it",
            )
    words = len(split.body.split())
    if words > limits.BODY_WORDS_MAX:
        sink.warning(
            path,
            offset,
            f"the body is {words} words, longer than a {limits.READ_MINUTES_MAX}-minute read "
            f"({limits.BODY_WORDS_MAX} words at {limits.WORDS_PER_MINUTE} words a minute)",
        )


def check_front_matter_text(
    front: LessonFrontMatter | TranslationFrontMatter,
    lined: LinedYaml,
    report: Callable[[int, str], None],
) -> None:
    """Slack's limits on the title and explanation, and the rules of a check question."""
    if len(front.title) > limits.TITLE_MAX:
        report(
            lined.line_of(("title",)),
            f"'title' is {len(front.title)} characters; a Slack header shows at most "
            f"{limits.TITLE_MAX}",
        )
    explanation = len(escape_mrkdwn(front.explanation))
    if explanation > limits.EXPLANATION_MAX:
        report(
            lined.line_of(("explanation",)),
            f"'explanation' is {explanation} characters once rendered; Slack shows at most "
            f"{limits.EXPLANATION_MAX}",
        )
    check_check(front.check, lined, report)


def check_check(check: CheckFile, lined: LinedYaml, report: Callable[[int, str], None]) -> None:
    question = len(escape_mrkdwn(check.question))
    if question > limits.SECTION_MAX:
        report(
            lined.line_of(("check", "question")),
            f"'check.question' is {question} characters once rendered; a Slack section holds "
            f"at most {limits.SECTION_MAX}",
        )
    count = len(check.options)
    if not limits.OPTIONS_MIN <= count <= limits.OPTIONS_MAX:
        report(
            lined.line_of(("check", "options")),
            f"a check needs {limits.OPTIONS_MIN} to {limits.OPTIONS_MAX} options; "
            f"this one has {count}",
        )
    seen: set[str] = set()
    for index, option in enumerate(check.options):
        line = lined.line_of(("check", "options", index))
        if option in seen:
            report(line, f"option {index + 1} repeats an earlier option: '{option}'")
        seen.add(option)
        if len(option) > limits.OPTION_MAX:
            report(
                line,
                f"option {index + 1} is {len(option)} characters; a Slack button shows at most "
                f"{limits.OPTION_MAX}",
            )
    if check.answer not in check.options:
        report(
            lined.line_of(("check", "answer")),
            "'check.answer' must be one of the options, word for word",
        )
