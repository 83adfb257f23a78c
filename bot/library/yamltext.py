"""YAML lines as an author sees them: indents, where a value starts, quotes and brackets.

The helpers :mod:`bot.library.yamlerrors` uses to recognise a mistake in the text itself,
since the parser's marks often point past it.
"""

from __future__ import annotations

import re

# Optional indentation and list dashes, then an optional simple key (``title:``).
_PREFIX = re.compile(r"[ \t]*(?:-[ \t]+)*(?:[\w-]+[ \t]*:(?:[ \t]+|$))?")


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def is_item(text: str) -> bool:
    return re.match(r"[ \t]*-(?:[ \t]|$)", text) is not None


def value_start(text: str) -> int:
    match = _PREFIX.match(text)
    return match.end() if match else 0


def find_close(text: str, column: int, quote: str) -> int | None:
    """The column of the first closing ``quote`` from ``column`` on, if the line has one."""
    while column < len(text):
        char = text[column]
        if quote == '"' and char == "\\":
            column += 2
            continue
        if char == quote:
            if quote == "'" and text[column + 1 : column + 2] == "'":
                column += 2  # '' is an escaped quote inside single quotes
                continue
            return column
        column += 1
    return None


def closing_line(lines: list[str], line: int, start: int, quote: str) -> int | None:
    """The line of the quote that closes the one at (line, start); None if it never closes."""
    if find_close(lines[line], start + 1, quote) is not None:
        return line
    for later in range(line + 1, len(lines)):
        if find_close(lines[later], 0, quote) is not None:
            return later
    return None


def unclosed_bracket(text: str) -> str:
    """The innermost '[' or '{' still open at the end of ``text`` (quotes skipped), or ''."""
    stack: list[str] = []
    column = value_start(text)
    while column < len(text):
        char = text[column]
        if char in "'\"":
            end = find_close(text, column + 1, char)
            if end is None:
                break
            column = end
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
        elif char == "#" and text[column - 1 : column] in (" ", "\t"):
            break
        column += 1
    return stack[-1] if stack else ""
