"""Another process holds SQLite's write lock (a backup, `sqlite3 nudge.db` left in a transaction):
every request is still acknowledged at once, and what each person is told matches what is stored.

The lock is taken from a separate sqlite3 connection on the bot's own file. DATABASE_BUSY_TIMEOUT
is made small so that the work gives up while the lock is still held; no test waits on a clock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.localslack import LocalSlack
from bot.store import tables
from tests.conftest import Bot, start_bot
from tests.slack.test_acks_never_wait import _health
from tests.slack.test_learn_now_and_answer import _count, buttons, current, lesson_for

NOT_SAVED = (
    ":hourglass_flowing_sand: Nudge's database is busy, so nothing was saved. Please try again in "
    "a minute."
)
NOT_SAVED_EL = (
    ":hourglass_flowing_sand: Η βάση δεδομένων του Nudge είναι απασχολημένη, οπότε δεν "
    "αποθηκεύτηκε τίποτα. Δοκιμάστε ξανά σε ένα λεπτό."
)


@contextmanager
def write_locked(database: Path) -> Iterator[None]:
    """Hold SQLite's write lock on `database` from another connection for the block."""
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def _bot(slack: LocalSlack, tmp_path: Path, **overrides: float) -> tuple[Bot, Path]:
    database = tmp_path / "nudge.db"
    return start_bot(slack, f"sqlite:///{database}", **overrides), database


@pytest.fixture
def impatient(slack: LocalSlack, tmp_path: Path) -> Iterator[tuple[Bot, Path]]:
    """A bot whose writes give up on a lock after a moment (the test holds it far longer)."""
    running, database = _bot(slack, tmp_path, database_busy_timeout=0.05)
    try:
        yield running, database
    finally:
        running.close()


def test_a_lock_held_past_the_busy_timeout_answers_every_request_and_stores_nothing(
    impatient: tuple[Bot, Path],
) -> None:
    bot, database = impatient
    askers = bot.learners()[:6]
    clicker, helped = askers[0], askers[1]
    # Each has had a lesson, so Nudge knows them and answers in their language.
    lesson, *_ = [lesson_for(bot, user) for user in askers]
    help_text = bot.ask(helped, "help").text
    told = {user: len(bot.slack.ephemerals(user)) for user in askers}

    with write_locked(database):
        acks = [bot.driver.command(user, "now") for user in askers]
        acks.append(bot.driver.click(clicker, lesson, index=2))
        acks.append(bot.driver.command(helped, "help"))
        assert [(ack.status, ack.body) for ack in acks] == [(200, "")] * 8
        bot.settle()  # the work gave up while the lock was still held
        assert _health(bot) == (503, "unavailable: the database is locked")

    replies = {user: [e.text for e in bot.slack.ephemerals(user)[told[user] :]] for user in askers}
    busy = {
        u: NOT_SAVED_EL if bot.slack.user(u).locale.startswith("el") else NOT_SAVED for u in askers
    }
    assert replies == {
        user: [busy[user]] * (2 if user == clicker else 1) + ([help_text] if user == helped else [])
        for user in askers
    }
    # Told "nothing was saved", and nothing was: no new delivery or DM, no response.
    assert (_count(bot, tables.Delivery), _count(bot, tables.Response)) == (6, 0)
    assert [len(bot.slack.dm_messages(user)) for user in askers] == [1] * 6
    assert buttons(current(bot, lesson)), "the lesson is still open to answer"
    assert _health(bot) == (200, "ok")


def test_a_lock_released_within_the_busy_timeout_loses_nothing(
    slack: LocalSlack, tmp_path: Path
) -> None:
    """The usual DATABASE_BUSY_TIMEOUT (30 s): the work waits for the lock and then does it all.
    /healthz says "locked" meanwhile without waiting those 30 s itself."""
    bot, database = _bot(slack, tmp_path)
    try:
        askers = bot.learners()[:6]
        clicker, helped = askers[0], askers[1]
        lesson = lesson_for(bot, clicker)
        help_text = bot.ask(helped, "help").text
        told = {user: len(bot.slack.ephemerals(user)) for user in askers}

        with write_locked(database):
            acks = [bot.driver.command(user, "now") for user in askers]
            acks.append(bot.driver.click(clicker, lesson, index=2))
            acks.append(bot.driver.command(helped, "help"))
            assert [(ack.status, ack.body) for ack in acks] == [(200, "")] * 8
            assert _health(bot) == (503, "unavailable: the database is locked")
        bot.settle()

        replies = {u: [e.text for e in bot.slack.ephemerals(u)[told[u] :]] for u in askers}
        sent = {u: sum(r.startswith(":mailbox_with_mail:") for r in replies[u]) for u in askers}
        assert sent == dict.fromkeys(askers, 1), replies
        assert help_text in replies[helped]
        # Every lesson acknowledged is delivered once; the answer acknowledged is stored.
        assert [len(bot.slack.dm_messages(user)) for user in askers] == [2] + [1] * 5
        assert (_count(bot, tables.Delivery), _count(bot, tables.Response)) == (7, 1)
        assert not buttons(current(bot, lesson))
    finally:
        bot.close()


def test_a_lock_taken_while_a_lesson_is_posted_still_says_it_was_sent(
    impatient: tuple[Bot, Path],
) -> None:
    """The claim committed and Slack posted the lesson, but the lock keeps Nudge from marking it
    sent: the member is told the truth (it is in their DMs), the claim stays (the clock resolves
    it as delivered, once), and the lesson can be answered."""
    bot, database = impatient
    member = bot.user("member")
    with bot.slack.hold("chat.postMessage") as held:
        ack = bot.driver.command(member, "now")
        held.wait_until_waiting()
        with write_locked(database):
            held.release()
            bot.settle()

    assert (ack.status, ack.body) == (200, "")
    (lesson,) = bot.slack.dm_messages(member)
    title = lesson.blocks[0]["text"]["text"]
    reply = bot.slack.ephemerals(member)[-1].text
    assert reply == f":mailbox_with_mail: Your lesson *{title}* is in your DMs with Nudge."
    assert [row.status for row in _deliveries(bot)] == ["claimed"]
    bot.driver.click(member, lesson, index=2)
    bot.settle()
    assert _count(bot, tables.Response) == 1


def _deliveries(bot: Bot) -> list[tables.Delivery]:
    with Session(bot.deps.db.engine) as session:
        return list(session.scalars(select(tables.Delivery)))
