"""`web`'s CPU per acknowledged request, and ack p50/p99, for a few configurations side by side.

A cut-down `python -m bench acks` for deciding between changes: one level (``--clients``,
``--requests``) of each kind, the configurations taking turns for ``--rounds`` rounds, each on its
own local Slack and database, `web` pinned as bench/acks.py pins it. A configuration may run the
code of another checkout (``--base DIR``: e.g. ``git archive main | tar -x -C DIR``) and a switch
interval of its own, so that a change is measured against what it changes in the same run.

    python -m bench.ack_cpu --rounds 5 --clients 8 --requests 256 closed web worker base-worker

Printed per configuration and kind: `web`'s CPU per request while the level's requests were
sent (median over rounds, then each round's) and until its work was done, a worker's until the
work was done, the medians over rounds of p50 and p99 (then each round's p99), and the CPU per
request of `web`'s four busiest threads (with WORK_IN=worker the first is the writer's).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine

from bench.common import CONTENT, SIGNING_SECRET, Database, databases, log, percentile
from bench.crowd import nudge_env
from bench.load import LoadGenerator
from bench.processes import (
    CLOCK_TICKS,
    AppProcess,
    Placement,
    answers_200,
    free_port,
    pinned,
)
from bench.processes import placement as split_cpus
from bench.targets import (
    DRIVER_TIMEOUT,
    NOW,
    PRESS,
    Target,
    _local_slack,
    _says_busy,
    _with_lessons,
)


@dataclass(frozen=True)
class Config:
    name: str
    work_in: str  # web, worker, closed
    base: bool = False  # the --base checkout's code
    switch: float | None = None  # sys.setswitchinterval in `web`, seconds


def _argv(command: str, code: Path | None, switch: float | None) -> list[str]:
    lines = ["import runpy, sys"]
    if code is not None:
        lines.append(f"sys.path.insert(0, {str(code)!r})")
    if switch is not None:
        lines.append(f"sys.setswitchinterval({switch!r})")
    lines.append(f"sys.argv = ['bot', {command!r}]")
    lines.append("runpy.run_module('bot', run_name='__main__', alter_sys=True)")
    return [sys.executable, "-c", "; ".join(lines)]


@dataclass
class Measured:
    cpu: list[float] = field(default_factory=list)  # web CPU seconds per request, per round
    worker: list[float] = field(default_factory=list)
    settled: list[float] = field(default_factory=list)  # web's, until its work was done
    elapsed: list[list[float]] = field(default_factory=list)  # per round
    threads: dict[int, float] = field(default_factory=dict)  # web's CPU seconds by thread id
    count: int = 0

    def line(self) -> str:
        p50 = [percentile(e, 0.5) for e in self.elapsed]
        p99 = [percentile(e, 0.99) for e in self.elapsed]
        top = sorted(self.threads.values(), reverse=True)[:4]
        settled = statistics.median(self.settled) * 1000
        worker = f" (until done {settled:.2f} ms)"
        worker += f", worker {statistics.median(self.worker) * 1000:.2f} ms" if self.worker else ""
        return (
            f"web CPU/request median {statistics.median(self.cpu) * 1000:.2f} ms "
            f"[{' '.join(f'{c * 1000:.2f}' for c in self.cpu)}]{worker}; "
            f"p50 median {statistics.median(p50) * 1000:.1f} ms, "
            f"p99 median {statistics.median(p99) * 1000:.1f} ms "
            f"[{' '.join(f'{p * 1000:.0f}' for p in p99)}]; web threads "
            + " ".join(f"{t / self.count * 1000:.2f}" for t in top)
        )


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds so far of each thread of process ``pid``."""
    used = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        used[int(task.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return used


def _start(
    config: Config, database: Database, folder: Path, place: Placement, code: Path | None
) -> Target:
    slack = _local_slack()
    env: dict[str, str] = {}
    if config.work_in == "closed":
        env["WORK_QUEUE"] = "0"
    elif config.work_in == "worker":
        env["WORK_IN"] = "worker"
    settings = nudge_env(
        slack,
        database.url,
        CONTENT,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        LIBRARY_CACHE=str(folder / "library"),
        **env,
    )
    if code is not None:
        settings["PYTHONPATH"] = str(code)
    slug = config.name.replace(" ", "-")
    web = AppProcess(
        _argv("web", code, config.switch),
        settings,
        folder / f"{slug}.log",
        port=free_port(),
        healthy=_says_busy if config.work_in == "closed" else answers_200,
        cpus=place.web,
    )
    web.wait_ready()
    processes = [web]
    if config.work_in == "worker":
        worker = AppProcess(
            _argv("worker", code, None),
            {k: v for k, v in settings.items() if k != "SLACK_SIGNING_SECRET"},
            folder / f"{slug}-worker.log",
            ready_line="Nudge worker started",
            cpus=place.rest,
        )
        worker.wait_ready()
        processes.append(worker)
    kinds = (PRESS,) if config.work_in == "closed" else (PRESS, NOW)
    engine = create_engine(database.url) if config.work_in == "worker" else None
    return Target(config.name, slack, processes, kinds, database=engine)


CONFIGS = {
    "closed": Config("closed", "closed"),
    "web": Config("web", "web"),
    "web-1ms": Config("web-1ms", "web", switch=0.001),
    "web-0.5ms": Config("web-0.5ms", "web", switch=0.0005),
    "worker": Config("worker", "worker"),
    "base-web": Config("base-web", "web", base=True),
    "base-worker": Config("base-worker", "worker", base=True),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("configs", nargs="+", choices=sorted(CONFIGS))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=256)
    parser.add_argument("--kinds", default="press,now")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--base", type=Path)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    kinds = {"press": PRESS, "now": NOW}
    wanted = [kinds[k] for k in args.kinds.split(",")]
    place = split_cpus()
    results: dict[tuple[str, str], Measured] = {}
    with (
        pinned(place.rest),
        tempfile.TemporaryDirectory(prefix="nudge-ackcpu-") as tmp,
        ExitStack() as stack,
        LoadGenerator(place.rest) as load,
    ):
        folder = Path(tmp)
        targets = []
        pressed = None
        for name in args.configs:
            config = CONFIGS[name]
            found, _ = stack.enter_context(databases())
            database = found[-1] if args.postgres else found[0]
            code = args.base if config.base else None
            target = _start(config, database, folder, place, code)
            stack.callback(target.close)
            if config.work_in == "closed":
                assert pressed is not None, "name a configuration that works before closed"
                target.pressed = pressed
            else:
                _with_lessons(target)
                pressed = pressed or target.pressed
            target.slack.latency = args.latency
            targets.append(target)
        for target in targets:  # warm up as bench/acks.py does
            for kind in target.kinds:
                with target.driver.capture() as prepared:
                    for number in range(64):
                        target.send(kind, number)
                load.run(prepared, 8, 30.0, DRIVER_TIMEOUT)
                target.drain(time.perf_counter(), 60.0)
        began = os.getloadavg()[0]
        for round_ in range(args.rounds):
            # Taking turns, each round in another order, so no configuration always goes first.
            order = targets[round_ % len(targets) :] + targets[: round_ % len(targets)]
            for target in order:
                for kind in wanted:
                    if kind not in target.kinds:
                        continue
                    with target.driver.capture() as prepared:
                        for number in range(args.requests):
                            target.send(kind, number)
                    cpus = target.cpu()
                    threads = thread_cpu(target.processes[0].pid)
                    run = load.run(prepared, args.clients, 60.0, DRIVER_TIMEOUT)
                    acked = target.cpu()
                    after = thread_cpu(target.processes[0].pid)
                    target.drain(run.finished_at, 60.0)
                    settled = target.cpu()
                    measured = results.setdefault((target.name, kind), Measured())
                    measured.cpu.append((acked[0] - cpus[0]) / run.count)
                    measured.settled.append((settled[0] - cpus[0]) / run.count)
                    if len(cpus) > 1:
                        measured.worker.append((settled[1] - cpus[1]) / run.count)
                    measured.elapsed.append(run.elapsed)
                    measured.count += run.count
                    for tid, seconds in after.items():
                        used = seconds - threads.get(tid, 0.0)
                        measured.threads[tid] = measured.threads.get(tid, 0.0) + used
                    if run.busy or run.errors or run.not_ok:
                        log(f"{target.name} {kind}: busy {run.busy} errors {run.errors}")
            log(f"round {round_ + 1} done")
        ended = os.getloadavg()[0]
    print(
        f"{args.clients} clients, {args.requests} requests, {args.rounds} rounds, "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, +{args.latency * 1000:.0f} ms; "
        f"load average {began:.2f} -> {ended:.2f}"
    )
    for (name, kind), measured in results.items():
        print(f"{name:12} {kind:13} {measured.line()}")


if __name__ == "__main__":
    main()
