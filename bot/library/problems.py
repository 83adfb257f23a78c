"""What the checker found: problems with a file and line, and the report that sums them up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from bot.i18n import Message, Translator, translator

if TYPE_CHECKING:
    from bot.library.models import Library

Severity = Literal["error", "warning"]


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``, ``0 errors``: the CLI's English summary line (a problem's own
    counts are catalogue messages with plural forms)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True, slots=True)
class Problem:
    """One fault in one file. ``str()`` is ``path:line: message``, the path relative to the
    content directory: the report an admin sees in Slack names no server path.

    A warning's message starts with ``warning: `` so the printed line says so on its own.
    ``message`` is the English the CLI prints; ``said`` is the same message as a catalogue id
    and values, so Slack can show it in an admin's own language.
    """

    path: Path  # relative to the content directory; ``.`` for the directory itself
    line: int
    message: str
    severity: Severity = "error"
    said: Message | None = None  # None: ``message`` is shown as it is, in every language

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def in_language(self, t: Translator) -> str:
        """``path:line: message`` with the message in ``t``'s language."""
        message = self.message if self.said is None else t.say(self.said)
        return f"{self.path}:{self.line}: {message}"

    def under(self, content_dir: Path) -> str:
        """``path:line: message`` with the directory as the caller named it, so an editor or
        CI started where the CLI was can jump to the file."""
        return f"{content_dir / self.path}:{self.line}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (str(self.path), self.line, self.message)


@dataclass(frozen=True)
class CheckReport:
    """The outcome of one check: the library (only when there is no error) and every problem."""

    library: Library | None
    problems: list[Problem] = field(default_factory=list)
    skills: int = 0
    lessons: int = 0
    translations: int = 0
    questions: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when the library may go into service (warnings do not block it)."""
        return not self.errors

    def summary_line(self) -> str:
        counts = ", ".join(
            plural(count, noun)
            for count, noun in (
                (self.skills, "skill"),
                (self.lessons, "lesson"),
                (self.translations, "translation"),
                (self.questions, "question"),
            )
        )
        return (
            f"{counts}: {plural(len(self.errors), 'error')}, "
            f"{plural(len(self.warnings), 'warning')}"
        )


class ProblemSink:
    """Collects problems for one content directory; each path is kept relative to it."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self.problems: list[Problem] = []

    def relative(self, path: Path) -> Path:
        """``path`` (the content directory joined with more) as a path inside it."""
        try:
            return path.relative_to(self.content_dir)
        except ValueError:  # not under it: never show more than the name
            return Path(path.name)

    def error(self, path: Path, line: int, message: Message) -> None:
        self._add(path, line, message, "error")

    def warning(self, path: Path, line: int, message: Message) -> None:
        self._add(path, line, Message("check.warning", message=message), "warning")

    def _add(self, path: Path, line: int, said: Message, severity: Severity) -> None:
        english = translator("en").say(said)
        self.problems.append(Problem(self.relative(path), line, english, severity, said))

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: p.sort_key)
