"""How fast does Slack get its HTTP answer, and how much work happens after it?

Slack gives an app 3 seconds to answer a slash command or a button press. Nudge answers first and
does the slow part (database, Slack API calls) in lazy listeners. This measures, side by side in
one run against the local Slack over real HTTP on loopback:

* the HTTP answer time of `/learn help` (answered inline), `/learn now` and a check button;
* for `/learn now` and the button, the time until the lazy work is done (the lesson is in the DM,
  the message shows the verdict);

and reports the ratio "work done after the answer / answer time": how much Slack does not wait for.
The local Slack's rate limits are off here, so the numbers are Nudge's own, not the emulator's
pacing.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bot.demo import start_session

ROUNDS = 4  # lessons per member; the seeded team has ten members
SEED = Path("seeds/demo.yaml")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run() -> str:
    session = start_session(SEED, rate_limits=False)
    answers: dict[str, list[float]] = {"/learn help": [], "/learn now": [], "check button": []}
    done: dict[str, list[float]] = {"/learn now": [], "check button": []}
    try:
        learners = session.bot.learners()
        for _ in range(ROUNDS):
            for user in learners:
                answers["/learn help"].append(session.bot.driver.command(user, "help").elapsed)

                start = time.perf_counter()
                answers["/learn now"].append(session.bot.driver.command(user, "now").elapsed)
                session.settle()
                done["/learn now"].append(time.perf_counter() - start)

                message = session.slack.dm_messages(user)[-1]
                start = time.perf_counter()
                answers["check button"].append(
                    session.bot.driver.click(user, message, index=1).elapsed
                )
                session.settle()
                done["check button"].append(time.perf_counter() - start)
    finally:
        session.close()

    lines = [
        "| request | n | answer p50 | answer p95 | answer max | work done p50 | done / answer |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, values in answers.items():
        p50 = statistics.median(values)
        finished = done.get(name)
        done_p50 = statistics.median(finished) if finished else None
        lines.append(
            f"| {name} | {len(values)} | {p50 * 1000:.1f} ms | "
            f"{_percentile(values, 0.95) * 1000:.1f} ms | {max(values) * 1000:.1f} ms | "
            + (
                f"{done_p50 * 1000:.1f} ms | {done_p50 / p50:.1f}x |"
                if done_p50
                else "inline | 1.0x |"
            )
        )
    table = "\n".join(lines)
    print(table)
    return f"""## Slack's 3-second budget: answer first, work after

Every request is signed and sent over HTTP to `/slack/events` by the local Slack's driver, as
Slack sends it; the bot's WebClient calls the local Slack (rate limits off). {ROUNDS} rounds over
the seeded team of {len(learners)}. "Work done" is measured from sending the request until the
bot's lazy listeners are idle again.

{table}

### What the numbers mean

- The slowest answer above is far inside Slack's 3,000 ms: the answer never waits for the
  database or the Slack API. The test suite proves the same without a clock
  (`test_the_answer_to_slack_does_not_wait_for_the_slack_api` holds `chat.postMessage` and
  the command is still answered).
- "done / answer" is how much longer the whole job takes than the answer Slack waits for. It
  grows with the Slack API's latency, which on loopback is near zero; against the real Slack
  (tens to hundreds of ms per call) the gap widens and the answer time stays the same.
"""
