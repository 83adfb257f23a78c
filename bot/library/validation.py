"""Pydantic validation whose errors point at the line of the offending YAML key."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.library.problems import plural
from bot.library.schema import ID_PATTERN, field_names
from bot.library.yamllines import LinedYaml

Model = TypeVar("Model", bound=BaseModel)
Report = Callable[[int, str], None]


# What one item of each list is called, so a message can say "option 3" rather than "[2]".
_ITEM_NOUNS = {"options": "option", "choices": "choice", "sources": "source", "skills": "skill"}


def describe(loc: Sequence[str | int]) -> str:
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
    noun = _ITEM_NOUNS.get(str(head[-1]), "item") if head else "item"
    item = f"{noun} {number + 1} in {describe(head)}" if head else f"{noun} {number + 1}"
    return f"'{'.'.join(str(part) for part in tail)}' of {item}" if tail else item


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


def _message(error: Any, loc: tuple[str | int, ...], known: list[str], data: Any) -> str:
    name = describe(loc)
    kind = error["type"]
    if kind == "missing":
        return f"missing required field {name}"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown field {name}{hint}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if not loc:
        return "expected a mapping of fields (key: value lines)"
    ctx = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"{name} must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{name} must be at most {ctx.get('le')}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "url":
            return f"{name} must be a full address starting with https://"
        return f"{name} must use lowercase letters, digits and hyphens (e.g. plan-a-campaign)"
    if kind == "string_type":
        return _not_text(name, loc, error.get("input"), data)
    expectation = _EXPECTATIONS.get(kind)
    return f"{name} {expectation}" if expectation else f"{name}: {error['msg']}"


def _not_text(name: str, loc: tuple[str | int, ...], value: Any, data: Any) -> str:
    """Text that YAML read as something else; the likely reason decides the advice."""
    if isinstance(value, dict):
        return f"{name} must be text; put it in quotes (YAML reads a ': ' inside it as a key)"
    if loc[-1] == "answer" and isinstance(value, int) and not isinstance(value, bool):
        parent = _at(data, loc[:-1])
        options = parent.get("options") if isinstance(parent, dict) else None
        return _answer_number(name, value, options)
    return (
        f"{name} must be text; put it in quotes (YAML reads yes, no, numbers and dates as "
        "other types)"
    )


def _answer_number(name: str, number: int, options: Any) -> str:
    """``answer: 2``: the file names the right option by its text, so say which text."""
    if not isinstance(options, list):
        return f"{name} must be the text of the right option, word for word, not its number"
    # People count options from 1, so 'answer: 2' most likely means the second one.
    if 1 <= number <= len(options) and isinstance(options[number - 1], str):
        return (
            f"{name} must be the text of the right option, not its number: to pick option "
            f"{number}, write answer: {options[number - 1]}"
        )
    return (
        f"{name} is the number {number} but the check has {plural(len(options), 'option')}; "
        "write the text of the right option, word for word"
    )


def _at(data: Any, loc: Sequence[str | int]) -> Any:
    """The raw value at ``loc`` through mappings only (enough for ``check``), else None."""
    for part in loc:
        data = data.get(part) if isinstance(data, dict) else None
    return data


_EXPECTATIONS = {
    "string_too_short": "must not be empty",
    "int_type": "must be a whole number",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
}
