"""The weekly answer's rules on a real database: stored once whichever way it comes, the same
answer again changes nothing, a second one is refused, an edit changes it until the leads' digest
for that week is out, and then it is locked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.learning.model import MemberProfile
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.questions import Reply, answer_by_reply, answer_question, open_question
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from tests.services.conftest import TEAM, PeopleAndDMs, caller

MONDAY = datetime(2027, 3, 22, tzinfo=UTC)
MONDAY_1000 = datetime(2027, 3, 22, 10, tzinfo=UTC)
FRIDAY_1000 = datetime(2027, 3, 26, 10, tzinfo=UTC)
ANA, BO = "U0000000A1", "U0000000B2"


@pytest.fixture
def asked(deps: Deps, slack: PeopleAndDMs, clock: FakeClock) -> int:
    """Ana's and Bo's week's question went out (London, Monday); Ana's delivery id."""
    slack.workspace = {
        user: MemberProfile(user, user, "Europe/London", "en-GB") for user in (ANA, BO)
    }
    slack.channel = list(slack.workspace)
    deps.settings.leads_channel = "C0LEADS"
    refresh_roster(deps, slack, TEAM, MONDAY)
    for at in (MONDAY, MONDAY_1000):
        clock.set(at)
        run_tick(deps, slack, TEAM, at)
    return min(post.delivery_id for post in slack.questions)


def test_answered_once_the_same_again_is_unchanged_another_is_refused(
    deps: Deps, slack: PeopleAndDMs, asked: int
) -> None:
    first = answer_question(deps, slack, caller(ANA), asked, None, " Two weeks. ")
    again = answer_question(deps, slack, caller(ANA), asked, None, "Two weeks.")
    other = answer_question(deps, slack, caller(ANA), asked, None, "Three.")

    assert [first.status, again.status, other.status] == [
        "recorded",
        "unchanged",
        "already_answered",
    ]
    assert other.asked is not None and other.asked.answer is not None
    assert (other.asked.answer.text, other.asked.answer.source) == ("Two weeks.", "modal")
    assert open_question(deps, slack, caller(ANA), asked).status == "already_answered"


def test_nobody_else_answers_or_edits_it(deps: Deps, slack: PeopleAndDMs, asked: int) -> None:
    assert answer_question(deps, slack, caller(BO), asked, None, "Mine").status == "not_yours"
    answer_question(deps, slack, caller(ANA), asked, None, "Hers")
    edit = answer_question(deps, slack, caller(BO), asked, None, "Mine", editing=True)
    assert edit.status == "not_yours"
    assert open_question(deps, slack, caller(BO), asked, editing=True).status == "not_yours"


def test_an_edit_changes_it_until_the_digest_is_out_then_it_is_locked(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, asked: int
) -> None:
    answer_question(deps, slack, caller(ANA), asked, None, "First.")
    edited = answer_question(deps, slack, caller(ANA), asked, None, "Second.", editing=True)
    assert edited.status == "edited"
    assert edited.asked is not None and edited.asked.answer is not None
    assert edited.asked.answer.edited_at == MONDAY_1000

    clock.set(FRIDAY_1000)
    run_tick(deps, slack, TEAM, FRIDAY_1000)
    assert len(slack.digests) == 1

    late = answer_question(deps, slack, caller(ANA), asked, None, "Third.", editing=True)
    assert late.status == "locked"
    assert late.asked is not None and late.asked.answer is not None
    assert late.asked.answer.text == "Second."
    assert open_question(deps, slack, caller(ANA), asked, editing=True).status == "locked"


def test_a_choice_outside_the_menu_is_not_stored(
    deps: Deps, slack: PeopleAndDMs, asked: int
) -> None:
    done = answer_question(deps, slack, caller(ANA), asked, 7, "Why.")
    assert done.asked is not None and done.asked.answer is not None
    assert done.asked.answer.choice is None  # the fixture's question has no menu


def test_a_thread_reply_is_the_answer_once(deps: Deps, slack: PeopleAndDMs, asked: int) -> None:
    with deps.uow() as uow:
        delivery = uow.deliveries.get(asked)
    assert delivery is not None and delivery.channel_id and delivery.ts
    thread = Reply(delivery.channel_id, delivery.ts, "By reply.")

    first = answer_by_reply(deps, slack, caller(ANA), thread)
    second = answer_by_reply(
        deps, slack, caller(ANA), Reply(thread.channel_id, thread.thread_ts, "More.")
    )
    elsewhere = answer_by_reply(deps, slack, caller(ANA), Reply(thread.channel_id, "1.1", "Hi."))

    assert [first.status, second.status, elsewhere.status] == [
        "recorded",
        "already_answered",
        "gone",
    ]
    assert first.asked is not None and first.asked.answer is not None
    assert first.asked.answer.source == "dm_reply"


def test_a_reply_under_another_workspaces_channel_question_answers_nothing(
    deps: Deps, slack: PeopleAndDMs, asked: int
) -> None:
    """With QUESTION_IN_CHANNEL, a reply under the team's post answers the replier's question;
    a post of another workspace's (whose channel and ts the event names) is no post of theirs."""
    deps.settings.question_in_channel = True
    with deps.uow() as uow:
        other = uow.workspaces.ensure("T0OTHER01", MONDAY_1000)
        post = uow.team_posts.claim(other, "question", MONDAY.date(), MONDAY_1000)
        assert post is not None
        uow.team_posts.mark(post, "sent", channel_id="C0OTHERS1", ts="1774173600.000100")
        uow.commit()

    reply = Reply("C0OTHERS1", "1774173600.000100", "Not here.")
    assert answer_by_reply(deps, slack, caller(ANA), reply).status == "gone"
    assert open_question(deps, slack, caller(ANA), asked).status != "already_answered"
