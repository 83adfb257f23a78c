"""The Home tab's and `/learn me`'s figures, from the use case on a real in-memory database."""

from __future__ import annotations

from datetime import timedelta

from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.home import lesson_now_from_home, member_stats, pause_from_home
from bot.services.lessons import answer_check, request_lesson_now
from tests.services.conftest import PeopleAndDMs, caller

DAY = 24 * 3600
CHLOE = caller("U0CHLOE001")


def _answer(deps: Deps, slack: PeopleAndDMs, right: bool) -> None:
    post = slack.posts[-1]
    choice = post.lesson.answer_index if right else (post.lesson.answer_index + 1) % 2
    assert answer_check(deps, slack, CHLOE, post.delivery_id, choice).status == "recorded"


def test_someone_nudge_has_not_met_has_no_figures_and_nothing_is_stored(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    stats = member_stats(deps, slack, CHLOE).stats
    assert (stats.streak, stats.lessons_this_week, stats.reviews_due) == (0, 0, 0)
    assert not stats.progress.known and stats.progress.strongest is None
    with deps.uow() as uow:
        assert uow.members.find_in_team(CHLOE.team_id, CHLOE.slack_user_id) is None


def test_answers_on_days_in_a_row_make_a_streak_and_a_wrong_one_a_review_due(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    # Thursday 26 November 2026, then Friday, then Monday: the weekend breaks nothing.
    for advance in (0, DAY, 3 * DAY):
        clock.advance(advance)
        request_lesson_now(deps, slack, CHLOE)
        _answer(deps, slack, right=advance != DAY)
    # Tuesday: Friday's wrong answer is long due, and Thursday's right one since Monday (fsrs's
    # first interval is 4 days); Monday's lesson was the third area, never met before, which
    # comes before a due review.
    clock.advance(DAY)

    stats = member_stats(deps, slack, CHLOE).stats
    assert stats.streak == 3
    assert stats.lessons_this_week == 1  # Monday's; Thursday's and Friday's were last week
    assert stats.reviews_due == 2
    assert (stats.progress.lessons, stats.progress.responses, stats.progress.correct) == (3, 3, 2)
    assert stats.progress.strongest is not None and stats.paused_until is None


def test_the_home_buttons_run_the_same_use_cases_as_the_commands(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    sent, report = lesson_now_from_home(deps, slack, CHLOE)
    assert sent.status == "sent" and report.stats.lessons_this_week == 1 and len(slack.posts) == 1

    paused, report = pause_from_home(deps, slack, CHLOE, paused=True)
    assert paused.status == "paused" and paused.back_on is not None
    assert report.stats.paused_until == paused.back_on - timedelta(days=1)

    resumed, report = pause_from_home(deps, slack, CHLOE, paused=False)
    assert resumed.status == "resumed" and report.stats.paused_until is None
