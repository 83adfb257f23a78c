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

from bot.runtime import build_deps
from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.sending import work
from bot.services.tick import run_tick
from bot.settings import Settings
from bot.slack.workspaces import Workspaces

log = logging.getLogger("bot.clock")

# The roster is read in full once a day, early in the UTC morning, and when the clock starts.
ROSTER_HOUR_UTC = 4


class Clock:
    """The jobs, on one WebClient, for the one workspace this deployment serves."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        workspaces = Workspaces(deps.settings)
        self.team_id = workspaces.home_team()
        slack = workspaces.gateway(self.team_id)
        assert slack is not None  # the home team always has its token
        self.slack = slack

    def tick(self, now: datetime | None = None, *, send: bool | None = None) -> str:
        """A pass at `now`; it sends what it plans when `send` says so (CLOCK_SENDS if None)."""
        settings, at = self.deps.settings, now or self.deps.clock()
        sends = settings.clock_sends if send is None else send
        report = run_tick(
            self.deps,
            self.slack,
            self.team_id,
            at,
            senders=settings.tick_senders,
            send=sends,
            sleep=time.sleep,
        )
        line = report.line()
        log.info("tick: %s", line)
        return line

    def refresh_roster(self, now: datetime | None = None) -> None:
        if not self.deps.settings.team_channel:
            log.warning("TEAM_CHANNEL is not set: nobody gets scheduled lessons")
            return
        done = refresh_roster(self.deps, self.slack, self.team_id, now or self.deps.clock())
        log.info(
            "roster: %s added, %s changed, %s learners", done.added, done.changed, done.learners
        )

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
        args=(deps, Workspaces(deps.settings).gateway, stop),
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
    with clock.deps.uow() as uow:
        workspace_id = uow.workspaces.find(clock.team_id)
        known = bool(workspace_id is not None and uow.members.roster(workspace_id))
    if not known:
        clock.refresh_roster(at)
    # A whole pass, sent too, whatever CLOCK_SENDS says: `tick` exits when it is done.
    print(f"tick at {(at or clock.deps.clock()).isoformat()}: {clock.tick(at, send=True)}")
    return 0


def worker(settings: Settings) -> int:
    """Send what the clock planned, one message at a time, until SIGTERM or SIGINT: the message
    in flight is finished first, then the process exits 0. Any number may run at once."""
    deps = build_deps(settings)
    stop = threading.Event()

    def finish(signum: int, _frame: object) -> None:
        log.info(
            "%s: the message in flight is finished, then the worker stops",
            signal.Signals(signum).name,
        )
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, finish)
    posters = Workspaces(settings).gateway
    log.info("Nudge worker started")
    sent = work(deps, posters, stop, poll=settings.worker_poll, sleep=time.sleep)
    log.info("Nudge worker stopped after %s messages", sent)
    deps.db.dispose()
    return 0
