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
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import start_http_server
from slack_bolt import App

from bot.runtime import build_deps
from bot.services.deps import Deps
from bot.services.roster import refresh_roster
from bot.services.sending import work
from bot.services.tick import run_tick
from bot.settings import Settings
from bot.slack.context import Queues
from bot.slack.forward import Requests
from bot.slack.gateway import SlackGateway
from bot.slack.installs import Tokens
from bot.store.accepted import Wakeup

log = logging.getLogger("bot.clock")

# A job of the clock: it runs as if the time were its argument (None: now).
Job = Callable[[datetime | None], object]

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

    def jobs(self) -> dict[str, Job]:
        """The clock's jobs by name, each run at its trigger's times (TRIGGERS)."""
        return {"roster": self.refresh_roster, "tick": self.tick}

    def schedule_on(self, scheduler: Any) -> None:
        """Every minute a tick; every day the roster."""
        for name, job in self.jobs().items():
            scheduler.add_job(job, _trigger(name), id=name)

    def rehearse(self, start: datetime, until: datetime) -> Counter[str]:
        """`clock --from --until`: the same jobs at every instant their triggers give from
        `start` to `until`, in order, each run as if it were that instant and as soon as the one
        before is done (no waiting for the time to come); how many times each job ran."""
        jobs = self.jobs()
        triggers = {name: _trigger(name) for name in jobs}
        fires = {
            name: trigger.get_next_fire_time(None, start) for name, trigger in triggers.items()
        }
        ran = Counter[str]()
        order = list(triggers)  # at one instant, the roster before the tick
        while fires:
            name = min(fires, key=lambda one: (fires[one], order.index(one)))
            at = fires[name]
            if at > until:
                break
            jobs[name](at)
            ran[name] += 1
            following = triggers[name].get_next_fire_time(at, at + timedelta(microseconds=1))
            if following is None:
                del fires[name]
            else:
                fires[name] = following
        return ran


# The clock's jobs run at these times (UTC), under APScheduler or rehearsed (`Clock.rehearse`).
TRIGGERS: dict[str, dict[str, str | int]] = {
    "tick": {"minute": "*"},
    "roster": {"hour": ROSTER_HOUR_UTC, "minute": 0},
}


def _trigger(name: str) -> Any:
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(timezone=UTC, **TRIGGERS[name])


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


def serve_metrics(settings: Settings) -> None:
    """This process's metrics on METRICS_PORT, if set: `web` serves /metrics itself, the clock's
    ticks and a worker's deliveries and Slack calls are counted in their own processes."""
    if settings.metrics_port:
        start_http_server(settings.metrics_port)
        log.info("metrics on port %s (GET /metrics)", settings.metrics_port)


def clock(settings: Settings, rehearsal: tuple[datetime, datetime] | None = None) -> int:
    """Exactly one per deployment (two are safe, but do each other's work). With `rehearsal`
    (`--from`, `--until`): the jobs over that stretch of simulated time, as fast as they run,
    then exit."""
    if rehearsal is not None:
        return _rehearse(settings, *rehearsal)
    clock = Clock(build_deps(settings))
    serve_metrics(settings)
    clock.refresh_roster()
    scheduler = _scheduler(blocking=True)
    clock.schedule_on(scheduler)
    log.info("Nudge clock started (UTC, a tick every minute)")
    scheduler.start()
    return 0


def _rehearse(settings: Settings, start: datetime, until: datetime) -> int:
    # Only the schedule is simulated: the library is loaded and checked as of today.
    clock = Clock(build_deps(settings))
    clock.refresh_roster(start)  # as a clock does when it starts
    log.info("Nudge clock rehearsing %s to %s", start.isoformat(), until.isoformat())
    ran = clock.rehearse(start, until)
    print(
        f"rehearsed {start.isoformat()} to {until.isoformat()}: "
        f"{ran['tick']} ticks, {ran['roster']} roster reads"
    )
    clock.deps.db.dispose()
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
    """Run people's stored requests on WORK_THREADS threads and send what the clock planned, one
    message at a time, until SIGTERM or SIGINT: the requests and the message in flight are
    finished first, then the process exits 0. Any number may run at once."""
    deps = build_deps(settings)
    serve_metrics(settings)
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
    requests = Requests(deps, _stored_request_app)
    # One wake-up for every thread (one LISTEN connection on PostgreSQL).
    wakeup = Wakeup(deps.db.engine, stop)
    helpers = start_request_threads(requests, stop, wakeup, settings.work_threads - 1)
    log.info("Nudge worker started (%s threads for people's requests)", settings.work_threads)
    sent = work(
        deps,
        posters,
        stop,
        poll=settings.worker_poll,
        sleep=time.sleep,
        requests=requests.run_next,
        idle=wakeup.wait,
    )
    for helper in helpers:
        helper.join()
    log.info("Nudge worker stopped after %s messages", sent)
    requests.close()
    wakeup.close()
    deps.db.dispose()
    return 0


def start_request_threads(
    requests: Requests, stop: threading.Event, wakeup: Wakeup, count: int
) -> list[threading.Thread]:
    """A worker's `count` threads beside its main one (which sends the deliveries, one at a time
    and paced, and runs requests before them), each running stored requests until `stop` and
    waiting on `wakeup` while none waits, so WORK_THREADS requests that wait on Slack run at
    once."""
    threads = [
        threading.Thread(
            target=requests.run_until,
            args=(stop, wakeup.wait),
            name=f"nudge-requests-{number}",
        )
        for number in range(1, count + 1)
    ]
    for thread in threads:
        thread.start()
    return threads


def _stored_request_app(deps: Deps, queues: Queues) -> App:
    """The Bolt app a worker runs stored requests through (WORK_IN=worker, bot.slack.forward):
    `web` verified them when they came, and checked the token."""
    from bot.slack.app import build_app

    return build_app(deps, queues, verify_token=False, verify_requests=False)
