"""`/learn team` and `/learn team csv` over HTTP: a lead gets the summary and files in their DMs;
anyone else gets a refusal with no names and no numbers, and no file."""

from __future__ import annotations

import csv
import io
import re

import pytest
from PIL import Image

from bot.i18n import LANGUAGES, translator
from bot.localslack.render import render_blocks
from bot.slack.blocks.team_files import heatmap_size
from tests.conftest import Bot
from tests.slack.test_learn_now_and_answer import lesson_for
from tests.slack.test_roster_events import _refresh


def _answer_one_lesson(bot: Bot, who: str) -> None:
    """The team channel's people become the team; one of them answers one lesson."""
    _refresh(bot)
    lesson = lesson_for(bot, who)
    assert bot.driver.click(who, lesson, index=1).status == 200
    bot.settle()


def _team_names(bot: Bot) -> set[str]:
    ws = bot.slack.workspace
    team = next(c for c in ws.channels if c.id == ws.settings.team_channel)
    return {u.real_name for u in ws.users if u.id in team.members}


def test_a_lead_gets_the_summary_then_the_heatmap_in_their_dms(bot: Bot) -> None:
    member, lead = bot.user("member"), bot.user("lead")
    _answer_one_lesson(bot, member)

    reply = bot.ask(lead, "team")

    t = translator("el")  # the lead, Anna, reads Greek
    text = render_blocks(reply.blocks)
    assert reply.text.startswith("Η ομάδα σας, τις τελευταίες 4 εβδομάδες")
    assert re.search(r"απαντήσεις 1 ", text), text  # the member's one answer, in its area
    assert t("team.files_follow", command="/learn").split(";")[0] in text.replace("\n", " ")
    (upload,) = bot.slack.files
    assert upload.completed and upload.channel_id == bot.slack.dm_channel_id(lead)
    assert upload.filename.endswith(".png") and upload.content is not None
    picture = Image.open(io.BytesIO(upload.content))
    picture.load()
    assert picture.format == "PNG" and picture.size == heatmap_size(len(bot.learners()))


def test_why_tells_a_lead_the_team_blind_spot_and_the_rule_that_names_it(bot: Bot) -> None:
    member, lead = bot.user("member"), bot.user("lead")
    _answer_one_lesson(bot, member)

    said = bot.ask(lead, "why").text.splitlines()
    report = " ".join(render_blocks(bot.ask(lead, "team").blocks).split())  # unwrapped

    # The lead, Anna, reads Greek; the area is the one `/learn team` names as the blind spot.
    prefix = ":dart: Το τυφλό σημείο της ομάδας σας τις τελευταίες 4 εβδομάδες είναι "
    assert said[-1].startswith(prefix) and "με τον κανόνα του τυφλού σημείου" in said[-1]
    area = said[-1].removeprefix(prefix).split(", με τον κανόνα")[0]
    assert f"*Τυφλό σημείο:* {area}, η ενότητα με τις λιγότερες απαντήσεις" in report
    assert not any(
        "τυφλό σημείο" in line.lower() for line in bot.ask(member, "why").text.splitlines()
    )


def test_a_lead_gets_the_csv_in_their_dms(bot: Bot) -> None:
    member, lead = bot.user("member"), bot.user("lead")
    _answer_one_lesson(bot, member)

    reply = bot.ask(lead, "team csv 2")

    assert "2 εβδομάδες" in reply.text
    (upload,) = bot.slack.files
    assert upload.filename.endswith(".csv") and upload.content is not None
    assert upload.channel_id == bot.slack.dm_channel_id(lead)
    rows = list(csv.reader(io.StringIO(upload.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "μέλος"
    assert sum(int(row[4]) for row in body) == 1  # the one answer
    assert {row[0] for row in body} == _team_names(bot)
    assert len(body) == len(_team_names(bot)) * 3  # the test library's three areas


def test_a_bad_number_of_weeks_says_how_to_ask(bot: Bot) -> None:
    reply = bot.ask(bot.user("lead"), "team 60")
    assert reply.text == translator("el")("team.bad_weeks", command="/learn")
    assert bot.slack.files == []


@pytest.mark.parametrize("role", ["member", "admin", "outsider"])
@pytest.mark.parametrize("typed", ["team", "team 8", "team csv"])
def test_anyone_but_a_lead_is_refused_without_names_or_numbers(
    bot: Bot, role: str, typed: str
) -> None:
    _answer_one_lesson(bot, bot.user("member"))
    who = bot.user(role)

    reply = bot.ask(who, typed)

    refusals = {translator(lang)("refused.lead", command="/learn team") for lang in LANGUAGES}
    assert reply.text in refusals
    shown = reply.text + render_blocks(reply.blocks)
    assert not re.search(r"\d", shown)
    assert not any(name in shown for name in _team_names(bot))
    assert bot.slack.files == []
