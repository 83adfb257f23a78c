"""`/learn admin check|reload`: admins only; a broken library never replaces a working one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.localslack import LocalSlack
from tests.conftest import TEST_LIBRARY, Bot, start_bot
from tests.slack.test_learn_now_and_answer import buttons, lesson_for, wait_answered

NEW_LESSON = (
    (TEST_LIBRARY / "lessons" / "beta" / "beta-1.md").read_text().replace("beta-1", "beta-4")
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(TEST_LIBRARY, copy)
    return copy


@pytest.fixture
def admin_bot(slack: LocalSlack, database_url: str, content: Path) -> Iterator[Bot]:
    running = start_bot(slack, database_url, content_dir=content)
    yield running
    running.server.stop()
    running.pool.shutdown(wait=True)
    running.deps.store.engine.dispose()


def _admin_replies(bot: Bot, user_id: str, text: str) -> tuple[str, list[str]]:
    before = len(bot.slack.ephemerals(user_id))
    ack = bot.driver.command(user_id, text)
    assert ack.status == 200
    bot.settle()
    return ack.json()["text"], [e.text for e in bot.slack.ephemerals(user_id)[before:]]


def _blocks_text(bot: Bot, user_id: str) -> str:
    last = bot.slack.ephemerals(user_id)[-1]
    return "\n".join(b["text"]["text"] for b in last.blocks if b["type"] == "section")


@pytest.mark.parametrize("action", ["reload", "check"])
def test_a_member_may_not_use_admin_commands(admin_bot: Bot, content: Path, action: str) -> None:
    member = admin_bot.user("member")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    ack, later = _admin_replies(admin_bot, member, f"admin {action}")

    assert "Only Nudge admins may use `/learn admin`" in ack
    assert later == []
    assert "beta-4" not in admin_bot.deps.library.current.lessons


def test_an_admin_reload_picks_up_a_new_lesson(admin_bot: Bot, content: Path) -> None:
    admin = admin_bot.user("admin")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    ack, later = _admin_replies(admin_bot, admin, "admin reload")

    assert "Running `/learn admin reload`" in ack
    assert len(later) == 1 and "Library reloaded" in later[0]
    assert "3 skills, 10 lessons, 1 translations, 1 questions: 0 errors" in later[0]
    assert "beta-4" in admin_bot.deps.library.current.lessons


def test_a_broken_reload_keeps_the_last_good_library_and_shows_path_and_line(
    admin_bot: Bot, content: Path
) -> None:
    admin, member = admin_bot.user("admin"), admin_bot.user("member")
    good = admin_bot.deps.library.current
    broken = content / "lessons" / "beta" / "beta-2.md"
    broken.write_text(broken.read_text().replace("answer: The right one", "answer: Not an option"))

    _ack, later = _admin_replies(admin_bot, admin, "admin reload")

    assert len(later) == 1 and "Reload refused" in later[0]
    text = _blocks_text(admin_bot, admin)
    assert f"{content}/lessons/beta/beta-2.md:" in text
    assert "last good library stays in service" in text
    assert admin_bot.deps.library.current is good
    # The bot goes on serving lessons from the library it had.
    assert buttons(lesson_for(admin_bot, member))


def test_admin_check_reports_without_reloading(admin_bot: Bot, content: Path) -> None:
    admin = admin_bot.user("admin")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    _ack, later = _admin_replies(admin_bot, admin, "admin check")

    assert len(later) == 1 and "The library is valid" in later[0]
    assert "beta-4" not in admin_bot.deps.library.current.lessons


def test_an_admin_by_user_group_may_reload(slack: LocalSlack, database_url: str) -> None:
    group = next(g for g in slack.workspace.usergroups if g.users)
    running = start_bot(slack, database_url, admins=[group.id])
    try:
        _ack, later = _admin_replies(running, group.users[0], "admin reload")
        assert len(later) == 1 and "Library reloaded" in later[0]
        assert slack.calls_to("usergroups.users.list")
    finally:
        running.server.stop()
        running.pool.shutdown(wait=True)
        running.deps.store.engine.dispose()


def test_answers_to_a_removed_lesson_stay_in_the_history(admin_bot: Bot, content: Path) -> None:
    admin, member = admin_bot.user("admin"), admin_bot.user("member")
    message = lesson_for(admin_bot, member)
    lesson_id = next(
        iter(admin_bot.deps.store.lesson_events(_member_id(admin_bot, member)))
    ).lesson_id
    next(content.glob(f"lessons/*/{lesson_id}.md")).unlink()
    _ack, later = _admin_replies(admin_bot, admin, "admin reload")
    assert (
        "Library reloaded" in later[0] and lesson_id not in admin_bot.deps.library.current.lessons
    )

    admin_bot.driver.click(member, message, index=2)
    answered = wait_answered(admin_bot, message)

    assert (
        "Right."
        in next(b for b in answered.blocks if b.get("block_id") == "result")["text"]["text"]
    )
    workspace_id = admin_bot.deps.store.workspace_id(admin_bot.slack.team_id, admin_bot.clock())
    totals = {t.slack_user_id: t for t in admin_bot.deps.store.member_totals(workspace_id)}
    assert (totals[member].lessons, totals[member].answers, totals[member].correct) == (1, 1, 1)


def _member_id(bot: Bot, slack_user_id: str) -> int:
    workspace_id = bot.deps.store.workspace_id(bot.slack.team_id, bot.clock())
    member = bot.deps.store.member(workspace_id, slack_user_id)
    assert member is not None
    return member.id
