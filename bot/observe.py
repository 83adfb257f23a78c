"""What operators see of each request, delivery and tick: one log line with its fields, and the
Prometheus metrics served at /metrics (README, "Operations").

Each event is said in one place, so that the log and the metrics can never disagree. The fields
go into the log record as `extra`: JSON lines (LOG_FORMAT=json) show them as keys, and the text
line says the same in words. No field holds what a person wrote.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Mapping
from typing import ParamSpec, Protocol, TypeVar

from prometheus_client import Counter, Histogram

requests_log = logging.getLogger("bot.requests")
deliveries_log = logging.getLogger("bot.deliveries")
ticks_log = logging.getLogger("bot.ticks")

REQUESTS = Counter(
    "nudge_slack_requests",
    "Requests from Slack acknowledged, by kind (command, block_actions, view_submission, "
    "event, ...) and HTTP status",
    ["kind", "status"],
)
REQUEST_SECONDS = Histogram(
    "nudge_slack_request_seconds",
    "Seconds from a request's arrival to its acknowledgement, by kind",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0),
)
DELIVERIES = Counter(
    "nudge_deliveries",
    "Messages sent to members and leads, by kind (lesson, review, question, reminder, digest) "
    "and outcome (sent, failed, unknown)",
    ["kind", "outcome"],
)
TICK_SECONDS = Histogram(
    "nudge_tick_seconds",
    "Seconds one pass of the clock took, from planning to the last message sent",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
SLACK_CALLS = Counter(
    "nudge_slack_api_calls",
    "Calls to Slack's Web API, every attempt, by method and HTTP status (0: no answer) and "
    "Slack's error code (empty when ok)",
    ["method", "status", "error"],
)


def request(
    *, kind: str, action: str, workspace: str, user: str, status: int, seconds: float
) -> None:
    """A request from Slack, acknowledged with `status`. `action` is the command and its
    subcommand, the action id, the view's callback id or the event type."""
    REQUESTS.labels(kind, str(status)).inc()
    REQUEST_SECONDS.labels(kind).observe(seconds)
    outcome = "ok" if status < 300 else "refused" if status < 500 else "error"
    requests_log.info(
        "%s %s from %s in %s: %s %s in %.0f ms",
        kind,
        action or "-",
        user or "-",
        workspace or "-",
        status,
        outcome,
        seconds * 1000,
        extra={
            "event": "request",
            "kind": kind,
            "action": action,
            "workspace": workspace,
            "user": user,
            "status": status,
            "outcome": outcome,
            "latency_ms": round(seconds * 1000, 1),
        },
    )


def delivery(
    *,
    workspace_id: int,
    user: str,
    kind: str,
    outcome: str,
    error: str | None,
    seconds: float,
) -> None:
    """One message to a member or to the leads, and what Slack did with it."""
    DELIVERIES.labels(kind, outcome).inc()
    deliveries_log.info(
        "%s to %s (workspace %s): %s%s in %.0f ms",
        kind,
        user,
        workspace_id,
        outcome,
        f" ({error})" if error else "",
        seconds * 1000,
        extra={
            "event": "delivery",
            "workspace_id": workspace_id,
            "user": user,
            "kind": kind,
            "outcome": outcome,
            "error": error,
            "latency_ms": round(seconds * 1000, 1),
        },
    )


def tick(
    *, seconds: float, sent: Mapping[str, int], missed: int, failed: int, members: int
) -> None:
    """One pass of the clock."""
    TICK_SECONDS.observe(seconds)
    ticks_log.info(
        "tick in %.0f ms: sent %s; %s missed, %s failed, %s members looked at",
        seconds * 1000,
        ", ".join(f"{count} {kind}" for kind, count in sorted(sent.items())) or "nothing",
        missed,
        failed,
        members,
        extra={
            "event": "tick",
            "duration_ms": round(seconds * 1000, 1),
            "sent": dict(sent),
            "missed": missed,
            "failed": failed,
            "members": members,
        },
    )


class TickCounts(Protocol):
    @property
    def sent(self) -> Mapping[str, int]: ...
    @property
    def missed(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def members(self) -> int: ...


P = ParamSpec("P")
R = TypeVar("R", bound=TickCounts)


def timed_tick(run: Callable[P, R]) -> Callable[P, R]:
    """Wraps one pass of the clock (`run_tick`): its duration and counts, logged and measured."""

    @functools.wraps(run)
    def timed(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        report = run(*args, **kwargs)
        tick(
            seconds=time.perf_counter() - started,
            sent=report.sent,
            missed=report.missed,
            failed=report.failed,
            members=report.members,
        )
        return report

    return timed


def slack_call(*, method: str, status: int, error: str) -> None:
    SLACK_CALLS.labels(method, str(status), error).inc()
