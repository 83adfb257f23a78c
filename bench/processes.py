"""Apps under test started as an operator starts them: each in a process of its own, configured by
the environment only, and ready when it says so (``GET /healthz`` answers 200, or, for a process
that serves no HTTP, a line in its log). What the start-up and acknowledgement benchmarks share.

The child's log goes to a file (its stderr and stdout), read only when it fails to start or to find
its ready line: nothing in this process reads it while the app is being timed.

Placement: in a deployment `web` has a dyno or container of its own and everything else (workers,
Slack's servers, the clients) runs elsewhere. `placement()` splits this machine's CPUs the same way
for every app: the process that acknowledges gets CPUs of its own, everything else the rest.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence, Set
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import bare_bolt
from bench.common import REPO

READY_SECONDS = 30.0  # a start that is not ready by then is a failure
POLL_SECONDS = 0.005  # how often readiness is tried: the resolution of a start time
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # the unit of /proc/<pid>/stat's CPU times


def free_port() -> int:
    # The port is free when asked; the child binds it a moment later (a race only on a busy host).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def health(port: int) -> tuple[int, dict[str, Any]] | None:
    """``GET /healthz``: its status and JSON body (the bare app's 200 has none: {}), or None when
    nothing answers yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            status, raw = answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        status, raw = refused.code, refused.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None
    try:
        body = json.loads(raw)
    except ValueError:
        body = {}
    return status, body if isinstance(body, dict) else {}


def memory_kib(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM in KiB, read from /proc (Linux)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far, from /proc/<pid>/stat (Linux)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name, in parentheses, may hold spaces: count fields after its closing one.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


@dataclass(frozen=True)
class Placement:
    """Which CPUs the acknowledging process (bare Bolt's script, Nudge's `web`) runs on, and which
    everything else does; both None when nothing is pinned, with ``note`` saying why."""

    web: frozenset[int] | None
    rest: frozenset[int] | None
    note: str


def placement() -> Placement:
    """The CPUs this process may use, split: the first half (at least one) for the acknowledging
    process, the others for the rest; on 2 CPUs, CPU 0 and CPU 1."""
    if not hasattr(os, "sched_setaffinity"):
        return Placement(None, None, "Nothing was pinned: this system has no sched_setaffinity.")
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return Placement(None, None, "Nothing was pinned: this process may use only one CPU.")
    half = max(1, len(cpus) // 2)
    web, rest = frozenset(cpus[:half]), frozenset(cpus[half:])
    return Placement(
        web, rest, f"CPUs {_cpus(web)} for the acknowledging process, {_cpus(rest)} for the rest."
    )


def _cpus(cpus: Set[int]) -> str:
    return ", ".join(str(cpu) for cpu in sorted(cpus))


def pin(pid: int, cpus: Set[int] | None) -> None:
    """Every thread of process ``pid`` onto ``cpus`` (threads it starts later inherit it); None
    leaves it where it is. sched_setaffinity of a pid moves only that one thread."""
    if cpus is None:
        return
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(ProcessLookupError):  # a thread that ended meanwhile
            os.sched_setaffinity(int(task.name), cpus)


@contextmanager
def pinned(cpus: Set[int] | None) -> Iterator[None]:
    """This process (every thread, and so what it starts afterwards) on ``cpus`` for the block,
    then back on the CPUs it had."""
    had = os.sched_getaffinity(0) if cpus is not None else None
    pin(os.getpid(), cpus)
    try:
        yield
    finally:
        pin(os.getpid(), had)


def bare_bolt_script(folder: Path) -> list[str]:
    """The command that runs bench/bare_bolt.py as a script copied into ``folder`` (so that it
    imports nothing of the bench); configured like ``web`` by the environment."""
    script = folder / "bare_bolt.py"
    shutil.copyfile(bare_bolt.__file__, script)
    return [str(script)]


Healthy = Callable[[int, dict[str, Any]], bool]  # of /healthz's status and body: ready?


def answers_200(status: int, _body: dict[str, Any]) -> bool:
    return status == 200


class AppProcess:
    """``argv`` started with ``env``; with ``port`` it gets PORT and is ready when /healthz
    answers as ``healthy`` says (a 200), else when ``ready_line`` is in its log. With ``cpus``
    it is pinned there right after it starts (before its interpreter has started a thread)."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        log_path: Path,
        *,
        port: int | None = None,
        ready_line: str = "",
        healthy: Healthy = answers_200,
        cpus: Set[int] | None = None,
    ) -> None:
        self.argv, self.port, self.log_path = list(argv), port, log_path
        self.began = time.perf_counter()
        with log_path.open("w") as output:
            self.process = subprocess.Popen(
                self.argv,
                env=env if port is None else {**env, "PORT": str(port)},
                cwd=REPO,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        pin(self.process.pid, cpus)
        self._ready_line, self._healthy = ready_line, healthy

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self) -> float:
        """Seconds from launch until ready (RuntimeError, with the log's tail, if it ends or
        takes longer than READY_SECONDS)."""
        while not self._ready():
            if self.process.poll() is not None or time.perf_counter() - self.began > READY_SECONDS:
                self.stop()
                tail = self.log_path.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{' '.join(self.argv)} did not start:\n{tail}")
            time.sleep(POLL_SECONDS)
        return time.perf_counter() - self.began

    def _ready(self) -> bool:
        if self.port is None:
            return self._ready_line in self.log_path.read_text(errors="replace")
        answer = health(self.port)
        return answer is not None and self._healthy(*answer)

    def stop(self) -> None:
        """SIGTERM (a deploy's stop: `web` finishes the work it accepted), then SIGKILL after 10 s."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
