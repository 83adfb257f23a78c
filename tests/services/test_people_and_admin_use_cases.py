"""Who may do what: roles from LEADS/ADMINS (user ids or user groups), stated by each use case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.learning.model import Role
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.home import identify_caller, language_of_caller, member_stats
from bot.services.lessons import answer_check, request_lesson_now
from bot.services.library_admin import check_library, reload_library
from bot.services.membership import why
from bot.services.people import GROUP_TTL_SECONDS, NotPermitted, RoleBook
from bot.store import tables
from tests.services.conftest import ADMIN_GROUP, PeopleAndDMs, caller


def _rows(deps: Deps) -> int:
    with deps.db.engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (tables.Workspace, tables.Member, tables.Delivery, tables.Response)
        )


@pytest.mark.parametrize("use_case", [check_library, reload_library])
def test_admin_use_cases_refuse_a_member_and_do_nothing(
    deps: Deps, slack: PeopleAndDMs, use_case: object
) -> None:
    library = deps.library.current
    with pytest.raises(NotPermitted) as refused:
        use_case(deps, slack, caller("U0CHLOE001"))  # type: ignore[operator]
    assert (refused.value.role, refused.value.person.language) == (Role.ADMIN, "en")
    assert deps.library.current is library and _rows(deps) == 0


def test_an_admin_by_user_group_may_reload(deps: Deps, slack: PeopleAndDMs) -> None:
    outcome = reload_library(deps, slack, caller("U0ADMIN001"))
    assert outcome.report.ok and outcome.report.lessons == 9


@pytest.mark.parametrize("use_case", [check_library, reload_library])
def test_admin_checks_date_the_checked_months_by_the_bots_clock(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock, use_case: object
) -> None:
    clock.set(datetime(2027, 7, 1, 8, 0, tzinfo=UTC))  # 13 months after the fixtures' 2026-06
    outcome = use_case(deps, slack, caller("U0ADMIN001"))  # type: ignore[operator]
    stale = [p for p in outcome.report.warnings if "last checked in 2026-06" in p.message]
    assert len(stale) == outcome.report.lessons == 9


def test_identifying_a_caller_stores_nothing(deps: Deps, slack: PeopleAndDMs) -> None:
    person = identify_caller(deps, slack, caller("U0ADMIN001"))
    assert (person.language, person.roles) == ("en", frozenset({Role.MEMBER, Role.ADMIN}))
    assert _rows(deps) == 0


def test_the_apology_language_comes_from_the_database_alone(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    assert language_of_caller(deps, caller("U0DIMI0001")) == "en"  # not met yet: no Slack call
    request_lesson_now(deps, slack, caller("U0DIMI0001"))
    assert language_of_caller(deps, caller("U0DIMI0001")) == "el"
    assert slack.profile_reads == ["U0DIMI0001"]


def test_home_counts_lessons_and_responses(deps: Deps, slack: PeopleAndDMs) -> None:
    assert not member_stats(deps, slack, caller("U0CHLOE001")).stats.progress.known
    request_lesson_now(deps, slack, caller("U0CHLOE001"))
    post = slack.posts[0]
    answer_check(deps, slack, caller("U0CHLOE001"), post.delivery_id, post.lesson.answer_index)
    request_lesson_now(deps, slack, caller("U0CHLOE001"))

    home = member_stats(deps, slack, caller("U0CHLOE001")).stats

    assert (home.progress.lessons, home.progress.responses, home.progress.correct) == (2, 1, 1)
    assert home.tz == "Europe/London"
    assert home.progress.last_lesson_at == deps.clock()


def test_a_failed_group_lookup_keeps_the_last_known_role(slack: PeopleAndDMs) -> None:
    clock = FakeClock(0.0)
    roles = RoleBook(leads=[], admins=[ADMIN_GROUP], monotonic=clock)
    assert Role.ADMIN in roles.roles_of("U0ADMIN001", slack)
    clock.advance(GROUP_TTL_SECONDS + 1)  # the cache is stale, and Slack fails when asked again
    slack.groups_fail = True
    assert Role.ADMIN in roles.roles_of("U0ADMIN001", slack)
    fresh = RoleBook(leads=[], admins=[ADMIN_GROUP])
    assert Role.ADMIN not in fresh.roles_of("U0ADMIN001", slack)  # never read: never granted


def test_a_lesson_slack_refuses_is_never_chosen_again_until_reloaded(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    slack.refuse_with = "invalid_blocks"
    failed = request_lesson_now(deps, slack, caller("U0CHLOE001"))
    assert failed.status == "failed" and failed.lesson is not None
    refused = failed.lesson.id
    assert deps.library.refused == {refused: "invalid_blocks"}

    slack.refuse_with = None
    for who in ("U0CHLOE001", "U0DIMI0001", "U0ADMIN001") * 3:
        sent = request_lesson_now(deps, slack, caller(who))
        assert sent.status == "sent" and sent.lesson is not None and sent.lesson.id != refused
    shown = check_library(deps, slack, caller("U0ADMIN001"))
    assert shown.refused == {refused: "invalid_blocks"}
    assert reload_library(deps, slack, caller("U0ADMIN001")).refused == {}


def test_asking_why_stores_nothing(deps: Deps, slack: PeopleAndDMs) -> None:
    answer = why(deps, slack, caller("U0DIMI0001"))
    assert (answer.language, answer.learns, answer.last_title, answer.next) == (
        "el", False, None, None
    )  # fmt: skip
    assert _rows(deps) == 0
