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

Report = Callable[[int, str], None]
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

    def report(line: int, message: str) -> None:
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
        sink.warning(path, line, "no sources; add at least one so readers can check the facts")
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
        sink.error(path, offset - 1, "the lesson has no body; write it after the closing '---'")
        return
    for line, message in unsupported_markdown(split.body):
        sink.error(path, line + offset, message)
    blocks = mrkdwn_blocks(split.body)
    for block in blocks:
        if len(block.text) > limits.SECTION_MAX:
            sink.error(
                path,
                block.line + offset,
                f"this block is {len(block.text)} characters once rendered; a Slack section "
                f"holds at most {limits.SECTION_MAX}: split it",
            )
    sections = len(pack_sections([block.text for block in blocks], limits.SECTION_MAX))
    if sections > limits.BODY_SECTIONS_MAX:
        sink.error(
            path,
            offset,
            f"the body is too long for one Slack message: it fills {sections} sections of at "
            f"most {limits.SECTION_MAX:,} characters, and a lesson has room for "
            f"{limits.BODY_SECTIONS_MAX}; shorten it (a lesson is a "
            f"{limits.READ_MINUTES_MAX}-minute read)",
        )
    words = len(split.body.split())
    if words > words_max:
        sink.warning(
            path,
            offset,
            f"the body is {words} words; a lesson is one idea in at most {words_max} words: "
            "cut it to its one idea, or split it into two lessons",
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
            f"'title' is {len(title)} characters; a Slack header shows at most {limits.TITLE_MAX}",
        )
    explanation = data.get("explanation")
    if isinstance(explanation, str) and len(escape_mrkdwn(explanation)) > limits.EXPLANATION_MAX:
        report(
            lined.line_of(("explanation",)),
            f"'explanation' is {len(escape_mrkdwn(explanation))} characters once rendered; "
            f"Slack shows at most {limits.EXPLANATION_MAX}",
        )
    if isinstance(data.get("check"), dict):
        check_check(data["check"], lined, report)


def check_check(check: dict[str, Any], lined: LinedYaml, report: Report) -> None:
    question = check.get("question")
    if isinstance(question, str) and len(escape_mrkdwn(question)) > limits.CHECK_QUESTION_MAX:
        report(
            lined.line_of(("check", "question")),
            f"'check.question' is {len(escape_mrkdwn(question))} characters once rendered; "
            f"it shares a Slack section with its label, so it may be at most "
            f"{limits.CHECK_QUESTION_MAX}",
        )
    options = check.get("options")
    if not isinstance(options, list):
        return
    if not limits.OPTIONS_MIN <= len(options) <= limits.OPTIONS_MAX:
        report(
            lined.line_of(("check", "options")),
            f"a check needs {limits.OPTIONS_MIN} to {limits.OPTIONS_MAX} options; "
            f"this one has {len(options)}",
        )
    seen: set[str] = set()
    for index, option in enumerate(options):
        if not isinstance(option, str):
            continue
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
    # An option YAML read as another type (yes -> True) is compared as written, so the
    # answer's check does not wait for that option to be quoted; a list or mapping in place
    # of an option has no one text, and then nothing can be said about the answer.
    written = [
        option if isinstance(option, str) else lined.text_at(("check", "options", index))
        for index, option in enumerate(options)
    ]
    answer = check.get("answer")
    if isinstance(answer, str) and None not in written and answer not in written:
        report(
            lined.line_of(("check", "answer")),
            "'check.answer' must be one of the options, word for word",
        )
