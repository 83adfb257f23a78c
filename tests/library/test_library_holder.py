"""LibraryHolder: a failed reload keeps the library in service; a fixed one is picked up."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from library_content import TODAY, ContentDir, lesson

from bot.library import LibraryHolder, LibraryInvalid

NEW = "lessons/strategy/strategy-metrics.md"


def test_reload_keeps_the_last_good_library_then_picks_up_the_fix(content: ContentDir) -> None:
    holder = LibraryHolder(content.path, TODAY)
    good = holder.current
    assert "strategy-metrics" not in good.lessons

    content.write(NEW, lesson("strategy-metrics").replace("level: 1", "level: nine"))
    report = holder.reload(TODAY)
    assert not report.ok
    assert report.library is None
    assert [str(p) for p in report.errors] == [
        content.reported(NEW, 4, "'level' must be a whole number")
    ]
    assert holder.current is good

    content.write(NEW, lesson("strategy-metrics", level=3))
    report = holder.reload(TODAY)
    assert report.ok
    assert holder.current is report.library
    assert holder.current.lessons_in("strategy")[-1].id == "strategy-metrics"


def test_constructing_with_a_broken_directory_raises(content: ContentDir) -> None:
    content.write("skills.yaml", "skills: [")
    with pytest.raises(LibraryInvalid) as raised:
        LibraryHolder(content.path, TODAY)
    assert "1 error, 0 warnings" in str(raised.value)
    assert raised.value.report.errors[0].path == Path("skills.yaml")
    assert str(content.path) not in str(raised.value)


def test_concurrent_reloads_and_reads_always_see_a_whole_library(content: ContentDir) -> None:
    holder = LibraryHolder(content.path, TODAY)
    seen: list[int] = []

    def read() -> None:
        for _ in range(50):
            seen.append(len(holder.current.lessons))

    threads = [threading.Thread(target=holder.reload, args=(TODAY,)) for _ in range(3)]
    threads += [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert set(seen) == {6}


def test_holder_accepts_a_string_path(content: ContentDir) -> None:
    holder = LibraryHolder(Path(str(content.path)), TODAY)
    assert holder.reload(TODAY).ok
