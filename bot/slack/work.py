"""The work behind an acknowledged request: a bounded queue on threads of its own.

Slack waits at most three seconds for an acknowledgement. Bolt runs a listener's ack function and
its lazy work on one executor, so an ack could wait for a thread busy posting a lesson or sleeping
on a 429. Here the ack runs on the HTTP request's own thread and hands the work over to this queue;
no ack ever waits for it. When the queue is full the ack says "busy, try again in a minute" instead
of letting Slack time out, and nothing that was accepted is dropped.

With WORK_IN=worker most of that work goes to the workers through the database instead
(bot.slack.forward says why both exist); what opens a modal stays here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("bot.slack")


class WorkQueue:
    def __init__(self, threads: int, capacity: int) -> None:
        """`capacity` counts work waiting and running together."""
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="nudge-work")
        self._capacity = capacity
        self._pending = 0
        self._idle = threading.Condition()

    def offer(self, work: Callable[[], None]) -> bool:
        """Queue `work`, or refuse it (False) when the queue is full. Accepted work always runs."""
        with self._idle:
            if self._pending >= self._capacity:
                return False
            self._pending += 1
        future = self._executor.submit(work)
        future.add_done_callback(self._done)
        return True

    def _done(self, future: Future[None]) -> None:
        if (error := future.exception()) is not None:
            log.error("work failed outside its own error handling", exc_info=error)
        with self._idle:
            self._pending -= 1
            self._idle.notify_all()

    @property
    def full(self) -> bool:
        with self._idle:
            return self._pending >= self._capacity

    @property
    def pending(self) -> int:
        """Accepted work not finished yet, waiting or running."""
        with self._idle:
            return self._pending

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is queued or running; False if `timeout` seconds pass first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=timeout)

    def shutdown(self) -> None:
        """Finish what was accepted, then stop the threads."""
        self._executor.shutdown(wait=True)
