"""Spaced repetition through the use cases: answers become fsrs reviews; once a member has met
every skill area (the test library has three), due reviews come first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.delivery.outbox import LessonPost
from bot.learning.recall import retrievability
from bot.learning.reviews import review
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.lessons import LessonNow, answer_check, request_lesson_now
from bot.store import tables
from tests.services.conftest import PeopleAndDMs, caller

CHLOE = caller("U0CHLOE001")
DAY = timedelta(days=1).total_seconds()


def _next(deps: Deps, slack: PeopleAndDMs) -> tuple[LessonNow, LessonPost]:
    outcome = request_lesson_now(deps, slack, CHLOE)
    assert outcome.status == "sent"
    return outcome, slack.posts[-1]


def _answer(deps: Deps, slack: PeopleAndDMs, post: LessonPost, *, correct: bool) -> None:
    right = post.lesson.answer_index
    choice = right if correct else (right + 1) % len(post.lesson.options)
    outcome = answer_check(deps, slack, CHLOE, post.delivery_id, choice)
    assert (outcome.status, outcome.correct) == ("recorded", correct)


def _kinds(deps: Deps) -> list[tuple[str, str]]:
    with deps.db.engine.connect() as connection:
        query = select(tables.Delivery.lesson_id, tables.Delivery.kind).order_by(tables.Delivery.id)
        return [(lesson_id, kind) for lesson_id, kind in connection.execute(query)]


def _meet_two_areas(deps: Deps, slack: PeopleAndDMs) -> None:
    """Two of the three areas, answered right: the next new lesson meets the last one."""
    for _ in range(2):
        _, post = _next(deps, slack)
        _answer(deps, slack, post, correct=True)


def test_a_wrong_answer_comes_back_as_a_review_once_due_and_not_before(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _meet_two_areas(deps, slack)
    _, missed = _next(deps, slack)
    _answer(deps, slack, missed, correct=False)

    clock.advance(DAY / 2)
    early, _ = _next(deps, slack)
    clock.advance(DAY / 2)
    back, again = _next(deps, slack)

    assert (early.kind, back.kind) == ("lesson", "review")
    assert early.lesson is not None and early.lesson.id != missed.lesson.id
    assert again.lesson.id == missed.lesson.id
    assert _kinds(deps)[-1] == (missed.lesson.id, "review")


def test_an_area_never_met_comes_before_a_due_review(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    """The first round: until a member has met every area, a wrong answer waits for the areas
    never met, then comes back."""
    _, missed = _next(deps, slack)
    _answer(deps, slack, missed, correct=False)

    clock.advance(DAY)  # the miss is due
    posts = [_next(deps, slack)[1] for _ in range(3)]

    skills = [post.lesson.skill for post in posts]
    assert len({missed.lesson.skill, *skills[:2]}) == 3
    assert posts[2].lesson.id == missed.lesson.id
    assert [kind for _, kind in _kinds(deps)] == ["lesson", "lesson", "lesson", "review"]


def test_a_right_answer_lets_a_new_lesson_come_first(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _, known = _next(deps, slack)
    _answer(deps, slack, known, correct=True)

    clock.advance(DAY + 1)
    outcome, post = _next(deps, slack)

    assert outcome.kind == "lesson" and post.lesson.id != known.lesson.id


def test_of_due_reviews_the_one_likelier_remembered_comes_first_not_the_most_overdue(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    """The promise since the rule changed: of several due reviews, the one the member most likely
    still remembers (fsrs's retrievability) comes first, so that it is kept before it lapses too;
    a miss left due for days, the likeliest forgotten, comes last."""
    _meet_two_areas(deps, slack)
    _, missed = _next(deps, slack)
    _answer(deps, slack, missed, correct=False)
    clock.advance(5 * DAY)  # the miss due since day 1, the two right answers since day 4
    order = [_next(deps, slack) for _ in range(3)]

    with deps.uow() as uow:
        member = uow.members.find_in_team(CHLOE.team_id, CHLOE.slack_user_id)
        assert member is not None
        cards = [uow.cards.get(member.id, post.lesson.id) for _, post in order]
    assert [outcome.kind for outcome, _ in order] == ["review"] * 3
    assert order[2][1].lesson.id == missed.lesson.id
    assert all(card is not None for card in cards)
    now = clock.now()
    likely = [retrievability(c.stability or 0, (now - c.last_review).days) for c in cards if c]
    assert likely == sorted(likely, reverse=True) and likely[0] > likely[2]
    assert cards[2] is not None and cards[0] is not None and cards[2].due < cards[0].due


def test_a_review_waiting_for_its_answer_is_not_sent_twice(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _meet_two_areas(deps, slack)
    _, missed = _next(deps, slack)
    _answer(deps, slack, missed, correct=False)
    clock.advance(DAY)
    _, review_post = _next(deps, slack)

    _, after = _next(deps, slack)
    _answer(deps, slack, review_post, correct=False)  # answered at last: due again a day later
    clock.advance(DAY)
    _, back = _next(deps, slack)

    assert review_post.lesson.id == missed.lesson.id != after.lesson.id
    assert back.lesson.id == missed.lesson.id


def test_the_answer_and_the_card_are_stored_together_and_a_second_press_reviews_nothing(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _, post = _next(deps, slack)
    answered_at = clock.now()
    _answer(deps, slack, post, correct=False)
    clock.advance(60)
    again = answer_check(deps, slack, CHLOE, post.delivery_id, post.lesson.answer_index)

    assert again.status == "already_answered"
    with deps.uow() as uow:
        card = uow.cards.get(1, post.lesson.id)
    assert card == review(None, False, answered_at)


def test_a_refused_answer_makes_no_card(deps: Deps, slack: PeopleAndDMs) -> None:
    _, post = _next(deps, slack)

    answer_check(deps, slack, caller("U0DIMI0001"), post.delivery_id, 0)  # not theirs
    answer_check(deps, slack, CHLOE, post.delivery_id, 7)  # no such option

    with deps.uow() as uow:
        assert uow.cards.get(1, post.lesson.id) is None
