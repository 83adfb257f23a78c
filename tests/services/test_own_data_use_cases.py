"""A member's own data as use cases: the export holds every row about them, forget deletes exactly
those rows in one transaction, and the team's figures no longer count them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.learning.model import StrategyAnswer
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.lessons import answer_check, request_lesson_now
from bot.services.own_data import EXPORT_FORMAT, export_own_data, forget, preview_forget
from bot.store import tables
from tests.services.conftest import TEAM, PeopleAndDMs, caller
from tests.traces import as_exported, table_names, traces

DIMITRIS, CHLOE = "U0DIMI0001", "U0CHLOE001"
GREEK_ANSWER = "Τέσσερις εβδομάδες: «πρώτα» οι δοκιμές."


def _history(deps: Deps, slack: PeopleAndDMs, clock: FakeClock, user: str) -> int:
    """A lesson answered (a response and a card), a scheduled lesson, a weekly answer and
    settings of their own; the member's id."""
    sent = request_lesson_now(deps, slack, caller(user))
    assert sent.status == "sent"
    with deps.uow() as uow:
        member = uow.members.find_in_team(TEAM, user)
        assert member is not None
        (seen,) = uow.deliveries.history(member.id).seen.values()
    assert answer_check(deps, slack, caller(user), seen.last_delivery, 0).status == "recorded"
    clock.advance(86400)
    now = clock.now()
    with deps.uow() as uow:
        for kind in ("lesson", "question"):
            claimed = uow.deliveries.claim(
                member.id,
                kind=kind,
                local_date=now.date(),
                lesson_id=f"{kind}-1",
                skill="strategy",
                locale="el",
                answer_index=0,
                now=now,
            )
            assert claimed is not None
            uow.deliveries.mark_sent(claimed.id, f"D{user[1:]}", "1.0001", now)
        written = StrategyAnswer(claimed.id, GREEK_ANSWER, None, "modal", now, None)
        uow.strategy_answers.add(claimed.id, member.id, "question-1", "strategy", written)
        uow.members.update(member.workspace_id, user, lesson_time="08:15", language="el")
        uow.commit()
    return member.id


def _document(slack: PeopleAndDMs) -> dict[str, Any]:
    (export,) = slack.exports
    document: dict[str, Any] = json.loads(export.content.decode("utf-8"))
    return document


def test_the_export_holds_every_row_about_the_member_and_nothing_of_others(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    member_id = _history(deps, slack, clock, DIMITRIS)
    _history(deps, slack, clock, CHLOE)
    slack.posts.clear()

    outcome = export_own_data(deps, slack, caller(DIMITRIS))

    assert (outcome.status, outcome.language) == ("sent", "el")
    document = _document(slack)
    assert (document["format"], document["workspace"]) == (EXPORT_FORMAT, TEAM)
    found = traces(deps.db.engine, DIMITRIS, member_id)
    assert set(found) == {
        "members",
        "deliveries",
        "responses",
        "strategy_answers",
        "cards",
        "lesson_progress",
    }
    (member,) = found.pop("members")
    assert {**document["profile"], **document["settings"]} == as_exported(member)
    assert document["settings"]["lesson_time"] == "08:15"
    for table, rows in found.items():
        assert document[table] == [as_exported(row) for row in rows], table
    assert len(document["deliveries"]) == 3 and len(document["cards"]) == 1


def test_the_export_file_is_utf8_with_greek_readable(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _history(deps, slack, clock, DIMITRIS)
    export_own_data(deps, slack, caller(DIMITRIS))
    (export,) = slack.exports
    assert GREEK_ANSWER.encode("utf-8") in export.content  # not \u escapes
    assert export.filename.startswith(f"nudge-{DIMITRIS}-") and export.filename.endswith(".json")


def test_someone_nudge_never_met_has_nothing_to_export_or_forget(
    deps: Deps, slack: PeopleAndDMs
) -> None:
    assert export_own_data(deps, slack, caller(CHLOE)).status == "nothing"
    assert preview_forget(deps, slack, caller(CHLOE)).status == "nothing"
    assert forget(deps, slack, caller(CHLOE), CHLOE).status == "nothing"
    assert slack.exports == [] and traces(deps.db.engine, CHLOE, 1) == {}


def test_a_refused_upload_says_so(deps: Deps, slack: PeopleAndDMs, clock: FakeClock) -> None:
    _history(deps, slack, clock, DIMITRIS)
    slack.refuse_with = "file_uploads_disabled"
    outcome = export_own_data(deps, slack, caller(DIMITRIS))
    assert (outcome.status, outcome.error) == ("failed", "file_uploads_disabled")


def test_forget_deletes_every_row_about_the_member_and_only_theirs(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    member_id = _history(deps, slack, clock, DIMITRIS)
    chloe_id = _history(deps, slack, clock, CHLOE)
    chloe_before = traces(deps.db.engine, CHLOE, chloe_id)
    preview = preview_forget(deps, slack, caller(DIMITRIS))

    done = forget(deps, slack, caller(DIMITRIS), DIMITRIS)

    assert (done.status, done.language) == ("forgotten", "el")
    expected = {
        "members": 1,
        "deliveries": 3,
        "responses": 1,
        "strategy_answers": 1,
        "cards": 1,
        "lesson_progress": 2,  # the counters of the two lessons sent
    }
    assert done.counts == preview.counts == expected
    assert traces(deps.db.engine, DIMITRIS, member_id) == {}
    assert traces(deps.db.engine, CHLOE, chloe_id) == chloe_before
    assert "members" in table_names(deps.db.engine)


def test_only_the_person_the_confirmation_was_shown_to_may_confirm_it(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    member_id = _history(deps, slack, clock, DIMITRIS)
    chloe_id = _history(deps, slack, clock, CHLOE)
    before = traces(deps.db.engine, DIMITRIS, member_id), traces(deps.db.engine, CHLOE, chloe_id)

    assert forget(deps, slack, caller(CHLOE), DIMITRIS).status == "not_yours"

    after = traces(deps.db.engine, DIMITRIS, member_id), traces(deps.db.engine, CHLOE, chloe_id)
    assert after == before


def test_the_digest_counts_the_team_without_a_forgotten_member(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    start = clock.now()
    _history(deps, slack, clock, DIMITRIS)
    _history(deps, slack, clock, CHLOE)
    end = clock.now() + timedelta(hours=1)

    def participation() -> tuple[int, int]:
        with deps.uow() as uow:
            workspace = uow.workspaces.find(TEAM)
            assert workspace is not None
            return uow.team_posts.participation(workspace, start, end)

    assert participation() == (2, 2)
    forget(deps, slack, caller(DIMITRIS), DIMITRIS)
    assert participation() == (1, 1)


def test_after_forgetting_the_member_starts_again_as_a_new_one(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    _history(deps, slack, clock, DIMITRIS)
    forget(deps, slack, caller(DIMITRIS), DIMITRIS)

    assert request_lesson_now(deps, slack, caller(DIMITRIS)).status == "sent"

    with deps.uow() as uow:
        member = uow.members.find_in_team(TEAM, DIMITRIS)
        assert member is not None
        (seen,) = uow.deliveries.history(member.id).seen.values()  # one lesson: the new one
        assert uow.cards.due(member.id, clock.now() + timedelta(days=400)) == []
    with deps.db.engine.connect() as connection:
        rows = connection.execute(tables.Member.__table__.select()).mappings().all()
    mine = [row for row in rows if row["slack_user_id"] == DIMITRIS]
    assert [(row["lesson_time"], row["language"]) for row in mine] == [(None, None)]
    assert seen.answered == 0
