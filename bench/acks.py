"""How long does Slack wait for Nudge's HTTP acknowledgement, against a bare Bolt app, under load?

Slack gives an app 3 seconds to acknowledge a slash command or a button press. For `/learn help`,
`/learn now` and a check-button press this sends signed requests (built by the SlackDriver, sent by
a load generator in its own process) from 1, 8, 32 and 128 concurrent clients and times each HTTP
answer, with the local Slack answering every call at once and after 100 ms. Every app runs as it is
deployed, in processes of its own (bench/targets.py): the floor is the bare Bolt script of
bench/bare_bolt.py, Nudge is `python -m bot web` on SQLite and on PostgreSQL. The local Slacks stay
in this process, as Slack's servers are apart from the app. All apps are up together and take
turns level by level, so that they share the machine's state. Each app's acknowledging process
(the bare script, `web`) is pinned to CPUs of its own and everything else (the load generator, this
process with the local Slacks, Nudge's worker) to the others (bench/processes.py `placement`), as
`web` has a dyno of its own when deployed. After each level the bench waits (at most DRAIN_SECONDS)
until the app says its work is done, so that no level starts with the previous one's backlog; that
wait at 128 clients and +100 ms is reported as the settle time. The CPU time each process used
while a level's requests were sent (and a worker's, over the whole level) is read from /proc. The
report is bench/ack_report.py."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench.ack_report import DRAIN_SECONDS, KINDS, LATENCIES, LEVELS, Cpu, Key, Level, report
from bench.common import databases, log, ms, percentile
from bench.load import LoadGenerator
from bench.processes import Placement, cpu_seconds, pinned, placement
from bench.targets import (
    BARE_KIND,
    DRIVER_TIMEOUT,
    HAS_WORKERS,
    Target,
    start_bare,
    start_closed,
    start_nudge,
    start_with_worker,
)

RUN_SECONDS = 30.0  # a level stops sending after this long, however many requests are left
LOAD = ("load generator", "loadgen")
BENCH = ("local Slacks and the bench", "bench")


def requests_at(clients: int) -> int:
    """4 requests per client, at least 64: enough for a p99 that is not simply the one slowest
    answer at 128 clients (512 requests: the 6th slowest), bounded so the run stays short."""
    return max(64, 4 * clients)


def _measure_level(
    load: LoadGenerator, target: Target, kind: str, clients: int, used: Used
) -> Level:
    """One level, its CPU added to ``used``: every process's while the requests are sent and
    answered, and a worker's until its work is done."""
    notices_before = target.busy_notices()
    sent = kind if target.works else BARE_KIND[kind]
    with target.driver.capture() as prepared:
        for number in range(requests_at(clients)):
            target.send(kind, number)
    before = _cpu(target, load)
    run = load.run(prepared, clients, RUN_SECONDS, DRIVER_TIMEOUT)
    acked = _cpu(target, load)
    settle = target.drain(run.finished_at, DRAIN_SECONDS)
    settled = _cpu(target, load)
    for key in before:
        # A worker's part is the work itself, most of it after the last acknowledgement.
        until = settled if key[1] == "worker" else acked
        used[key] = used.get(key, 0.0) + until[key] - before[key]
    busy = run.busy + target.busy_notices() - notices_before
    done = f", settled in {settle:.1f} s" if settle else ""
    if settle is None:
        done = f", not idle in {DRAIN_SECONDS:.0f} s"
    log(
        f"{target.name:26} {sent:13} {clients:3} clients: p99 {ms(percentile(run.elapsed, 0.99))}"
        + done
    )
    return Level(run, settle, busy)


def _warm_up(load: LoadGenerator, target: Target) -> None:
    """64 requests of each kind from 8 clients, untimed: first-call imports and caches, and
    every work thread with its pooled database connection, as in a bot that has been running."""
    for kind in target.kinds:
        with target.driver.capture() as prepared:
            for number in range(64):
                target.send(kind, number)
        load.run(prepared, 8, RUN_SECONDS, DRIVER_TIMEOUT)
        target.drain(time.perf_counter(), DRAIN_SECONDS)


@contextmanager
def _targets(folder: Path, place: Placement) -> Iterator[tuple[list[Target], str]]:
    """Every app, started one after another (each ready before the next starts)."""
    with ExitStack() as stack:
        found, note = stack.enter_context(databases())
        nudges = []
        for database in found:
            nudges.append(start_nudge(database, folder, place))
            stack.callback(nudges[-1].close)
        bare = start_bare(nudges[0].pressed, folder, place)
        stack.callback(bare.close)
        # On the SQLite file of "Nudge, SQLite": it stores nothing, so it changes nothing there.
        closed = start_closed(found[0], nudges[0].pressed, folder, place)
        stack.callback(closed.close)
        if HAS_WORKERS:
            # Databases of their own, so that their members' lessons and limits start afresh.
            apart, _ = stack.enter_context(databases())
            for database in apart:
                nudges.append(start_with_worker(database, folder, place))
                stack.callback(nudges[-1].close)
        yield [bare, closed, *nudges], note


Used = dict[tuple[str, str], float]  # CPU seconds of (app, process)


def _cpu(target: Target, load: LoadGenerator) -> Used:
    """CPU seconds so far of the target's processes, the load generator's and this one's (the
    local Slacks, the driver building requests, and the bench's waiting)."""
    used = {LOAD: cpu_seconds(load.pid), BENCH: time.process_time()}
    roles = ["web", "worker"] if target.works else ["script"]
    for role, seconds in zip(roles, target.cpu(), strict=False):
        used[(target.name, role)] = seconds
    return used


def measure() -> tuple[dict[Key, Level], list[str], str, list[Cpu], Placement]:
    """Every level, every app; returns the levels, the Nudge targets' names, a note and the CPU
    each process used over the timed levels."""
    # waitress warns on every request that waits for a thread; at 128 clients that is thousands
    # of lines saying what the latencies below say in numbers.
    logging.getLogger("waitress").setLevel(logging.ERROR)
    levels: dict[Key, Level] = {}
    used: Used = {}
    place = placement()
    with (
        # This process first, so that what it starts (threads, the load generator) starts there.
        pinned(place.rest),
        tempfile.TemporaryDirectory(prefix="nudge-acks-") as folder,
        _targets(Path(folder), place) as (targets, note),
        LoadGenerator(place.rest) as load,
    ):
        for target in targets:
            _warm_up(load, target)
        began = os.getloadavg()[0]
        for latency in LATENCIES:
            for target in targets:
                target.slack.latency = latency
            for clients in LEVELS:
                for target in targets:
                    for kind in target.kinds:
                        key = (latency, clients, target.name, kind)
                        levels[key] = _measure_level(load, target, kind, clients, used)
        ended = os.getloadavg()[0]
        names = [t.name for t in targets if t.kinds == KINDS]
    sent = {t: sum(level.run.count for k, level in levels.items() if k[2] == t) for t, _ in used}
    everything = sum(level.run.count for level in levels.values())
    cpu = [
        Cpu(app, role, seconds, sent.get(app) or everything)
        for (app, role), seconds in used.items()
    ]
    note += f""" The machine's 1-minute load average was {began:.2f} when the timed
  levels began and {ended:.2f} when they ended."""
    return levels, names, note.strip(), cpu, place


def run() -> str:
    return report(*measure())
