"""`request_lesson_now` and `answer_check`: what they decide and what they store."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.lessons import answer_check, request_lesson_now
from bot.store import tables
from tests.services.conftest import TEAM, PeopleAndDMs, caller


def _rows(deps: Deps, table: type[tables.Base]) -> int:
    with deps.db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0


def test_a_first_lesson_enrols_the_member_and_sends_in_their_language(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    outcome = request_lesson_now(deps, slack, caller("U0DIMI0001"))

    assert (outcome.status, outcome.language) == ("sent", "el")
    (post,) = slack.posts
    assert (post.channel, post.language) == ("U0DIMI0001", "el")
    # Only alpha-1 has a Greek translation in the test library; others come in English.
    assert post.lesson.locale == ("el" if post.lesson.id == "alpha-1" else "en")
    with deps.uow() as uow:
        history = uow.deliveries.history(1)
    assert list(history.seen) == [post.lesson.id]


def test_the_second_lesson_uses_the_stored_dm_and_asks_slack_for_nothing(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    request_lesson_now(deps, slack, caller("U0CHLOE001"))
    request_lesson_now(deps, slack, caller("U0CHLOE001"))

    assert slack.profile_reads == ["U0CHLOE001"]
    assert [post.channel for post in slack.posts] == ["U0CHLOE001", "D0CHLOE001"]
    assert slack.posts[0].lesson.skill != slack.posts[1].lesson.skill  # areas interleave


def test_a_refused_post_is_marked_failed_and_said(deps: Deps, slack: PeopleAndDMs) -> None:
    slack.refuse_with = "channel_not_found"

    outcome = request_lesson_now(deps, slack, caller("U0CHLOE001"))

    assert (outcome.status, outcome.error) == ("failed", "channel_not_found")
    with deps.db.engine.connect() as connection:
        assert connection.execute(select(tables.Delivery.status, tables.Delivery.error)).all() == [
            ("failed", "channel_not_found")
        ]


def test_a_response_is_recorded_once(deps: Deps, slack: PeopleAndDMs) -> None:
    request_lesson_now(deps, slack, caller("U0CHLOE001"))
    delivery_id = slack.posts[0].delivery_id
    right = slack.posts[0].lesson.answer_index

    first = answer_check(deps, slack, caller("U0CHLOE001"), delivery_id, right)
    second = answer_check(deps, slack, caller("U0CHLOE001"), delivery_id, 1 - right)

    assert (first.status, first.correct) == ("recorded", True)
    assert (second.status, second.choice, second.correct) == ("already_answered", right, True)
    assert _rows(deps, tables.Response) == 1


def test_someone_elses_lesson_is_refused_in_the_pressers_language_and_nothing_stored(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    request_lesson_now(deps, slack, caller("U0CHLOE001"))

    outcome = answer_check(deps, slack, caller("U0DIMI0001"), slack.posts[0].delivery_id, 0)

    assert (outcome.status, outcome.language) == ("not_yours", "el")
    assert _rows(deps, tables.Response) == 0
    assert _rows(deps, tables.Member) == 1  # pressing a button does not enrol anyone


def test_an_unknown_delivery_and_an_option_out_of_range_change_nothing(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    request_lesson_now(deps, slack, caller("U0CHLOE001"))
    delivery_id = slack.posts[0].delivery_id

    assert answer_check(deps, slack, caller("U0CHLOE001"), 9999, 0).status == "unknown_delivery"
    assert answer_check(deps, slack, caller("U0CHLOE001"), delivery_id, 7).status == "bad_choice"
    assert _rows(deps, tables.Response) == 0


def test_on_demand_lessons_are_limited_per_hour_with_the_time_of_the_next(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    limited = replace(deps, settings=deps.settings.model_copy(update={"now_per_hour": 3}))
    first = clock.now()
    for _ in range(3):
        assert request_lesson_now(limited, slack, caller("U0CHLOE001")).status == "sent"
        clock.advance(60)

    refused = request_lesson_now(limited, slack, caller("U0CHLOE001"))

    assert (refused.status, refused.again_at, refused.tz) == (
        "too_many",
        first + timedelta(hours=1),
        "Europe/London",
    )
    assert len(slack.posts) == 3
    clock.set(first + timedelta(hours=1))
    assert request_lesson_now(limited, slack, caller("U0CHLOE001")).status == "sent"


def test_a_lesson_asked_for_reads_the_leads_the_workspace_stored(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    """The workspace's setup is read with the member, in the lesson's own unit of work: a lead
    named in it is stored as one, and a change to it is seen by the next lesson."""
    with deps.uow() as uow:
        workspace = uow.workspaces.ensure(TEAM, deps.clock())
        uow.workspaces.save_settings(workspace, {"leads": ["U0CHLOE001"], "admins": ["U0ADMIN001"]})
        uow.commit()

    assert request_lesson_now(deps, slack, caller("U0CHLOE001")).status == "sent"
    with deps.uow() as uow:
        chloe = uow.members.find_in_team(TEAM, "U0CHLOE001")
    assert chloe is not None and (chloe.is_lead, chloe.is_admin) == (True, False)

    with deps.uow() as uow:
        uow.workspaces.save_settings(workspace, {"leads": [], "admins": ["U0CHLOE001"]})
        uow.commit()
    assert request_lesson_now(deps, slack, caller("U0CHLOE001")).status == "sent"
    with deps.uow() as uow:
        chloe = uow.members.find_in_team(TEAM, "U0CHLOE001")
    assert chloe is not None and (chloe.is_lead, chloe.is_admin) == (False, True)
