"""`/learn admin check` shows the content checker's problems in the admin's own language: the
English exactly as `make check` prints it, the Greek with no English sentence left in it."""

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


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(TEST_LIBRARY, copy)
    return copy


@pytest.fixture
def admin_bot(slack: LocalSlack, database_url: str, content: Path) -> Iterator[Bot]:
    """Started on the good library (a bot never starts on a broken one), which then breaks."""
    users = slack.workspace.users
    admins = [next(u for u in users if u.admin), next(u for u in users if u.locale == "el-GR")]
    running = start_bot(slack, database_url, content_dir=content, admins=[u.id for u in admins])
    for name, old, new in EDITS:
        path = content / name
        if old is None:
            path.write_text(new)
        else:
            text = path.read_text()
            assert old in text, (name, old)
            path.write_text(text.replace(old, new, 1))
    yield running
    running.close()


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
    greek_admin = next(u.id for u in admin_bot.slack.workspace.users if u.locale == "el-GR")

    shown = _problem_lines(admin_bot, greek_admin)

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


def test_every_problem_reads_differently_in_greek() -> None:
    """A Greek entry copied from English would pass the parity tests and still be English."""
    same = sorted(
        message_id
        for message_id in catalogue_ids("en")
        if message_id.startswith("check.")
        and translator("en")._translations.gettext(message_id)
        == translator("el")._translations.gettext(message_id)
    )
    # Nothing but values and punctuation: `{name}: {detail}` and the like.
    assert same == ["check.problem.field_detail"]
