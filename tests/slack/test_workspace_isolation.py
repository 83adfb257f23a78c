"""Two workspaces served by one Nudge (installed by OAuth): what one workspace's people see, in
every report (/learn team, team csv, admin stats), export, App Home and digest, holds nothing of
the other's, while it does hold their own (so that the check could fail)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.clock import Clock
from bot.localslack import LocalSlack, SlackDriver, load_workspace
from bot.localslack.workspace import second_seed_path
from tests.conftest import SIGNING_SECRET, Bot
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

    def identities(self) -> list[str]:
        """What would give this workspace away: its people's ids and names, its channels, the
        answer written in it."""
        ws = self.local.workspace
        people = [u.id for u in ws.users] + [u.real_name for u in ws.users]
        return [*people, *(c.id for c in ws.channels), ws.team.id, ws.team.name, self.answer]


@pytest.fixture
def teams(slack: LocalSlack, database_url: str) -> Iterator[tuple[Bot, Team, Team]]:
    bakery = slack.add_workspace(load_workspace(second_seed_path()))
    bot = start_oauth_bot(slack, database_url)
    assert bot.server is not None
    acme = Team(
        slack,
        SlackDriver(bot.server.events_url, SIGNING_SECRET, slack),
        admin="U0BEN00001",
        lead="U0ANNA0001",
        learner="U0CHLOE001",
        answer="Acme answers: four weeks of testing",
        setup={
            "team_channel": "C0SOCIAL01",
            "leads_channel": "C0LEADS001",
            "leads": ["U0ANNA0001"],
            "admins": ["U0BEN00001"],
            "lesson_time": "09:30",
            "working_days": ["mon", "tue", "wed", "thu", "fri"],
            "team_language": "en",
        },
    )
    olive = Team(
        bakery,
        SlackDriver(bot.server.events_url, SIGNING_SECRET, bakery),
        admin="U1MARIA001",
        lead="U1MARIA001",
        learner="U1OSCAR001",
        answer="Bakery answers: sourdough before sunrise",
        setup={
            "team_channel": "C1BAKERS01",
            "leads_channel": "C1OWNERS01",
            "leads": ["U1MARIA001"],
            "admins": ["U1MARIA001"],
            "lesson_time": "09:30",
            "working_days": ["mon", "tue", "wed", "thu", "fri"],
            "team_language": "en",
        },
    )
    try:
        yield bot, acme, olive
    finally:
        bot.close()


def test_no_workspace_sees_anything_of_the_other(teams: tuple[Bot, Team, Team]) -> None:
    bot, acme, olive = teams
    for team in (acme, olive):
        assert install(bot, team.local).status == 200
        team.set_up(bot)  # the installer (each seed's first admin) names the rest
    clock = Clock(bot.deps)
    for at in MONDAY:
        clock.tick(at)  # reads both rosters, sends lessons and the week's question
    for team in (acme, olive):
        team.answer_question(bot)
    for at in FRIDAY:
        clock.tick(at)  # the digests

    for own, other in ((acme, olive), (olive, acme)):
        seen = own.everything_seen(bot)
        assert own.answer in seen  # the workspace's own answer is in its digest
        mine = [mark for mark in own.identities() if mark in seen]
        assert own.local.user(own.learner).real_name in mine  # the reports name its people
        leaked = [mark for mark in other.identities() if mark in seen]
        assert leaked == [], f"{own.local.team_id} sees {leaked}"
