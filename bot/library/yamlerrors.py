"""Plain words for YAML that cannot be read, on the line where the author's mistake starts.

PyYAML describes its own state where it gave up ("expected <block end>, but found
'<scalar>'"), which is often lines after the mistake: a quote left open on line 5 is reported
at the end of the file. Its marks are therefore only clues; each rule below looks at the text
to recognise what an author typed. libyaml (behind CSafeLoader) words the same faults
differently ("did not find expected key"), so only the stable fragments both share are
matched, and the result is the same with or without it.

All line numbers here are 0-based lines of the YAML text; the caller adds the file offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from bot.i18n import Message
from bot.library.yamltext import (
    closing_line,
    find_close,
    indent_of,
    is_item,
    unclosed_bracket,
    value_start,
)

# What YAML 1.1 accepts as printable (the reader refuses everything else).
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_KEY_LINE = re.compile(r"[ \t]*(?:-[ \t]+)?([\w-]+)[ \t]*:(?:[ \t]|$)")
_BLOCK_INDICATOR = re.compile(r"[|>][-+0-9]*$")

# Why a value may not start with each sign, as the advice after "put it in quotes" says.
_SPECIAL_STARTS = {
    "*": Message("check.part.yaml_sign_alias"),
    "&": Message("check.part.yaml_sign_anchor"),
    "!": Message("check.part.yaml_sign_type"),
    "@": Message("check.part.yaml_sign_reserved", sign="@"),
    "`": Message("check.part.yaml_sign_reserved", sign="`"),
    "%": Message("check.part.yaml_sign_reserved", sign="%"),
    "|": Message("check.part.yaml_sign_block", sign="|"),
    ">": Message("check.part.yaml_sign_block", sign=">"),
    "[": Message("check.part.yaml_sign_list", sign="["),
    "{": Message("check.part.yaml_sign_mapping", sign="{"),
    "- ": Message("check.part.yaml_sign_item"),
    "? ": Message("check.part.yaml_sign_key"),
}

TAB = Message("check.problem.yaml_tab")
UNCLOSED_QUOTE = Message("check.problem.yaml_unclosed_quote")
COLON_IN_VALUE = Message("check.problem.yaml_colon_in_value")
NO_SPACE = Message("check.problem.yaml_no_space_after_colon")
MIXED = Message("check.problem.yaml_item_and_key_mixed")
GENERIC = Message("check.problem.yaml_unreadable")


@dataclass(frozen=True)
class Diagnosis:
    line: int
    message: Message


def _no_space_after_colon(text: str) -> bool:
    """``minutes:2``: YAML reads one word, not a key and its value."""
    return re.match(r"[ \t]*(?:-[ \t]+)?[\w-]+:[^\s:]", text) is not None and ": " not in text


def control_character(text: str) -> Diagnosis | None:
    """An invisible character YAML refuses (often pasted from a word processor)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start())
    return Diagnosis(
        line, Message("check.problem.yaml_control_character", code=f"{ord(found.group()):04X}")
    )


def duplicate_key(key: str, first_line: int) -> Message:
    return Message("check.problem.yaml_duplicate_key", key=key, first_line=first_line)


def diagnose(exc: yaml.MarkedYAMLError, text: str) -> Diagnosis:
    """The line and plain words for ``exc``, raised while reading ``text``."""
    lines = text.split("\n")
    last = len(lines) - 1
    # libyaml may put the end-of-stream mark one line past the text; clamp it back inside.
    problem = min(exc.problem_mark.line, last) if exc.problem_mark else None
    column = exc.problem_mark.column if exc.problem_mark else 0
    context = min(exc.context_mark.line, last) if exc.context_mark else None
    words = f"{exc.context or ''} | {exc.problem or ''}".lower()
    at = problem if problem is not None else (context if context is not None else 0)
    found = _Rules(lines, at, column, context, words).first()
    return found or Diagnosis(at, GENERIC)


class _Rules:
    """One attempt per common mistake, most specific first; each returns None if not it."""

    def __init__(
        self, lines: list[str], at: int, column: int, context: int | None, words: str
    ) -> None:
        self.lines = lines
        self.at = at
        self.column = column
        self.context = context
        self.words = words

    def first(self) -> Diagnosis | None:
        for rule in (
            self.tab,
            self.unclosed_quote,
            self.text_after_quote,
            self.bad_escape,
            self.block_text_on_key_line,
            self.open_bracket,
            self.second_document,
            self.special_start,
            self.colon,
            self.not_a_key,
            self.indent,
        ):
            found = rule()
            if found is not None:
                return found
        return None

    def char(self, line: int, column: int) -> str:
        text = self.lines[line]
        return text[column] if column < len(text) else ""

    def tab(self) -> Diagnosis | None:
        for line in (self.at, self.context):
            if line is None:
                continue
            text = self.lines[line]
            indent = text[: len(text) - len(text.lstrip(" \t"))]
            if "\t" in indent or (line == self.at and self.char(line, self.column) == "\t"):
                return Diagnosis(line, TAB)
        return None

    def unclosed_quote(self) -> Diagnosis | None:
        line = 0
        while line <= self.at:
            start = value_start(self.lines[line])
            quote = self.char(line, start)
            if quote not in ("'", '"'):
                line += 1
                continue
            end = closing_line(self.lines, line, start, quote)
            if end == line:
                line += 1
                continue
            # A quote left open runs until the next quote mark, swallowing the keys between;
            # a deliberate multi-line quoted value would not contain key lines.
            if end is None or self._swallows_keys(line, end):
                return Diagnosis(line, UNCLOSED_QUOTE)
            line = end + 1
        if "quoted scalar" in self.words and "end of stream" in self.words:
            return Diagnosis(self.context if self.context is not None else self.at, UNCLOSED_QUOTE)
        return None

    def _swallows_keys(self, opened: int, closed: int) -> bool:
        indent = indent_of(self.lines[opened])
        return any(
            _KEY_LINE.match(text) and indent_of(text) <= indent
            for text in self.lines[opened + 1 : closed + 1]
        )

    def text_after_quote(self) -> Diagnosis | None:
        text = self.lines[self.at]
        start = value_start(text)
        quote = self.char(self.at, start)
        if quote not in ("'", '"'):
            return None
        end = find_close(text, start + 1, quote)
        if end is None or self.column <= end or not text[end + 1 :].strip():
            return None
        if quote == "'" and text[end + 1 : end + 2].isalpha():
            return Diagnosis(self.at, Message("check.problem.yaml_apostrophe"))
        return Diagnosis(self.at, Message("check.problem.yaml_text_after_quote"))

    def bad_escape(self) -> Diagnosis | None:
        if "escape" not in self.words:
            return None
        return Diagnosis(self.at, Message("check.problem.yaml_bad_escape"))

    def block_text_on_key_line(self) -> Diagnosis | None:
        if "block scalar" not in self.words or self.context is None:
            return None
        text = self.lines[self.context]
        # '>-' or '|+' is surely a block; a lone '|' or '>' is more likely text (special_start).
        indicator = re.match(r"[|>][-+1-9]+", text[value_start(text) :])
        if indicator is None:
            return None
        return Diagnosis(
            self.context,
            Message("check.problem.yaml_text_after_block_sign", sign=indicator.group()),
        )

    def open_bracket(self) -> Diagnosis | None:
        if "flow" not in self.words:
            return None
        for line in range(self.at, -1, -1):
            opener = unclosed_bracket(self.lines[line])
            if opener:
                closer = "]" if opener == "[" else "}"
                return Diagnosis(
                    line,
                    Message("check.problem.yaml_unclosed_bracket", opener=opener, closer=closer),
                )
        return None

    def special_start(self) -> Diagnosis | None:
        text = self.lines[self.at]
        start = value_start(text)
        value = text[start:]
        for sign, reason in _SPECIAL_STARTS.items():
            # '? ' or '- ' at the start of a line is YAML's own syntax, not a value's text.
            if sign.endswith(" ") and start == indent_of(text):
                continue
            if value.startswith(sign):
                return Diagnosis(
                    self.at,
                    Message("check.problem.yaml_special_start", sign=sign.strip(), reason=reason),
                )
        return None

    def colon(self) -> Diagnosis | None:
        if "mapping values" not in self.words:
            return None
        text = self.lines[self.at]
        key = _KEY_LINE.match(text)
        if key and key.end() <= self.column:
            return Diagnosis(self.at, COLON_IN_VALUE)
        before = self._previous_content_line(self.at)
        if before is not None and _no_space_after_colon(self.lines[before]):
            return Diagnosis(before, NO_SPACE)
        # One word before the colon is a key that lost its place; several are text.
        word = re.fullmatch(r"[ \t]*(?:-[ \t]+)?(\w[\w-]*)[ \t]*", text[: self.column])
        if word:
            return Diagnosis(
                self.at, Message("check.problem.yaml_key_indented_more", key=word.group(1))
            )
        return Diagnosis(self.at, Message("check.problem.yaml_colon_in_continued_value"))

    def not_a_key(self) -> Diagnosis | None:
        if "simple key" not in self.words or self.context is None:
            return None
        line = self.context
        stripped = self.lines[line].lstrip(" ")
        if re.match(r"-[^\s-]", stripped):
            return Diagnosis(line, Message("check.problem.yaml_item_without_space"))
        if _no_space_after_colon(self.lines[line]):
            return Diagnosis(line, NO_SPACE)
        before = self._previous_content_line(line)
        if before is not None:
            value = self.lines[before][value_start(self.lines[before]) :].strip()
            if _BLOCK_INDICATOR.match(value):
                return Diagnosis(line, Message("check.problem.yaml_block_not_indented", sign=value))
        return Diagnosis(line, Message("check.problem.yaml_not_key_or_item"))

    def indent(self) -> Diagnosis | None:
        text = self.lines[self.at]
        if self.column != indent_of(text) or not text.strip():
            return None
        if text.lstrip(" ").startswith(":"):
            return Diagnosis(self.at, Message("check.problem.yaml_starts_with_colon"))
        sibling = self._same_indent_line(self.at)
        item = text.lstrip(" ").startswith("-")
        if sibling is not None and is_item(self.lines[sibling]) != item:
            return Diagnosis(self.at, MIXED)
        if item:
            return Diagnosis(self.at, Message("check.problem.yaml_item_indent"))
        key = _KEY_LINE.match(text)
        if key:
            return Diagnosis(self.at, Message("check.problem.yaml_key_indent", key=key.group(1)))
        return Diagnosis(self.at, Message("check.problem.yaml_line_indent"))

    def second_document(self) -> Diagnosis | None:
        if "another document" in self.words:
            return Diagnosis(self.at, Message("check.problem.yaml_second_document"))
        if "document start" in self.words:  # a line starting with '%' reads as a directive
            for line, text in enumerate(self.lines[: self.at + 1]):
                if text.startswith("%"):
                    return Diagnosis(line, Message("check.problem.yaml_directive"))
        return None

    def _previous_content_line(self, line: int) -> int | None:
        for before in range(line - 1, -1, -1):
            stripped = self.lines[before].strip()
            if stripped and not stripped.startswith("#"):
                return before
        return None

    def _same_indent_line(self, line: int) -> int | None:
        """The nearest line above at the same indent, if no shallower line comes first."""
        indent = indent_of(self.lines[line])
        for before in range(line - 1, -1, -1):
            text = self.lines[before]
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            if indent_of(text) == indent:
                return before
            if indent_of(text) < indent:
                return None
        return None
