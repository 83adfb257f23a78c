"""Pydantic validation whose errors point at the line of the offending YAML key."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.library.schema import field_names
from bot.library.yamllines import LinedYaml

Model = TypeVar("Model", bound=BaseModel)
Report = Callable[[int, str], None]


def dotted(loc: Sequence[str | int]) -> str:
    """``("check", "options", 1)`` -> ``check.options[1]``; pydantic's ``[key]`` is dropped."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part != "[key]":
            text += f".{part}" if text else part
    return text


def validate(model: type[Model], lined: LinedYaml, report: Report) -> Model | None:
    """The validated model, or None after reporting each error at its line."""
    try:
        return model.model_validate(lined.data)
    except ValidationError as exc:
        known = sorted(field_names(model))
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            report(lined.line_of(loc), _message(error, loc, known))
        return None


def _message(error: Any, loc: tuple[str | int, ...], known: list[str]) -> str:
    name = dotted(loc)
    kind = error["type"]
    if kind == "missing":
        return f"missing required field '{name}'"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown field '{name}'{hint}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if not name:
        return "expected a mapping of fields (key: value lines)"
    ctx = error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"'{name}' must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"'{name}' must be at most {ctx.get('le')}"
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "url":
            return f"'{name}' must be a full address starting with https://"
        return f"'{name}' must use lowercase letters, digits and hyphens (e.g. plan-a-campaign)"
    expectation = _EXPECTATIONS.get(kind)
    return f"'{name}' {expectation}" if expectation else f"'{name}': {error['msg']}"


_EXPECTATIONS = {
    "string_type": "must be text; put it in quotes (YAML reads yes, no, numbers and dates "
    "as other types)",
    "string_too_short": "must not be empty",
    "int_type": "must be a whole number",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
}
