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
from bot.slack.gateway import SlackGateway
from bot.slack.installs import Tokens
from bot.slack.pace import Pace

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
        # Each workspace has its own chat.postMessage allowance, so each has its own pace.
        self._paces: dict[str, Pace] = {}

    def slack_for(self, team_id: str) -> SlackGateway | None:
        """The workspace's Slack, or None when it is not installed (any more)."""
        client = self.tokens.client_for(team_id)
        if client is None:
            return None
        pace = self._paces.setdefault(team_id, Pace(self.deps.settings.posts_per_minute))
        return SlackGateway(client, pace=pace.wait)

    def tick(self, now: datetime | None = None) -> str:
        senders = self.deps.settings.tick_senders
        at = now or self.deps.clock()
        if self.deps.settings.many_workspaces:
            # A workspace installed, or set up, since the daily read: its roster now.
            self.refresh_roster(at, only_unknown=True)
        lines = []
        for team_id in self.tokens.teams():
            if (slack := self.slack_for(team_id)) is None:
                continue  # uninstalled since the list was read
            report = run_tick(self.deps, slack, team_id, at, senders=senders)
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
    clock.refresh_roster(at, only_unknown=True)
    print(f"tick at {(at or clock.deps.clock()).isoformat()}: {clock.tick(at)}")
    return 0
