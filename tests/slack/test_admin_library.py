"""`/learn admin check|reload`: admins only; a broken library never replaces a working one; the
report is in the admin's own language: the English exactly as `make check` prints it, the Greek
with no English sentence left in it."""

from __future__ import annotations

import html
import io
import re
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.i18n import catalogue_ids, translator
from bot.library.cli import run_check
from bot.localslack import LocalSlack
from tests.conftest import BOT_START, TEST_LIBRARY, Bot, start_bot
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
    """The seeded admins and, last, a Greek-speaking member, so a report is read in both
    languages; the plain member who speaks English is no admin."""
    users = slack.workspace.users
    greek = next(u.id for u in users if u.locale == "el-GR" and not (u.admin or u.lead))
    admins = [*(u.id for u in users if u.admin), greek]
    running = start_bot(slack, database_url, content_dir=content, admins=admins)
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
        ":lock: Only Nudge admins may use `/learn admin`. Admins are named in the team setup "
        "(`/learn admin setup`) or the ADMINS setting."
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


# One problem of each main kind, each a small edit of the test library:
# (file, old text or None for a new file, new text).
EDITS = (
    # YAML that cannot be read
    ("questions/q-broken.yaml", None, "id: q-broken\nskill: alpha\nprompt: Say: what\n"),
    # a lesson file without front matter
    ("lessons/gamma/gamma-4.md", None, "no front matter\n"),
    # a misspelt field: unknown, with a suggestion, and so the right one is missing
    ("lessons/beta/beta-3.md", "explanation:", "explenation:"),
    # a number for an answer, counted against the options (a plural)
    ("lessons/alpha/alpha-2.md", "answer: The right one", "answer: 7"),
    # a list item of the wrong type, named by its place in the list
    ("lessons/beta/beta-2.md", "    - Another wrong one", "    - 42"),
    # a skill skills.yaml does not list
    ("lessons/gamma/gamma-3.md", "skill: gamma", "skill: epsilon"),
    # Markdown Slack cannot show
    ("lessons/gamma/gamma-1.md", "---\nThis is", "---\n## A heading\n\nThis is"),
    # a translation that does not match its original
    ("lessons/alpha/alpha-1.el.md", "    - Μια άλλη λάθος\n", ""),
    # warnings: a stale month, a stray file, a skill area with no lessons
    ("lessons/gamma/gamma-2.md", "checked: 2026-06", "checked: 2024-01"),
    ("lessons/alpha/notes.txt", None, "a note\n"),
    (
        "skills.yaml",
        "  - id: gamma",
        "  - id: delta\n    name: Delta\n    description: D.\n  - id: gamma",
    ),
)
PROBLEMS = 12  # the misspelt field gives two


def _break(content: Path) -> None:
    """The edits above, made once the bot runs (it never starts on a broken library)."""
    for name, old, new in EDITS:
        path = content / name
        if old is None:
            path.write_text(new)
        else:
            text = path.read_text()
            assert old in text, (name, old)
            path.write_text(text.replace(old, new, 1))


def _problem_lines(bot: Bot, user_id: str) -> list[str]:
    """The problem list of the admin's last `/learn admin check`, as the admin reads it."""
    reply = bot.ask(user_id, "admin check")
    sections = [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]
    fenced = next(text for text in sections if text.startswith("```"))
    return html.unescape(fenced.strip("`")).split("\n")


def _english_sentences() -> set[str]:
    """Every run of three or more words that an English catalogue message writes itself
    (not the values it fills in)."""
    english = translator("en")._translations
    runs: set[str] = set()
    for message_id in catalogue_ids("en"):
        for text in (english.gettext(message_id), english.ngettext(message_id, "", 2)):
            for literal, *_ in string.Formatter().parse(text):
                runs.update(
                    run.strip() for run in re.findall(r"[A-Za-z']+(?: [A-Za-z']+){2,}", literal)
                )
    return runs


def test_an_english_admin_sees_exactly_what_the_cli_prints(admin_bot: Bot, content: Path) -> None:
    _break(content)
    out = io.StringIO()
    run_check(content, BOT_START.date(), out)
    printed = [line.removeprefix(f"{content}/") for line in out.getvalue().splitlines()[:-1]]
    assert len(printed) == PROBLEMS

    assert _problem_lines(admin_bot, admin_bot.user("admin")) == printed
    assert (
        "lessons/beta/beta-3.md:14: unknown field 'explenation'; did you mean 'explanation'?"
        in (printed)
    )
    # The scan the Greek test relies on finds English where there is some.
    english = [run for run in _english_sentences() if run in "\n".join(printed)]
    assert len(english) > PROBLEMS


def test_a_greek_admin_sees_every_problem_in_greek(admin_bot: Bot, content: Path) -> None:
    _break(content)

    shown = _problem_lines(admin_bot, admin_bot.deps.settings.admins[-1])

    assert len(shown) == PROBLEMS
    report = "\n".join(shown)
    english = sorted(run for run in _english_sentences() if run in report)
    assert english == []
    # Path and line stay as the CLI prints them; the words around the values are Greek.
    assert (
        "lessons/beta/beta-3.md:14: άγνωστο πεδίο: 'explenation'· μήπως εννοείτε 'explanation';"
        in (shown)
    )
    assert (
        "lessons/alpha/alpha-2.md:13: 'check.answer': είναι ο αριθμός 7, αλλά η ερώτηση ελέγχου "
        "έχει 3 επιλογές· γράψτε το κείμενο της σωστής επιλογής, λέξη προς λέξη" in shown
    )
    assert (
        "skills.yaml:10: προειδοποίηση: η θεματική ενότητα 'delta' έχει 0 μαθήματα· δώστε σε κάθε "
        "θεματική ενότητα τουλάχιστον 3" in shown
    )
