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
    running.close()


SUMMARY_AFTER_ADDING_ONE = (
    "3 skill areas · 10 lessons · 1 translation · 1 question · 0 errors · 0 warnings"
)


def _blocks_text(bot: Bot, user_id: str) -> str:
    last = bot.slack.ephemerals(user_id)[-1]
    return "\n".join(b["text"]["text"] for b in last.blocks if b["type"] == "section")


@pytest.mark.parametrize("action", ["reload", "check"])
def test_a_member_may_not_use_admin_commands(admin_bot: Bot, content: Path, action: str) -> None:
    member = admin_bot.user("member")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    reply = admin_bot.ask(member, f"admin {action}")

    assert reply.text == (
        ":lock: Only Nudge admins may use `/learn admin`. Admins are listed in the ADMINS setting."
    )
    assert "beta-4" not in admin_bot.deps.library.current.lessons


def test_an_admin_reload_picks_up_a_new_lesson(admin_bot: Bot, content: Path) -> None:
    admin = admin_bot.user("admin")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    reply = admin_bot.ask(admin, "admin reload")

    assert reply.text == f":white_check_mark: *Library reloaded.* {SUMMARY_AFTER_ADDING_ONE}"
    assert "beta-4" in admin_bot.deps.library.current.lessons


def test_a_broken_reload_keeps_the_last_good_library_and_shows_path_and_line(
    admin_bot: Bot, content: Path
) -> None:
    admin, member = admin_bot.user("admin"), admin_bot.user("member")
    good = admin_bot.deps.library.current
    broken = content / "lessons" / "beta" / "beta-2.md"
    broken.write_text(broken.read_text().replace("answer: The right one", "answer: Not an option"))

    reply = admin_bot.ask(admin, "admin reload")

    assert reply.text.startswith(
        ":no_entry: *Reload refused.* The library has errors, so the last good library stays in "
        "service."
    )
    shown = _blocks_text(admin_bot, admin)
    assert "```lessons/beta/beta-2.md:13: 'check.answer' must be one of the options" in shown
    assert str(content) not in shown  # no server path in Slack
    assert admin_bot.deps.library.current is good
    # The bot goes on serving lessons from the library it had.
    assert buttons(lesson_for(admin_bot, member))


def test_admin_check_reports_without_reloading(admin_bot: Bot, content: Path) -> None:
    admin = admin_bot.user("admin")
    (content / "lessons" / "beta" / "beta-4.md").write_text(NEW_LESSON)

    reply = admin_bot.ask(admin, "admin check")

    assert reply.text == (
        ":white_check_mark: *The library is valid.* A reload would succeed. "
        + SUMMARY_AFTER_ADDING_ONE
    )
    assert "beta-4" not in admin_bot.deps.library.current.lessons


def test_an_admin_by_user_group_may_reload(slack: LocalSlack, database_url: str) -> None:
    group = next(g for g in slack.workspace.usergroups if g.users)
    running = start_bot(slack, database_url, admins=[group.id])
    try:
        reply = running.ask(group.users[0], "admin reload")
        # The group's first member speaks Greek, and so does Nudge to them.
        assert reply.text == (
            ":white_check_mark: *Η βιβλιοθήκη φορτώθηκε ξανά.* 3 θεματικές ενότητες · 9 μαθήματα · "
            "1 μετάφραση · 1 ερώτηση · 0 σφάλματα · 0 προειδοποιήσεις"
        )
        assert [call.args["usergroup"] for call in slack.calls_to("usergroups.users.list")] == [
            group.id
        ]
    finally:
        running.close()


def test_answers_to_a_removed_lesson_stay_in_the_history(admin_bot: Bot, content: Path) -> None:
    admin, member = admin_bot.user("admin"), admin_bot.user("member")
    message = lesson_for(admin_bot, member)
    with admin_bot.deps.uow() as uow:
        (lesson_id,) = uow.deliveries.history(_member_id(admin_bot, member)).seen
    next(content.glob(f"lessons/*/{lesson_id}.md")).unlink()
    reply = admin_bot.ask(admin, "admin reload")
    assert reply.text.startswith(":white_check_mark: *Library reloaded.*")
    assert lesson_id not in admin_bot.deps.library.current.lessons

    admin_bot.driver.click(member, message, index=2)
    answered = wait_answered(admin_bot, message)

    assert (
        "Right."
        in next(b for b in answered.blocks if b.get("block_id") == "result")["text"]["text"]
    )
    with admin_bot.deps.uow() as uow:
        workspace_id = uow.workspaces.find(admin_bot.slack.team_id)
        assert workspace_id is not None
        totals = {t.slack_user_id: t for t in uow.responses.member_totals(workspace_id)}
    assert (totals[member].lessons, totals[member].responses, totals[member].correct) == (1, 1, 1)


def _member_id(bot: Bot, slack_user_id: str) -> int:
    with bot.deps.uow() as uow:
        workspace_id = uow.workspaces.find(bot.slack.team_id)
        assert workspace_id is not None
        member = uow.members.find(workspace_id, slack_user_id)
    assert member is not None
    return member.id
