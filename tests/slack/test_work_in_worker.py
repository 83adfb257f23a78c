"""WORK_IN=worker: `web` acknowledges and stores each request; a worker runs it, once.

Signed HTTP to `web`'s /slack/events, the real WebClient to the local Slack, a real database (a
SQLite file, or PostgreSQL with TEST_DATABASE_URL). The worker here is the one `python -m bot
worker` runs (`bot.slack.forward.Requests`, built as bot.clock builds it), driven from the test's
own thread (`drain`) or from a thread of its own: what it did is what the local Slack received.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bench.crowd import NudgeProcess, nudge_env
from bot.clock import _stored_request_app
from bot.localslack import LocalSlack, load_workspace
from bot.localslack.workspace import second_seed_path
from bot.runtime import build_deps
from bot.services import accepted
from bot.services.accepted import STALE_REQUEST
from bot.slack.forward import Requests
from bot.slack.listeners.commands.subcommands import SUBCOMMANDS
from bot.store import tables
from tests.conftest import TEST_LIBRARY, Bot, start_bot
from tests.slack.installs import install, start_oauth_bot
from tests.slack.test_acks_never_wait import BUSY, BUSY_EL, health_report
from tests.slack.test_install_by_oauth import MARIA, driver_for
from tests.slack.test_learn_now_and_answer import buttons, current
from tests.slack.test_schedule_over_slack import _question
from tests.slack.test_settings_over_slack import _stored, open_settings, settings_rows


@contextmanager
def web_and_worker(
    slack: LocalSlack, database_url: str, **overrides: Any
) -> Iterator[tuple[Bot, Requests]]:
    """A `web` with WORK_IN=worker (and `overrides`), and a worker's side on its dependencies."""
    web = start_bot(slack, database_url, work_in="worker", **overrides)
    requests = Requests(web.deps, _stored_request_app)
    try:
        yield web, requests
    finally:
        requests.close()
        web.close()


@pytest.fixture
def web(slack: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_bot(slack, database_url, work_in="worker")
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def worker(web: Bot) -> Iterator[Requests]:
    requests = Requests(web.deps, _stored_request_app)
    try:
        yield requests
    finally:
        requests.close()


def drain(requests: Requests) -> int:
    """Run every waiting request, as an idle worker does: how many ran."""
    ran = 0
    while requests.run_next():
        ran += 1
    return ran


def rows(bot: Bot, table: type[tables.Base]) -> int:
    with bot.deps.db.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def test_now_is_acknowledged_by_web_and_the_lesson_is_sent_once_by_a_worker(
    web: Bot, worker: Requests
) -> None:
    member = web.user("member")

    ack = web.driver.command(member, "now")

    assert (ack.status, ack.body) == (200, "")
    web.settle()
    assert web.slack.dm_messages(member) == [], "web did not do the work"
    assert accepted.waiting(web.deps) == 1
    assert drain(worker) == 1
    (lesson,) = web.slack.dm_messages(member)
    (reply,) = web.slack.ephemerals(member)
    assert reply.text.startswith(":mailbox_with_mail: Your lesson *")
    assert lesson.blocks[0]["text"]["text"] in reply.text
    assert drain(worker) == 0 and rows(web, tables.AcceptedRequest) == 0
    assert rows(web, tables.Delivery) == 1


def test_a_command_is_answered_by_the_worker_in_the_callers_language(
    web: Bot, worker: Requests
) -> None:
    greek = web.user("greek")
    assert web.driver.command(greek, "why").body == ""
    assert web.slack.ephemerals(greek) == []
    drain(worker)
    (reply,) = web.slack.ephemerals(greek)
    assert reply.text.startswith("Δεν έχετε λάβει ακόμη μάθημα"), reply.text


def test_a_check_button_is_recorded_once_and_its_message_updated(
    web: Bot, worker: Requests
) -> None:
    member = web.user("member")
    web.driver.command(member, "now")
    drain(worker)
    (lesson,) = web.slack.dm_messages(member)

    first = web.driver.click(member, lesson, index=1)
    second = web.driver.click(member, lesson, index=2)

    assert [(r.status, r.body) for r in (first, second)] == [(200, ""), (200, "")]
    web.settle()
    assert buttons(current(web, lesson)), "web did not record it"
    assert drain(worker) == 2
    assert not buttons(current(web, lesson))
    assert rows(web, tables.Response) == 1
    assert web.slack.ephemerals(member)[-1].text  # the second press was told it was answered


def test_a_full_table_says_busy_and_a_worker_then_delivers_each_accepted_request_once(
    slack: LocalSlack, database_url: str
) -> None:
    with web_and_worker(slack, database_url, work_queue=2) as (small, requests):
        learners = small.learners()[:5]
        for user in learners:  # each known to Nudge, so "busy" can be said in their language
            small.driver.command(user, "now")
            drain(requests)
        before = {user: len(slack.dm_messages(user)) for user in learners}
        acks = [small.driver.command(user, "now") for user in learners]  # no worker running yet
        accepted_ones = [u for u, a in zip(learners, acks, strict=True) if a.body == ""]
        refused = [(u, a) for u, a in zip(learners, acks, strict=True) if a.body != ""]
        assert accepted_ones == learners[:2] and len(refused) == 3
        for user, ack in refused:
            expected = BUSY_EL if slack.user(user).locale.startswith("el") else BUSY
            assert (ack.status, ack.json()) == (
                200,
                {"text": expected, "response_type": "ephemeral"},
            )
        status, report = health_report(small)
        assert report["accepted_requests"] == {"state": "full", "waiting": 2}
        assert status == 503

        assert drain(requests) == 2
        assert {user: len(slack.dm_messages(user)) - before[user] for user in learners} == {
            user: 1 if user in accepted_ones else 0 for user in learners
        }
        assert health_report(small)[1]["accepted_requests"]["waiting"] == 0


def test_help_is_acknowledged_while_a_worker_is_stuck_on_slack(web: Bot, worker: Requests) -> None:
    learners = web.learners()
    with web.slack.hold("chat.postMessage") as held:
        nows = [web.driver.command(user, "now") for user in learners[:3]]
        running = threading.Thread(target=drain, args=(worker,))
        running.start()
        held.wait_until_waiting()  # the worker is parked on the first lesson

        help_ack = web.driver.command(learners[3], "help")

        assert (help_ack.status, help_ack.body) == (200, "")
        assert held.waiting == 1, "no held work has finished"
        assert [(r.status, r.body) for r in nows] == [(200, "")] * 3
    running.join(timeout=30)
    assert not running.is_alive()
    drain(worker)
    assert [len(web.slack.dm_messages(user)) for user in learners[:3]] == [1, 1, 1]
    assert web.slack.ephemerals(learners[3]), "help was answered"


def test_a_modal_opening_command_and_button_run_in_web_and_open_their_modal(
    web: Bot, worker: Requests
) -> None:
    member = web.user("member")
    assert web.driver.command(member, "settings").body == ""
    web.settle()
    assert len(web.slack.views(member)) == 1, "opened by web, within the trigger's 3 seconds"
    assert accepted.waiting(web.deps) == 0

    web.driver.event({"type": "app_home_opened", "user": member, "tab": "home"})
    web.settle()
    assert web.slack.home(member) is None and drain(worker) == 1  # the Home: by the worker
    home = web.slack.home(member)
    assert home is not None
    web.driver.click(member, home, action_id="home.settings")
    web.settle()
    opened = [call for call in web.slack.calls_to("views.open") if call.ok]
    assert len(opened) == 2 and accepted.waiting(web.deps) == 0


def test_the_subcommands_that_open_a_modal_say_so() -> None:
    """Their work stays in `web` with WORK_IN=worker; the rest is forwarded."""
    assert {" ".join(sub.words) for sub in SUBCOMMANDS if sub.opens_modal} == {
        "settings",
        "forget",
        "admin setup",
    }


def test_a_request_whose_worker_died_is_given_up_and_never_run(
    web: Bot, worker: Requests, caplog: pytest.LogCaptureFixture
) -> None:
    member = web.user("member")
    web.driver.command(member, "now")
    assert accepted.take(web.deps) is not None  # a worker took it, then died

    web.clock.advance(STALE_REQUEST.total_seconds() + 1)
    with caplog.at_level(logging.ERROR, logger="bot.requests"):
        assert drain(worker) == 0

    assert web.slack.dm_messages(member) == [] and web.slack.ephemerals(member) == []
    assert "gave up a command request" in caplog.text
    with web.deps.db.engine.connect() as connection:
        given_up = connection.scalars(select(tables.AcceptedRequest.given_up_at)).all()
    assert len(given_up) == 1 and given_up[0] is not None


def test_a_worker_process_sends_the_lesson_of_a_now_that_web_acknowledged(
    web: Bot, tmp_path: Path
) -> None:
    """`python -m bot worker` beside `web`: woken by NOTIFY on PostgreSQL, by its short look
    at the table on SQLite (WORKER_POLL stays at its 1 s default)."""
    env = nudge_env(web.slack, web.deps.settings.database_url, TEST_LIBRARY)
    process = NudgeProcess(["worker"], env, tmp_path)
    member = web.user("member")
    try:
        process.wait_for_line("Nudge worker started")
        assert web.driver.command(member, "now").body == ""
        web.slack.wait_for(lambda: web.slack.ephemerals(member), timeout=30)
    finally:
        process.process.send_signal(signal.SIGTERM)
        assert process.wait() == 0, process.lines[-5:]
    assert len(web.slack.dm_messages(member)) == 1
    assert web.slack.ephemerals(member)[0].text.startswith(":mailbox_with_mail: Your lesson *")
    assert accepted.waiting(web.deps) == 0


def test_installs_by_oauth_a_worker_answers_with_the_workspaces_own_token(
    slack: LocalSlack, database_url: str
) -> None:
    """Many workspaces: the worker's app finds the bakery's token in the installation store, as
    `web`'s does, and needs no signing secret (its requests come from the database)."""
    bakery = slack.add_workspace(load_workspace(second_seed_path()))
    web = start_oauth_bot(slack, database_url, work_in="worker")
    unsigned = web.deps.settings.model_copy(update={"slack_signing_secret": ""})
    requests = Requests(replace(web.deps, settings=unsigned), _stored_request_app)
    try:
        assert install(web, bakery).status == 200
        response = driver_for(web, bakery).command(MARIA, "help")
        assert (response.status, response.body) == (200, "")
        web.settle()
        assert bakery.ephemerals(MARIA) == [] and drain(requests) == 1
        assert bakery.ephemerals(MARIA), "the bakery's owner got no answer"
        assert not [c for c in slack.calls if c.method != "auth.test"]
    finally:
        requests.close()
        web.close()


def test_a_settings_save_closes_the_modal_in_web_and_is_stored_by_the_worker(
    web: Bot, worker: Requests
) -> None:
    member = web.user("member")
    modal = open_settings(web, member)  # opened by web

    done = web.driver.submit_view(
        member, modal, {"lesson_time": {"lesson_time": "14:00"}, "interests": {"interests": []}}
    )

    assert (done.status, done.body) == (200, "")
    web.settle()
    assert web.slack.views(member) == []  # closed by web's acknowledgement
    assert settings_rows(web) == 0
    assert drain(worker) == 1
    assert _stored(web, member)["lesson_time"] == "14:00"
    assert web.slack.home(member) is not None  # and the Home republished, by the worker


def test_a_request_accepted_by_a_web_that_then_stopped_is_still_done(
    slack: LocalSlack, database_url: str
) -> None:
    """The row is committed before Slack is answered: `web` gone, a worker of its own (its own
    process's dependencies) still sends the lesson."""
    web = start_bot(slack, database_url, work_in="worker")
    member = web.user("member")
    assert web.driver.command(member, "now").body == ""
    settings = web.deps.settings
    web.close()

    deps = build_deps(settings)
    requests = Requests(deps, _stored_request_app)
    try:
        assert drain(requests) == 1
    finally:
        requests.close()
        deps.db.dispose()
    assert len(slack.dm_messages(member)) == 1
    assert slack.ephemerals(member)[0].text.startswith(":mailbox_with_mail: Your lesson *")


def test_the_weekly_questions_answer_and_edit_buttons_open_their_modals_from_web(
    web: Bot, worker: Requests
) -> None:
    """Their modal needs the click's trigger_id within 3 seconds: `web` opens it; the answer
    typed in it is stored and saved by the worker."""
    member = web.user("member")
    web.driver.click(member, _question(web, member), index=1)
    web.settle()
    (modal,) = web.slack.views(member)
    assert accepted.waiting(web.deps) == 0, "opened by web, nothing stored for a worker"

    web.driver.submit_view(member, modal, {"question_text": {"text": "Four weeks."}})
    web.settle()
    assert rows(web, tables.StrategyAnswer) == 0 and accepted.waiting(web.deps) == 1
    assert drain(worker) == 1
    assert rows(web, tables.StrategyAnswer) == 1

    question = web.slack.dm_messages(member)[-1]
    answered = next(m for m in web.slack.messages(question.channel) if m.ts == question.ts)
    web.driver.click(member, answered, action_id="question_edit")
    web.settle()
    opened = [call for call in web.slack.calls_to("views.open") if call.ok]
    assert len(opened) == 2 and accepted.waiting(web.deps) == 0
    (edit,) = web.slack.views(member)
    assert edit.id != modal.id
