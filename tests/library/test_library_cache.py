"""The checked library kept between starts: served only while nothing it depends on changed, never
for a broken library, and never from a file someone else could have written."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from library_content import TODAY, ContentDir, lesson

from bot.library import LibraryHolder, LibraryInvalid, check_library
from bot.library.cache import default_folder, library_key, read_cached, write_cached
from bot.settings import Settings

NEW = "lessons/strategy/strategy-metrics.md"


def _cached_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_a_second_start_serves_the_cached_check_of_unchanged_files(
    content: ContentDir, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    first = LibraryHolder(content.path, TODAY, cache=folder)
    [name] = _cached_files(folder)
    assert name.startswith("library-") and name.endswith(".pickle")
    # What is read back is the check's own report for this key, not a new check of the files.
    key = library_key(content.path, TODAY)
    cached = read_cached(folder, content.path, key)
    assert cached is not None and cached.library == first.current

    second = LibraryHolder(content.path, TODAY, cache=folder)
    assert second.current == first.current
    assert second.current is not first.current
    assert second.state().checked.summary_line() == first.state().checked.summary_line()


def test_a_changed_file_is_checked_again_and_a_broken_library_still_refuses_to_start(
    content: ContentDir, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    LibraryHolder(content.path, TODAY, cache=folder)

    content.write(NEW, lesson("strategy-metrics", level=3))
    assert "strategy-metrics" in LibraryHolder(content.path, TODAY, cache=folder).current.lessons

    content.write(NEW, lesson("strategy-metrics").replace("level: 1", "level: nine"))
    with pytest.raises(LibraryInvalid) as raised:
        LibraryHolder(content.path, TODAY, cache=folder)
    assert [str(p) for p in raised.value.report.errors] == [
        content.reported(NEW, 4, "'level' must be a whole number")
    ]
    # The refused check replaced nothing: the cache still holds the last passed one, under its key.
    assert len(_cached_files(folder)) == 1
    assert read_cached(folder, content.path, library_key(content.path, TODAY)) is None


def test_the_key_changes_with_a_byte_a_new_file_a_renamed_file_and_the_day(
    content: ContentDir,
) -> None:
    key = library_key(content.path, TODAY)
    assert library_key(content.path, TODAY) == key
    assert library_key(content.path, TODAY + timedelta(days=1)) != key

    content.write(NEW, lesson("strategy-metrics", level=3))
    with_new = library_key(content.path, TODAY)
    assert with_new != key
    content.write(NEW, lesson("strategy-metrics", level=2))
    assert library_key(content.path, TODAY) not in (key, with_new)
    (content.path / NEW).rename(content.path / "lessons/strategy/strategy-other.md")
    assert library_key(content.path, TODAY) not in (key, with_new)


def test_a_cache_another_user_could_write_or_that_does_not_unpickle_is_not_read(
    content: ContentDir, tmp_path: Path
) -> None:
    folder = tmp_path / "cache"
    key = library_key(content.path, TODAY)
    report = check_library(content.path, TODAY)
    write_cached(folder, content.path, key, report)
    [path] = folder.iterdir()
    assert read_cached(folder, content.path, key) is not None
    assert read_cached(folder, content.path, "another key") is None

    os.chmod(path, 0o666)
    assert read_cached(folder, content.path, key) is None
    os.chmod(path, 0o600)
    os.chmod(folder, 0o777)
    assert read_cached(folder, content.path, key) is None
    os.chmod(folder, 0o700)

    path.write_bytes(b"not a pickle")
    assert read_cached(folder, content.path, key) is None
    # A start with an unreadable cache checks the files and writes a good one over it.
    assert LibraryHolder(content.path, TODAY, cache=folder).current == report.library
    assert read_cached(folder, content.path, key) is not None


def test_a_library_with_errors_is_never_written(content: ContentDir, tmp_path: Path) -> None:
    content.write("skills.yaml", "skills: [")
    folder = tmp_path / "cache"
    report = check_library(content.path, TODAY)
    assert report.library is None
    write_cached(folder, content.path, library_key(content.path, TODAY), report)
    assert _cached_files(folder) == []
    with pytest.raises(LibraryInvalid):
        LibraryHolder(content.path, TODAY, cache=folder)
    assert _cached_files(folder) == []


def test_a_folder_that_cannot_be_written_only_costs_the_cache(
    content: ContentDir, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the cache folder would be")
    holder = LibraryHolder(content.path, TODAY, cache=blocked / "nudge")
    assert holder.current.lessons
    assert blocked.read_text() == "a file where the cache folder would be"


def test_library_cache_setting_names_a_folder_the_default_or_none(tmp_path: Path) -> None:
    assert Settings(_env_file=None, library_cache="off").library_cache_folder() is None  # type: ignore[call-arg]
    assert Settings(_env_file=None, library_cache=" OFF ").library_cache_folder() is None  # type: ignore[call-arg]
    chosen = Settings(_env_file=None, library_cache=str(tmp_path)).library_cache_folder()  # type: ignore[call-arg]
    assert chosen == tmp_path
    default = Settings(_env_file=None, library_cache="").library_cache_folder()  # type: ignore[call-arg]
    assert default == default_folder()
    assert default.name == "nudge"
