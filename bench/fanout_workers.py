"""A 09:30 fan-out to 10 workspaces of 1,000 members, sent by 1, 2 and 4 `worker` processes sharing
one PostgreSQL, each workspace held to its ceiling.

The local Slack serves the 10 workspaces (LocalSlack.add_workspace), answers every call after
LATENCY (a round trip to Slack) and allows each workspace CEILING_PER_MINUTE chat.postMessage calls
a minute. Each workspace is installed as Nudge's OAuth flow installs it (its own bot token in the
installation store on the database, found by `Tokens`), and Nudge paces each at the same ceiling
(POSTS_PER_MINUTE, one `send_pace` row per workspace shared by every worker). The fan-out is queued
as the clock leaves it with CLOCK_SENDS=false (every member's Tuesday lesson claimed, workspace by
workspace), then N `python -m bot worker` processes send it for SECONDS; a whole fan-out with one
worker would take about 16 minutes, so the rate is measured over that stretch, never to the end.

Per N: messages a second from the first post to the last, as a ratio to one worker's and to the sum
of the ceilings, and per workspace, from the local Slack's own records of that workspace, the
busiest WINDOW against the ceiling's share of it (over it: more than the share plus one, or any
429).
"""

from __future__ import annotations

import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import CONTENT, SIGNING_SECRET, _postgres_schema, log, prose, ratio, table
from bench.crowd import NudgeProcess, crowd, install, nudge_env, queue_lessons, seed_members
from bot.library import load_library
from bot.localslack import LocalSlack
from bot.store.db import make_engine, upgrade

WORKSPACES = 10
MEMBERS = 1_000  # per workspace
# 2 a second per workspace, 20 for the ten: above what one worker sends against LATENCY, below
# four's, so that the ceilings bind at four (at 600 a minute, Nudge's default, no workspace came
# near its ceiling: 2026-12-01, 4 workers, 25 a second in all).
CEILING_PER_MINUTE = 120
LATENCY = 0.05  # seconds each call to the local Slack takes
WORKERS = (1, 2, 4)
SECONDS = 40.0  # how long the workers send, of each run's fan-out
WINDOW = 10.0  # seconds: a workspace's busiest stretch, against its ceiling's share of it
TUESDAY_0930_ATHENS = datetime(2027, 3, 23, 7, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Run:
    workers: int
    delivered: int
    refused: int  # answered 429: over a ceiling
    rate: float  # messages a second, first post to last
    busiest: int  # posts in the busiest WINDOW of any workspace
    workspaces_sent_to: int  # workspaces that got any post


def busiest_window(times: list[float], window: float) -> int:
    """The most posts in any `window` seconds (each stretch starting at a post)."""
    times = sorted(times)
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= window:
            first += 1
        most = max(most, last - first + 1)
    return most


@contextmanager
def local_slack(workspaces: int, members: int) -> Iterator[list[LocalSlack]]:
    """One local Slack serving `workspaces` generated workspaces: a front for each."""
    first = LocalSlack(crowd(members, number=1), post_allowance=CEILING_PER_MINUTE, latency=LATENCY)
    with first:
        yield [
            first,
            *(first.add_workspace(crowd(members, number=n + 2)) for n in range(workspaces - 1)),
        ]


def measure(workers: int, workspaces: int = WORKSPACES, members: int = MEMBERS) -> Run:
    with ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="nudge-workers-"))
        url, note = stack.enter_context(_postgres_schema())
        if url is None:
            raise RuntimeError(note)
        fronts = stack.enter_context(local_slack(workspaces, members))
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        for slack in fronts:
            install(url, slack)
            seed_members(url, slack.team_id, slack.workspace, TUESDAY_0930_ATHENS)
        lesson = min(
            load_library(CONTENT, TUESDAY_0930_ATHENS.date()).lessons.values(),
            key=lambda one: one.id,
        )
        queue_lessons(url, lesson.id, lesson.skill, TUESDAY_0930_ATHENS)
        log(
            f"{workspaces * members:,} lessons queued; {workers} worker(s) send for {SECONDS:.0f} s"
        )
        env = nudge_env(
            fronts[0],
            url,
            CONTENT,
            SLACK_CLIENT_ID=fronts[0].client_id,
            SLACK_CLIENT_SECRET=fronts[0].client_secret,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            POSTS_PER_MINUTE=str(CEILING_PER_MINUTE),
            WORKER_POLL="0.2",
        )
        started = [NudgeProcess(["worker"], env, Path(tmp)) for _ in range(workers)]
        while not any(slack.calls_to("chat.postMessage") for slack in fronts):
            if any(process.process.poll() is not None for process in started):
                raise RuntimeError(f"a worker stopped: {[p.lines for p in started]}")
            time.sleep(0.1)
        time.sleep(SECONDS)  # a benchmark may wait on the clock; a test never does
        for process in started:
            process.process.send_signal(signal.SIGTERM)
        for process in started:
            process.wait()
        posts = [slack.calls_to("chat.postMessage") for slack in fronts]
    every = [call for calls in posts for call in calls]
    span = max(call.at for call in every) - min(call.at for call in every)
    return Run(
        workers,
        sum(call.ok for call in every),
        sum(call.status == 429 for call in every),
        (len(every) - 1) / span if span > 0 else float("nan"),
        max(busiest_window([call.at for call in calls], WINDOW) for calls in posts),
        sum(bool(calls) for calls in posts),
    )


def run() -> str:
    runs = []
    for workers in WORKERS:
        runs.append(measure(workers))
        log(f"{workers} worker(s): {runs[-1].rate:.1f} messages a second")
    one = runs[0].rate
    ceilings = CEILING_PER_MINUTE / 60 * WORKSPACES
    allowed = CEILING_PER_MINUTE / 60 * WINDOW
    rows = [
        [
            str(r.workers),
            f"{r.delivered:,}",
            f"{r.rate:.1f}",
            ratio(r.rate, one),
            f"{r.rate / ceilings:.0%}",
            f"{r.workspaces_sent_to} of {WORKSPACES}",
            f"{r.busiest} (ceiling {allowed:.0f})",
            str(r.refused),
            "yes" if r.refused or r.busiest > allowed + 1 else "no",
        ]
        for r in runs
    ]
    result = table(
        [
            "workers",
            f"delivered in {SECONDS:.0f} s",
            "messages/s",
            "vs 1 worker",
            "of the ceilings' sum",
            "workspaces sent to",
            f"busiest {WINDOW:.0f} s of a workspace",
            "429s",
            "any workspace over its ceiling",
        ],
        rows,
    )
    print(result)
    return "\n".join(
        [
            "## A fan-out to 10 workspaces sent by 1, 2 and 4 worker processes on PostgreSQL",
            "",
            prose(
                f"{WORKSPACES} workspaces of {MEMBERS:,} members in one local Slack, each "
                "installed as OAuth installs it (its own bot token in the installation store, "
                "found by `Tokens`), each with its own ceiling: the local Slack allows each "
                f"workspace {CEILING_PER_MINUTE:,} chat.postMessage calls a minute "
                f"({ceilings:.0f} a second for the ten), and Nudge paces each at the same "
                "POSTS_PER_MINUTE through its own `send_pace` row. Every member's Tuesday lesson "
                "is queued as the clock leaves it with CLOCK_SENDS=false (workspace by workspace), "
                f"then N `python -m bot worker` processes send for {SECONDS:.0f} s (the whole "
                f"{WORKSPACES * MEMBERS:,} would take one worker about 16 minutes) against a local "
                f"Slack that answers after {LATENCY * 1000:.0f} ms. Rate from the first post to "
                f"the last. Ceiling: from the local Slack's records of each workspace, its busiest "
                f"{WINDOW:.0f} s against {allowed:.0f} posts (over: more than that plus one, or a "
                "429). The machine is shared with other work (2 cores, other sessions running "
                "tests and benchmarks): the rates are noisy, the ratios less so."
            ),
            "",
            result,
            "",
        ]
    )
