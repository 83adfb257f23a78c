"""Two workspaces served by one Nudge (installed by OAuth): what one workspace's people see, in
every report (/learn team, team csv, admin stats), export, App Home and digest, holds nothing of
the other's, while it does hold their own (so that the check could fail); and every figure they
are shown (participation, answers, recall, admin stats, the digest's numbers) is the one the same
week gives that workspace when Nudge serves it alone, so that a query that counts the other
workspace's rows too cannot pass for right."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock
from bot.localslack import LocalSlack, SlackDriver, load_workspace
from bot.localslack.workspace import default_seed_path, second_seed_path
from tests.conftest import SIGNING_SECRET, Bot, postgres_schema
from tests.slack.installs import install, start_oauth_bot

MONDAY = [datetime(2026, 11, 30, hour, tzinfo=UTC) for hour in (0, 10, 16, 23)]
FRIDAY = [datetime(2026, 12, 4, hour, tzinfo=UTC) for hour in (0, 10)]


@dataclass(frozen=True)
class Team:
    """One workspace as its people use it."""

    local: LocalSlack
    driver: SlackDriver
    admin: str
    lead: str
    learner: str
    answer: str  # what `learner` answers the week's question with
    setup: dict[str, object]
    pick: int = 2  # the option `learner` picks in their first lesson's check

    def ask(self, bot: Bot, user: str, text: str) -> str:
        before = len(self.local.ephemerals(user))
        assert self.driver.command(user, text).status == 200
        bot.settle()
        return " ".join(
            e.text + json.dumps(e.blocks, ensure_ascii=False)
            for e in self.local.ephemerals(user)[before:]
        )

    def set_up(self, bot: Bot) -> None:
        assert self.driver.command(self.admin, "admin setup").status == 200
        bot.settle()
        (modal,) = self.local.views(self.admin)
        values = {name: {name: value} for name, value in self.setup.items()}
        assert self.driver.submit_view(self.admin, modal, values).body == ""
        bot.settle()

    def answer_question(self, bot: Bot) -> None:
        """The learner answers the week's question, and the check of their first lesson."""
        lesson = next(
            m
            for m in self.local.dm_messages(self.learner)
            if m.blocks and "Question of the week" not in m.text
        )
        self.driver.click(self.learner, lesson, index=self.pick)
        bot.settle()
        (question,) = [
            m
            for m in self.local.dm_messages(self.learner)
            if m.text.startswith("Question of the week")
        ]
        self.driver.click(self.learner, question, index=1)
        bot.settle()
        (modal,) = self.local.views(self.learner)
        typed = {"question_text": {"text": self.answer}}
        assert self.driver.submit_view(self.learner, modal, typed).body == ""
        bot.settle()

    def everything_seen(self, bot: Bot) -> str:
        """Every report, export, App Home and digest of this workspace, as text."""
        seen = [
            self.ask(bot, self.lead, "team"),
            self.ask(bot, self.lead, "team csv"),
            self.ask(bot, self.admin, "admin stats"),
            self.ask(bot, self.learner, "export"),
        ]
        for user in (self.lead, self.learner):
            self.driver.event({"type": "app_home_opened", "user": user, "tab": "home"})
            bot.settle()
            home = self.local.home(user)
            assert home is not None
            seen.append(json.dumps(home.blocks, ensure_ascii=False))
        leads_channel = str(self.setup["leads_channel"])
        digests = [
            m for m in self.local.messages(leads_channel) if m.user == self.local.bot_user_id
        ]
        assert digests, "no digest was posted"
        seen += [m.text + json.dumps(m.blocks, ensure_ascii=False) for m in digests]
        seen += [(f.content or b"").decode("utf-8", "replace") for f in self.local.files]
        return "\n".join(seen)

    def figures(self, bot: Bot) -> list[str]:
        """Everything seen (`everything_seen`) as the lines of words and numbers people read:
        the texts of messages and blocks, the CSV files, the export without its rows' ids. Not
        what differs from one run to another whatever the workspaces: row, message and file ids,
        buttons' values, the heatmap's pixels."""
        lines: list[str] = []
        for user, text in (
            (self.lead, "team"),
            (self.lead, "team csv"),
            (self.admin, "admin stats"),
            (self.learner, "export"),
        ):
            before = len(self.local.ephemerals(user))
            assert self.driver.command(user, text).status == 200
            bot.settle()
            for e in self.local.ephemerals(user)[before:]:
                lines += [e.text, *_texts(e.blocks)]
        for user in (self.lead, self.learner):
            self.driver.event({"type": "app_home_opened", "user": user, "tab": "home"})
            bot.settle()
            home = self.local.home(user)
            assert home is not None
            lines += _texts(home.blocks)
        leads_channel = str(self.setup["leads_channel"])
        for m in self.local.messages(leads_channel):
            if m.user == self.local.bot_user_id:
                lines += [m.text, *_texts(m.blocks)]
        for f in self.local.files:
            if f.filename.endswith(".csv"):
                lines += (f.content or b"").decode().splitlines()
            elif f.filename.endswith(".json"):
                lines += json.dumps(
                    _without_ids(json.loads(f.content or b"")), indent=0
                ).splitlines()
        return [line for text in lines for line in text.splitlines()]

    def identities(self) -> list[str]:
        """What would give this workspace away: its people's ids and names, its channels, the
        answer written in it."""
        ws = self.local.workspace
        people = [u.id for u in ws.users] + [u.real_name for u in ws.users]
        return [*people, *(c.id for c in ws.channels), ws.team.id, ws.team.name, self.answer]


def _texts(blocks: Any) -> list[str]:
    """Every text in Block Kit blocks, in order."""
    if isinstance(blocks, list):
        return [text for block in blocks for text in _texts(block)]
    if not isinstance(blocks, dict):
        return []
    found = [blocks["text"]] if isinstance(blocks.get("text"), str) else []
    return found + [
        text
        for key, value in blocks.items()
        if key != "text" or not isinstance(value, str)
        for text in _texts(value)
    ]


ROW_IDS = {"id", "member_id", "delivery_id", "last_delivery", "workspace_id", "ts"}


def _without_ids(data: Any) -> Any:
    """An export without the database's row ids and Slack's message ts (numbered in the order
    rows were written, which two workspaces interleave)."""
    if isinstance(data, dict):
        return {k: _without_ids(v) for k, v in data.items() if k not in ROW_IDS}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data


ACME: dict[str, Any] = {
    "admin": "U0BEN00001",
    "lead": "U0ANNA0001",
    "learner": "U0CHLOE001",
    "answer": "Acme answers: four weeks of testing",
    "setup": {
        "team_channel": "C0SOCIAL01",
        "leads_channel": "C0LEADS001",
        "leads": ["U0ANNA0001"],
        "admins": ["U0BEN00001"],
        "lesson_time": "09:30",
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
        "team_language": "en",
    },
}
OLIVE: dict[str, Any] = {
    "admin": "U1MARIA001",
    "lead": "U1MARIA001",
    "learner": "U1OSCAR001",
    "answer": "Bakery answers: sourdough before sunrise",
    "pick": 1,  # another option than Acme's learner: the two remember differently
    "setup": {
        "team_channel": "C1BAKERS01",
        "leads_channel": "C1OWNERS01",
        "leads": ["U1MARIA001"],
        "admins": ["U1MARIA001"],
        "lesson_time": "09:30",
        "working_days": ["mon", "tue", "wed", "thu", "fri"],
        "team_language": "en",
    },
}


def team(bot: Bot, local: LocalSlack, who: dict[str, Any]) -> Team:
    assert bot.server is not None
    return Team(local, SlackDriver(bot.server.events_url, SIGNING_SECRET, local), **who)


def play_a_week(bot: Bot, *teams: Team) -> None:
    """Each workspace installs Nudge and is set up; a week of ticks sends lessons, the week's
    question and the digests; each learner answers a check and the question on Monday."""
    for each in teams:
        assert install(bot, each.local).status == 200
        each.set_up(bot)  # the installer (each seed's first admin) names the rest
    clock = Clock(bot.deps)
    for at in MONDAY:
        bot.clock.set(at)
        clock.tick(at)  # reads the rosters, sends lessons and the week's question
    for each in teams:
        each.answer_question(bot)
    for at in FRIDAY:
        bot.clock.set(at)
        clock.tick(at)  # the digests


@contextmanager
def another_database(database_url: str, tmp_path: Path, name: str) -> Iterator[str]:
    """An empty database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / name}.db"
        return
    with postgres_schema() as url:
        yield url


def figures_alone(seed: Path, who: dict[str, Any], database_url: str, tmp_path: Path) -> list[str]:
    """What the workspace's people are shown after the same week when Nudge serves it alone."""
    with (
        LocalSlack(load_workspace(seed)) as local,
        another_database(database_url, tmp_path, seed.stem) as url,
    ):
        bot = start_oauth_bot(local, url)
        try:
            only = team(bot, local, who)
            play_a_week(bot, only)
            return only.figures(bot)
        finally:
            bot.close()


@pytest.fixture
def teams(slack: LocalSlack, database_url: str) -> Iterator[tuple[Bot, Team, Team]]:
    bakery = slack.add_workspace(load_workspace(second_seed_path()))
    bot = start_oauth_bot(slack, database_url)
    acme, olive = team(bot, slack, ACME), team(bot, bakery, OLIVE)
    try:
        yield bot, acme, olive
    finally:
        bot.close()


def test_no_workspace_sees_anything_of_the_other(teams: tuple[Bot, Team, Team]) -> None:
    bot, acme, olive = teams
    play_a_week(bot, acme, olive)

    for own, other in ((acme, olive), (olive, acme)):
        seen = own.everything_seen(bot)
        assert own.answer in seen  # the workspace's own answer is in its digest
        mine = [mark for mark in own.identities() if mark in seen]
        assert own.local.user(own.learner).real_name in mine  # the reports name its people
        leaked = [mark for mark in other.identities() if mark in seen]
        assert leaked == [], f"{own.local.team_id} sees {leaked}"


def test_each_workspace_is_shown_the_figures_it_is_shown_alone(
    teams: tuple[Bot, Team, Team], database_url: str, tmp_path: Path
) -> None:
    """Ids and names can stay home while numbers leak: a count over both workspaces' rows names
    nobody. Each workspace's figures after a week beside the other must be the figures of the
    same week with Nudge serving it alone."""
    bot, acme, olive = teams
    play_a_week(bot, acme, olive)
    together = {each.local.team_id: each.figures(bot) for each in (acme, olive)}

    for each, seed, who in ((acme, default_seed_path(), ACME), (olive, second_seed_path(), OLIVE)):
        alone = figures_alone(seed, who, database_url, tmp_path)
        assert together[each.local.team_id] == alone, each.local.team_id
    # The week gave each something to count (else equal figures would prove nothing).
    digest = next(line for line in together[acme.local.team_id] if line.startswith("Week ending"))
    assert "*1* answered" in digest, digest
