"""The senders' side of the clock in one process: a plan left for workers (CLOCK_SENDS=false),
sent later; a delivery whose content or token is gone is marked failed, not sent; the pace is
waited on through the injected sleep."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.sending import GONE, NO_TOKEN, Sent, send_all, send_next
from bot.services.tick import run_tick
from bot.store import tables
from tests.services.conftest import TEAM, PeopleAndDMs

MONDAY = datetime(2027, 3, 22, tzinfo=UTC)
ATHENS = "U0CHLOE001"


@pytest.fixture
def athens(slack: PeopleAndDMs) -> PeopleAndDMs:
    """One learner in Athens, whose Monday 09:30 is 07:30 UTC."""
    slack.channel = [ATHENS]
    slack.workspace[ATHENS] = replace(slack.workspace[ATHENS], tz="Europe/Athens")
    return slack


def _planned_monday(deps: Deps, slack: PeopleAndDMs) -> int:
    refresh_roster(deps, slack, TEAM, MONDAY)
    run_tick(deps, slack, TEAM, MONDAY)
    report = run_tick(deps, slack, TEAM, MONDAY + timedelta(hours=8), send=False)
    assert (report.planned, sum(report.sent.values())) == (2, 0)  # a lesson and the question
    return report.planned


def _statuses(deps: Deps) -> list[tuple[str, str, str | None]]:
    delivery = tables.Delivery
    query = select(delivery.kind, delivery.status, delivery.error).order_by(delivery.id)
    with deps.db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]


def test_a_plan_left_for_workers_is_sent_by_them_once(deps: Deps, athens: PeopleAndDMs) -> None:
    _planned_monday(deps, athens)
    assert athens.posts == [] and athens.questions == []
    waits: list[float] = []
    done = send_all(deps, lambda team: athens if team == TEAM else None, MONDAY, sleep=waits.append)
    assert done == [Sent("lesson", "sent"), Sent("question", "sent")]
    assert len(waits) == 2  # each waited for its slot of the workspace's pace
    assert [post.channel for post in athens.posts + athens.questions] == [ATHENS, f"D{ATHENS[1:]}"]
    assert send_next(deps, lambda _: athens, MONDAY) is None  # nothing twice
    assert _statuses(deps) == [("lesson", "sent", None), ("question", "sent", None)]


def test_a_workspace_without_a_token_gets_nothing_sent_and_it_is_recorded(
    deps: Deps, athens: PeopleAndDMs
) -> None:
    _planned_monday(deps, athens)
    assert len(send_all(deps, lambda _: None, MONDAY)) == 2
    assert athens.posts == [] and athens.questions == []
    assert _statuses(deps) == [("lesson", "failed", NO_TOKEN), ("question", "failed", NO_TOKEN)]


def test_a_lesson_gone_from_the_library_since_the_plan_is_failed_not_sent(
    deps: Deps, athens: PeopleAndDMs
) -> None:
    _planned_monday(deps, athens)
    with deps.db.engine.begin() as connection:
        connection.execute(
            update(tables.Delivery)
            .where(tables.Delivery.kind == "lesson")
            .values(lesson_id="removed-lesson")
        )
    assert send_all(deps, lambda _: athens, MONDAY) == [
        Sent("lesson", "failed"),
        Sent("question", "sent"),
    ]
    assert athens.posts == []
    assert _statuses(deps)[0] == ("lesson", "failed", GONE)


def test_a_reminder_is_planned_while_its_question_still_waits_for_a_sender(
    deps: Deps, athens: PeopleAndDMs
) -> None:
    """Workers far behind: Monday's question is still queued when Wednesday's reminder falls due.
    The reminder is planned all the same, and sent after the question, pointing at it."""
    _planned_monday(deps, athens)
    wednesday = run_tick(deps, athens, TEAM, MONDAY + timedelta(days=2, hours=8), send=False)
    assert wednesday.planned == 2  # Wednesday's lesson and the reminder
    done = send_all(deps, lambda _: athens, MONDAY + timedelta(days=2, hours=8))
    assert [sent.kind for sent in done] == ["lesson", "question", "lesson", "reminder"]
    question, reminder = athens.questions
    assert (question.reminder, reminder.reminder) == (False, True)
    assert reminder.delivery_id == question.delivery_id  # its Answer button answers the question
    # Tuesday had no tick: its lesson is recorded as missed, the rest sent.
    assert [status for _, status, _ in _statuses(deps)] == [
        "sent",
        "sent",
        "missed",
        "sent",
        "sent",
    ]
