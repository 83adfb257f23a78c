"""One weekly question file (content/questions/<id>.yaml): parse it and check it on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.i18n import Message
from bot.library import limits
from bot.library.models import Question, QuestionText
from bot.library.problems import ProblemSink
from bot.library.schema import QuestionFile
from bot.library.sourcefile import ContentRoot, FileFault, read_text
from bot.library.validation import StatedIds, stated_ids, validate
from bot.library.yamllines import LinedYaml, YamlFault, parse_yaml

Report = Callable[[int, Message], None]


@dataclass(frozen=True)
class QuestionEntry:
    path: Path
    question: Question


@dataclass(frozen=True)
class QuestionRead:
    """What one file gave: its stated id and skill (when the YAML reads) and, when every
    field is valid, the question itself."""

    stated: StatedIds | None = None
    entry: QuestionEntry | None = None


def read_question_file(path: Path, root: ContentRoot, sink: ProblemSink) -> QuestionRead:
    """Parse, validate and check one file; Slack's limits run on every field that reads as
    text even when another field is wrong, so all faults show in one check."""

    def report(line: int, message: Message) -> None:
        sink.error(path, line, message)

    try:
        lined = parse_yaml(read_text(path, root))
    except (FileFault, YamlFault) as fault:
        report(fault.line, fault.message)
        return QuestionRead()
    for readable in lined.faults:  # the data is still whole: check the rest too
        report(readable.line, readable.message)
    stated = stated_ids(path, lined)
    stem = path.name.rsplit(".", 1)[0]
    if stated is not None and stated.id is not None and stated.id != stem:
        report(
            stated.id_line,
            Message("check.problem.question_id_not_file_name", id=stated.id, stem=stem),
        )
    _check_all_texts(lined, report)
    parsed = validate(QuestionFile, lined, report)
    if parsed is None:
        return QuestionRead(stated)
    question = Question(
        id=parsed.id,
        skill=parsed.skill,
        prompt=parsed.prompt,
        choices=list(parsed.choices or []),
        follow_up=parsed.follow_up,
        translations={
            code: QuestionText(text.prompt, text.choices, text.follow_up)
            for code, text in parsed.translations.items()
        },
        path=path,
    )
    return QuestionRead(stated, QuestionEntry(path, question))


def _check_all_texts(lined: LinedYaml, report: Report) -> None:
    """The original's texts and each translation's, from the raw data (see lesson_files)."""
    data = lined.data
    if not isinstance(data, dict):
        return
    _check_texts(lined, (), data, report)
    choices = data.get("choices")
    # Original choices that are not a list are reported by validation; a count compared
    # with them would only add a wrong second fault.
    original = len(choices or []) if isinstance(choices, list | None) else None
    translations = data.get("translations")
    if not isinstance(translations, dict):
        return
    for code, text in translations.items():
        if not isinstance(text, dict):
            continue
        _check_texts(lined, ("translations", str(code)), text, report)
        choices = text.get("choices")
        if isinstance(choices, list) and original is not None and len(choices) != original:
            report(
                lined.line_of(("translations", str(code), "choices")),
                Message(
                    "check.problem.translation_choice_count",
                    code=str(code),
                    choices=Message("check.part.choices", count=len(choices)),
                    original=original,
                ),
            )


def _check_texts(lined: LinedYaml, at: Sequence[str], data: dict[str, Any], report: Report) -> None:
    """Slack's limits on the modal label, the select's options and the input hint."""
    where = ".".join(at) + "." if at else ""  # 'translations.el.prompt' or 'prompt'
    prompt = data.get("prompt")
    if isinstance(prompt, str) and len(prompt) > limits.PROMPT_MAX:
        report(
            lined.line_of((*at, "prompt")),
            Message(
                "check.problem.prompt_too_long",
                field=f"{where}prompt",
                length=len(prompt),
                most=limits.PROMPT_MAX,
            ),
        )
    follow_up = data.get("follow_up")
    if isinstance(follow_up, str) and len(follow_up) > limits.FOLLOW_UP_MAX:
        report(
            lined.line_of((*at, "follow_up")),
            Message(
                "check.problem.follow_up_too_long",
                field=f"{where}follow_up",
                length=len(follow_up),
                most=limits.FOLLOW_UP_MAX,
            ),
        )
    choices = data.get("choices")
    if not isinstance(choices, list):
        return
    if not limits.CHOICES_MIN <= len(choices) <= limits.CHOICES_MAX:
        report(
            lined.line_of((*at, "choices")),
            Message(
                "check.problem.choice_count",
                field=f"{where}choices",
                least=limits.CHOICES_MIN,
                most=limits.CHOICES_MAX,
                choices=len(choices),
            ),
        )
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        if not isinstance(choice, str):
            continue  # validation reports it
        line = lined.line_of((*at, "choices", index))
        if choice in seen:
            report(line, Message("check.problem.choice_repeated", number=index + 1, choice=choice))
        seen.add(choice)
        if len(choice) > limits.CHOICE_MAX:
            report(
                line,
                Message(
                    "check.problem.choice_too_long",
                    number=index + 1,
                    length=len(choice),
                    most=limits.CHOICE_MAX,
                ),
            )
