"""Only plain files inside the content directory are read, never past the size cap.

A named pipe would block a check (and every reload thread) forever, a link to /dev/zero
would fill memory, a link out of content/ would put another file's text (or a listing of
/) in the report an admin sees in Slack. No test here can hang, even on a checker that
reads a pipe: each pipe has a writer that the test itself releases.
"""

from __future__ import annotations

import contextlib
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from library_content import TODAY, ContentDir, lesson

from bot.i18n import translator
from bot.library import check_library, limits
from bot.slack.blocks.library_report import library_report_message

OUTSIDE = (
    "a link to a place outside the content directory: only files inside it are read; "
    "put a copy here instead of the link"
)
PIPE = "a named pipe (FIFO), not a plain file: only plain files are read; remove it"
QUESTION_PAD = "questions/q-padded.yaml"


def problems(content: ContentDir) -> list[str]:
    code, lines = content.check()
    assert code == 1, lines
    return lines[:-1]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path the checker opens with os.open."""
    paths: list[str] = []
    real_open = os.open

    def recording(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        paths.append(str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording)
    return paths


@pytest.fixture
def bytes_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The size of every os.read the checker makes."""
    sizes: list[int] = []
    real_read = os.read

    def counting(descriptor: int, size: int) -> bytes:
        data = real_read(descriptor, size)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counting)
    return sizes


@contextlib.contextmanager
def _pipe_with_a_writer(path: Path, text: str) -> Iterator[None]:
    """A FIFO whose writer thread gives ``text`` to whoever opens it, then is released."""
    os.mkfifo(path)

    def write() -> None:
        try:
            with open(path, "w", encoding="utf-8") as pipe:
                pipe.write(text)
        except OSError:
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    yield
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # lets a writer still waiting go on
    writer.join()
    os.close(reader)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_not_read(content: ContentDir) -> None:
    path = content.path / "lessons/strategy/strategy-pipe.md"
    with _pipe_with_a_writer(path, lesson("strategy-pipe")):
        assert problems(content) == [content.at("lessons/strategy/strategy-pipe.md", 1, PIPE)]


def test_a_socket_is_refused(content: ContentDir, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(content.path / "questions")  # a socket's path must be short
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("q-socket.yaml")
        assert problems(content) == [
            content.at(
                "questions/q-socket.yaml",
                1,
                "a socket, not a plain file: only plain files are read; remove it",
            )
        ]


def test_a_device_is_refused(content: ContentDir) -> None:
    path = content.path / "lessons/strategy/strategy-null.md"
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, AttributeError):
        pytest.skip("creating a device needs privileges")
    assert problems(content) == [
        content.at(
            "lessons/strategy/strategy-null.md",
            1,
            "a device, not a plain file: only plain files are read; remove it",
        )
    ]


def test_a_link_to_a_device_outside_is_refused_without_opening_it(
    content: ContentDir, opened: list[str]
) -> None:
    (content.path / "lessons/strategy/strategy-null.md").symlink_to(os.devnull)
    assert problems(content) == [content.at("lessons/strategy/strategy-null.md", 1, OUTSIDE)]
    assert not [path for path in opened if not path.startswith(str(content.path.resolve()))]


def test_a_link_to_a_file_outside_shows_nothing_of_it(content: ContentDir, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("database_password: hunter2\n", "utf-8")
    (content.path / "questions/q-secret.yaml").symlink_to(secret)
    code, lines = content.check()
    assert code == 1
    assert lines[:-1] == [content.at("questions/q-secret.yaml", 1, OUTSIDE)]
    assert not [line for line in lines if "password" in line or str(secret) in line]


def test_a_link_to_a_folder_outside_is_not_listed(content: ContentDir, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "etc").mkdir(parents=True)
    (outside / "passwd").write_text("root:x:0:0\n", "utf-8")
    (content.path / "lessons/root").symlink_to(outside)
    assert problems(content) == [content.at("lessons/root", 1, OUTSIDE)]


@pytest.mark.parametrize("relative", ["skills.yaml", "questions"])
def test_skills_or_questions_linked_from_outside_are_refused(
    content: ContentDir, tmp_path: Path, relative: str
) -> None:
    moved = tmp_path / "moved"
    (content.path / relative).rename(moved)
    (content.path / relative).symlink_to(moved)
    assert problems(content) == [content.at(relative, 1, OUTSIDE)]


def test_broken_links_and_link_loops_are_named(content: ContentDir) -> None:
    (content.path / "questions/q-gone.yaml").symlink_to("q-nowhere.yaml")
    (content.path / "questions/q-loop.yaml").symlink_to("q-loop.yaml")
    assert problems(content) == [
        content.at(
            "questions/q-gone.yaml",
            1,
            "a link to something that does not exist: remove the link or fix it",
        ),
        content.at("questions/q-loop.yaml", 1, "a link that leads back to itself: remove it"),
    ]


def test_links_that_stay_inside_are_followed(content: ContentDir, tmp_path: Path) -> None:
    shared = content.write("shared/strategy-extra.md", lesson("strategy-extra"))
    (content.path / "lessons/strategy/strategy-extra.md").symlink_to(shared)
    content.write("more/analytics-extra.md", lesson("analytics-extra", "analytics"))
    (content.path / "lessons/analytics-more").symlink_to(content.path / "more")
    code, lines = content.check()
    assert code == 1  # the folder's name is not the lesson's skill: proof that it was read
    assert lines[:-1] == [
        content.at(
            "lessons/analytics-more/analytics-extra.md",
            3,
            "skill 'analytics' differs from the folder 'analytics-more'; move the file to "
            "lessons/analytics/ or set skill: analytics-more",
        )
    ]
    (content.path / "lessons/analytics-more").unlink()
    linked_root = tmp_path / "content-link"
    linked_root.symlink_to(content.path)  # a deployment may reach content/ through a link
    report = check_library(linked_root, TODAY)
    assert report.ok and report.library is not None
    assert "strategy-extra" in report.library.lessons


def _padded_question(size: int) -> str:
    head = "id: q-padded\nskill: strategy\nprompt: Which network first?\n# "
    return head + "x" * (size - len(head) - 1) + "\n"


def test_a_file_at_the_size_cap_is_read_one_byte_more_is_refused(content: ContentDir) -> None:
    content.write(QUESTION_PAD, _padded_question(limits.FILE_BYTES_MAX))
    assert content.check()[0] == 0
    content.write(QUESTION_PAD, _padded_question(limits.FILE_BYTES_MAX + 1))
    assert problems(content) == [
        content.at(
            QUESTION_PAD,
            1,
            "the file is 257 KiB; a content file may be at most 256 KiB (a two-minute lesson "
            "is a few KiB): shorten it or split it",
        )
    ]


def test_a_huge_lesson_is_refused_without_reading_it(
    content: ContentDir, bytes_read: list[int]
) -> None:
    with (content.path / "lessons/strategy/strategy-huge.md").open("wb") as huge:
        huge.truncate(20 * 1024 * 1024)  # 20 MB, sparse: nothing is written
    assert problems(content) == [
        content.at(
            "lessons/strategy/strategy-huge.md",
            1,
            "the file is 20,480 KiB; a content file may be at most 256 KiB (a two-minute "
            "lesson is a few KiB): shorten it or split it",
        )
    ]
    assert sum(bytes_read) < 100_000  # the rest of the library, not one byte of the 20 MB


def test_a_file_bigger_than_it_said_is_read_no_further_than_the_cap(
    content: ContentDir, monkeypatch: pytest.MonkeyPatch, bytes_read: list[int]
) -> None:
    real_fstat = os.fstat

    def says_empty(descriptor: int) -> os.stat_result:  # as a file that is still growing
        info = real_fstat(descriptor)
        return os.stat_result((*info[:6], 0, *info[7:10]))

    monkeypatch.setattr(os, "fstat", says_empty)
    content.write(QUESTION_PAD, _padded_question(4 * limits.FILE_BYTES_MAX))
    assert problems(content) == [
        content.at(
            QUESTION_PAD,
            1,
            "the file is 257 KiB; a content file may be at most 256 KiB (a two-minute lesson "
            "is a few KiB): shorten it or split it",
        )
    ]
    assert max(bytes_read) <= limits.FILE_BYTES_MAX + 1


def test_the_slack_report_names_paths_inside_content_only(content: ContentDir) -> None:
    content.write("lessons/strategy/strategy-goal.md", lesson("strategy-goal", level=9))
    report = check_library(content.path, TODAY)
    blocks = library_report_message(translator("en"), report, action="reload").blocks
    shown = blocks[-1]["text"]["text"]
    assert shown == ("```lessons/strategy/strategy-goal.md:4: 'level' must be at most 3```")
    assert str(content.path) not in str(blocks)
