"""WORK_IN=worker: how long a person waits for a `/learn now` lesson when a worker process does
the work, against the same `web` doing it on its own threads (WORK_IN=web), in one run.

For each database, one local Slack (no latency, rate limits off) and Nudge's `web` served over
HTTP as the tests start it: first with WORK_IN=web, then with WORK_IN=worker beside one
`python -m bot worker` process (WORKER_POLL at its default, 1 s). One learner at a time sends a
signed `/learn now`; measured is the time from the moment its acknowledgement came back to the
moment the local Slack recorded the lesson's chat.postMessage (on WORK_IN=web the work may post
before the acknowledgement has reached the client: then the figure is below zero). The first
WARM_UP requests of each run are not counted (the worker builds its Bolt app at its first request).
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

from bench.common import CONTENT, SEED, SIGNING_SECRET, databases, log, ms, percentile, prose
from bench.common import table as markdown_table
from bench.crowd import NudgeProcess, nudge_env
from bot.localbot import LocalBot, local_settings, start_local_bot
from bot.localslack import LocalSlack, load_workspace

REQUESTS = 60  # counted, per database and mode
WARM_UP = 5
NOW_PER_HOUR = "100000"  # the friendly limit on `/learn now` is not what is measured


def _waits(bot: LocalBot, slack: LocalSlack, count: int) -> list[float]:
    """Seconds from each acknowledgement to its lesson's chat.postMessage, one request at a time."""
    users, waits = bot.learners(), []
    for number in range(count):
        user = users[number % len(users)]
        before = len(slack.calls_to("chat.postMessage"))
        answer = bot.driver.command(user, "now")
        acked = time.time()
        if (answer.status, answer.body) != (200, ""):
            raise RuntimeError(f"/learn now answered {answer.status}: {answer.body}")
        posted = slack.wait_for(
            lambda before=before: slack.calls_to("chat.postMessage")[before:] or None, timeout=30
        )[0]
        slack.wait_for(lambda user=user: slack.ephemerals(user) or None, timeout=30)
        bot.settle()
        waits.append(posted.at - acked)
    return waits[WARM_UP:]


def _measure(url: str, work_in: str, cwd: Path) -> list[float]:
    with LocalSlack(load_workspace(SEED), rate_limits=False) as slack:
        settings = local_settings(
            slack, url, CONTENT, SIGNING_SECRET, work_in=work_in, now_per_hour=int(NOW_PER_HOUR)
        )
        bot = start_local_bot(slack, settings)
        worker = None
        try:
            if work_in == "worker":
                env = nudge_env(slack, url, CONTENT, NOW_PER_HOUR=NOW_PER_HOUR)
                worker = NudgeProcess(["worker"], env, cwd)
                worker.wait_for_line("Nudge worker started")
            return _waits(bot, slack, REQUESTS + WARM_UP)
        finally:
            if worker is not None:
                worker.process.send_signal(signal.SIGTERM)
                worker.wait()
            bot.close()


def run() -> str:
    rows = []
    with databases() as (found, note), tempfile.TemporaryDirectory() as cwd:
        for database in found:
            measured = {}
            for work_in in ("web", "worker"):
                log(f"forward: {database.name}, WORK_IN={work_in}")
                measured[work_in] = _measure(database.url, work_in, Path(cwd))
            floor = percentile(measured["web"], 0.5)
            for work_in, waits in measured.items():
                p50 = percentile(waits, 0.5)
                rows.append(
                    [
                        database.name,
                        f"WORK_IN={work_in}",
                        ms(p50),
                        ms(percentile(waits, 0.99)),
                        "" if work_in == "web" else ms(p50 - floor),
                    ]
                )
    load = os.getloadavg()[0]
    header = ["database", "work in", "p50", "p99", "p50 added (worker - web)"]
    text = f"""## From acknowledgement to lesson: WORK_IN=worker against WORK_IN=web

{REQUESTS} `/learn now`, one at a time, per database and mode, on a local Slack that answers at
once (load average {load:.1f} at the end). The time is from the moment `web`'s empty
acknowledgement came back to the moment the local Slack recorded the lesson's chat.postMessage
(nearest-rank percentiles: with {REQUESTS} requests the p99 is the slowest one).

{markdown_table(header, rows, right_from=2)}

What the numbers mean: with WORK_IN=worker the lesson waits for a worker to notice the stored
request (on PostgreSQL a NOTIFY wakes it at once; on SQLite it reads whether anything waits
every 50 ms, so up to 50 ms is added by design) and to run the request's listener again from the
stored payload, in a process of its own. On WORK_IN=web the work starts on `web`'s own threads
as soon as the request is acknowledged, so a figure near or below zero means the lesson was
posted about when the acknowledgement arrived. This is one request at a time: it measures the
added delay, not throughput or the acknowledgement's own speed under load (see "Acknowledgements
under load").
{note}"""
    result = prose(text)
    print(result)
    return result
