"""What an admin may write in each content file, as strict pydantic models.

``extra="forbid"`` turns a misspelt key (``explenation:``) into an error instead of a lesson
that silently lacks its explanation; ``strict=True`` stops YAML's guesses (``yes`` -> True,
``2024`` -> int) from being coerced into text nobody wrote. Cross-file rules (unknown skill,
duplicate ids, Slack limits, translations matching their original) live in the checker,
which has the whole library in view.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from bot.i18n import Message
from bot.library.locales import KNOWN_LOCALES, ORIGINAL_LOCALE

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class FieldFault(ValueError):
    """A value a validator refuses, with the message the checker reports (pydantic keeps the
    exception in the error's context)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.id)
        self.message = message


def _translation_locale(code: str) -> str:
    if code == ORIGINAL_LOCALE:
        raise FieldFault(Message("check.problem.translation_key_is_english"))
    if code not in KNOWN_LOCALES:
        raise FieldFault(
            Message(
                "check.problem.unknown_translation_key",
                code=code,
                known=tuple(sorted(KNOWN_LOCALES)),
            )
        )
    return code


MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value: object) -> date | None:
    """``"2026-05"`` as the first day of that month; None for anything else (``2025-13``,
    ``May 2025``, a date YAML read from ``2025-05-01``)."""
    found = MONTH_PATTERN.fullmatch(value) if isinstance(value, str) else None
    if found is None or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


def _month(value: Any) -> date:
    month = parse_month(value)
    if month is None:
        # As written: YAML made 2025-05-01 a date and 2025 a number, which repr would garble.
        shown = Message("check.part.empty") if value is None else f"'{value}'"
        raise FieldFault(Message("check.problem.checked_not_a_month", value=shown))
    return month


Id = Annotated[str, Field(pattern=ID_PATTERN)]
Text = Annotated[str, Field(min_length=1)]
Locale = Annotated[str, AfterValidator(_translation_locale)]
# Before, not after: YAML reads 2025-05-01 as a date and 2025 as a number, and either gets
# the same advice as a malformed month instead of pydantic's type message. None is only the
# default of an absent field (defaults are not validated); a written `checked:` is refused.
Month = Annotated[date | None, BeforeValidator(_month)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SkillTextFile(_Strict):
    name: Text
    description: Text


class SkillFile(_Strict):
    id: Id
    name: Text
    description: Text
    translations: dict[Locale, SkillTextFile] = Field(default_factory=dict)


class SkillsFile(_Strict):
    """content/skills.yaml"""

    skills: list[SkillFile]


class SourceFile(_Strict):
    title: Text
    url: Annotated[str, Field(pattern=r"^(https?://|mailto:)\S+$")] | None = None


class CheckFile(_Strict):
    question: Text
    options: list[Text]
    answer: Text


class LessonFrontMatter(_Strict):
    """The front matter of content/lessons/<skill>/<id>.md"""

    id: Id
    skill: Id
    level: Annotated[int, Field(ge=1, le=3)]
    title: Text
    minutes: Annotated[int, Field(ge=1, le=5)]
    check: CheckFile
    explanation: Text
    sources: list[SourceFile] | None = None
    checked: Month = None  # missing: a warning (the checker's), not an error


class TranslationFrontMatter(_Strict):
    """The front matter of content/lessons/<skill>/<id>.<locale>.md; ids etc. are inherited."""

    id: Id | None = None
    skill: Id | None = None
    level: Annotated[int, Field(ge=1, le=3)] | None = None
    minutes: Annotated[int, Field(ge=1, le=5)] | None = None
    checked: Month = None
    title: Text
    check: CheckFile
    explanation: Text
    sources: list[SourceFile] | None = None


class QuestionTextFile(_Strict):
    prompt: Text
    choices: list[Text] | None = None
    follow_up: Text | None = None


class QuestionFile(_Strict):
    """content/questions/<id>.yaml"""

    id: Id
    skill: Id
    prompt: Text
    choices: list[Text] | None = None
    follow_up: Text | None = None
    translations: dict[Locale, QuestionTextFile] = Field(default_factory=dict)


def field_names(*models: type[BaseModel]) -> set[str]:
    """Every key any of these models (and the models they nest) accepts, for 'did you mean'."""
    names: set[str] = set()
    pending = list(models)
    while pending:
        model = pending.pop()
        for name, info in model.model_fields.items():
            names.add(name)
            for candidate in _nested_models(info.annotation):
                if candidate not in models:
                    pending.append(candidate)
    return names


def _nested_models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found.extend(_nested_models(arg))
    return found
