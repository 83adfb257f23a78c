"""One lesson or translation file: parse it and check what can be checked without the rest.

Cross-file rules (unknown skill, duplicate ids, a translation against its original) are the
checker's; everything here needs only the file itself, so a broken file is reported completely
even when the rest of the library cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.i18n import Message
from bot.library import limits
from bot.library.freshness import check_freshness
from bot.library.mrkdwn import escape_mrkdwn, mrkdwn_blocks, pack_sections, unsupported_markdown
from bot.library.problems import ProblemSink
from bot.library.schema import LessonFrontMatter, TranslationFrontMatter
from bot.library.sourcefile import (
    ContentRoot,
    FileFault,
    SplitLesson,
    read_text,
    split_front_matter,
)
from bot.library.validation import StatedIds, stated_ids, validate
from bot.library.yamllines import KeyLines, LinedYaml, YamlFault, parse_yaml

Report = Callable[[int, Message], None]
FRONT_MATTER_FIRST_LINE = 2  # the line after the opening '---'
CROSS_CHECKED = (
    ("id",),
    ("skill",),
    ("level",),
    ("minutes",),
    ("check", "options"),
    ("check", "answer"),
    ("checked",),
    ("title",),  # and these for the pedagogy warnings (``pedagogy.warn_check``)
    ("check", "question"),
    *(("check", "options", index) for index in range(limits.OPTIONS_MAX)),
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


@dataclass(frozen=True)
class LessonRead:
    """What one file gave: its stated id and skill (originals whose YAML reads) and, when
    the whole front matter is valid, the lesson itself."""

    stated: StatedIds | None = None
    lesson: LessonFile | None = None


def read_lesson_file(
    path: Path,
    root: ContentRoot,
    folder: str,
    stem_id: str,
    locale: str | None,
    sink: ProblemSink,
    today: date,
) -> LessonRead:
    """Parse, validate and check one file, reporting every fault that can be known.

    The body is checked even when the front matter cannot be read, and the front matter's
    own rules run on whatever fields read as the right type even when others are wrong, so
    an admin fixes a file in one pass instead of one fault per check.
    """

    def report(line: int, message: Message) -> None:
        sink.error(path, line, message)

    try:
        split = split_front_matter(read_text(path, root))
    except FileFault as fault:
        report(fault.line, fault.message)
        return LessonRead()
    words_max = limits.BODY_WORDS_MAX if locale is None else limits.TRANSLATION_BODY_WORDS_MAX
    check_body(split, path, sink, words_max)
    try:
        lined = parse_yaml(split.front_matter, FRONT_MATTER_FIRST_LINE)
    except YamlFault as fault:
        report(fault.line, fault.message)
        return LessonRead()
    for readable in lined.faults:  # the data is still whole: check the rest too
        report(readable.line, readable.message)
    check_front_matter_text(lined, report)
    check_freshness(lined, path, locale is None, today, sink)
    stated = stated_ids(path, lined) if locale is None else None
    if stated is not None and not lined.data.get("sources"):
        line = lined.line_of(("sources",))
        sink.warning(path, line, Message("check.problem.no_sources"))
    # Two calls rather than one with a chosen model: each keeps its precise return type.
    front: LessonFrontMatter | TranslationFrontMatter | None = (
        validate(LessonFrontMatter, lined, report)
        if locale is None
        else validate(TranslationFrontMatter, lined, report)
    )
    if front is None:
        return LessonRead(stated)
    lesson = LessonFile(
        path,
        folder,
        stem_id,
        locale,
        lined.keep(*CROSS_CHECKED),
        front,
        split.body,
        split.body_first_line,
    )
    return LessonRead(stated, lesson)


def check_body(split: SplitLesson, path: Path, sink: ProblemSink, words_max: int) -> None:
    """Markdown Slack cannot show, blocks too long for a section, a body too long for one
    message, and a body longer than ``words_max`` (one idea in a two-minute read)."""
    offset = split.body_first_line
    if not split.body.strip():
        sink.error(path, offset - 1, Message("check.problem.no_body"))
        return
    for line, message in unsupported_markdown(split.body):
        sink.error(path, line + offset, message)
    blocks = mrkdwn_blocks(split.body)
    for block in blocks:
        if len(block.text) > limits.SECTION_MAX:
            sink.error(
                path,
                block.line + offset,
                Message(
                    "check.problem.block_too_long", length=len(block.text), most=limits.SECTION_MAX
                ),
            )
    sections = len(pack_sections([block.text for block in blocks], limits.SECTION_MAX))
    if sections > limits.BODY_SECTIONS_MAX:
        sink.error(
            path,
            offset,
            Message(
                "check.problem.body_too_many_sections",
                sections=sections,
                section_most=limits.SECTION_MAX,
                most=limits.BODY_SECTIONS_MAX,
                minutes=limits.READ_MINUTES_MAX,
            ),
        )
    words = len(split.body.split())
    if words > words_max:
        sink.warning(
            path,
            offset,
            Message("check.problem.body_too_many_words", words=words, most=words_max),
        )


def check_front_matter_text(lined: LinedYaml, report: Report) -> None:
    """Slack's limits on the title and explanation, and the rules of a check question.

    These read the raw YAML data, not the validated model, so they still run when another
    field is wrong; a field of the wrong type is skipped here (validation reports it).
    """
    data = lined.data
    if not isinstance(data, dict):
        return
    title = data.get("title")
    if isinstance(title, str) and len(title) > limits.TITLE_MAX:
        report(
            lined.line_of(("title",)),
            Message("check.problem.title_too_long", length=len(title), most=limits.TITLE_MAX),
        )
    explanation = data.get("explanation")
    if isinstance(explanation, str) and len(escape_mrkdwn(explanation)) > limits.EXPLANATION_MAX:
        report(
            lined.line_of(("explanation",)),
            Message(
                "check.problem.explanation_too_long",
                length=len(escape_mrkdwn(explanation)),
                most=limits.EXPLANATION_MAX,
            ),
        )
    if isinstance(data.get("check"), dict):
        check_check(data["check"], lined, report)


def check_check(check: dict[str, Any], lined: LinedYaml, report: Report) -> None:
    question = check.get("question")
    if isinstance(question, str) and len(escape_mrkdwn(question)) > limits.CHECK_QUESTION_MAX:
        report(
            lined.line_of(("check", "question")),
            Message(
                "check.problem.check_question_too_long",
                length=len(escape_mrkdwn(question)),
                most=limits.CHECK_QUESTION_MAX,
            ),
        )
    options = check.get("options")
    if not isinstance(options, list):
        return
    if not limits.OPTIONS_MIN <= len(options) <= limits.OPTIONS_MAX:
        report(
            lined.line_of(("check", "options")),
            Message(
                "check.problem.option_count",
                least=limits.OPTIONS_MIN,
                most=limits.OPTIONS_MAX,
                options=len(options),
            ),
        )
    seen: set[str] = set()
    for index, option in enumerate(options):
        if not isinstance(option, str):
            continue
        line = lined.line_of(("check", "options", index))
        if option in seen:
            report(line, Message("check.problem.option_repeated", number=index + 1, option=option))
        seen.add(option)
        if len(option) > limits.OPTION_MAX:
            report(
                line,
                Message(
                    "check.problem.option_too_long",
                    number=index + 1,
                    length=len(option),
                    most=limits.OPTION_MAX,
                ),
            )
    # An option YAML read as another type (yes -> True) is compared as written, so the
    # answer's check does not wait for that option to be quoted; a list or mapping in place
    # of an option has no one text, and then nothing can be said about the answer.
    written = [
        option if isinstance(option, str) else lined.text_at(("check", "options", index))
        for index, option in enumerate(options)
    ]
    answer = check.get("answer")
    if isinstance(answer, str) and None not in written and answer not in written:
        report(lined.line_of(("check", "answer")), Message("check.problem.answer_not_an_option"))
