"""WORK_IN=worker: `web` stores each accepted request in the database, and a worker runs it.

`web` answers Slack only after the request's row is committed (`forward`), so an accepted request
outlives the process that took it. A worker takes the oldest row (`Requests.run_next`) and
dispatches its payload through the same Bolt app (`build_app`), with request verification off
(the payload comes from our own database, not the internet) and `Queues.inline` on, so that the
same listener runs again and its work runs there and then, on the worker's thread. Its
acknowledgement goes nowhere: Slack was answered by `web`. Work that opens a modal never gets here
(bot.slack.listeners.handover).

Why a table beside `WorkQueue` (bot.slack.work), both bounded by WORK_QUEUE: the queue lives in
one `web` process, so its work shares that interpreter with the acknowledgements and is lost if
the process dies; the table is shared by every `web` and worker and outlives them all. The queue
still runs what must happen within seconds of the click (modals), and everything with WORK_IN=web.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltRequest

from bot.services import accepted
from bot.services.deps import Deps
from bot.slack.context import Queues, body_of
from bot.slack.work import WorkQueue

log = logging.getLogger("bot.slack")


def forward(deps: Deps) -> Callable[[BoltContext], bool]:
    """What `web`'s listeners hand their work to with WORK_IN=worker: store the request (True),
    or refuse it when WORK_QUEUE requests wait already, across every `web` (False)."""

    def store(context: BoltContext) -> bool:
        body = body_of(context)
        team = context.team_id or context.enterprise_id or ""
        return accepted.accept(deps, team, kind_of(body), json.dumps(body))

    return store


def kind_of(body: dict[str, object]) -> str:
    """command, block_actions, view_submission, event_callback: for the log and the row."""
    return "command" if "command" in body else str(body.get("type") or "unknown")


class Requests:
    """A worker's side: the Bolt app that runs stored requests, built at the first one (a worker
    that only ever sends scheduled deliveries needs none, nor the signing secret)."""

    def __init__(self, deps: Deps, build: Callable[[Deps, Queues], App]) -> None:
        self._deps = deps
        self._build = build
        self._app: App | None = None
        self._queues: Queues | None = None

    def run_next(self) -> bool:
        """Run the oldest waiting request, if any waits: whether one did."""
        request = accepted.take(self._deps)
        if request is None:
            accepted.give_up_lost(self._deps)
            return False
        try:
            response = self._app_once().dispatch(
                BoltRequest(body=request.payload, headers={"content-type": ["application/json"]})
            )
            if response.status != 200:
                log.warning("a stored %s request answered %s", request.kind, response.status)
        finally:
            # Done, however it went: a request is run at most once (its listener told the person
            # if something failed).
            accepted.done(self._deps, request)
        return True

    def _app_once(self) -> App:
        if self._app is None:
            # Inline, the queues are never offered anything: they are there for the type.
            self._queues = Queues(work=WorkQueue(1, 1), notices=WorkQueue(1, 1), inline=True)
            self._app = self._build(self._deps, self._queues)
        return self._app

    def close(self) -> None:
        if self._queues is not None:
            self._queues.work.shutdown()
            self._queues.notices.shutdown()
