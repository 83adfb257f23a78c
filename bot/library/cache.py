"""The checked library kept between starts, so that a restart with unchanged content does not read,
parse and check every file again (most of what `web` did before its first `/healthz`).

The cache is keyed by everything the check's outcome depends on: every path and byte under the
content directory, the day the ``checked:`` months are dated against, the source of
``bot/library`` itself (what a new version of Nudge changes in the check; an edited checker in a
working copy checks again too), the packages the checker relies on as installed, and the Python
version (the pickle's format). Anything changed means a full check, and a library with
errors is never cached, so start-up still refuses a broken library. Only a check with no error is
written, and only where nobody else can write: the file is a pickle, so it is read only when this
user owns it and no one else may write it or its folder.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
from datetime import date
from pathlib import Path

from bot.library import limits
from bot.library.problems import CheckReport

_FORMAT = b"nudge-library-cache 1"
_CODE = Path(__file__).resolve().parent


def default_folder() -> Path:
    """`$XDG_CACHE_HOME/nudge`, else `~/.cache/nudge` (LIBRARY_CACHE empty)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nudge"


# The packages whose behaviour decides what the checker reports.
_PACKAGES = ("markdown_it", "pydantic", "pydantic_core", "yaml")


def _installed(package: str) -> str:
    """Where the package is and when it was written: an upgrade or a reinstall changes it.

    Found without importing it (the point is not to import markdown-it at start) and without
    reading installed metadata (`importlib.metadata` took 19 ms for a few packages here)."""
    spec = importlib.util.find_spec(package)
    origin = spec.origin if spec is not None and spec.origin else ""
    return f"{package} {origin} {Path(origin).stat().st_mtime_ns if origin else 0}"


def _feed_tree(digest: hashlib._Hash, root: Path) -> None:
    """Every entry under ``root`` by relative path and kind; a plain file's bytes, a link's target.

    Links are not followed (the checker reads a link only when it ends inside the folder, where
    its target is fed anyway), and a file over the checker's size cap is fed by size and time:
    the checker refuses it whatever it holds.
    """
    for folder, folders, files in os.walk(root, followlinks=False):
        folders.sort()
        for name in sorted([*folders, *files]):
            path = Path(folder, name)
            info = path.lstat()
            digest.update(b"\0" + str(path.relative_to(root)).encode("utf-8", "surrogateescape"))
            digest.update(b"\0" + str(stat.S_IFMT(info.st_mode)).encode())
            if stat.S_ISLNK(info.st_mode):
                digest.update(os.fsencode(os.readlink(path)))
            elif stat.S_ISREG(info.st_mode):
                if info.st_size > limits.FILE_BYTES_MAX:
                    digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
                else:
                    digest.update(path.read_bytes())


def library_key(content_dir: Path, today: date) -> str:
    """What a check of ``content_dir`` on ``today`` depends on, as one hash."""
    digest = hashlib.sha256(_FORMAT)
    packages = [_installed(package) for package in _PACKAGES]
    for part in (*packages, sys.version, today.isoformat(), str(content_dir.is_dir())):
        digest.update(b"\0" + part.encode())
    for source in sorted(_CODE.glob("*.py")):
        digest.update(b"\0" + source.name.encode() + b"\0" + source.read_bytes())
    _feed_tree(digest, content_dir)
    return digest.hexdigest()


def _file_for(folder: Path, content_dir: Path) -> Path:
    """One file per content folder: a changed library replaces its entry rather than adding one."""
    where = hashlib.sha256(os.fsencode(content_dir.resolve())).hexdigest()[:24]
    return folder / f"library-{where}.pickle"


def _ours(path: Path) -> bool:
    info = path.stat()
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_cached(folder: Path, content_dir: Path, key: str) -> CheckReport | None:
    """The report cached for ``key``, or None (none, another key, unsafe or unreadable)."""
    path = _file_for(folder, content_dir)
    try:
        if not (_ours(folder) and _ours(path)):
            return None
        with path.open("rb") as stream:
            stored_key, report = pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None  # no cache, or one this Nudge cannot read: check again
    if stored_key != key or not isinstance(report, CheckReport) or report.library is None:
        return None
    return report


def write_cached(folder: Path, content_dir: Path, key: str, report: CheckReport) -> None:
    """Keep a passed check for the next start; a folder that cannot be written only costs that."""
    if report.library is None:
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _ours(folder):
            return
        # Written beside and renamed: a start that reads meanwhile sees the old file or the new.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".library-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, report), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, _file_for(folder, content_dir))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
