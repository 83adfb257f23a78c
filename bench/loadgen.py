"""The clients, in a process of their own: send prepared requests and time each answer.

Run as ``python -m bench.loadgen`` by bench/load.py, which writes one job per line on stdin and
reads one result per line from stdout. In the bench's own process 128 client threads would share
the interpreter lock with the local Slacks the bench runs, and a thread waiting for the lock after
its answer arrived would count that wait as the app's; here they share only the CPU, as Slack's
servers share the network with the app. Only the standard library: the process starts in milliseconds.

A job: ``{"clients": n, "seconds": s, "timeout": t, "requests": [{"url", "body", "headers"}]}``
(bodies are ASCII: form-encoded or JSON). A result: ``{"wall": s, "answers": [[elapsed, status,
non_empty], ...]}``, status -1 for a request that got no answer (elapsed is then ``timeout``).
"""

from __future__ import annotations

import http.client
import itertools
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

Answer = tuple[float, int, bool]


def _send(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """The same urllib call the SlackDriver makes, timed the same way: from sending the request
    to having read the whole answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except (OSError, http.client.HTTPException):
        return timeout, -1, False
    return time.perf_counter() - started, status, bool(raw.strip())


def run(job: dict[str, Any]) -> dict[str, Any]:
    requests = [(r["url"], r["body"].encode("ascii"), r["headers"]) for r in job["requests"]]
    clients, timeout = int(job["clients"]), float(job["timeout"])
    answers: list[Answer | None] = [None] * len(requests)
    numbers = itertools.count()
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client() -> None:
        start.wait()
        while True:
            with lock:
                number = next(numbers)
            if number >= len(requests) or time.perf_counter() > deadline[0]:
                return
            answers[number] = _send(*requests[number], timeout)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + float(job["seconds"])
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return {
        "wall": time.perf_counter() - began,
        "answers": [answer for answer in answers if answer is not None],
    }


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(run(json.loads(line))) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
