"""`python -m bot clock`, `tick` and `worker`: the scheduler process, one pass of it by hand, and
the senders.

APScheduler only triggers; it keeps nothing that matters (memory job store, UTC, one run at a
time, missed runs coalesced). The schedule is in the database, so a restarted clock, a second clock
or a `tick` run by hand finds the same work, and the claims keep every message to one. What the
clock plans waits in the database for a sender: the clock itself (CLOCK_SENDS), any number of
`worker` processes, and the worker inside `run` (bot.services.sending).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from prometheus_client import start_http_server

from bot.runtime import build_deps
from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.sending import work
from bot.services.tick import run_tick
from bot.settings import Settings
from bot.slack.gateway import SlackGateway
from bot.slack.installs import Tokens

log = logging.getLogger("bot.clock")

# The roster is read in full once a day, early in the UTC morning, and when the clock starts.
ROSTER_HOUR_UTC = 4


class Clock:
    """The jobs, for every workspace this deployment serves: SLACK_BOT_TOKEN's one, or each one
    installed by OAuth, on a WebClient with that workspace's own token (`Tokens`). A workspace
    that uninstalled the app has no token left, so it is no longer served."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.tokens = Tokens(deps.settings, deps.db.engine)

    def slack_for(self, team_id: str) -> SlackGateway | None:
        """The workspace's Slack, or None when it is not installed (any more). Its pace is the
        workspace's, in the database, shared by every sender (bot.services.sending)."""
        client = self.tokens.client_for(team_id)
        return None if client is None else SlackGateway(client)

    def tick(self, now: datetime | None = None, *, send: bool | None = None) -> str:
        """A pass at `now` over every workspace; each sends what it plans when `send` says so
        (CLOCK_SENDS if None)."""
        settings, at = self.deps.settings, now or self.deps.clock()
        sends = settings.clock_sends if send is None else send
        if settings.many_workspaces:
            # A workspace installed, or set up, since the daily read: its roster now.
            self.refresh_roster(at, only_unknown=True)
        lines = []
        for team_id in self.tokens.teams():
            if (slack := self.slack_for(team_id)) is None:
                continue  # uninstalled since the list was read
            report = run_tick(
                self.deps,
                slack,
                team_id,
                at,
                senders=settings.tick_senders,
                send=sends,
                sleep=time.sleep,
            )
            lines.append((team_id, report.line()))
        if len(lines) == 1:
            line = lines[0][1]
        else:
            line = "; ".join(f"{team}: {done}" for team, done in lines) or "no workspace installed"
        log.info("tick: %s", line)
        return line

    def refresh_roster(self, now: datetime | None = None, *, only_unknown: bool = False) -> None:
        """Every workspace's roster (`only_unknown`: only those Nudge knows nobody of yet)."""
        if not (self.deps.settings.team_channel or self.deps.settings.many_workspaces):
            log.warning(
                "TEAM_CHANNEL is not set: nobody gets scheduled lessons until an admin "
                "names the team channel (`/learn admin setup`)"
            )
        at = now or self.deps.clock()
        for team_id in self.tokens.teams():
            if only_unknown and self._knows_someone(team_id):
                continue
            if (slack := self.slack_for(team_id)) is None:
                continue
            done = refresh_roster(self.deps, slack, team_id, at)
            log.info(
                "roster of %s: %s added, %s changed, %s learners",
                team_id,
                done.added,
                done.changed,
                done.learners,
            )

    def _knows_someone(self, team_id: str) -> bool:
        with self.deps.uow() as uow:
            workspace_id = uow.workspaces.find(team_id)
            return bool(workspace_id is not None and uow.members.roster(workspace_id))

    def schedule_on(self, scheduler: Any) -> None:
        """Every minute a tick; every day the roster."""
        scheduler.add_job(self.tick, "cron", minute="*", id="tick")
        scheduler.add_job(self.refresh_roster, "cron", hour=ROSTER_HOUR_UTC, minute=0, id="roster")


def _scheduler(blocking: bool) -> Any:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    kind = BlockingScheduler if blocking else BackgroundScheduler
    return kind(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})


def start_beside(deps: Deps) -> Callable[[], None]:
    """`run`: the clock and one worker in background threads of the serving process; what stops
    them (the worker finishes its message in flight first)."""
    clock = Clock(deps)
    clock.refresh_roster()
    scheduler = _scheduler(blocking=False)
    clock.schedule_on(scheduler)
    scheduler.start()
    stop = threading.Event()
    sender = threading.Thread(
        target=work,
        args=(deps, clock.slack_for, stop),
        kwargs={"poll": deps.settings.worker_poll, "sleep": time.sleep},
        name="nudge-worker",
        daemon=True,
    )
    sender.start()

    def stop_both() -> None:
        scheduler.shutdown()
        stop.set()
        sender.join()

    return stop_both


def clock(settings: Settings) -> int:
    """Exactly one per deployment (two are safe, but do each other's work)."""
    clock = Clock(build_deps(settings))
    if settings.metrics_port:  # `web` serves /metrics itself; the clock's ticks are here
        start_http_server(settings.metrics_port)
        log.info("metrics on port %s (GET /metrics)", settings.metrics_port)
    clock.refresh_roster()
    scheduler = _scheduler(blocking=True)
    clock.schedule_on(scheduler)
    log.info("Nudge clock started (UTC, a tick every minute)")
    scheduler.start()
    return 0


def tick(settings: Settings, at: datetime | None) -> int:
    """One pass as if it were `at`, then exit: for operators, tests and simulations. The roster
    is read first when Nudge knows nobody yet (the clock reads it every day)."""
    clock = Clock(build_deps(settings))
    clock.refresh_roster(at, only_unknown=True)
    # A whole pass, sent too, whatever CLOCK_SENDS says: `tick` exits when it is done.
    print(f"tick at {(at or clock.deps.clock()).isoformat()}: {clock.tick(at, send=True)}")
    return 0


def worker(settings: Settings) -> int:
    """Send what the clock planned, one message at a time, until SIGTERM or SIGINT: the message
    in flight is finished first, then the process exits 0. Any number may run at once."""
    deps = build_deps(settings)
    stop = threading.Event()

    def stopping(signum: int) -> None:
        log.info(
            "%s: the message in flight is finished, then the worker stops",
            signal.Signals(signum).name,
        )
        stop.set()

    def finish(signum: int, _frame: object) -> None:
        # Not here: the handler runs on the main thread between two bytecodes, and that thread may
        # be inside `stop.wait()` holding the event's own lock (or the log stream's), which
        # `stop.set()` (or the log line) would then wait for for ever: a worker that never stops.
        threading.Thread(target=stopping, args=(signum,), name="nudge-stopping").start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, finish)
    posters = Clock(deps).slack_for
    log.info("Nudge worker started")
    sent = work(deps, posters, stop, poll=settings.worker_poll, sleep=time.sleep)
    log.info("Nudge worker stopped after %s messages", sent)
    deps.db.dispose()
    return 0
