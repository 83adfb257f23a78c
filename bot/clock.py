"""`python -m bot clock` and `tick`: the scheduler process, and one pass of it by hand.

APScheduler only triggers; it keeps nothing that matters (memory job store, UTC, one run at a
time, missed runs coalesced). The schedule is in the database, so a restarted clock, a second clock
or a `tick` run by hand finds the same work, and the claims keep every message to one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from prometheus_client import start_http_server

from bot.runtime import build_deps
from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.tick import run_tick
from bot.settings import Settings
from bot.slack.gateway import SlackGateway, make_web_client
from bot.slack.pace import Pace

log = logging.getLogger("bot.clock")

# The roster is read in full once a day, early in the UTC morning, and when the clock starts.
ROSTER_HOUR_UTC = 4


class Clock:
    """The jobs, on one WebClient, for the one workspace this deployment serves."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        client = make_web_client(deps.settings)
        self.slack = SlackGateway(client, pace=Pace(deps.settings.posts_per_minute).wait)
        self.team_id = str(client.auth_test()["team_id"])

    def tick(self, now: datetime | None = None) -> str:
        senders = self.deps.settings.tick_senders
        at = now or self.deps.clock()
        report = run_tick(self.deps, self.slack, self.team_id, at, senders=senders)
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


def start_beside(deps: Deps) -> Any:
    """`run`: the clock in a background thread of the serving process."""
    clock = Clock(deps)
    clock.refresh_roster()
    scheduler = _scheduler(blocking=False)
    clock.schedule_on(scheduler)
    scheduler.start()
    return scheduler


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
    with clock.deps.uow() as uow:
        workspace_id = uow.workspaces.find(clock.team_id)
        known = bool(workspace_id is not None and uow.members.roster(workspace_id))
    if not known:
        clock.refresh_roster(at)
    print(f"tick at {(at or clock.deps.clock()).isoformat()}: {clock.tick(at)}")
    return 0
