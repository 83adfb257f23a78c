"""Text from the library (titles, skill names, check questions, options, explanations, weekly
questions) is shown as the author typed it: `<!channel>`, `<@U…>`, `<http://x|y>` never become a
mention or a link, and `&` stays `&`. Slack asks for &, < and > to be escaped as &amp; &lt; &gt;
in mrkdwn (https://api.slack.com/reference/surfaces/formatting#escaping)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.i18n import translator
from bot.library import CheckReport, LocalizedQuestion, Problem
from bot.localslack import LocalSlack, Message
from bot.slack.blocks.library_report import library_report_message
from bot.slack.blocks.question import answer_modal, question_message
from tests.conftest import TEST_LIBRARY, Bot, start_bot
from tests.slack.test_learn_now_and_answer import wait_answered

HOSTILE = "<!channel> <@U0ALICE001> <http://evil.example|click> R&D"
ESCAPED = "&lt;!channel&gt; &lt;@U0ALICE001&gt; &lt;http://evil.example|click&gt; R&amp;D"


def _hostile_library(root: Path) -> Path:
    """The test library with the hostile string in every field a person reads."""
    content = root / "content"
    shutil.copytree(TEST_LIBRARY, content)
    skills = content / "skills.yaml"
    skills.write_text(
        skills.read_text("utf-8").replace("name: Alpha skills", f"name: '{HOSTILE}'"), "utf-8"
    )
    for lesson in (content / "lessons").rglob("*.md"):
        text = _quoted(lesson.read_text("utf-8"), ("title: ", "  question: ", "explanation: "))
        text = text.replace("The right one", f"The right one {HOSTILE}")
        lesson.write_text(text, "utf-8")
    return content


def _quoted(text: str, fields: tuple[str, ...]) -> str:
    """Put HOSTILE before each field's value, the whole value in double quotes."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for field in fields:
            if line.startswith(field):
                lines[index] = f'{field}"{HOSTILE} {line[len(field) :].strip()}"'
    return "\n".join(lines)


@pytest.fixture
def hostile_bot(slack: LocalSlack, database_url: str, tmp_path: Path) -> Iterator[Bot]:
    running = start_bot(slack, database_url, content_dir=_hostile_library(tmp_path))
    try:
        yield running
    finally:
        running.close()


def _mrkdwn(node: Any) -> list[str]:
    """Every text Slack parses as mrkdwn in blocks or a view."""
    if isinstance(node, list):
        return [text for item in node for text in _mrkdwn(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [text for value in node.values() for text in _mrkdwn(value)]


def _assert_no_markup(texts: list[str]) -> None:
    assert texts
    for text in texts:
        assert "<!" not in text and "<@" not in text and "<http://evil" not in text, text
        assert "R&D" not in text, text


def _read(message: Message) -> list[str]:
    return [message.text, *_mrkdwn(message.blocks)]


def test_a_lesson_and_its_verdict_show_library_text_as_text(hostile_bot: Bot) -> None:
    bot, member = hostile_bot, hostile_bot.user("member")
    reply = bot.ask(member, "now")
    message = bot.slack.dm_messages(member)[0]
    _assert_no_markup([reply.text, *_mrkdwn(reply.blocks), *_read(message)])
    assert any(ESCAPED in text for text in _mrkdwn(message.blocks))

    right = next(
        e for b in message.blocks if b["type"] == "actions" for e in b["elements"]
        if "The right one" in e["text"]["text"]
    )  # fmt: skip
    bot.driver.click(member, message, value=right["value"])
    answered = wait_answered(bot, message)
    _assert_no_markup(_read(answered))
    verdict = next(b for b in answered.blocks if b.get("block_id") == "result")
    assert ESCAPED in verdict["text"]["text"]

    _assert_no_markup(_mrkdwn(bot.ask(member, "why").blocks))


def test_the_home_tab_shows_a_skill_name_as_text(hostile_bot: Bot) -> None:
    bot, member = hostile_bot, hostile_bot.user("member")
    for _ in range(3):  # one lesson from each skill area, so that alpha's name is listed
        bot.ask(member, "now")
    bot.driver.event({"type": "app_home_opened", "user": member, "tab": "home"})
    bot.settle()
    view = bot.slack.home(member)
    assert view is not None
    shown = _mrkdwn(view.blocks)
    _assert_no_markup(shown)
    assert any(ESCAPED in text for text in shown)


def test_a_weekly_question_shows_its_prompt_as_text() -> None:
    question = LocalizedQuestion(
        id="q-x", skill="x", locale="en", prompt=HOSTILE, choices=["A & B", "C"], follow_up=None
    )
    t = translator("en")
    message = question_message(t, question, HOSTILE, delivery_id=1, reminder=False)
    _assert_no_markup([message.text, *_mrkdwn(message.blocks)])
    _assert_no_markup(_mrkdwn(answer_modal(t, question, 1)["blocks"]))


def test_the_admin_report_quotes_a_files_text_as_text() -> None:
    problem = Problem(Path("skills.yaml"), 3, f"unknown field '{HOSTILE}'")
    report = CheckReport(library=None, problems=[problem], skills=1)
    message = library_report_message(translator("en"), report, action="check")
    _assert_no_markup(_mrkdwn(message.blocks)[1:])
    assert ESCAPED in _mrkdwn(message.blocks)[1]
