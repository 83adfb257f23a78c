"""Slack's three seconds: an acknowledgement never waits behind work, and a full queue says so.

These are ordering tests, not timing tests: the local Slack holds chat.postMessage, so every thread
that posts a lesson is stuck until the test lets go, and the acknowledgements must come back anyway.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.localslack import LocalSlack
from bot.slack.context import LANGUAGE_TTL_SECONDS
from bot.store.db import HEAD_REVISION
from tests.conftest import Bot, start_bot
from tests.slack.test_learn_now_and_answer import buttons, lesson_for

BUSY = (
    ":hourglass_flowing_sand: Nudge is busy right now, so nothing was done. Please try again in a "
    "minute."
)
BUSY_EL = (
    ":hourglass_flowing_sand: Το Nudge είναι απασχολημένο αυτή τη στιγμή, οπότε δεν έγινε τίποτα. "
    "Δοκιμάστε ξανά σε ένα λεπτό."
)


@pytest.fixture
def small_bot(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    """One work thread and room for three requests: back-pressure within reach of a test."""
    running = start_bot(slack, database_url, work_threads=1, work_queue=3)
    try:
        yield running
    finally:
        running.close()


def test_help_is_acknowledged_while_every_work_thread_is_stuck_on_slack(bot: Bot) -> None:
    learners = bot.learners()
    pressed = lesson_for(bot, learners[0])
    with bot.slack.hold("chat.postMessage") as held:
        with ThreadPoolExecutor(max_workers=8) as clients:
            nows = list(clients.map(lambda user: bot.driver.command(user, "now"), learners))
            presses = list(
                clients.map(lambda i: bot.driver.click(learners[0], pressed, index=i), (1, 2, 3))
            )
        # Every work thread is now parked on chat.postMessage (five of them), the rest queue.
        held.wait_until_waiting(count=bot.deps.settings.work_threads)

        help_ack = bot.driver.command(learners[1], "help")

        assert (help_ack.status, help_ack.body) == (200, "")
        assert held.waiting == bot.deps.settings.work_threads, "no held work has finished"
        assert [(r.status, r.body) for r in nows + presses] == [(200, "")] * (len(learners) + 3)
    bot.settle()
    # Nothing acknowledged was lost: one new lesson each, one response recorded for the press.
    assert [len(bot.slack.dm_messages(user)) for user in learners] == [2] + [1] * (
        len(learners) - 1
    )
    assert not buttons(next(m for m in bot.slack.dm_messages(learners[0]) if m.ts == pressed.ts))


def test_a_full_queue_says_busy_and_everything_it_accepted_is_delivered_once(
    small_bot: Bot,
) -> None:
    learners = small_bot.learners()[:6]
    for user in learners:  # each known to Nudge, so "busy" can be said in their language
        lesson_for(small_bot, user)
    before = {user: len(small_bot.slack.dm_messages(user)) for user in learners}

    with small_bot.slack.hold("chat.postMessage") as held:
        first = small_bot.driver.command(learners[0], "now")
        held.wait_until_waiting()  # the one thread is stuck; two more may wait behind it
        rest = [small_bot.driver.command(user, "now") for user in learners[1:]]

    small_bot.settle()
    acks = [first, *rest]
    accepted = [user for user, ack in zip(learners, acks, strict=True) if ack.body == ""]
    refused = [user for user, ack in zip(learners, acks, strict=True) if ack.body != ""]
    assert accepted == learners[:3] and refused == learners[3:]
    for user, ack in zip(learners[3:], acks[3:], strict=True):
        expected = BUSY_EL if small_bot.slack.user(user).locale.startswith("el") else BUSY
        assert (ack.status, ack.json()) == (200, {"text": expected, "response_type": "ephemeral"})
    after = {user: len(small_bot.slack.dm_messages(user)) for user in learners}
    assert {user: after[user] - before[user] for user in learners} == {
        user: 1 if user in accepted else 0 for user in learners
    }


def test_a_button_pressed_while_the_queue_is_full_is_told_busy_and_records_nothing(
    small_bot: Bot,
) -> None:
    learners = small_bot.learners()[:4]
    message = lesson_for(small_bot, learners[3])
    with small_bot.slack.hold("chat.postMessage") as held:
        small_bot.driver.command(learners[0], "now")
        held.wait_until_waiting()
        small_bot.driver.command(learners[1], "now")
        small_bot.driver.command(learners[2], "now")

        press = small_bot.driver.click(learners[3], message, index=2)

        assert (press.status, press.body) == (200, "")
    small_bot.settle()
    busy = small_bot.slack.ephemerals(learners[3])[-1].text
    assert busy in (BUSY, BUSY_EL)
    assert buttons(next(m for m in small_bot.slack.dm_messages(learners[3]) if m.ts == message.ts))


def health_report(bot: Bot) -> tuple[int, dict[str, Any]]:
    """GET /healthz: its HTTP status and its JSON."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{bot.server.port}/healthz", timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def _health(bot: Bot) -> tuple[int, str]:
    """GET /healthz: its HTTP status and what its `status` says."""
    code, report = health_report(bot)
    return code, report["status"]


def test_healthz_says_busy_while_the_work_queue_is_full(small_bot: Bot) -> None:
    learners = small_bot.learners()[:3]
    assert _health(small_bot) == (200, "ok")
    with small_bot.slack.hold("chat.postMessage") as held:
        small_bot.driver.command(learners[0], "now")
        held.wait_until_waiting()
        for user in learners[1:]:
            small_bot.driver.command(user, "now")
        assert _health(small_bot) == (503, "busy: the work queue is full")
        assert health_report(small_bot)[1]["work_queue"] == {"state": "full", "pending": 3}
    small_bot.settle()
    assert _health(small_bot) == (200, "ok")
    assert health_report(small_bot)[1]["work_queue"] == {"state": "ok", "pending": 0}


def test_healthz_says_unavailable_when_the_database_does_not_answer(
    slack: LocalSlack, tmp_path: Path
) -> None:
    database = tmp_path / "nudge.db"
    running = start_bot(slack, f"sqlite:///{database}")
    try:
        running.deps.db.dispose()
        database.unlink()
        database.mkdir()  # a directory where the database file was: no connection opens
        status, report = health_report(running)
        assert (status, report["status"]) == (503, "unavailable: the database does not answer")
        assert report["database"] == {"state": "unreachable", "backend": "sqlite"}
        assert report["schema"] == {"state": "unknown", "current": None, "expected": HEAD_REVISION}
    finally:
        running.close()


def test_busy_answers_read_the_callers_language_once_and_a_change_within_a_minute(
    slack: LocalSlack, database_url: str
) -> None:
    """A full queue says "busy" to many requests at once: the caller's language is read for the
    first of them and kept LANGUAGE_TTL_SECONDS, so the next ones send no query on the request's
    thread, and a language changed since is used once that time has passed."""
    met = start_bot(slack, database_url)  # Nudge meets the caller (their first lesson)
    greek = met.user("greek")
    assert met.driver.command(greek, "now").body == ""
    met.settle()
    met.close()
    closed = start_bot(slack, database_url, work_queue=0)
    try:
        assert closed.driver.command(greek, "now").json()["text"] == BUSY_EL
        with statements_by_thread(closed) as seen:
            assert closed.driver.command(greek, "now").json()["text"] == BUSY_EL
        assert seen == []
        speaks_english(closed, greek)
        closed.clock.advance(LANGUAGE_TTL_SECONDS - 1)
        assert closed.driver.command(greek, "now").json()["text"] == BUSY_EL
        closed.clock.advance(1)
        assert closed.driver.command(greek, "now").json()["text"] == BUSY
    finally:
        closed.close()


def speaks_english(bot: Bot, user: str) -> None:
    with bot.deps.uow() as uow:
        member = uow.members.find_in_team(bot.slack.workspace.team.id, user)
        assert member is not None
        english = replace(member.settings, language="en")
        uow.members.save_settings(member.id, english, member.next_due_at)
        uow.commit()


@contextmanager
def statements_by_thread(bot: Bot) -> Iterator[list[tuple[int, str]]]:
    """Every statement that reaches the database during the block, with the thread that sent it."""
    seen: list[tuple[int, str]] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append((threading.get_ident(), statement))

    event.listen(bot.deps.db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(bot.deps.db.engine, "before_cursor_execute", note)
