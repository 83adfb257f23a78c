"""A 09:30 for 10,000 members: the clock's fan-out against the local Slack's posting allowance.

The whole team is in one zone, so every lesson falls due in one tick. The local Slack enforces a
workspace-wide chat.postMessage allowance set so that the fan-out takes about a minute; the clock
paces itself at that allowance (POSTS_PER_MINUTE) with TICK_SENDERS threads. Measured: messages
delivered per second as a fraction of the ceiling, the bot's CPU time per message, the peak
resident memory, and the time of a tick when nobody among the 10,000 is due.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import CONTENT, SIGNING_SECRET, log, ms, prose, table
from bench.crowd import crowd, seed_members
from bot.localbot import local_settings
from bot.localslack import LocalSlack
from bot.runtime import build_deps
from bot.services.tick import run_tick
from bot.slack.gateway import SlackGateway, make_web_client

MEMBERS = 10_000
# 100 a second: 10,000 lessons take a little under two minutes, near the most this 2-core machine
# sends with the bot and the local Slack in one process (about 110 a second, measured).
CEILING_PER_MINUTE = 6_000
SENDERS = 4
# A Tuesday, so that the fan-out is the lessons alone (Monday adds the week's question).
TUESDAY_0930_ATHENS = datetime(2027, 3, 23, 7, 30, tzinfo=UTC)


def measure(members: int = MEMBERS) -> dict[str, float]:
    workspace = crowd(members)
    with (
        tempfile.TemporaryDirectory(prefix="nudge-fanout-") as tmp,
        LocalSlack(workspace, post_allowance=CEILING_PER_MINUTE) as slack,
    ):
        url = f"sqlite:///{Path(tmp) / 'fanout.db'}"
        settings = local_settings(
            slack, url, CONTENT, SIGNING_SECRET, posts_per_minute=CEILING_PER_MINUTE
        )
        deps = build_deps(settings)
        seed_members(url, slack.team_id, workspace, TUESDAY_0930_ATHENS)
        gateway = SlackGateway(make_web_client(settings))
        log(f"fan-out to {members} members at {CEILING_PER_MINUTE}/min")
        cpu, wall = time.process_time(), time.perf_counter()
        report = run_tick(
            deps,
            gateway,
            slack.team_id,
            TUESDAY_0930_ATHENS + timedelta(minutes=1),
            senders=SENDERS,
            sleep=time.sleep,  # at the workspace's pace, POSTS_PER_MINUTE (in the database)
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        posts = slack.calls_to("chat.postMessage")
        delivered = sum(call.ok for call in posts)
        idle = []
        for minute in range(2, 7):
            began = time.perf_counter()
            run_tick(deps, gateway, slack.team_id, TUESDAY_0930_ATHENS + timedelta(minutes=minute))
            idle.append(time.perf_counter() - began)
        deps.db.dispose()
    return {
        "members": members,
        "delivered": delivered,
        "refused": len(posts) - delivered,
        "sent": sum(report.sent.values()),
        "wall": wall,
        "cpu": cpu,
        "rate": delivered / wall,
        "ceiling": CEILING_PER_MINUTE / 60,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "idle_tick": statistics.median(idle),
    }


def run() -> str:
    got = measure()
    rows = [
        ["members due at one 09:30", f"{got['members']:,.0f}"],
        ["lessons delivered", f"{got['delivered']:,.0f}"],
        ["answered 429 by the local Slack", f"{got['refused']:,.0f}"],
        ["fan-out wall time", f"{got['wall']:.1f} s"],
        ["delivered per second", f"{got['rate']:.1f}"],
        ["the local Slack's ceiling per second", f"{got['ceiling']:.1f}"],
        ["delivered / ceiling", f"{got['rate'] / got['ceiling']:.0%}"],
        [
            "CPU per message (bot and local Slack, one process)",
            ms(got["cpu"] / max(1, got["delivered"])),
        ],
        ["peak resident memory of the process", f"{got['rss_mib']:.0f} MiB"],
        ["a tick when nobody among them is due (median of 5)", ms(got["idle_tick"])],
    ]
    result = table(["fan-out", "value"], rows)
    print(result)
    return "\n".join(
        [
            "## A 09:30 for 10,000 members: the clock's fan-out",
            "",
            prose(
                f"All {MEMBERS:,} members are in Europe/Athens, so their Tuesday lesson falls due in "
                f"one tick. The local Slack allows {CEILING_PER_MINUTE:,} "
                f"chat.postMessage calls a minute across the workspace (and 1 a second per channel); "
                f"the clock paces itself at that allowance with {SENDERS} sender threads, on SQLite. "
                "The bot and the local Slack share one process, so the CPU per message counts both "
                "sides of every call."
            ),
            "",
            result,
            "",
        ]
    )
