"""Another process holds SQLite's write lock (a backup, `sqlite3 nudge.db` left in a transaction),
or a PostgreSQL row lock: every request is still acknowledged at once, and what each person is told
matches what is stored.

The lock is taken from a separate connection on the bot's own database. DATABASE_BUSY_TIMEOUT
is made small so that the work gives up while the lock is still held; no test waits on a clock.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.localslack import LocalSlack
from bot.store import tables
from tests.conftest import Bot, postgres_schema, start_bot
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


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="PostgreSQL's lock_timeout: set TEST_DATABASE_URL to a PostgreSQL database to run it",
)
def test_a_postgresql_row_lock_held_past_the_busy_timeout_says_busy_and_stores_nothing(
    slack: LocalSlack,
) -> None:
    """Another connection holds the members' rows FOR UPDATE (an operator's transaction left
    open): a lesson or an answer would wait for ever without PostgreSQL's lock_timeout. With it
    (DATABASE_BUSY_TIMEOUT, as SQLite's wait), each person is told "busy", and nothing is stored."""
    with postgres_schema() as url:
        bot = start_bot(slack, url, database_busy_timeout=0.05)
        holder = create_engine(url)
        try:
            clicker, asker = bot.learners()[:2]
            lesson, _ = lesson_for(bot, clicker), lesson_for(bot, asker)
            told = {user: len(bot.slack.ephemerals(user)) for user in (clicker, asker)}
            with holder.connect() as connection:
                member = tables.Member
                locked = select(member.id).where(member.slack_user_id.in_((clicker, asker)))
                assert len(connection.execute(locked.with_for_update()).all()) == 2
                acks = [
                    bot.driver.command(asker, "now"),
                    bot.driver.click(clicker, lesson, index=2),
                ]
                assert [(ack.status, ack.body) for ack in acks] == [(200, "")] * 2
                bot.settle()  # the work gave up while the lock was still held
                connection.rollback()
            replies = {u: [e.text for e in bot.slack.ephemerals(u)[told[u] :]] for u in told}
            busy = {
                u: NOT_SAVED_EL if bot.slack.user(u).locale.startswith("el") else NOT_SAVED
                for u in told
            }
            assert replies == {user: [busy[user]] for user in told}
            assert (_count(bot, tables.Delivery), _count(bot, tables.Response)) == (2, 0)
            assert [len(bot.slack.dm_messages(user)) for user in told] == [1, 1]
            assert buttons(current(bot, lesson)), "the lesson is still open to answer"
        finally:
            holder.dispose()
            bot.close()
