"""A crowd in one workspace of the local Slack, its rows in Nudge's database, and Nudge's processes
started against both: what the fan-out benchmarks and the worker tests share.

The processes are the deployed commands (`python -m bot worker`, `tick`) in processes of their
own, reaching the local Slack over loopback through SLACK_API_URL, as a deployment reaches Slack.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import create_engine, insert, select

from bot.localslack import LocalSlack, load_workspace
from bot.localslack.workspace import Channel, Team, User, Workspace, WorkspaceSettings
from bot.store import tables

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "demo.yaml"
CROWD_CHANNEL = "C0FANOUT01"


def crowd(members: int, zone: str = "Europe/Athens", number: int = 0) -> Workspace:
    """The seed workspace's team and bot with `members` people in `zone`, all in one channel.
    Another `number` is another workspace: a team, bot, token and people of its own."""
    seed = load_workspace(SEED)
    team, bot, prefix = seed.team, seed.bot, "U"
    if number:
        prefix = f"U{number:02d}"
        team = Team(id=f"T{number:02d}CROWD", name=f"Crowd {number}", domain=f"crowd-{number}")
        bot = seed.bot.model_copy(
            update={
                "user_id": f"U{number:02d}NUDGE",
                "bot_id": f"B{number:02d}NUDGE00",
                "token": f"xoxb-local-crowd-{number}",
            }
        )
    users = [
        User(id=f"{prefix}{n:09d}", name=f"m{n}", real_name=f"Member {n}", tz=zone)
        for n in range(members)
    ]
    channel = Channel(
        id=CROWD_CHANNEL, name="everyone", members=[bot.user_id, *(u.id for u in users)]
    )
    return Workspace(
        team=team,
        bot=bot,
        channels=[channel],
        users=users,
        settings=WorkspaceSettings(team_channel=channel.id),
    )


def seed_members(url: str, team_id: str, workspace: Workspace, due: datetime) -> int:
    """The roster as the daily refresh leaves it, every member due at `due`: the workspace's id."""
    engine = create_engine(url)
    with engine.begin() as connection:
        workspace_id = int(
            connection.execute(
                insert(tables.Workspace)
                .values(
                    team_id=team_id,
                    name="",
                    created_at=due,
                    last_tick_at=due - timedelta(minutes=1),
                )
                .returning(tables.Workspace.id)
            ).scalar_one()
        )
        connection.execute(
            insert(tables.Member),
            [
                {
                    "workspace_id": workspace_id, "slack_user_id": u.id, "name": u.real_name,
                    "tz": u.tz, "locale": "en-US", "is_lead": False, "is_admin": False,
                    "joined_at": due, "in_channel": True, "next_due_at": due,
                }
                for u in workspace.users
            ],
        )  # fmt: skip
    engine.dispose()
    return workspace_id


def queue_lessons(url: str, lesson_id: str, skill: str, day: datetime) -> None:
    """A scheduled lesson claimed for every member and left for the senders, as the clock's plan
    leaves it when workers send (CLOCK_SENDS=false)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        members = connection.execute(select(tables.Member.id)).scalars().all()
        connection.execute(
            insert(tables.Delivery),
            [
                {
                    "member_id": member_id, "kind": "lesson", "local_date": day.date(),
                    "lesson_id": lesson_id, "skill": skill, "locale": "en", "answer_index": 0,
                    "status": "claimed", "claimed_at": day, "taken_at": None,
                }
                for member_id in members
            ],
        )  # fmt: skip
    engine.dispose()


def install(url: str, slack: LocalSlack) -> None:
    """The app installed in the local Slack's workspace as Nudge's OAuth flow leaves it: the
    workspace's bot token in the installation store on Nudge's database, where `Tokens` finds it
    (bot.slack.installs)."""
    bot, engine = slack.workspace.bot, create_engine(url)
    SQLAlchemyInstallationStore(slack.client_id, engine).save(
        Installation(
            app_id=bot.app_id,
            team_id=slack.team_id,
            team_name=slack.workspace.team.name,
            bot_token=bot.token,
            bot_id=bot.bot_id,
            bot_user_id=bot.user_id,
            bot_scopes="chat:write,im:write,users:read,channels:read",
            user_id=slack.workspace.users[0].id,
        )
    )
    engine.dispose()


def nudge_env(slack: LocalSlack, url: str, content: Path, **settings: str) -> dict[str, str]:
    """The environment of a Nudge process on the local Slack and the database at `url`: with
    SLACK_BOT_TOKEN for the local Slack's first workspace, or, with `SLACK_CLIENT_ID` among
    `settings`, for every workspace installed (`install`)."""
    token = {} if "SLACK_CLIENT_ID" in settings else {"SLACK_BOT_TOKEN": slack.bot_token}
    return {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LIBRARY_CACHE")},
        "PYTHONPATH": str(REPO),
        **token,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": url,
        "CONTENT_DIR": str(content),
        "TEAM_CHANNEL": slack.workspace.settings.team_channel or "",
        **settings,
    }


class NudgeProcess:
    """`python -m bot <args>` in a process of its own; its log kept, line by line, as it comes."""

    def __init__(self, args: Iterable[str], env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._said = threading.Condition()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._said:
                self.lines.append(line.rstrip("\n"))
                self._said.notify_all()

    def wait_for_line(self, text: str, timeout: float = 30.0) -> str:
        """The first log line containing `text`, once it is written (TimeoutError after
        `timeout` seconds, or when the process ended without writing it)."""

        def found() -> str | None:
            return next((line for line in self.lines if text in line), None)

        with self._said:
            self._said.wait_for(lambda: found() or self.process.poll() is not None, timeout)
            line = found()
        if line is None:
            raise TimeoutError(f"no {text!r} in the log of {self.process.args}: {self.lines}")
        return line

    def wait(self, timeout: float = 60.0) -> int:
        return self.process.wait(timeout=timeout)
