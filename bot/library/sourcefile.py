"""Reading content files: UTF-8 text, and a lesson's front matter split from its body.

Each fault carries the file line it sits on, because the checker's whole promise is that an
admin can jump straight to the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class FileFault(Exception):
    """A file that cannot be read as content, with the line of the fault."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class SplitLesson:
    """A lesson file cut in two; ``body_first_line`` is the file line of the body's line 1."""

    front_matter: str
    body: str
    body_first_line: int


def read_text(path: Path) -> str:
    """The file as text with ``\\n`` line ends; a BOM (from some Windows editors) is dropped."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileFault(line, "the file is not UTF-8 text; save it as UTF-8") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> SplitLesson:
    """Front matter is the YAML between a first line ``---`` and the next ``---`` line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FileFault(1, "the file must start with a '---' line that opens the front matter")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return SplitLesson(
                front_matter="\n".join(lines[1:index]),
                body="\n".join(lines[index + 1 :]),
                body_first_line=index + 2,
            )
    raise FileFault(1, "the front matter is never closed; add a '---' line after it")
