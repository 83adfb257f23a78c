"""`/learn team`'s use case against a hand-counted team (tests/services/team_fixture.py).

Every number below is counted by hand from the fixture's rows, not computed by the code under test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.i18n import translator
from bot.learning.model import Role
from bot.learning.team import AreaCounts, TeamReport, TeamTable
from bot.services.deps import Deps
from bot.services.membership import why
from bot.services.people import NotPermitted, RoleBook
from bot.services.team import team_report, team_table
from bot.slack.blocks.team_files import team_csv
from bot.store.db import make_engine
from bot.store.tables import Base
from bot.store.uow import Database
from tests.services.conftest import PeopleAndDMs, caller
from tests.services.team_fixture import LEAD, NAMES, PEOPLE, seed


@pytest.fixture
def team_deps(deps: Deps, slack: PeopleAndDMs) -> Deps:
    """The in-memory database with the fixture's team, and Lea as the lead."""
    seed(deps.db.engine)
    slack.workspace.update({user: _profile(user) for user in PEOPLE})
    return replace(deps, roles=RoleBook(leads=[LEAD], admins=[]))


def _profile(user: str) -> object:
    from bot.learning.model import MemberProfile

    name, locale, _choice = PEOPLE[user]
    return MemberProfile(user, name, "UTC", locale)


def _report(deps: Deps, slack: PeopleAndDMs, *args: str) -> TeamReport:
    outcome = team_report(deps, slack, caller(LEAD), args)
    assert outcome.report is not None
    return outcome.report


def _areas(report: TeamReport) -> dict[str, AreaCounts]:
    return {line.counts.skill: line.counts for line in report.areas}


def _check_two_weeks(report: TeamReport) -> None:
    assert report.members == 5  # Lea, Ann, Bob, Cat, Eve; Dan left
    # W2: Ann, Bob, Cat (a weekly answer); W3: Ann, Bob, Cat, Lea -> 7 of 5 x 2 member-weeks.
    assert report.participation == pytest.approx(0.7)
    # W0: Ann, Cat; W1: Ann -> 3 of 10.
    assert report.participation_before == pytest.approx(0.3)
    assert _areas(report) == {
        "alpha": AreaCounts("alpha", 2, 2, 1, 2, 2, 2),
        "beta": AreaCounts("beta", 3, 3, 3, 1, 1, 0),
        "gamma": AreaCounts("gamma", 3, 2, 1, 0, 0, 0),
    }
    # alpha and gamma tie on 2 answers and 1 right answer: the first id, alpha, is the blind spot.
    assert report.blind_spot == "Δεξιότητες Άλφα"
    assert report.strongest == "Beta skills"
    # alpha-1: 1 of 1 right, alpha-2: 0 of 1 right.
    assert report.focus == "The alpha lesson number 2"
    assert report.quiet == ["Eve"]
    assert report.most_answered is not None and report.fewest_answered is not None
    most, fewest = report.most_answered, report.fewest_answered
    assert (most.prompt, most.answers, most.sent) == (
        "Πώς συνδέεται η δουλειά άλφα με τους στόχους του τριμήνου;",
        2,
        4,
    )
    assert (fewest.prompt, fewest.answers, fewest.sent) == ("q-beta-old", 1, 5)


def test_the_report_matches_the_hand_count(team_deps: Deps, slack: PeopleAndDMs) -> None:
    _check_two_weeks(_report(team_deps, slack, "2"))


def test_one_week_compares_with_the_week_before(team_deps: Deps, slack: PeopleAndDMs) -> None:
    report = _report(team_deps, slack, "1")
    # W3 against W2: Ann, Bob, Cat, Lea (4 of 5) against Ann, Bob, Cat (3 of 5).
    assert (report.participation, report.participation_before) == (0.8, 0.6)
    assert _areas(report) == {
        "alpha": AreaCounts("alpha", 0, 0, 0, 2, 2, 1),
        "beta": AreaCounts("beta", 3, 3, 3, 0, 0, 0),
        "gamma": AreaCounts("gamma", 2, 2, 1, 1, 0, 0),
    }
    assert (report.blind_spot, report.strongest) == ("Δεξιότητες Άλφα", "Beta skills")
    # No alpha lesson was answered this week: the easiest alpha lesson, in Lea's language.
    assert report.focus == "Το μάθημα άλφα αριθμός 1"
    most, fewest = report.most_answered, report.fewest_answered
    assert most is not None and (most.prompt, most.answers) == ("q-beta-old", 1)
    assert fewest is None  # one question: nothing to tell apart


def test_the_default_is_four_weeks(team_deps: Deps, slack: PeopleAndDMs) -> None:
    report = _report(team_deps, slack)
    assert report.periods.weeks == 4
    # Four weeks hold both two-week periods above; Ann's answer of 1 October is before them.
    assert _areas(report)["alpha"] == AreaCounts("alpha", 4, 4, 3, 1, 1, 1)
    # W0..W3: 2 + 1 + 3 + 4 member-weeks of 5 x 4.
    assert report.participation == pytest.approx(10 / 20)


def test_an_empty_period_names_no_area(team_deps: Deps, slack: PeopleAndDMs, clock: object) -> None:
    later = replace(team_deps, clock=lambda: datetime(2027, 3, 1, 9, 30, tzinfo=UTC))
    report = _report(later, slack, "2")
    assert report.members == 5
    assert (report.participation, report.participation_before) == (0.0, 0.0)
    assert all(line.counts == AreaCounts(line.counts.skill) for line in report.areas)
    assert [line.counts.skill for line in report.areas] == ["alpha", "beta", "gamma"]
    assert (report.blind_spot, report.strongest, report.focus) == (None, None, None)
    assert (report.most_answered, report.fewest_answered) == (None, None)
    assert report.quiet == ["Ann", "Bob", "Cat", "Eve", "Λέα Αντωνίου"]


@pytest.mark.parametrize("typed", [("0",), ("53",), ("two",), ("2", "3"), ("-1",)])
def test_weeks_out_of_range_are_refused_politely(
    team_deps: Deps, slack: PeopleAndDMs, typed: tuple[str, ...]
) -> None:
    outcome = team_report(team_deps, slack, caller(LEAD), typed)
    assert (outcome.weeks, outcome.report, outcome.language) == (None, None, "el")


@pytest.mark.parametrize("who", ["U0ANN00001", "U0ADMIN001", "U0KARL0001"])
def test_only_a_lead_gets_the_report(team_deps: Deps, slack: PeopleAndDMs, who: str) -> None:
    from bot.learning.model import MemberProfile

    slack.workspace["U0KARL0001"] = MemberProfile("U0KARL0001", "Karl", "UTC", "en-US")
    deps = replace(team_deps, roles=RoleBook(leads=[LEAD], admins=["U0ADMIN001"]))
    for use_case in (team_report, team_table):
        with pytest.raises(NotPermitted) as refused:
            use_case(deps, slack, caller(who), ())
        assert refused.value.role == Role.LEAD


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())  # the BOM that spreadsheets need for Greek
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_reads_back_to_the_report_s_numbers(team_deps: Deps, slack: PeopleAndDMs) -> None:
    report = _report(team_deps, slack, "2")
    outcome = team_table(team_deps, slack, caller(LEAD), ("2",))
    assert outcome.table is not None
    t = translator("el")
    rows = _read_csv(team_csv(t, outcome.table))
    assert len(rows) == 5 * 3  # a row per member and area, zeros included
    member, area = t("team.csv.member"), t("team.csv.area")
    columns = (t("team.csv.lessons"), t("team.csv.answers"), t("team.csv.correct"))
    for line in report.areas:
        mine = [row for row in rows if row[area] == line.name]
        totals = tuple(sum(int(row[column]) for row in mine) for column in columns)
        assert totals == (line.counts.lessons, line.counts.answers, line.counts.correct)
    assert {row[member] for row in rows} == {NAMES[u] for u in PEOPLE if u != "U0DAN00001"}
    (ann_alpha,) = [r for r in rows if r[member] == "Ann" and r[area] == "Δεξιότητες Άλφα"]
    assert ann_alpha[t("team.csv.strategy")] == "1"
    assert ann_alpha[t("team.csv.last_active")] == "2026-11-18 10:00"
    (cat_gamma,) = [r for r in rows if r[member] == "Cat" and r[area] == "Gamma skills"]
    assert (cat_gamma[t("team.csv.lessons")], cat_gamma[t("team.csv.last_active")]) == ("1", "")


def test_a_name_never_becomes_a_spreadsheet_formula(team_deps: Deps, slack: PeopleAndDMs) -> None:
    outcome = team_table(team_deps, slack, caller(LEAD), ())
    assert outcome.table is not None
    table = outcome.table
    evil = replace(table.members[0], name='=HYPERLINK("x")')
    rows = _read_csv(team_csv(translator("en"), replace(table, members=[evil])))
    assert {row["member"] for row in rows} == {'\'=HYPERLINK("x")'}


@pytest.fixture
def database_deps(deps: Deps, database_url: str) -> Iterator[Deps]:
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    yield replace(deps, db=Database(engine), roles=RoleBook(leads=[LEAD], admins=[]))
    engine.dispose()


def test_the_same_numbers_on_every_database(database_deps: Deps, slack: PeopleAndDMs) -> None:
    """SQLite and, when TEST_DATABASE_URL is set, PostgreSQL: one query plan, the same report."""
    seed(database_deps.db.engine)
    slack.workspace.update({user: _profile(user) for user in PEOPLE})  # type: ignore[misc]
    _check_two_weeks(_report(database_deps, slack, "2"))
    table = team_table(database_deps, slack, caller(LEAD), ("2",)).table
    assert isinstance(table, TeamTable)
    assert sum(table.cell(m, "beta").strategy_answers for m in table.members) == 1


def test_why_names_the_team_blind_spot_to_a_lead_only(team_deps: Deps, slack: PeopleAndDMs) -> None:
    """`/learn why` to a lead names the blind spot `/learn team` names by default (4 weeks), by
    the same rule; a member gets no team figure, nor does the Home tab, which asks without
    `team`."""
    asked = why(team_deps, slack, caller(LEAD), team=True)
    assert asked.blind_spot is not None and asked.blind_spot == _report(team_deps, slack).blind_spot
    assert why(team_deps, slack, caller(LEAD)).blind_spot is None
    member = next(user for user in PEOPLE if user != LEAD)
    assert why(team_deps, slack, caller(member), team=True).blind_spot is None
    quiet = replace(team_deps, clock=lambda: datetime(2027, 3, 1, 9, 30, tzinfo=UTC))
    assert why(quiet, slack, caller(LEAD), team=True).blind_spot is None  # no answer to compare
