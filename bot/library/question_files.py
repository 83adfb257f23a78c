"""One weekly question file (content/questions/<id>.yaml): parse it and check it on its own."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.library import limits
from bot.library.models import Question, QuestionText
from bot.library.problems import ProblemSink
from bot.library.schema import QuestionFile
from bot.library.sourcefile import FileFault, read_text
from bot.library.validation import validate
from bot.library.yamllines import KeyLines, LinedYaml, YamlFault, parse_yaml

Report = Callable[[int, str], None]


@dataclass(frozen=True)
class QuestionEntry:
    path: Path
    lined: KeyLines
    question: Question


def read_question_file(path: Path, sink: ProblemSink) -> QuestionEntry | None:
    def report(line: int, message: str) -> None:
        sink.error(path, line, message)

    try:
        lined = parse_yaml(read_text(path))
    except (FileFault, YamlFault) as fault:
        report(fault.line, fault.message)
        return None
    parsed = validate(QuestionFile, lined, report)
    if parsed is None:
        return None
    stem = path.name.rsplit(".", 1)[0]
    if parsed.id != stem:
        report(
            lined.line_of(("id",)),
            f"id '{parsed.id}' differs from the file name; name the file {parsed.id}.yaml "
            f"or set id: {stem}",
        )
    _check_texts(lined, (), parsed.prompt, parsed.choices, parsed.follow_up, report)
    original_choices = len(parsed.choices or [])
    for code, text in parsed.translations.items():
        _check_texts(
            lined, ("translations", code), text.prompt, text.choices, text.follow_up, report
        )
        if text.choices is not None and len(text.choices) != original_choices:
            report(
                lined.line_of(("translations", code, "choices")),
                f"translation '{code}' has {len(text.choices)} choices but the original has "
                f"{original_choices}",
            )
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
    return QuestionEntry(path, lined.keep(("id",), ("skill",)), question)


def _check_texts(
    lined: LinedYaml,
    at: Sequence[str],
    prompt: str,
    choices: list[str] | None,
    follow_up: str | None,
    report: Report,
) -> None:
    """Slack's limits on the modal label, the select's options and the input hint."""
    where = ".".join(at) + "." if at else ""
    if len(prompt) > limits.PROMPT_MAX:
        report(
            lined.line_of((*at, "prompt")),
            f"'{where}prompt' is {len(prompt)} characters; a Slack modal label shows at most "
            f"{limits.PROMPT_MAX}",
        )
    if follow_up is not None and len(follow_up) > limits.FOLLOW_UP_MAX:
        report(
            lined.line_of((*at, "follow_up")),
            f"'{where}follow_up' is {len(follow_up)} characters; a Slack hint shows at most "
            f"{limits.FOLLOW_UP_MAX}",
        )
    if choices is None:
        return
    if not limits.CHOICES_MIN <= len(choices) <= limits.CHOICES_MAX:
        report(
            lined.line_of((*at, "choices")),
            f"'{where}choices' needs {limits.CHOICES_MIN} to {limits.CHOICES_MAX} choices; "
            f"this one has {len(choices)}",
        )
    seen: set[str] = set()
    for index, choice in enumerate(choices):
        line = lined.line_of((*at, "choices", index))
        if choice in seen:
            report(line, f"choice {index + 1} repeats an earlier choice: '{choice}'")
        seen.add(choice)
        if len(choice) > limits.CHOICE_MAX:
            report(
                line,
                f"choice {index + 1} is {len(choice)} characters; a Slack menu option shows at "
                f"most {limits.CHOICE_MAX}",
            )
