"""The heatmap: readable with 50 members and 12 areas, names drawn (Greek too), a colour legend,
the period in the title; the PNG reads back at the size promised."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from bot.i18n import translator
from bot.learning.team import MemberArea, TeamMember, TeamTable, periods
from bot.slack.blocks.team_files import MAX_ROWS, heatmap_figure, heatmap_png, heatmap_size

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def _table(members: int, areas: int = 12) -> TeamTable:
    people = [
        TeamMember(f"Μέλος {index:02d} Παπαδάκη", f"U{index:09d}") for index in range(members)
    ]
    skills = [(f"skill-{index:02d}", f"Ενότητα {index}") for index in range(areas)]
    cells = {
        (person.slack_user_id, skill): MemberArea(0, skill, answers=(row * column) % 7)
        for row, person in enumerate(people)
        for column, (skill, _name) in enumerate(skills)
    }
    return TeamTable(periods(4, NOW), people, skills, cells)


def test_fifty_members_and_twelve_areas_are_drawn_with_names_legend_and_period() -> None:
    t, table = translator("el"), _table(50)
    figure = heatmap_figure(t, table)
    axes, legend = figure.axes  # the map and its colour bar
    assert [label.get_text() for label in axes.get_yticklabels()] == [
        member.name for member in table.members
    ]
    assert [label.get_text() for label in axes.get_xticklabels()] == [n for _s, n in table.areas]
    assert legend.get_ylabel() == t("team.heatmap_legend")
    assert axes.get_title() == t(
        "team.heatmap_title", since="Πέμπτη 29 Οκτωβρίου", until="Πέμπτη 26 Νοεμβρίου"
    )
    # Every cell carries its count: row 3, column 4 holds 12 % 7.
    texts = {
        (round(text.get_position()[0]), round(text.get_position()[1])): text.get_text()
        for text in axes.texts
    }
    assert texts[4, 3] == "5" and len(texts) == 50 * 12


@pytest.mark.filterwarnings("error")  # matplotlib warns of every glyph its font lacks
def test_the_png_opens_at_the_promised_size_and_greek_has_glyphs() -> None:
    png = heatmap_png(translator("el"), _table(50))
    picture = Image.open(io.BytesIO(png))
    picture.load()
    assert picture.format == "PNG" and picture.size == heatmap_size(50)
    assert picture.size[1] > picture.size[0]  # a row per member, each tall enough to read


def test_a_very_large_team_is_cut_to_a_readable_picture() -> None:
    t, table = translator("en"), _table(MAX_ROWS + 20, areas=3)
    figure = heatmap_figure(t, table)
    assert len(figure.axes[0].get_yticklabels()) == MAX_ROWS
    assert f"{MAX_ROWS} of {MAX_ROWS + 20}" in figure.axes[0].get_title()
