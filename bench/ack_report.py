"""The acknowledgement benchmark's results: their shape, the tables and what they mean."""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass

from bench.common import ms, percentile, prose, ratio, table
from bench.load import Run
from bench.processes import Placement
from bench.targets import BARE, CLOSED, HELP, NOW, PRESS, WORKER

LEVELS = (1, 8, 32, 128)  # concurrent clients
LATENCIES = (0.0, 0.1)  # seconds the local Slack adds to every call
KINDS = (HELP, NOW, PRESS)
AIM = 1.3  # Nudge's p99 within this many times the bare app's
# The longest the bench waits for an app's work to finish after a level: a level not idle by then
# is reported so, and the levels timed after it begin with that backlog still being worked.
DRAIN_SECONDS = 30.0


@dataclass(frozen=True)
class Level:
    run: Run
    settle: float | None  # seconds from the last answer until the work was done; None: timed out
    busy: int  # requests refused as "busy" (commands: in the ack; buttons: in a later notice)


@dataclass(frozen=True)
class Cpu:
    """The CPU time one process used over the timed levels: while each level's requests were
    sent and answered, and for a worker until the level's work was done."""

    app: str
    process: str  # "web", "worker", "script", or the bench's own
    seconds: float
    requests: int  # requests sent to the app over the timed levels (all of them, for the bench's)

    @property
    def over(self) -> str:
        return "sends and work" if self.process == "worker" else "sends"


Key = tuple[float, int, str, str]  # latency, clients, target name, request kind
Levels = dict[Key, Level]


def _bare(levels: Levels, latency: float, clients: int, kind: str) -> Run:
    """The bare app's run a Nudge request is compared with: its one command, or its button."""
    return levels[(latency, clients, BARE, PRESS if kind == PRESS else HELP)].run


def _p99_ratio(levels: Levels, key: Key) -> float:
    latency, clients, _, kind = key
    bare = percentile(_bare(levels, latency, clients, kind).elapsed, 0.99)
    return percentile(levels[key].run.elapsed, 0.99) / bare


def _rate(run: Run) -> str:
    return f"{run.count / run.wall:,.0f}" if run.wall > 0 else "n/a"


def _latency_table(levels: Levels, name: str, latency: float) -> str:
    rows = []
    for kind in KINDS:
        for clients in LEVELS:
            level = levels[(latency, clients, name, kind)]
            nudge, bare = level.run, _bare(levels, latency, clients, kind)
            p99, bare_p99 = percentile(nudge.elapsed, 0.99), percentile(bare.elapsed, 0.99)
            rows.append(
                [
                    kind,
                    str(clients),
                    str(nudge.count),
                    ms(percentile(nudge.elapsed, 0.5)),
                    ms(p99),
                    ms(percentile(bare.elapsed, 0.5)),
                    ms(bare_p99),
                    ratio(p99, bare_p99),
                    f"{_rate(nudge)} / {_rate(bare)}",
                    str(nudge.over_limit),
                    str(level.busy),
                ]
            )
    header = ["request", "clients", "n", "Nudge p50", "Nudge p99", "bare p50", "bare p99"]
    header += ["p99 Nudge/bare", "acks/s Nudge / bare", "over 3 s", "busy"]
    return table(header, rows, right_from=1)


def _settle_table(levels: Levels, names: list[str]) -> str:
    rows = []
    for name in names:
        for kind in KINDS:
            level = levels[(LATENCIES[-1], LEVELS[-1], name, kind)]
            done = f"not idle in {DRAIN_SECONDS:.0f} s"
            if level.settle is not None:
                done = f"{level.settle:.1f} s"
            taken = level.run.count - level.busy
            rows.append([name, kind, str(level.run.count), str(taken), str(level.busy), done])
    header = ["app", "request", "sent", "work taken", "busy", "settled after last ack"]
    return table(header, rows, right_from=2)


def _closed_table(levels: Levels, names: list[str]) -> str:
    """Check-button p99 of the bare app, Nudge with no work, and Nudge: where the extra comes from."""
    rows = []
    for latency in LATENCIES:
        for clients in LEVELS:
            apps = [BARE, CLOSED, *names]
            runs = [levels[(latency, clients, app, PRESS)].run for app in apps]
            rows.append(
                [f"+{latency * 1000:.0f} ms", str(clients)]
                + [f"{ms(percentile(run.elapsed, 0.99))} ({_rate(run)}/s)" for run in runs]
            )
    return table(["local Slack", "clients", *[BARE, CLOSED, *names]], rows, right_from=1)


def _cpu_table(cpu: list[Cpu]) -> str:
    rows = [
        [
            one.app,
            one.process,
            one.over,
            f"{one.seconds:,.1f} s",
            str(one.requests),
            ms(one.seconds / one.requests) if one.requests else "n/a",
        ]
        for one in cpu
    ]
    header = ["app", "process", "counted over", "CPU", "requests", "CPU per request"]
    return table(header, rows, right_from=3)


def _placement(place: Placement) -> str:
    if place.web is None or place.rest is None:
        return f"""{place.note} Every process shares all of the machine's CPUs, so an app's work,
  its local Slack and the load generator take CPU from its acknowledging process."""
    web, rest = (", ".join(map(str, sorted(cpus))) for cpus in (place.web, place.rest))
    web_cpus = "CPU" if len(place.web) == 1 else "CPUs"
    rest_cpus = "CPU" if len(place.rest) == 1 else "CPUs"
    return f"""Deployed, `web` runs on a dyno or container of its own and the workers, Slack's
  servers and the clients elsewhere, so the same placement is given to every app: its
  acknowledging process (the bare script, Nudge's `web`) is pinned to {web_cpus} {web} and
  everything else to {rest_cpus} {rest} (`sched_setaffinity`, bench/processes.py `placement`):
  the load generator, the bench's process with the local Slacks, and Nudge's `worker`. `web` on
  its own (`WORK_IN` unset) keeps its work on its own threads, so that work shares `web`'s CPU, as
  it would on its dyno; with `WORK_IN=worker` the work is on the other {rest_cpus}, where it
  shares the CPU with the load generator timing the acknowledgements (a deployment's clients would
  not be there). PostgreSQL's server and whatever else runs on the machine (other people's work
  included) are not pinned and may take any CPU; the load average below says how busy it was."""


def report(levels: Levels, names: list[str], note: str, cpu: list[Cpu], place: Placement) -> str:
    sections = []
    for name in names:
        for latency in LATENCIES:
            heading = f"### {name}, local Slack +{latency * 1000:.0f} ms per call"
            body = _latency_table(levels, name, latency)
            print(f"\n{heading}\n{body}")
            sections.append(f"{heading}\n\n{body}")
    settle, closed = _settle_table(levels, names), _closed_table(levels, names)
    used = _cpu_table(cpu)
    print(f"\n{settle}\n\n{closed}\n\n{used}\n\n{' '.join(note.split())}")
    tables = "\n\n".join(sections)
    workers = [name for name in names if name.startswith(WORKER)]
    worker_setup = (
        f"""With `WORK_IN=worker` ({", ".join(workers)}), `web` stores each accepted request and
  one `python -m bot worker` on the same database (one of its own) does the work; that backlog is
  not all in web's `/healthz` (a taken request is not), so the bench takes the work as done once
  no accepted request is left in the database (a worker deletes each once its work, Slack calls
  included, is done)."""
        if workers
        else ""
    )
    return prose(f"""## Acknowledgements under load: Nudge against a bare Bolt app

Slack gives an app 3 s to answer a slash command or a button press. For `/learn help`, `/learn
now` and a check-button press, levels of 1, 8, 32 and 128 concurrent clients send 4 requests per
client, at least 64 (p50 and p99 are nearest-rank: with 64 requests p99 is the slowest one, with
512 the 6th slowest). Each request is built and signed by the local Slack's SlackDriver and sent
over loopback by a load generator in a process of its own (bench/loadgen.py, the driver's urllib
call); the time is from sending the request to having the whole HTTP answer.

Every app runs as it is deployed, in processes of its own started by the environment only, so
that no app shares an interpreter lock or a garbage collector with another, with its local Slack
or with the clients. Nudge is `python -m bot web` (SLACK_API_URL pointing at its local Slack,
DATABASE_URL, CONTENT_DIR, PORT, the signing secret and the bot token; its work on `WORK_THREADS=5`
threads with `WORK_QUEUE=200` places, the defaults). The floor is the bare Bolt script of
bench/bare_bolt.py, started the same way: a Bolt `App` with one command and one button listener
that only `ack()`, served by the same `WebServer` (waitress, 8 threads), with the same signing
secret and driver, its token verified by `auth.test` against a local Slack of its own. It has
`process_before_response=True`, as Nudge has: Bolt then runs the listener on the request's
thread, as Nudge's listeners do, instead of on its executor with a poll for the ack. Having one
command, it is compared with both `/learn help` and `/learn now`. {worker_setup}

The local Slacks, one per app, run in the bench's process, playing Slack's servers; their rate
limits are off, since 128 clients would meet their Tier limits and time the emulator's pacing;
"+100 ms" makes each wait 100 ms before answering every Web API call and response_url post.
Presses are on real lesson messages (one `/learn now` per learner through the app, read from its
local Slack once the app's work is done, before any timing), and each app is warmed up with 64
untimed requests of each kind from 8 clients; only the first press records, later ones repaint the
message and say "already answered". The apps are up together and take turns level by level, and
after each level the bench waits, looking every 50 ms, until the app's `GET /healthz` says no
work is pending (`work_queue.pending`); a level whose work is not done within
{DRAIN_SECONDS:.0f} s is reported "not idle", and the levels timed after it begin with the rest of
that work still running. "acks/s" is requests over the level's wall time; "busy" counts requests Nudge
refused because its work queue was full: commands say so in the acknowledgement, buttons in a
later message.

{_placement(place)} {note}

{tables}

Settle time at 128 clients with +100 ms: from the last acknowledgement until the app's work is
done (information, not an aim):

{settle}

Where the extra button latency comes from: check-button p99 (and acks/s) of the bare app, of Nudge
with its work queue closed (`python -m bot web` with `WORK_QUEUE=0` on SQLite: every press is
acknowledged, then refused, so no work runs; what is left is Nudge's acknowledgement alone), and
of Nudge:

{closed}

CPU time each process used (user and system, from `/proc/<pid>/stat`), and per request sent to
it, counted only while a level's requests were being sent and answered ("sends": from the first
request to the level's last acknowledgement, not the wait for the work to finish, whose polling
would count as `web`'s), except a worker's, which is its work and is counted until the level's
work was done ("sends and work"). `web` on its own does part of its work during the sends, and
that part is in its figure; the load generator's and the bench's count every app's sends.

{used}

### What the numbers mean

{meaning(levels, names, cpu, place)}
""")


def _span(values: list[float], unit: str = "x") -> str:
    low, high = min(values), max(values)
    return f"{low:.2f}{unit} to {high:.2f}{unit}"


def _per_request(cpu: list[Cpu], app: str, process: str) -> float:
    one = next((c for c in cpu if c.app == app and c.process == process), None)
    return one.seconds / one.requests if one is not None and one.requests else float("nan")


def meaning(levels: Levels, names: list[str], cpu: list[Cpu], place: Placement) -> str:
    """The hand-written reading of the tables, with every number taken from them."""
    nudge = {key: level for key, level in levels.items() if key[2] in names}
    over = sum(level.run.over_limit for level in nudge.values())
    failed = sum(level.run.errors + level.run.not_ok for level in levels.values())
    slow, top = LATENCIES[-1], LEVELS[-1]
    hardest = [nudge[(slow, top, n, k)] for n in names for k in KINDS]
    hardest_p99 = max(percentile(level.run.elapsed, 0.99) for level in hardest)
    ratios = {key: _p99_ratio(levels, key) for key in nudge}
    within = len([r for r in ratios.values() if r <= AIM])
    spread = "; ".join(
        f"{c} client{'s' if c > 1 else ''} {_span([r for k, r in ratios.items() if k[1] == c])}"
        for c in LEVELS
    )
    worst = max(ratios, key=lambda key: ratios[key])
    worst_run = nudge[worst].run
    plural = "s" if worst[1] > 1 else ""
    where = f"{worst[3]}, {worst[1]} client{plural}, +{worst[0] * 1000:.0f} ms, {worst[2]}"
    busy_top = [
        nudge[(lat, top, n, k)].busy / nudge[(lat, top, n, k)].run.count
        for lat in LATENCIES
        for n in names
        for k in KINDS
    ]
    busy_commands = max(
        nudge[(lat, top, n, k)].busy / nudge[(lat, top, n, k)].run.count
        for lat in LATENCIES
        for n in names
        for k in (HELP, NOW)
    )
    busy_below = sum(level.busy for key, level in nudge.items() if key[1] != top)
    busy = "No request was refused as busy."
    if max(busy_top) > 0:
        busy = f"""At {top} clients up to {max(busy_top):.0%} of a level's requests were refused
  as busy ({busy_below} below {top} clients): the work queue holds 200 and 5 threads empty it
  (with `WORK_IN=worker`, 200 stored requests may wait for the worker), so when requests come
  faster than the work behind them finishes, the rest are told "busy, try again in a minute"
  within Slack's 3 s, as designed, rather than accepted and left waiting."""
    if busy_commands > 0:
        busy += f""" The busy answer to a command is the one acknowledgement that may read the
  database (the caller's language, on the request's thread), but `web` keeps what it read a
  minute per person, so when up to {busy_commands:.0%} of the commands are refused, only each
  person's first busy answer in a minute waits for a query."""
    met = "met" if over == 0 and failed == 0 else "not met"
    aim = "met" if within == len(ratios) else "not met"
    verb = "is" if within == 1 else "are"
    return f"""- **No acknowledgement over 3 s: {met}.** {over} of Nudge's acknowledgements took over
  3 s, and {failed} requests to any app got no answer or a status other than 200. At {top} clients
  with +{slow * 1000:.0f} ms Nudge's p99 is at most {ms(hardest_p99)}. No acknowledgement calls the Slack API
  (`tests/slack/test_acks_never_wait.py` shows it by ordering alone), so +100 ms per Slack call
  reaches the acknowledgements only through the work it keeps running longer beside them.
- **p99 within {AIM}x of bare Bolt: {aim}.** {within} of {len(ratios)} levels {verb} within it.
  The p99 ratios by level: {spread}. At 64 requests a level's p99 is its slowest answer, so one
  slow answer sets it: the worst ratio, {ratios[worst]:.2f}x ({where}), is a p99 of
  {ms(percentile(worst_run.elapsed, 0.99))} over {worst_run.count} requests whose p50 was
  {ms(percentile(worst_run.elapsed, 0.5))}.
- **Why.** {_why(levels, names, cpu, place)}{_not_idle(levels)}
- **Busy.** {busy}
- **Both apps.** waitress accepts at most 100 connections by default, so at 128 clients some
  wait in the listen backlog; that is the same for both apps. Single p99s on a shared
  {os.cpu_count()}-core machine move by tens of percent between runs, so read the pattern across
  levels.
"""


def _not_idle(levels: Levels) -> str:
    """The levels whose work was not done within DRAIN_SECONDS, if any."""
    late = [key for key, level in levels.items() if level.settle is None]
    if not late:
        return ""
    which = "; ".join(f"{k[2]}, {k[3]}, {k[1]} clients, +{k[0] * 1000:.0f} ms" for k in late)
    return f"""
- **Not idle in {DRAIN_SECONDS:.0f} s.** {len(late)} level{"s" if len(late) > 1 else ""} still
  had work running when the bench stopped waiting ({which}); the next level timed after each
  (that app's next, or the next app's) ran with that work beside it."""


def _why(levels: Levels, names: list[str], cpu: list[Cpu], place: Placement) -> str:
    """Which part of the gap is the acknowledgement and which the work, as the numbers say."""
    singles = [n for n in names if not n.startswith(WORKER)]
    closed = [_p99_ratio(levels, (lat, c, CLOSED, PRESS)) for lat in LATENCIES for c in LEVELS]
    beside = [
        percentile(levels[(lat, c, n, PRESS)].run.elapsed, 0.99)
        / percentile(levels[(lat, c, CLOSED, PRESS)].run.elapsed, 0.99)
        for lat in LATENCIES
        for c in LEVELS
        for n in singles
    ]
    ack_part, work_part = statistics.median(closed), statistics.median(beside)
    bare_cpu = _per_request(cpu, BARE, "script")
    web_cpu = [_per_request(cpu, n, "web") for n in singles]
    apart = " and ".join(f"{ms(_per_request(cpu, n, 'web'))} ({n})" for n in singles)
    found = f"""With its work queue closed, Nudge's button p99 is {_span(closed)} the bare app's
  (median {ack_part:.2f}x): that is Nudge's acknowledgement alone, in a process of its own. With
  its work running, Nudge's button p99 is {_span(beside)} that (median {work_part:.2f}x). While
  the requests were sent `web` used {apart} of CPU per request sent to it, the work it did in
  that time included, against the bare script's {ms(bare_cpu)}
  ({_span([w / bare_cpu for w in web_cpu])})."""
    if work_part < ack_part:
        return f"""{found} So most of the gap is Nudge's acknowledgement itself (Bolt's listener
  matching, Nudge's middleware, the queue offer), not the work beside it; that is where to look."""
    cores = (
        "and its CPU, as on a dyno of its own"
        if place.web is not None
        else "and every process shares the machine's CPUs"
    )
    shared = f"""{found} So most of the gap is the work running beside the acknowledgements: the
  bare app has none, but Nudge's acknowledgements share `web`'s interpreter lock and garbage
  collector with their own work (database, rendering and replies on 5 work threads), {cores}."""
    workers = [n for n in names if n.startswith(WORKER)]
    if not workers:
        return f"""{shared} Moving that work into another process is what would take it off
  `web`'s interpreter; this code has no `WORK_IN` setting, so that was not measured."""
    against = "; ".join(_with_worker(levels, cpu, w, singles) for w in workers)
    apart_cpu = (
        "nor, pinned to the other CPU, `web`'s CPU"
        if place.web is not None
        else "but on this machine's shared CPUs it still competes with `web` for them"
    )
    return f"""{shared} With the work in a `worker` process (`WORK_IN=worker`): {against}. The
  worker's work no longer takes `web`'s interpreter lock, {apart_cpu}; what is left in `web` is
  storing each request (a database write, and on SQLite the one write lock it shares with the
  worker)."""


def _with_worker(levels: Levels, cpu: list[Cpu], name: str, singles: list[str]) -> str:
    """A WORK_IN=worker app against the bare app and against `web` alone on its database."""
    alone = next(s for s in singles if s.endswith(name.rsplit(", ", 1)[-1]))
    keys = [(lat, c, k) for lat in LATENCIES for c in LEVELS for k in KINDS]
    to_bare = [_p99_ratio(levels, (lat, c, name, k)) for lat, c, k in keys]
    to_alone = [
        percentile(levels[(lat, c, name, k)].run.elapsed, 0.99)
        / percentile(levels[(lat, c, alone, k)].run.elapsed, 0.99)
        for lat, c, k in keys
    ]
    return (
        f"{name}: p99 {_span(to_bare)} the bare app's and {statistics.median(to_alone):.2f}x "
        f"{alone}'s (median over levels); its `web` used {ms(_per_request(cpu, name, 'web'))} and "
        f"its worker {ms(_per_request(cpu, name, 'worker'))} of CPU per request, its work included"
    )
