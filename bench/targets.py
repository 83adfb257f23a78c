"""The apps the acknowledgement benchmark sends requests to, each in processes of its own started as
an operator starts them: Nudge as ``python -m bot web`` (and, with WORK_IN=worker, one ``python -m
bot worker`` beside it) configured by the environment only, and the bare Bolt app as the script
bench/startup.py runs.

Each app has a local Slack of its own in the bench's process (rate limits off, so that 128 clients
measure the app and not the emulator's Tier pacing), reached over loopback through SLACK_API_URL,
and is driven by its own SlackDriver with the same signing secret.
"""

from __future__ import annotations

import copy
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select

from bench.common import CONTENT, SEED, SIGNING_SECRET, Database
from bench.crowd import nudge_env
from bench.processes import (
    AppProcess,
    Healthy,
    Placement,
    answers_200,
    bare_bolt_script,
    cpu_seconds,
    free_port,
    health,
)
from bot.i18n import translator
from bot.localslack import DriverResponse, LocalSlack, Message, SlackDriver, load_workspace
from bot.settings import Settings
from bot.slack.web import EVENTS_PATH
from bot.store.tables import AcceptedRequest

HELP, NOW, PRESS = "/learn help", "/learn now", "check button"
BARE = "bare Bolt"
CLOSED = "Nudge, work queue closed"
WORKER = "Nudge + worker"  # names start so: WORK_IN=worker and a `worker` process
# What the bare app is sent in place of each: it has one command and one button listener.
BARE_KIND = {HELP: "slash command", NOW: "slash command", PRESS: "button"}
BUSY_TEXTS = frozenset(translator(language)("error.busy") for language in ("en", "el"))
DRIVER_TIMEOUT = 15.0  # seconds a client waits for an answer before counting it as none
DRAIN_POLL = 0.05  # seconds between looks at whether an app's work is done
# WORK_IN=worker: web stores each accepted request and `python -m bot worker` does the work. It
# appears here once the code has the setting.
HAS_WORKERS = "work_in" in Settings.model_fields


@dataclass
class Target:
    """One app under load: its processes (the one serving HTTP first), and no work to wait for
    when ``works`` is False (the bare app)."""

    name: str
    slack: LocalSlack
    processes: list[AppProcess]
    kinds: tuple[str, ...]  # what it is sent, of HELP, NOW and PRESS
    works: bool = True
    # The lesson message each user presses a check button on (only the first press records).
    pressed: dict[str, Message] = field(default_factory=dict)
    # With a worker: its database, where the requests it has not finished are.
    database: Engine | None = None
    driver: SlackDriver = field(init=False)
    users: list[str] = field(init=False)  # the team channel's members but the bot

    def __post_init__(self) -> None:
        events = f"http://127.0.0.1:{self.processes[0].port}{EVENTS_PATH}"
        self.driver = SlackDriver(events, SIGNING_SECRET, self.slack, timeout=DRIVER_TIMEOUT)
        ws = self.slack.workspace
        self.users = [m for m in ws.team_channel.members if m != ws.bot.user_id]

    def send(self, kind: str, number: int) -> DriverResponse:
        user = self.users[number % len(self.users)]
        if kind == PRESS:
            return self.driver.click(user, self.pressed[user], index=1)
        return self.driver.command(user, "help" if kind == HELP else "now")

    def drain(self, since: float, timeout: float) -> float | None:
        """Seconds from ``since`` (a perf_counter) until every accepted piece of work is done, as
        the app says from outside (/healthz's ``work_queue.pending`` and ``accepted_requests``,
        then, with a worker, no accepted request left in the database: a worker deletes each one
        once its work, Slack calls included, is done); None when ``timeout`` passes first. The
        bare app does no work: 0. Polled every DRAIN_POLL seconds, so that the polling itself
        takes little of the CPU the work needs."""
        if not self.works:
            return 0.0
        deadline = time.perf_counter() + timeout
        port = self.processes[0].port
        assert port is not None
        while (answer := health(port)) is None or _pending(answer[1]) > 0:
            if time.perf_counter() > deadline:
                return None
            time.sleep(DRAIN_POLL)
        # Then only the database: `web` has nothing left to do, so it is not asked again.
        while self._unfinished():
            if time.perf_counter() > deadline:
                return None
            time.sleep(DRAIN_POLL)
        return time.perf_counter() - since

    def _unfinished(self) -> int:
        """Accepted requests a worker has not finished (taken or not; given up ones aside)."""
        if self.database is None:
            return 0
        row = AcceptedRequest
        unfinished = select(func.count(row.id)).where(row.given_up_at.is_(None))
        with self.database.connect() as connection:
            return int(connection.scalar(unfinished) or 0)

    def busy_notices(self) -> int:
        """Replies saying "busy" through response_url: button presses the full queue refused."""
        return sum(
            1 for user in self.users for e in self.slack.ephemerals(user) if e.text in BUSY_TEXTS
        )

    def cpu(self) -> list[float]:
        """CPU seconds each of its processes has used so far."""
        return [cpu_seconds(p.pid) for p in self.processes]

    def close(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        self.slack.stop()
        if self.database is not None:
            self.database.dispose()


def _local_slack() -> LocalSlack:
    return LocalSlack(load_workspace(SEED), rate_limits=False).start()


def _web(
    slack: LocalSlack,
    database: Database,
    folder: Path,
    slug: str,
    place: Placement,
    healthy: Healthy = answers_200,
    **env: str,
) -> AppProcess:
    """`python -m bot web` on ``slack`` and ``database``, started on the acknowledging process's
    CPUs and ready (its schema made)."""
    settings = nudge_env(
        slack,
        database.url,
        CONTENT,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        LIBRARY_CACHE=str(folder / "library"),  # checked at the first start, read after
        **env,
    )
    web = AppProcess(
        [sys.executable, "-m", "bot", "web"],
        settings,
        folder / f"{slug}.log",
        port=free_port(),
        healthy=healthy,
        cpus=place.web,
    )
    web.wait_ready()
    return web


def _with_lessons(target: Target) -> Target:
    """A lesson in every learner's DM, asked for through the app (`/learn now`) and read from its
    local Slack once the work is done, so that the presses are on real lesson messages."""
    for user in target.users:
        answer = target.driver.command(user, "now")
        if answer.status != 200:
            raise RuntimeError(f"/learn now answered {answer.status}: {answer.body}")
    if target.drain(time.perf_counter(), 60.0) is None:
        raise RuntimeError(f"{target.name}: the first lessons were not sent within 60 s")
    # Copies as first posted: the first press replaces the live message's buttons with the verdict.
    target.pressed = {u: copy.deepcopy(target.slack.dm_messages(u)[-1]) for u in target.users}
    return target


def start_nudge(database: Database, folder: Path, place: Placement) -> Target:
    """`python -m bot web` on ``database``, with its work on its own threads (WORK_THREADS and
    WORK_QUEUE as their defaults)."""
    slack = _local_slack()
    web = _web(slack, database, folder, f"web-{database.name}", place)
    return _with_lessons(Target(f"Nudge, {database.name}", slack, [web], (HELP, NOW, PRESS)))


def start_with_worker(database: Database, folder: Path, place: Placement) -> Target:
    """`python -m bot web` with WORK_IN=worker and one `python -m bot worker` on ``database``,
    the worker on the CPUs of everything but the acknowledging process."""
    slack = _local_slack()
    web = _web(slack, database, folder, f"web-worker-{database.name}", place, WORK_IN="worker")
    env = nudge_env(
        slack, database.url, CONTENT, LIBRARY_CACHE=str(folder / "library"), WORK_IN="worker"
    )
    worker = AppProcess(
        [sys.executable, "-m", "bot", "worker"],
        env,
        folder / f"worker-{database.name}.log",
        ready_line="Nudge worker started",
        cpus=place.rest,
    )
    worker.wait_ready()
    name = f"{WORKER}, {database.name}"
    target = Target(
        name, slack, [web, worker], (HELP, NOW, PRESS), database=create_engine(database.url)
    )
    return _with_lessons(target)


def start_bare(pressed: dict[str, Message], folder: Path, place: Placement) -> Target:
    """The bare Bolt script on a local Slack of its own, pressing copies of Nudge's lesson
    messages (the bare app never posted any; the driver only needs their blocks)."""
    slack = _local_slack()
    # The script reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL and PORT, as `web`
    # does, and ignores Nudge's other settings.
    env = nudge_env(slack, "", CONTENT, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    bare = AppProcess(
        [sys.executable, *bare_bolt_script(folder)],
        env,
        folder / "bare.log",
        port=free_port(),
        cpus=place.web,
    )
    bare.wait_ready()
    return Target(BARE, slack, [bare], (HELP, PRESS), works=False, pressed=pressed)


def _says_busy(status: int, body: dict[str, Any]) -> bool:
    """Ready, with no room for work: /healthz of `web` with WORK_QUEUE=0 says "busy" (503)."""
    return status == 503 and str(body.get("status", "")).startswith("busy")


def start_closed(
    database: Database, pressed: dict[str, Message], folder: Path, place: Placement
) -> Target:
    """Nudge with WORK_QUEUE=0, for check buttons only: every press is acknowledged and then
    refused, and the "busy" notice is refused too, so no work runs at all. What is left is
    Nudge's acknowledgement alone (Bolt, Nudge's middleware, the listener, a queue offer), which
    tells how much of Nudge's extra latency is the acknowledgement and how much the work beside
    it. (A refused command is no use for this: its "busy" answer reads the caller's language.)"""
    slack = _local_slack()
    web = _web(slack, database, folder, "web-closed", place, _says_busy, WORK_QUEUE="0")
    return Target(CLOSED, slack, [web], (PRESS,), pressed=pressed)


def _pending(details: dict[str, Any]) -> int:
    """Work web has accepted and not finished: its own queue's, plus, with WORK_IN=worker, the
    stored requests no worker has taken yet (a taken one's end is the quiet local Slack's)."""
    stored = details.get("accepted_requests", {}).get("waiting", 0)
    return int(details["work_queue"]["pending"]) + int(stored)
