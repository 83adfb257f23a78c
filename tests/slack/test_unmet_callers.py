"""People Nudge has not met yet (no member row): spoken to in their Slack language even when the
database is locked, and asked about at users.info once for a burst of requests, not per request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.learning.model import MemberProfile
from bot.localslack import LocalSlack
from bot.slack.profiles import ProfileCache
from bot.store import tables
from tests.conftest import Bot, start_bot
from tests.slack.test_database_locked import NOT_SAVED, NOT_SAVED_EL, write_locked
from tests.slack.test_learn_now_and_answer import _count


@pytest.fixture
def impatient(slack: LocalSlack, tmp_path: Path) -> Iterator[tuple[Bot, Path]]:
    """A bot on SQLite whose writes give up on a lock after a moment."""
    database = tmp_path / "nudge.db"
    running = start_bot(slack, f"sqlite:///{database}", database_busy_timeout=0.05)
    try:
        yield running, database
    finally:
        running.close()


def test_a_greek_speaker_nudge_has_never_met_is_told_busy_in_greek(
    impatient: tuple[Bot, Path],
) -> None:
    bot, database = impatient
    greek, english = bot.user("greek"), bot.user("member")
    with write_locked(database):
        replies = {user: bot.ask(user, "now").text for user in (greek, english)}
    assert replies == {greek: NOT_SAVED_EL, english: NOT_SAVED}
    assert (_count(bot, tables.Member), _count(bot, tables.Delivery)) == (0, 0)


def _asked_about(bot: Bot, user: str) -> int:
    return sum(call.args.get("user") == user for call in bot.slack.calls_to("users.info"))


def test_an_unmet_callers_burst_of_requests_asks_users_info_once(bot: Bot) -> None:
    greek = bot.user("greek")
    answers = [bot.ask(greek, "help").text for _ in range(5)]
    assert len(set(answers)) == 1 and answers[0].startswith("Το Nudge διδάσκει"), answers
    assert _asked_about(bot, greek) == 1
    assert _count(bot, tables.Member) == 0, "help stores nobody"


def _profile(user: str, locale: str = "el-GR") -> MemberProfile:
    return MemberProfile(user, user, "Europe/Athens", locale)


def test_a_kept_profile_is_forgotten_after_its_time_and_past_the_size() -> None:
    now = [0.0]
    cache = ProfileCache(ttl=60.0, size=2, clock=lambda: now[0])
    cache.put(("t", "U1"), _profile("U1"))
    now[0] = 59.0
    assert cache.get(("t", "U1")) == _profile("U1")
    now[0] = 60.0
    assert cache.get(("t", "U1")) is None, "a minute old: Slack is asked again"
    for user in ("U1", "U2"):
        cache.put(("t", user), _profile(user))
    cache.get(("t", "U1"))  # U1 used last: U2 is the one dropped
    cache.put(("t", "U3"), _profile("U3"))
    assert [cache.get(("t", u)) is not None for u in ("U1", "U2", "U3")] == [True, False, True]
    assert cache.get(("other-token", "U1")) is None, "another workspace's token asks its own"
