"""How long does Slack wait for Nudge's HTTP acknowledgement, against a bare Bolt app, under load?

Slack gives an app 3 seconds to acknowledge a slash command or a button press. For `/learn help`,
`/learn now` and a check-button press this sends signed requests (built by the SlackDriver, sent by
a load generator in its own process) from 1, 8, 32 and 128 concurrent clients and times each HTTP
answer, with the local Slack answering every call at once and after 100 ms. The floor is a bare
Bolt app that only acks (bench/bare_bolt.py) on the same web server, secret and driver. Nudge runs
on SQLite and on PostgreSQL; all apps are up together and take turns level by level, so that they
share the machine's state. After each level the bench waits (bounded) until Nudge's work queues
are idle, so that no level starts with the previous one's backlog; that wait at 128 clients and
+100 ms is reported as the settle time. The report is bench/ack_report.py."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from bench.ack_report import KINDS, LATENCIES, LEVELS, Key, Level, report
from bench.common import Database, databases, full_collections, log, ms, percentile
from bench.load import LoadGenerator
from bench.targets import (
    BARE_KIND,
    DRIVER_TIMEOUT,
    Target,
    start_bare,
    start_closed,
    start_nudge,
)

RUN_SECONDS = 30.0  # a level stops sending after this long, however many requests are left
DRAIN_SECONDS = 60.0  # the longest the bench waits for Nudge's work to finish after a level


def requests_at(clients: int) -> int:
    """4 requests per client, at least 64: enough for a p99 that is not simply the one slowest
    answer at 128 clients (512 requests: the 6th slowest), bounded so the run stays short."""
    return max(64, 4 * clients)


def _measure_level(load: LoadGenerator, target: Target, kind: str, clients: int) -> Level:
    notices_before = target.busy_notices()
    sent = BARE_KIND[kind] if target.bot is None else kind
    with target.driver.capture() as prepared:
        for number in range(requests_at(clients)):
            target.send(kind, number)
    run = load.run(prepared, clients, RUN_SECONDS, DRIVER_TIMEOUT)
    settle = target.drain(run.finished_at, DRAIN_SECONDS)
    busy = run.busy + target.busy_notices() - notices_before
    log(
        f"{target.name:18} {sent:13} {clients:3} clients: p99 {ms(percentile(run.elapsed, 0.99))}"
        + (f", settled in {settle:.1f} s" if settle else "")
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
def _targets(found: list[Database]) -> Iterator[list[Target]]:
    with ExitStack() as stack:
        nudges = []
        for database in found:
            nudges.append(start_nudge(database))
            stack.callback(nudges[-1].close)
        bare = start_bare(nudges[0].pressed)
        stack.callback(bare.close)
        closed = start_closed(found[0], nudges[0].pressed)
        stack.callback(closed.close)
        yield [bare, closed, *nudges]


def measure() -> tuple[dict[Key, Level], list[str], str, list[float]]:
    """Every level, every app; returns the levels, the Nudge targets' names, a note and the
    full garbage collections this process made meanwhile (every app here shares them)."""
    # waitress warns on every request that waits for a thread; at 128 clients that is thousands
    # of lines saying what the latencies below say in numbers.
    logging.getLogger("waitress").setLevel(logging.ERROR)
    levels: dict[Key, Level] = {}
    with (
        databases() as (found, note),
        _targets(found) as targets,
        LoadGenerator() as load,
        full_collections() as pauses,
    ):
        # What `python -m bot web` does once started (bot.runtime.collect_again): what start-up
        # made is frozen, so full collections do not walk it. Here that is every app's start-up
        # (and the bench's), so the bare app gains as Nudge does.
        gc.freeze()
        for target in targets:
            _warm_up(load, target)
        for latency in LATENCIES:
            for target in targets:
                target.slack.latency = latency
            for clients in LEVELS:
                for target in targets:
                    for kind in target.kinds:
                        key = (latency, clients, target.name, kind)
                        levels[key] = _measure_level(load, target, kind, clients)
        names = [t.name for t in targets if t.kinds == KINDS]
    gc.unfreeze()
    return levels, names, note, pauses


def run() -> str:
    return report(*measure())
