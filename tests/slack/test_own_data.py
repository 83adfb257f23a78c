"""`/learn export` and `/learn forget` as a member meets them in Slack, over signed HTTP against
the local Slack: the export is a JSON file in their DM holding every row about them; forget asks
in a modal, deletes it all, says what went, and leaves no table naming them."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from bot.i18n import translator
from bot.localslack import LocalSlack, Message, View
from bot.services.roster import refresh_roster
from bot.slack.blocks.own_data import FORGET_CALLBACK
from bot.slack.blocks.question import ANSWER_ACTION
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store import tables
from tests.conftest import Bot, start_bot
from tests.slack.test_learn_now_and_answer import lesson_for, wait_answered
from tests.slack.test_schedule_over_slack import MONDAY_0000, MONDAY_1000_LONDON, _tick
from tests.traces import as_exported, traces

MONDAY_0745 = MONDAY_0000 + timedelta(hours=7, minutes=45)
GREEK_ANSWER = "Τέσσερις εβδομάδες: «πρώτα» οι δοκιμές."


def _member_id(bot: Bot, user: str) -> int | None:
    with bot.deps.db.engine.connect() as connection:
        return connection.scalar(select(tables.Member.id).filter_by(slack_user_id=user))


def history(bot: Bot, user: str) -> int:
    """A week's worth of a member: a lesson answered, the weekly question answered in its modal,
    and settings of their own. Their member id."""
    wait_answered(bot, _pressed(bot, user))
    question = weekly_question(bot, user)
    bot.driver.click(user, question, index=1)
    bot.settle()
    (modal,) = bot.slack.views(user)
    bot.driver.submit_view(user, modal, {"question_text": {"text": GREEK_ANSWER}})
    bot.settle()
    member_id = _member_id(bot, user)
    assert member_id is not None
    with bot.deps.db.engine.begin() as connection:
        connection.execute(
            update(tables.Member).where(tables.Member.id == member_id).values(lesson_time="08:15")
        )
    return member_id


def weekly_question(bot: Bot, user: str) -> Message:
    """The week's question in the member's DM (the clock sends it on Monday)."""
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY_0000)
    for at in (MONDAY_0000, MONDAY_0745, MONDAY_1000_LONDON):  # 09:45 in Athens, 07:45 in London
        _tick(bot, at)
    return next(
        m
        for m in reversed(bot.slack.dm_messages(user))
        if any(e.get("action_id") == ANSWER_ACTION for b in m.blocks for e in b.get("elements", []))
    )


def _pressed(bot: Bot, user: str) -> Any:
    lesson = lesson_for(bot, user)
    assert bot.driver.click(user, lesson, index=2).status == 200
    return lesson


def open_forget(bot: Bot, user: str) -> View:
    """`/learn forget`: no ephemeral, the confirmation modal instead."""
    before = len(bot.slack.ephemerals(user))
    assert bot.driver.command(user, "forget").status == 200
    bot.settle()
    assert bot.slack.ephemerals(user)[before:] == []
    (modal,) = bot.slack.views(user)
    assert modal.callback_id == FORGET_CALLBACK
    return modal


def test_export_then_forget_leaves_nothing_of_the_member(bot: Bot) -> None:
    greek, other = bot.user("greek"), bot.user("member")
    member_id = history(bot, greek)
    other_id = history(bot, other)
    other_before = traces(bot.deps.db.engine, other, other_id)
    t = translator("el")

    reply = bot.ask(greek, "export")

    assert reply.text == t("export.sent")
    (upload,) = bot.slack.files
    assert upload.completed and upload.channel_id == bot.slack.dm_channel_id(greek)
    assert upload.content is not None and GREEK_ANSWER.encode() in upload.content
    (dm,) = [m for m in bot.slack.dm_messages(greek) if m.files]
    assert dm.text == t("export.file_comment")
    document = json.loads(upload.content.decode("utf-8"))
    found = traces(bot.deps.db.engine, greek, member_id)
    assert {"members", "deliveries", "responses", "strategy_answers", "cards"} <= set(found)
    (member,) = found.pop("members")
    assert {**document["profile"], **document["settings"]} == as_exported(member)
    for table, rows in found.items():
        assert document[table] == [as_exported(row) for row in rows], table

    modal = open_forget(bot, greek)
    shown = json.dumps(modal.definition, ensure_ascii=False)
    assert t("forget.title") in shown and t.plural("data.cards", 1) in shown
    assert bot.driver.submit_view(greek, modal, {}).status == 200
    bot.settle()

    assert bot.slack.views(greek) == []
    assert traces(bot.deps.db.engine, greek, member_id) == {}
    assert traces(bot.deps.db.engine, other, other_id) == other_before
    told = bot.slack.dm_messages(greek)[-1]
    assert told.text == t("forget.done")
    said = told.blocks[0]["text"]["text"]
    assert t.plural("data.responses", 1) in said and t.plural("data.strategy_answers", 1) in said
    home = bot.slack.home(greek)  # shown again as on a first day, and nothing stored for it
    assert home is not None and t("home.first_lessons") in json.dumps(
        home.blocks, ensure_ascii=False
    )


def test_after_forget_the_member_is_new_to_nudge(bot: Bot) -> None:
    greek = bot.user("greek")
    history(bot, greek)
    bot.driver.submit_view(greek, open_forget(bot, greek), {})
    bot.settle()

    # Still in the team channel: the next roster refresh adds them again, as a new member.
    gateway = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, gateway, bot.slack.team_id, MONDAY_1000_LONDON)
    new_id = _member_id(bot, greek)
    assert new_id is not None
    found = traces(bot.deps.db.engine, greek, new_id)
    (row,) = found["members"]
    assert set(found) == {"members"} and row["lesson_time"] is None
    assert row["joined_at"] == MONDAY_1000_LONDON.replace(tzinfo=None)  # a fresh row

    lesson_for(bot, greek)  # `/learn now` as for anyone new
    assert {"members", "deliveries", "lesson_progress"} == set(
        traces(bot.deps.db.engine, greek, new_id)
    )


def test_forget_and_export_for_someone_nudge_never_met(bot: Bot) -> None:
    outsider = bot.user("outsider")
    t = translator("en")
    assert bot.ask(outsider, "forget").text == t("forget.nothing")
    assert bot.ask(outsider, "export").text == t("export.nothing")
    assert bot.slack.files == [] and bot.slack.views(outsider) == []


def test_leave_and_join_confirm_in_the_members_language(bot: Bot) -> None:
    for role, language in (("greek", "el"), ("member", "en")):
        t = translator(language)
        user = bot.user(role)
        assert bot.ask(user, "leave").text == t("roster.left", command="/learn")
        assert bot.ask(user, "join").text == t("roster.joined", command="/learn")


def test_a_confirmed_forget_while_nudge_is_busy_says_so_and_deletes_nothing(
    slack: LocalSlack, database_url: str
) -> None:
    bot = start_bot(slack, database_url, work_threads=1, work_queue=3)
    try:
        learners = bot.learners()[:4]
        owner = learners[3]
        wait_answered(bot, _pressed(bot, owner))
        member_id = _member_id(bot, owner)
        assert member_id is not None
        before = traces(bot.deps.db.engine, owner, member_id)
        modal = open_forget(bot, owner)
        with bot.slack.hold("chat.postMessage") as held:
            bot.driver.command(learners[0], "now")
            held.wait_until_waiting()
            bot.driver.command(learners[1], "now")
            bot.driver.command(learners[2], "now")  # the one thread is stuck, the queue full

            confirmed = bot.driver.submit_view(owner, modal, {})

            assert confirmed.status == 200
            (shown,) = bot.slack.views(owner)  # the confirmation, replaced in place
            said = json.dumps(shown.blocks, ensure_ascii=False)
            assert translator("en")("error.busy") in said or translator("el")("error.busy") in said
        bot.settle()
        assert traces(bot.deps.db.engine, owner, member_id) == before  # nothing was deleted
        assert before["responses"] and before["deliveries"]
    finally:
        bot.close()
