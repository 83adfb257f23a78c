"""Requests acknowledged by `web` and done by a worker (WORK_IN=worker), each in one unit of work.

`accept` runs on `web`'s writer thread, for the requests whose acknowledgements wait for it
(bot.slack.forward); `take` and `done` bracket a worker's run of the same request. A taken request
is run at most once: a worker that dies with one leaves it taken, and after STALE_REQUEST the next
worker to look marks it given up and logs it (a `/learn now` run twice would send two lessons; run
never, its person can ask again).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.services.deps import Deps
from bot.store.accepted import Accepted, Request

log = logging.getLogger("bot.requests")

# A request taken this long ago and not done has lost its worker: longer than any request's work
# takes, Slack's retries included (the same bound as a delivery's claim, bot.services.tick).
STALE_REQUEST = timedelta(minutes=10)


def accept(deps: Deps, requests: list[Request]) -> int:
    """Store the requests for a worker, in one transaction, as far as fewer than WORK_QUEUE
    wait: how many were stored (the first that many; nothing of the rest)."""
    with deps.uow() as uow:
        stored = uow.accepted.accept(requests, deps.clock(), deps.settings.work_queue)
        uow.commit()
    return stored


def take(deps: Deps) -> Accepted | None:
    """The oldest waiting request, taken; None when none waits."""
    with deps.uow() as uow:
        taken = uow.accepted.take(deps.clock())
        uow.commit()
    return taken


def give_up_lost(deps: Deps) -> None:
    """Mark given up (and log) the requests whose worker died while running them: looked for
    when a worker finds nothing to take (such a request is never run again either way)."""
    now = deps.clock()
    with deps.uow() as uow:
        lost = uow.accepted.give_up(now - STALE_REQUEST, now)
        uow.commit()
    for request in lost:
        log.error(
            "gave up a %s request of %.32s taken at %s: its worker stopped before finishing it, "
            "and it is never run twice",
            request.kind,
            request.team_id,
            request.taken_at.isoformat(),
        )


def done(deps: Deps, request: Accepted) -> None:
    with deps.uow() as uow:
        uow.accepted.done(request.id)
        uow.commit()


def waiting(deps: Deps) -> int:
    with deps.uow() as uow:
        return uow.accepted.waiting()
