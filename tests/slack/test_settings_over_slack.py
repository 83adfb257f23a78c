"""The Settings modal as a member meets it in Slack: opened by `/learn settings` or App Home's
Settings button, submitted with good and bad values, in English and Greek, over signed HTTP
against the local Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import holidays
import pytest
from sqlalchemy import select

from bot.i18n import translator
from bot.learning.model import MemberSettings
from bot.learning.schedule_settings import TeamSchedule
from bot.localslack import View
from bot.localslack.blockkit import check_view
from bot.services.roster import refresh_roster
from bot.slack.blocks.settings import settings_errors, settings_modal
from bot.slack.gateway import SlackGateway, make_web_client
from bot.store import tables
from tests.conftest import Bot
from tests.slack.test_team_setup import chosen

SETTINGS = ("lesson_time", "working_days", "lessons_per_week", "language", "holiday_country")


def open_settings(bot: Bot, user: str) -> View:
    """`/learn settings`: an empty acknowledgement, no message, and the modal."""
    before = len(bot.slack.ephemerals(user))
    response = bot.driver.command(user, "settings")
    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert bot.slack.ephemerals(user)[before:] == []
    (modal,) = bot.slack.views(user)
    return modal


def home_with_settings(bot: Bot, user: str) -> View:
    """The member's Home, with its Settings button (`home.settings`), as they open it."""
    bot.driver.event({"type": "app_home_opened", "user": user, "tab": "home"})
    bot.settle()
    home = bot.slack.home(user)
    assert home is not None and "home.settings" in json.dumps(home.blocks)
    return home


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def owner_of(modal: View) -> str:
    return str(json.loads(modal.private_metadata)["owner"])


def settings_rows(bot: Bot) -> int:
    """Members with any setting of their own."""
    with bot.deps.db.engine.connect() as connection:
        rows = connection.execute(select(*(getattr(tables.Member, n) for n in SETTINGS))).all()
    return sum(any(value is not None for value in row) for row in rows)


def _stored(bot: Bot, user: str) -> dict[str, Any]:
    with bot.deps.db.engine.connect() as connection:
        row = connection.execute(
            select(tables.Member).where(tables.Member.slack_user_id == user)
        ).one()
    return {name: getattr(row, name) for name in (*SETTINGS, "interests", "next_due_at")}


def _initial(modal: View) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for block in modal.blocks:
        element = block.get("element") or {}
        if "initial_option" in element:
            found[block["block_id"]] = element["initial_option"]["value"]
        elif block.get("type") == "input":
            found[block["block_id"]] = [o["value"] for o in element.get("initial_options", [])]
    return found


def test_the_command_opens_the_members_own_settings_at_the_team_defaults(bot: Bot) -> None:
    member = bot.user("member")
    modal = open_settings(bot, member)

    assert modal.definition["title"]["text"] == "Your settings" and owner_of(modal) == member
    assert _initial(modal) == {
        "lesson_time": "auto",
        "working_days": [],
        "lessons_per_week": "auto",
        "language": "auto",
        "holiday_country": "auto",
        "interests": [],
    }
    texts = {
        block["block_id"]: [o["text"]["text"] for o in block["element"]["options"]]
        for block in modal.blocks
        if block.get("type") == "input"
    }
    assert texts["lesson_time"][0] == "Team default (09:30)"
    assert texts["holiday_country"][0] == "Your time zone's country (United Kingdom)"
    assert texts["interests"] == ["Alpha skills", "Beta skills", "Gamma skills"]


def test_the_home_button_opens_settings_and_a_save_republishes_home(bot: Bot) -> None:
    member = bot.user("member")  # Chloe, Europe/London
    refresh_roster(
        bot.deps,
        SlackGateway(make_web_client(bot.deps.settings)),
        bot.slack.team_id,
        bot.clock.now(),
    )
    home = home_with_settings(bot, member)
    assert bot.driver.click(member, home, action_id="home.settings").status == 200
    bot.settle()
    (modal,) = bot.slack.views(member)
    published = len(bot.slack.calls_to("views.publish"))

    done = bot.driver.submit_view(
        member,
        modal,
        {
            "lesson_time": {"lesson_time": "14:00"},
            "working_days": {"working_days": ["mon", "wed"]},
            "lessons_per_week": {"lessons_per_week": "2"},
            "holiday_country": {"holiday_country": "GR"},
            "interests": {"interests": ["beta"]},
        },
    )

    assert (done.status, done.body) == (200, "")
    bot.settle()
    assert bot.slack.views(member) == []  # closed
    stored = _stored(bot, member)
    assert {k: stored[k] for k in (*SETTINGS, "interests")} == {
        "lesson_time": "14:00",
        "working_days": "mon,wed",
        "lessons_per_week": 2,
        "language": None,
        "holiday_country": "GR",
        "interests": "beta",
    }
    # Thursday 26 November 2026, 09:30 UTC: the next is Monday 30 November, 14:00 in London.
    assert stored["next_due_at"] == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert "Monday 30 November, 14:00" in bot.ask(member, "why").text
    assert len(bot.slack.calls_to("views.publish")) == published + 1
    republished = bot.slack.home(member)
    assert republished is not None  # and it shows the next lesson at the new time at once:
    assert "Monday 30 November, 14:00" in json.dumps(republished.blocks, ensure_ascii=False)

    again = open_settings(bot, member)  # prefilled with what was saved
    assert _initial(again)["lesson_time"] == "14:00"
    assert _initial(again)["working_days"] == ["mon", "wed"]


def test_a_bad_value_is_shown_on_its_own_field_and_nothing_is_saved(bot: Bot) -> None:
    member = bot.user("member")
    modal = open_settings(bot, member)

    too_many = bot.driver.submit_view(
        member,
        modal,
        {
            "working_days": {"working_days": ["mon", "tue"]},
            "lessons_per_week": {"lessons_per_week": "4"},
        },
    )
    assert too_many.json() == {
        "response_action": "errors",
        "errors": {
            "lessons_per_week": (
                "More lessons than working days (2): pick at most 2, or add working days."
            )
        },
    }
    forged = bot.driver.submit_view(
        member,
        modal,
        {
            "lesson_time": {"lesson_time": _picked("static_select", "25:00")},
            "holiday_country": {"holiday_country": _picked("static_select", "XX")},
        },
    )
    assert forged.json()["errors"] == {
        "lesson_time": "Pick a time from the list.",
        "holiday_country": "Pick a country from the list.",
    }
    bot.settle()
    assert settings_rows(bot) == 0 and len(bot.slack.views(member)) == 1  # still open


def _picked(kind: str, value: str) -> dict[str, Any]:
    return {"type": kind, "selected_option": {"text": _plain(value), "value": value}}


def test_a_greek_speaker_reads_the_modal_and_its_errors_in_greek(bot: Bot) -> None:
    greek = bot.user("greek")
    modal = open_settings(bot, greek)

    assert modal.definition["title"]["text"] == "Οι ρυθμίσεις σας"
    assert modal.definition["submit"]["text"] == "Αποθήκευση"
    labels = [b["label"]["text"] for b in modal.blocks if b.get("type") == "input"]
    assert labels == [
        "Ώρα μαθήματος",
        "Εργάσιμες ημέρες",
        "Μαθήματα την εβδομάδα",
        "Γλώσσα",
        "Χωρίς μαθήματα τις επίσημες αργίες της χώρας",
        "Θεματικές ενότητες που σας ενδιαφέρουν",
    ]
    options = {
        b["block_id"]: [o["text"]["text"] for o in b["element"]["options"]]
        for b in modal.blocks
        if b.get("type") == "input"
    }
    assert options["working_days"][0] == "Δευτέρα"
    assert options["language"] == ["Όπως στο Slack (Ελληνικά)", "English", "Ελληνικά"]
    assert options["holiday_country"][0] == "Η χώρα της ζώνης ώρας σας (Ελλάδα)"
    assert "Κύπρος" in options["holiday_country"]
    assert options["interests"][0] == "Δεξιότητες Άλφα"

    refused = bot.driver.submit_view(
        greek, modal, {"lessons_per_week": {"lessons_per_week": _picked("static_select", "9")}}
    )
    assert refused.json()["errors"] == {
        "lessons_per_week": "Επιλέξτε έναν αριθμό από το 1 έως το 5."
    }


def test_english_chosen_by_a_greek_speaker_is_used_from_then_on(bot: Bot) -> None:
    greek = bot.user("greek")
    modal = open_settings(bot, greek)
    bot.driver.submit_view(greek, modal, {"language": {"language": "en"}})
    bot.settle()

    assert bot.ask(greek, "help").text.startswith(bot.ask(bot.user("member"), "help").text[:20])
    assert open_settings(bot, greek).definition["title"]["text"] == "Your settings"


def test_someone_elses_modal_changes_nothing(bot: Bot) -> None:
    member, other = bot.user("member"), bot.user("greek")
    modal = open_settings(bot, member)
    response = bot.driver.submit_view(other, modal, {"lesson_time": {"lesson_time": "07:00"}})
    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert settings_rows(bot) == 0


@pytest.mark.parametrize("language", ["en", "el"])
def test_the_settings_modal_fits_slack_with_forty_long_skill_areas(language: str) -> None:
    """Every option within Slack's limits (a skill name can be 150 characters; an option shows
    75), with 40 areas of interest already chosen and a country list at its longest."""
    skills = [(f"area-{n:02d}", f"Skill area {n:02d} " + "ε" * 140) for n in range(40)]
    chosen = MemberSettings(interests=frozenset(skill for skill, _ in skills))
    view = settings_modal(
        translator(language),
        owner="U0CHLOE001",
        current=chosen,
        team=TeamSchedule(),
        slack_language="el",
        zone_country="GR",
        countries=sorted(holidays.list_supported_countries())[:99],
        skills=skills,
    )
    assert check_view(view) == []


def cut_to_three_days(bot: Bot, admin: str) -> None:
    """`/learn admin setup`: the team's working days become Monday to Wednesday."""
    assert bot.driver.command(admin, "admin setup").status == 200
    bot.settle()
    (setup,) = bot.slack.views(admin)
    three_days = chosen(working_days=["mon", "tue", "wed"])
    assert bot.driver.submit_view(admin, setup, three_days).body == ""
    bot.settle()


def test_lessons_a_week_are_checked_at_once_against_the_workspaces_working_days(bot: Bot) -> None:
    """`/learn admin setup` changed the team's days from the environment's five to three: four
    lessons a week are refused on the spot (not accepted, then quietly not saved), three are
    saved."""
    admin = bot.user("admin")
    cut_to_three_days(bot, admin)
    assert len(bot.deps.schedule.working_days) == 5  # the environment's

    member = bot.user("member")
    modal = open_settings(bot, member)
    four = bot.driver.submit_view(member, modal, {"lessons_per_week": {"lessons_per_week": "4"}})
    assert four.json()["errors"] == {
        "lessons_per_week": (
            "More lessons than working days (3): pick at most 3, or add working days."
        )
    }
    bot.settle()
    assert settings_rows(bot) == 0
    three = bot.driver.submit_view(member, modal, {"lessons_per_week": {"lessons_per_week": "3"}})
    assert (three.status, three.body) == (200, "")
    bot.settle()
    assert _stored(bot, member)["lessons_per_week"] == 3


def test_working_days_cut_while_the_modal_is_open_are_shown_on_the_field_at_save(
    bot: Bot,
) -> None:
    """A Greek member opens Settings while the team works five days; the admin then cuts them to
    three (`/learn admin setup`). Four lessons a week, saved after that, keep the modal open with
    the reason on the lessons-a-week field, in Greek, and nothing is stored."""
    member, admin = bot.user("greek"), bot.user("admin")
    modal = open_settings(bot, member)
    cut_to_three_days(bot, admin)

    four = bot.driver.submit_view(member, modal, {"lessons_per_week": {"lessons_per_week": "4"}})
    problem = {"lessons_per_week": ("too_many_lessons", {"days": 3})}
    assert four.json() == {
        "response_action": "errors",
        "errors": settings_errors(translator("el"), problem),
    }
    assert "3" in four.json()["errors"]["lessons_per_week"]
    bot.settle()
    assert settings_rows(bot) == 0
    assert [view.id for view in bot.slack.views(member)] == [modal.id], "the modal stays open"
