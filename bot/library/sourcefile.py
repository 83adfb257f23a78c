"""Reading content files: only plain files inside the content directory, within a size cap, as
UTF-8 text; and a lesson's front matter split from its body.

``content check`` and ``/learn admin reload`` read whatever an admin (or a git pull) put in
``content/``. A named pipe there would block a reload thread forever, a link to /dev/zero
would fill memory, and a link to a file elsewhere would put that file's text in the report an
admin sees in Slack. So a path is read only if it is a plain file (a link to one counts when
it ends inside the content directory), never past ``limits.FILE_BYTES_MAX``, and no message
names where a link points.

Each fault carries the file line it sits on, because the checker's whole promise is that an
admin can jump straight to the mistake.
"""

from __future__ import annotations

import enum
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from bot.i18n import Message
from bot.library import limits

# O_NONBLOCK: opening a pipe returns at once (fstat then refuses it) instead of waiting for a
# writer; O_NOFOLLOW: a link swapped in after the checks is refused, not followed.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 64 * 1024

LINK_OUTSIDE = Message("check.problem.link_outside")
LINK_BROKEN = Message("check.problem.link_broken")
LINK_LOOP = Message("check.problem.link_loop")


class FileFault(Exception):
    """A file that cannot be read as content, with the line of the fault."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message.id)
        self.line = line
        self.message = message


class Kind(enum.Enum):
    MISSING = "missing"
    FILE = "file"
    FOLDER = "folder"
    REFUSED = "refused"  # exists but may not be read: ``Found.fault`` says why


@dataclass(frozen=True)
class Found:
    """What a path under the content directory is; ``real`` is where it resolves to."""

    kind: Kind
    fault: Message | None = None
    real: Path | None = None


def unreadable(exc: OSError) -> Message:
    # The system's own words (in English) say why, as technical detail in any language.
    reason: str | Message = exc.strerror or Message("check.part.system_refused")
    return Message("check.problem.unreadable", reason=reason)


def _not_plain(mode: int) -> Message:
    if stat.S_ISFIFO(mode):
        what = Message("check.part.named_pipe")
    elif stat.S_ISSOCK(mode):
        what = Message("check.part.socket")
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = Message("check.part.device")
    else:
        what = Message("check.part.special_file")
    return Message("check.problem.not_plain_file", what=what)


def too_big(size: int) -> Message:
    return Message(
        "check.problem.file_too_big", kib=-(-size // 1024), most=limits.FILE_BYTES_MAX // 1024
    )


class ContentRoot:
    """The content directory as one check sees it: :meth:`find` says what a path is,
    :meth:`read_bytes` reads a plain file under it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._real = directory.resolve()
        self._found: dict[Path, Found] = {}  # the walk finds each file before it is read

    def find(self, path: Path) -> Found:
        """MISSING, a FILE or FOLDER that may be read, or REFUSED with the reason."""
        found = self._found.get(path)
        if found is None:
            found = self._found[path] = self._find(path)
        return found

    def _find(self, path: Path) -> Found:
        try:
            real = path.resolve(strict=True)
        except FileNotFoundError:
            return Found(Kind.REFUSED, LINK_BROKEN) if path.is_symlink() else Found(Kind.MISSING)
        except RuntimeError:  # a link loop, before Python 3.13
            return Found(Kind.REFUSED, LINK_LOOP)
        except OSError as exc:
            return Found(Kind.REFUSED, LINK_LOOP if _is_loop(exc) else unreadable(exc))
        if not real.is_relative_to(self._real):
            return Found(Kind.REFUSED, LINK_OUTSIDE)
        try:
            mode = real.stat().st_mode
        except OSError as exc:
            return Found(Kind.REFUSED, unreadable(exc))
        if stat.S_ISDIR(mode):
            return Found(Kind.FOLDER, real=real)
        if stat.S_ISREG(mode):
            return Found(Kind.FILE, real=real)
        return Found(Kind.REFUSED, _not_plain(mode))

    def read_bytes(self, path: Path) -> bytes:
        """The file's bytes; :class:`FileFault` (line 1) for anything but a plain file inside
        the content directory of at most ``limits.FILE_BYTES_MAX`` bytes."""
        found = self.find(path)
        if found.real is None or found.kind is not Kind.FILE:
            raise FileFault(1, found.fault or Message("check.problem.not_a_file"))
        try:
            descriptor = os.open(found.real, _OPEN_FLAGS)
        except OSError as exc:
            raise FileFault(1, LINK_LOOP if _is_loop(exc) else unreadable(exc)) from exc
        try:
            return _read_capped(descriptor)
        finally:
            os.close(descriptor)


def _is_loop(exc: OSError) -> bool:
    return exc.errno == getattr(os, "ELOOP", -1)


def _read_capped(descriptor: int) -> bytes:
    """Checked again on the open file, which cannot be swapped: plain, and not too big."""
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        raise FileFault(1, _not_plain(info.st_mode))
    if info.st_size > limits.FILE_BYTES_MAX:
        raise FileFault(1, too_big(info.st_size))
    chunks: list[bytes] = []
    left = limits.FILE_BYTES_MAX + 1  # one byte more tells a file that grew since fstat
    while left > 0:
        chunk = os.read(descriptor, min(left, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    data = b"".join(chunks)
    if len(data) > limits.FILE_BYTES_MAX:
        raise FileFault(1, too_big(len(data)))
    return data


@dataclass(frozen=True)
class SplitLesson:
    """A lesson file cut in two; ``body_first_line`` is the file line of the body's line 1."""

    front_matter: str
    body: str
    body_first_line: int


def read_text(path: Path, root: ContentRoot) -> str:
    """The file as text with ``\\n`` line ends; a BOM (from some Windows editors) is dropped."""
    data = root.read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileFault(line, Message("check.problem.not_utf8")) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> SplitLesson:
    """Front matter is the YAML between a first line ``---`` and the next ``---`` line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FileFault(1, Message("check.problem.no_front_matter"))
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return SplitLesson(
                front_matter="\n".join(lines[1:index]),
                body="\n".join(lines[index + 1 :]),
                body_first_line=index + 2,
            )
    raise FileFault(1, Message("check.problem.front_matter_not_closed"))
