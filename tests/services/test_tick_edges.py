"""The clock's edges: two clocks at once, an outage, pauses and away statuses, people Slack
cannot reach, a first tick."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.learning.calendars import holiday_name
from bot.learning.model import MemberProfile
from bot.services.deps import Deps
from bot.services.membership import why
from bot.services.people import Caller
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.store import tables
from bot.store.db import ensure_schema, make_engine
from bot.store.uow import Database
from tests.services.conftest import TEAM, PeopleAndDMs

MONDAY = datetime(2027, 3, 22, tzinfo=UTC)
ATHENS = "U0CHLOE001"  # the fixture's two learners, given zones here
NEW_YORK = "U0DIMI0001"


@pytest.fixture
def pair(slack: PeopleAndDMs) -> PeopleAndDMs:
    slack.workspace[ATHENS] = replace(slack.workspace[ATHENS], tz="Europe/Athens")
    slack.workspace[NEW_YORK] = replace(slack.workspace[NEW_YORK], tz="America/New_York")
    return slack


def _lessons(deps: Deps) -> list[tuple[str, date | None, str]]:
    member, delivery = tables.Member, tables.Delivery
    query = (
        select(member.slack_user_id, delivery.local_date, delivery.status)
        .join(member, member.id == delivery.member_id)
        .where(delivery.kind == "lesson")
        .order_by(member.slack_user_id, delivery.local_date)
    )
    with deps.db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]


def _start(deps: Deps, slack: PeopleAndDMs, at: datetime) -> None:
    refresh_roster(deps, slack, TEAM, at)
    run_tick(deps, slack, TEAM, at)  # the first tick: learns the time, sends nothing


def test_the_first_tick_sends_nothing_from_the_past(deps: Deps, pair: PeopleAndDMs) -> None:
    _start(deps, pair, MONDAY + timedelta(hours=20))  # after everyone's 09:30
    assert pair.posts == [] and _lessons(deps) == []


def test_an_outage_sends_late_within_grace_and_records_the_rest_as_missed(
    deps: Deps, pair: PeopleAndDMs
) -> None:
    _start(deps, pair, MONDAY)
    # Down from Monday 00:00 to 14:00 UTC: Athens' 09:30 (07:30 UTC) is 6.5 h late, past GRACE;
    # New York's 09:30 (13:30 UTC) is 30 minutes late.
    report = run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=14))
    # Monday is also the question's day: Athens missed both, New York gets both.
    assert (report.sent["lesson"], report.sent["question"], report.missed) == (1, 1, 2)
    assert _lessons(deps) == [
        (ATHENS, date(2027, 3, 22), "missed"),
        (NEW_YORK, date(2027, 3, 22), "sent"),
    ]


def test_two_clocks_ticking_at_once_send_each_lesson_once(
    database_url: str, deps: Deps, pair: PeopleAndDMs
) -> None:
    engine = make_engine(database_url)
    ensure_schema(engine, auto_upgrade=True)
    shared = replace(deps, db=Database(engine))
    _start(shared, pair, MONDAY)
    instants = [MONDAY + timedelta(hours=h) for h in range(6, 15)]  # both lesson times
    with ThreadPoolExecutor(max_workers=2) as clocks:
        for at in instants:
            list(clocks.map(lambda when: run_tick(shared, pair, TEAM, when), [at, at]))
    assert sorted(post.channel for post in pair.posts) == [ATHENS, NEW_YORK]
    assert _lessons(shared) == [
        (ATHENS, date(2027, 3, 22), "sent"),
        (NEW_YORK, date(2027, 3, 22), "sent"),
    ]
    engine.dispose()


def test_a_pause_and_an_away_status_hold_the_lessons(deps: Deps, pair: PeopleAndDMs) -> None:
    back = MONDAY + timedelta(days=2)
    pair.workspace[NEW_YORK] = replace(
        pair.workspace[NEW_YORK],
        status_emoji=":palm_tree:",
        status_expiration=int(back.timestamp()),
    )
    _start(deps, pair, MONDAY)
    with deps.uow() as uow:
        workspace_id = uow.workspaces.find(TEAM)
        assert workspace_id is not None
        uow.members.update(workspace_id, ATHENS, paused_until=date(2027, 3, 23), next_due_at=None)
        uow.commit()
    run_tick(deps, pair, TEAM, MONDAY + timedelta(minutes=1))  # reschedules Athens from now
    for hour in range(1, 24 * 4):
        run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=hour))
    # Athens paused Monday and Tuesday, and Thursday 25 March is a Greek holiday; New York is
    # away until Wednesday 00:00 UTC (Tuesday evening there).
    assert _lessons(deps) == [
        (ATHENS, date(2027, 3, 24), "sent"),
        (NEW_YORK, date(2027, 3, 24), "sent"),
        (NEW_YORK, date(2027, 3, 25), "sent"),
    ]


def test_someone_slack_cannot_reach_is_marked_and_the_others_go_on(
    deps: Deps, pair: PeopleAndDMs
) -> None:
    pair.refuse_for[ATHENS] = "account_inactive"
    _start(deps, pair, MONDAY)
    for hour in range(1, 48):
        run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=hour))
    assert _lessons(deps) == [
        (ATHENS, date(2027, 3, 22), "failed"),
        (NEW_YORK, date(2027, 3, 22), "sent"),
        (NEW_YORK, date(2027, 3, 23), "sent"),
    ]
    with deps.uow() as uow:
        workspace_id = uow.workspaces.find(TEAM)
        assert workspace_id is not None
        assert uow.members.find(workspace_id, ATHENS).unreachable == "account_inactive"  # type: ignore[union-attr]


def test_a_new_learner_is_scheduled_from_the_moment_they_are_known(
    deps: Deps, pair: PeopleAndDMs
) -> None:
    _start(deps, pair, MONDAY)
    pair.workspace["U0ADMIN001"] = MemberProfile("U0ADMIN001", "Ada", "Asia/Tokyo", "en-US")
    pair.channel.append("U0ADMIN001")
    refresh_roster(deps, pair, TEAM, MONDAY + timedelta(hours=1))  # 10:00 in Tokyo: too late
    for hour in range(1, 30):
        run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=hour))
    assert ("U0ADMIN001", date(2027, 3, 22), "sent") not in _lessons(deps)
    assert ("U0ADMIN001", date(2027, 3, 23), "sent") in _lessons(deps)


def test_several_senders_serve_a_team_at_once_and_each_once(
    database_url: str, deps: Deps, slack: PeopleAndDMs
) -> None:
    engine = make_engine(database_url)
    ensure_schema(engine, auto_upgrade=True)
    shared = replace(deps, db=Database(engine))
    slack.workspace = {
        f"U{n:09d}": MemberProfile(f"U{n:09d}", f"P{n}", "Europe/Athens", "en-US")
        for n in range(12)
    }
    slack.channel = list(slack.workspace)
    _start(shared, slack, MONDAY)
    report = run_tick(shared, slack, TEAM, MONDAY + timedelta(hours=8), senders=4)
    assert (report.sent["lesson"], report.sent["question"], report.members) == (12, 12, 12)
    assert sorted(post.channel for post in slack.posts) == sorted(slack.workspace)
    engine.dispose()


def test_a_send_cut_off_after_its_claim_is_never_sent_again(deps: Deps, pair: PeopleAndDMs) -> None:
    """The one choice: at most once. A claim whose send never finished (the process died while
    Slack was answering) is never sent again; once it is older than any send could take, it is
    resolved as "unknown" and counted as sent, once."""
    _start(deps, pair, MONDAY)
    with deps.uow() as uow:
        workspace_id = uow.workspaces.find(TEAM)
        assert workspace_id is not None
        athens = uow.members.find(workspace_id, ATHENS)
        assert athens is not None
        uow.deliveries.claim(
            athens.id,
            kind="lesson",
            local_date=date(2027, 3, 22),
            lesson_id="alpha-1",
            skill="alpha",
            locale="en",
            answer_index=1,
            now=MONDAY,
        )
        uow.commit()
    for hour in range(1, 16):  # past both 09:30s: 07:30 UTC in Athens, 13:30 in New York
        run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=hour))
    assert [post.channel for post in pair.posts] == [NEW_YORK]
    assert (ATHENS, date(2027, 3, 22), "unknown") in _lessons(deps)
    with deps.uow() as uow:
        assert list(uow.deliveries.history(athens.id).seen) == ["alpha-1"]


def test_a_lesson_slack_left_unanswered_is_unknown_at_once_and_never_sent_again(
    deps: Deps, pair: PeopleAndDMs
) -> None:
    """Slack silent past the client's timeout: the lesson may have landed. It is resolved at once
    (not left claimed for STALE_CLAIM), counted as sent, and not sent again by a later tick."""
    _start(deps, pair, MONDAY)
    pair.silent = True
    report = run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=8))  # Athens' 09:30 only
    assert (report.sent["lesson"], report.failed) == (1, 0)
    assert _lessons(deps) == [(ATHENS, date(2027, 3, 22), "unknown")]
    pair.silent = False
    for hour in range(9, 16):
        run_tick(deps, pair, TEAM, MONDAY + timedelta(hours=hour))
    assert [post.channel for post in pair.posts] == [NEW_YORK]


def test_why_names_the_public_holiday_that_moved_the_next_lesson(
    deps: Deps, pair: PeopleAndDMs
) -> None:
    refresh_roster(deps, pair, TEAM, MONDAY)
    asked = replace(deps, clock=lambda: datetime(2027, 3, 24, 12, tzinfo=UTC))  # Wednesday noon
    answer = why(asked, pair, Caller(TEAM, ATHENS))
    assert answer.next is not None and answer.next.slot is not None
    assert (answer.next.kind, answer.next.slot.local_date) == ("holiday", date(2027, 3, 26))
    assert answer.holiday == holiday_name("GR", date(2027, 3, 25)) != ""
