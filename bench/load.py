"""Concurrent clients against one app: how long each signed request waits for its HTTP answer.

The SlackDriver builds and signs every request (``driver.capture()``), exactly as it would send
it; a load generator in another process (bench/loadgen.py) then sends them over loopback from
``clients`` threads that share one counter, so that exactly ``count`` go out (fewer only if the
time bound passes first) with ``clients`` in flight at any moment, and times each answer from
sending the request to having all of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from types import TracebackType

from bench.common import REPO
from bench.processes import pin
from bot.localslack import PreparedRequest

SLOW = 3.0  # Slack's limit for an acknowledgement: a slower answer is a failed request


@dataclass
class Run:
    """One level's answers: times in seconds, and what was not a plain 200."""

    elapsed: list[float] = field(default_factory=list)
    errors: int = 0  # no HTTP answer at all (a timeout or a refused connection)
    not_ok: int = 0  # an answer other than 200
    busy: int = 0  # a command acknowledged with "busy" instead of taken (a non-empty 200)
    wall: float = 0.0  # from the first request sent to the last answer received
    finished_at: float = 0.0  # perf_counter here when the load generator reported back

    @property
    def count(self) -> int:
        return len(self.elapsed)

    @property
    def over_limit(self) -> int:
        """Answers over Slack's 3 s, counting requests that got no answer."""
        return sum(1 for e in self.elapsed if e > SLOW)


class LoadGenerator:
    """One ``python -m bench.loadgen`` process for many levels (started once: it is reused), on
    ``cpus`` when given."""

    def __init__(self, cpus: Set[int] | None = None) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.loadgen"],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        pin(self._process.pid, cpus)

    @property
    def pid(self) -> int:
        return self._process.pid

    def run(
        self, requests: Sequence[PreparedRequest], clients: int, seconds: float, timeout: float
    ) -> Run:
        job = {
            "clients": clients,
            "seconds": seconds,
            "timeout": timeout,
            "requests": [
                {"url": r.url, "body": r.body.decode("ascii"), "headers": r.headers}
                for r in requests
            ],
        }
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(job) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError("the load generator ended without an answer (see stderr)")
        result = json.loads(line)
        run = Run(wall=result["wall"], finished_at=time.perf_counter())
        for elapsed, status, non_empty in result["answers"]:
            run.elapsed.append(elapsed)
            run.errors += status == -1
            run.not_ok += status not in (200, -1)
            run.busy += status == 200 and non_empty
        return run

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        self._process.wait(10)

    def __enter__(self) -> LoadGenerator:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
