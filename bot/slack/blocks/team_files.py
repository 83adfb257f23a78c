"""The files a lead gets in their DMs: the member x skill-area heatmap (PNG) and the figures as a
CSV. Both say the period and every heading in the lead's language.

matplotlib is imported only when a heatmap is drawn: start-up and every other request do not pay
for it. The object-oriented API (a `Figure` drawn by the Agg canvas, never `pyplot`) keeps no
global state, so two leads' heatmaps can be drawn on two threads at once.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from bot.i18n import Translator
from bot.learning.team import TeamTable
from bot.slack.blocks.team import period_days

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Sized for 50 members and 12 areas: every name and every count readable at 100%.
WIDTH_INCHES = 11.0
ROW_INCHES = 0.26
FRAME_INCHES = 2.6  # the title, the rotated area names and the margins
DPI = 100
# A taller picture is no longer read as a picture: the CSV has everyone.
MAX_ROWS = 100
FONT = "DejaVu Sans"  # ships with matplotlib, and has Greek glyphs
# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "team.csv.member",
    "team.csv.user",
    "team.csv.area",
    "team.csv.lessons",
    "team.csv.answers",
    "team.csv.correct",
    "team.csv.strategy",
    "team.csv.last_active",
)


def heatmap_size(members: int) -> tuple[int, int]:
    """The PNG's width and height in pixels for this many members."""
    rows = min(max(members, 1), MAX_ROWS)
    return round(WIDTH_INCHES * DPI), round((FRAME_INCHES + ROW_INCHES * rows) * DPI)


def heatmap_figure(t: Translator, table: TeamTable) -> Figure:
    """Answers per member (rows, by name) and skill area (columns), a colour bar for the scale,
    the count in every cell and the period in the title."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    members = table.members[:MAX_ROWS]
    values = [[table.cell(member, skill).answers for skill, _ in table.areas] for member in members]
    width, height = heatmap_size(len(members))
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(values or [[0] * len(table.areas)], cmap="YlGnBu", aspect="auto", vmin=0)
    axes.set_yticks(
        range(len(members)), labels=[member.name for member in members], fontfamily=FONT
    )
    axes.set_xticks(
        range(len(table.areas)),
        labels=[name for _skill, name in table.areas],
        rotation=35,
        ha="right",
        rotation_mode="anchor",
        fontfamily=FONT,
    )
    top = max((max(row) for row in values if row), default=0)
    for row, counts in enumerate(values):
        for column, count in enumerate(counts):
            colour = "white" if top and count > top * 0.6 else "black"
            axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=colour)
    legend = figure.colorbar(image, ax=axes, shrink=min(1.0, 12 / max(len(members), 1)) or 1.0)
    legend.locator = MaxNLocator(integer=True)  # counts: no 0.5 answers on the scale
    legend.update_ticks()
    legend.set_label(t("team.heatmap_legend"), fontfamily=FONT)
    title = t("team.heatmap_title", **period_days(t, table.periods))
    if len(table.members) > MAX_ROWS:
        title += "\n" + t.plural("team.heatmap_cut", len(table.members), shown=MAX_ROWS)
    axes.set_title(title, fontfamily=FONT)
    return figure


def heatmap_png(t: Translator, table: TeamTable) -> bytes:
    out = io.BytesIO()
    heatmap_figure(t, table).savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _cell(text: str) -> str:
    """A name as text, never as a formula: a leading `=` or `@` gets a quote in front."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def team_csv(t: Translator, table: TeamTable) -> bytes:
    """One row per member and skill area, with a header; UTF-8 with a byte order mark, which
    spreadsheets need to read Greek (or any non-ASCII) names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([t(column) for column in CSV_COLUMNS])
    for member in table.members:
        for skill, name in table.areas:
            cell = table.cell(member, skill)
            last = cell.last_active.strftime("%Y-%m-%d %H:%M") if cell.last_active else ""
            writer.writerow(
                [
                    _cell(member.name),
                    member.slack_user_id,
                    _cell(name),
                    cell.lessons,
                    cell.answers,
                    cell.correct,
                    cell.strategy_answers,
                    last,
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_name(kind: str, table: TeamTable) -> str:
    """`nudge-team-2026-11-26.png`: the period's end, so that a folder of them sorts by date."""
    return f"nudge-team-{table.periods.now.until:%Y-%m-%d}.{kind}"
