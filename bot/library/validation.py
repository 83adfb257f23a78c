"""Pydantic validation whose errors point at the line of the offending YAML key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.i18n import Message, Value
from bot.library.schema import ID_PATTERN, FieldFault, field_names
from bot.library.yamllines import LinedYaml

Model = TypeVar("Model", bound=BaseModel)
Report = Callable[[int, Message], None]


# What one item of each list is called, so a message can say "option 3" rather than "[2]".
_ITEM_NOUNS = {
    "options": "check.part.option_in",
    "choices": "check.part.choice_in",
    "sources": "check.part.source_in",
    "skills": "check.part.skill_in",
}


def describe(loc: Sequence[str | int]) -> Value:
    """A place in the file as a person names it, counting list items from 1.

    ``("title",)`` -> ``'title'``; ``("check", "options", 2)`` -> ``option 3 in
    'check.options'``; ``("sources", 0, "url")`` -> ``'url' of source 1 in 'sources'``.
    pydantic's ``[key]`` marker (a fault in a mapping's key) is dropped.
    """
    parts = [part for part in loc if part != "[key]"]
    last = max((i for i, part in enumerate(parts) if isinstance(part, int)), default=None)
    if last is None:
        return "'" + ".".join(str(part) for part in parts) + "'"
    head, number, tail = parts[:last], parts[last], parts[last + 1 :]
    assert isinstance(number, int)
    item = (
        Message(
            _ITEM_NOUNS.get(str(head[-1]), "check.part.item_in"),
            number=number + 1,
            place=describe(head),
        )
        if head
        else Message("check.part.item", number=number + 1)
    )
    if not tail:
        return item
    return Message("check.part.field_of", field=".".join(str(part) for part in tail), item=item)


@dataclass(frozen=True)
class StatedIds:
    """The id and skill a lesson or weekly question states, with their lines.

    Kept whenever the YAML reads, even if other fields are wrong, because the cross-file
    rules (file name, folder, known skill, duplicate ids) need nothing else: a file with a
    missing explanation is still told that its skill does not exist. A value that is not a
    valid id is None; its own error is reported by validation.
    """

    path: Path
    id: str | None
    id_line: int
    skill: str | None
    skill_line: int


def stated_ids(path: Path, lined: LinedYaml) -> StatedIds | None:
    data = lined.data
    if not isinstance(data, dict):
        return None
    return StatedIds(
        path,
        valid_id(data.get("id")),
        lined.line_of(("id",)),
        valid_id(data.get("skill")),
        lined.line_of(("skill",)),
    )


def valid_id(value: object) -> str | None:
    """``value`` when it is a well-formed id, else None."""
    return value if isinstance(value, str) and re.match(ID_PATTERN, value) else None


def validate(model: type[Model], lined: LinedYaml, report: Report) -> Model | None:
    """The validated model, or None after reporting each error at its line."""
    try:
        return model.model_validate(lined.data)
    except ValidationError as exc:
        known = sorted(field_names(model))
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            report(lined.line_of(loc), _message(error, loc, known, lined.data))
        return None


def _message(error: Any, loc: tuple[str | int, ...], known: list[str], data: Any) -> Message:
    name = describe(loc)
    kind = error["type"]
    if kind == "missing":
        return Message("check.problem.missing_field", name=name)
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if close:
            return Message("check.problem.unknown_field_like", name=name, like=close[0])
        return Message("check.problem.unknown_field", name=name)
    ctx = error.get("ctx") or {}
    refused = ctx.get("error")
    if kind == "value_error" and isinstance(refused, FieldFault):
        return refused.message  # the schema's own words for a value it refused
    if not loc:
        return Message("check.problem.not_a_mapping")
    if kind == "greater_than_equal":
        return Message("check.problem.at_least", name=name, least=ctx["ge"])
    if kind == "less_than_equal":
        return Message("check.problem.at_most", name=name, most=ctx["le"])
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "url":
            return Message("check.problem.not_an_address", name=name)
        return Message("check.problem.not_an_id", name=name)
    if kind == "string_type":
        return _not_text(name, loc, error.get("input"), data)
    expectation = _EXPECTATIONS.get(kind)
    if expectation:
        return Message(expectation, name=name)
    # A fault no rule above words: pydantic's own (English) description, as technical detail.
    return Message("check.problem.field_detail", name=name, detail=str(error["msg"]))


def _not_text(name: Value, loc: tuple[str | int, ...], value: Any, data: Any) -> Message:
    """Text that YAML read as something else; the likely reason decides the advice."""
    if isinstance(value, dict):
        return Message("check.problem.text_not_mapping", name=name)
    if loc[-1] == "answer" and isinstance(value, int) and not isinstance(value, bool):
        parent = _at(data, loc[:-1])
        options = parent.get("options") if isinstance(parent, dict) else None
        return _answer_number(name, value, options)
    return Message("check.problem.not_text", name=name)


def _answer_number(name: Value, number: int, options: Any) -> Message:
    """``answer: 2``: the file names the right option by its text, so say which text."""
    if not isinstance(options, list):
        return Message("check.problem.answer_is_a_number", name=name)
    # People count options from 1, so 'answer: 2' most likely means the second one.
    if 1 <= number <= len(options) and isinstance(options[number - 1], str):
        return Message(
            "check.problem.answer_is_option_number",
            name=name,
            number=number,
            option=options[number - 1],
        )
    return Message(
        "check.problem.answer_number_out_of_range",
        name=name,
        number=number,
        options=Message("check.part.options", count=len(options)),
    )


def _at(data: Any, loc: Sequence[str | int]) -> Any:
    """The raw value at ``loc`` through mappings only (enough for ``check``), else None."""
    for part in loc:
        data = data.get(part) if isinstance(data, dict) else None
    return data


# pydantic's error type -> what the field must be.
_EXPECTATIONS = {
    "string_too_short": "check.problem.empty",
    "int_type": "check.problem.not_a_whole_number",
    "list_type": "check.problem.not_a_list",
    "dict_type": "check.problem.not_fields",
    "model_type": "check.problem.not_fields",
}
