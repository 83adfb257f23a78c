"""Loading the library for service, and swapping in a new one without ever losing a good one."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from bot.library.checker import check_library
from bot.library.models import Library
from bot.library.problems import CheckReport


class LibraryInvalid(Exception):
    """The content has errors; ``report`` holds every problem (with file and line)."""

    def __init__(self, report: CheckReport) -> None:
        self.report = report
        shown = "\n".join(str(p) for p in report.errors[:20])
        more = len(report.errors) - 20
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{report.summary_line()}\n{shown}{tail}")


def load_library(content_dir: Path, today: date) -> Library:
    """The checked library; raises :class:`LibraryInvalid` on any error (warnings pass)."""
    report = check_library(content_dir, today)
    if report.library is None:
        raise LibraryInvalid(report)
    return report.library


class LibraryHolder:
    """The library in service. ``reload`` replaces it only with one that passed the checker.

    Readers take ``current`` without locking (swapping one reference is atomic in Python);
    the lock only keeps two concurrent reloads from finishing out of order.
    """

    def __init__(self, content_dir: Path, today: date) -> None:
        self.content_dir = Path(content_dir)
        self._lock = threading.Lock()
        self._current = load_library(self.content_dir, today)
        # Lessons Slack refused at send time (lesson id -> Slack's error code): never chosen again
        # until the next reload, and shown to admins in `/learn admin check`.
        self._refused: dict[str, str] = {}

    @property
    def refused(self) -> dict[str, str]:
        with self._lock:
            return dict(self._refused)

    def refuse(self, lesson_id: str, code: str) -> None:
        with self._lock:
            self._refused[lesson_id] = code

    @property
    def current(self) -> Library:
        return self._current

    def reload(self, today: date) -> CheckReport:
        """Check the directory again; on success serve the new library, else keep the old."""
        with self._lock:
            report = check_library(self.content_dir, today)
            if report.library is not None:
                self._current = report.library
                self._refused = {}  # a new library: every lesson gets its chance again
            return report
