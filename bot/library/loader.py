"""Loading the library for service, and swapping in a new one without ever losing a good one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bot.library.cache import library_key, read_cached, write_cached
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


def check_library(content_dir: Path, today: date) -> CheckReport:
    """``bot.library.checker.check_library``, imported at the first check: the checker and its
    pydantic schemas are most of the library's import time, and a start served from the cache
    (``bot.library.cache``) checks nothing.
    """
    from bot.library import checker

    return checker.check_library(content_dir, today)


def load_library(content_dir: Path, today: date) -> Library:
    """The checked library; raises :class:`LibraryInvalid` on any error (warnings pass)."""
    library = _passed(content_dir, today).library
    assert library is not None
    return library


def _passed(content_dir: Path, today: date) -> CheckReport:
    """The check of a library with no error (warnings pass), else :class:`LibraryInvalid`."""
    report = check_library(content_dir, today)
    if report.library is None:
        raise LibraryInvalid(report)
    return report


def _started(content_dir: Path, today: date, cache: Path | None) -> CheckReport:
    """The check a start serves: the cached one when nothing it depends on changed."""
    if cache is None:
        return _passed(content_dir, today)
    key = library_key(content_dir, today)
    report = read_cached(cache, content_dir, key)
    if report is None:
        report = _passed(content_dir, today)
        write_cached(cache, content_dir, key, report)
    return report


@dataclass(frozen=True)
class LibraryState:
    """What /healthz says of the library: the one in service, and the last check of the files."""

    library: Library
    loaded_at: datetime  # when the library in service was loaded
    checked: CheckReport  # the last check: a reload that failed leaves its errors here
    checked_at: datetime
    refused: dict[str, str]  # lessons Slack refused since, with Slack's error code


def _utc_now() -> datetime:
    return datetime.now(UTC)


class LibraryHolder:
    """The library in service. ``reload`` replaces it only with one that passed the checker.

    Readers take ``current`` without locking (swapping one reference is atomic in Python);
    the lock only keeps two concurrent reloads from finishing out of order.
    """

    def __init__(
        self,
        content_dir: Path,
        today: date,
        *,
        clock: Callable[[], datetime] = _utc_now,
        cache: Path | None = None,
    ) -> None:
        """`clock` dates each load, for /healthz; `cache` is a folder that keeps the last passed
        check between starts (see ``bot.library.cache``): reloads always check the files."""
        self.content_dir = Path(content_dir)
        self._lock = threading.Lock()
        self._clock = clock
        report = _started(self.content_dir, today, cache)
        assert report.library is not None
        self._current = report.library
        self._loaded_at = self._checked_at = clock()
        self._checked = report
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
            self._checked, self._checked_at = report, self._clock()
            if report.library is not None:
                self._current = report.library
                self._loaded_at = self._checked_at
                self._refused = {}  # a new library: every lesson gets its chance again
            return report

    def state(self) -> LibraryState:
        with self._lock:
            return LibraryState(
                self._current, self._loaded_at, self._checked, self._checked_at, dict(self._refused)
            )
