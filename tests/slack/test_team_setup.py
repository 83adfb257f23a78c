"""`/learn admin setup`: a workspace's team channel, leads channel, leads, admins and defaults,
set by its admin in a modal and stored in the database, over signed HTTP against the local Slack.
The environment's values are the defaults in single-workspace mode; bad values are refused on
their field, in the modal's language, with nothing stored."""

from __future__ import annotations

from typing import Any

from bot.localslack import View
from bot.services.roster import refresh_roster
from bot.services.team_setup import in_workspace
from bot.slack.gateway import SlackGateway, make_web_client
from tests.conftest import Bot

ANNA, BEN, CHLOE = "U0ANNA0001", "U0BEN00001", "U0CHLOE001"


def open_setup(bot: Bot, user: str) -> View:
    response = bot.driver.command(user, "admin setup")
    assert (response.status, response.body) == (200, "")
    bot.settle()
    (modal,) = bot.slack.views(user)
    return modal


def chosen(**changes: Any) -> dict[str, dict[str, Any]]:
    """Every field of the modal as the driver submits it: the seed's values, with `changes`."""
    values: dict[str, Any] = {
        "team_channel": "C0SOCIAL01",
        "leads_channel": "C0LEADS001",
        "leads": [ANNA],
        "admins": [BEN],
        "lesson_time": "09:30",
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
        "team_language": "en",
        "digest_anonymous": [],
        **changes,
    }
    return {name: {name: value} for name, value in values.items()}


def stored(bot: Bot) -> dict[str, object] | None:
    with bot.deps.uow() as uow:
        return uow.workspaces.settings_of(bot.slack.team_id)


def test_the_modal_opens_at_the_environments_values(bot: Bot) -> None:
    modal = open_setup(bot, BEN)
    blocks = {b["block_id"]: b["element"] for b in modal.blocks if b["type"] == "input"}
    assert blocks["team_channel"]["initial_channel"] == "C0SOCIAL01"
    assert blocks["leads"]["initial_users"] == [ANNA]
    assert blocks["admins"]["initial_users"] == [BEN]
    assert blocks["lesson_time"]["initial_option"]["value"] == "09:30"
    assert stored(bot) is None  # opening stores nothing


def test_an_admin_saves_the_workspaces_settings_and_everyone_is_rescheduled(bot: Bot) -> None:
    bot.ask(CHLOE, "join")  # someone with a next lesson worked out from the old defaults
    modal = open_setup(bot, BEN)
    values = chosen(
        leads=[ANNA, CHLOE], lesson_time="10:00", working_days=["mon", "wed"],
        team_language="el", digest_anonymous=["anonymous"],
    )  # fmt: skip
    done = bot.driver.submit_view(BEN, modal, values)
    assert (done.status, done.body) == (200, "")
    bot.settle()
    assert bot.slack.views(BEN) == []
    assert stored(bot) == {
        "team_channel": "C0SOCIAL01",
        "leads_channel": "C0LEADS001",
        "leads": [ANNA, CHLOE],
        "admins": [BEN],
        "lesson_time": "10:00",
        "working_days": "mon,wed",
        "team_language": "el",
        "digest_anonymous": True,
    }
    scoped = in_workspace(bot.deps, bot.slack.team_id)
    assert scoped.settings.digest_anonymous and scoped.settings.team_language == "el"
    assert scoped.schedule.lesson_time.hour == 10 and len(scoped.schedule.working_days) == 2
    with bot.deps.uow() as uow:
        chloe = uow.members.find_in_team(bot.slack.team_id, CHLOE)
    assert chloe is not None and chloe.next_due_at is None  # the clock works it out afresh
    # Chloe is a lead now: the leads' report answers her.
    assert not bot.ask(CHLOE, "team").text.startswith(":lock:")


def test_bad_values_are_refused_on_their_fields_and_nothing_is_stored(bot: Bot) -> None:
    modal = open_setup(bot, BEN)
    refused = bot.driver.submit_view(
        BEN, modal, chosen(team_channel=None, admins=[], working_days=[])
    )
    assert refused.json() == {
        "response_action": "errors",
        "errors": {
            "team_channel": "Pick the channel whose members learn.",
            "admins": "Pick at least one admin: without one nobody could change these settings.",
            "working_days": "Pick at least one day, and as many as the team's lessons a week.",
        },
    }
    bot.settle()
    assert stored(bot) is None
    assert bot.slack.views(BEN) == [modal]  # still open, for the admin to put right


def test_more_lessons_than_working_days_is_refused_in_greek_for_a_greek_admin(
    slack: Any, database_url: str
) -> None:
    from tests.conftest import start_bot

    greek_admin = start_bot(slack, database_url, admins=[ANNA], lessons_per_week="3")
    try:
        modal = open_setup(greek_admin, ANNA)
        refused = greek_admin.driver.submit_view(
            ANNA, modal, chosen(admins=[ANNA], working_days=["mon", "tue"])
        )
        assert refused.json()["errors"] == {
            "working_days": "Επιλέξτε τουλάχιστον μία ημέρα, και τόσες όσα τα μαθήματα της "
            "ομάδας την εβδομάδα."
        }
        assert stored(greek_admin) is None
    finally:
        greek_admin.close()


def test_only_an_admin_may_open_the_setup(bot: Bot) -> None:
    reply = bot.ask(CHLOE, "admin setup")
    assert reply.text.startswith(":lock: Only Nudge admins may use `/learn admin`.")
    assert bot.slack.views(CHLOE) == []


def test_a_forged_submission_by_a_member_stores_nothing(bot: Bot) -> None:
    modal = open_setup(bot, BEN)
    bot.driver.submit_view(CHLOE, modal, chosen(admins=[CHLOE]))
    bot.settle()
    assert stored(bot) is None


def test_user_groups_named_in_the_environment_stay_when_the_modal_names_people(
    slack: Any, database_url: str
) -> None:
    from tests.conftest import start_bot

    grouped = start_bot(slack, database_url, leads=["S0LEADS001"])
    try:
        modal = open_setup(grouped, BEN)
        leads = {b["block_id"]: b["element"] for b in modal.blocks if b["type"] == "input"}
        assert "initial_users" not in leads["leads"]  # a group is not a person to pick
        grouped.driver.submit_view(BEN, modal, chosen(leads=[CHLOE]))
        grouped.settle()
        saved = stored(grouped)
        assert saved is not None and saved["leads"] == [CHLOE, "S0LEADS001"]
    finally:
        grouped.close()


KARL = "U0KARL0001"  # in #random, not in the seed's team channel


def learners(bot: Bot) -> set[str]:
    with bot.deps.uow() as uow:
        workspace_id = uow.workspaces.find(bot.slack.team_id)
        assert workspace_id is not None
        return {m.slack_user_id for m in uow.members.roster(workspace_id).values() if m.learns}


def test_a_new_team_channels_roster_is_read_when_it_is_saved(bot: Bot) -> None:
    """Its people learn from the save on, not from the clock's next daily read; saving the same
    channel again reads nothing."""
    slack = SlackGateway(make_web_client(bot.deps.settings))
    refresh_roster(bot.deps, slack, bot.slack.team_id, bot.clock.now())  # the seed's channel
    assert CHLOE in learners(bot) and KARL not in learners(bot)
    done = bot.driver.submit_view(BEN, open_setup(bot, BEN), chosen(team_channel="C0RANDOM01"))
    assert (done.status, done.body) == (200, "")  # acknowledged before the roster is read
    bot.settle()
    assert learners(bot) == {ANNA, BEN, KARL}  # #random's people, Chloe no more
    read = len(bot.slack.calls_to("conversations.members"))
    assert read >= 1

    again = chosen(team_channel="C0RANDOM01", lesson_time="10:00")
    assert bot.driver.submit_view(BEN, open_setup(bot, BEN), again).body == ""
    bot.settle()
    assert len(bot.slack.calls_to("conversations.members")) == read
    assert (stored(bot) or {})["lesson_time"] == "10:00"
