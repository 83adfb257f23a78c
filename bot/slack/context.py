"""What a listener reads from Bolt's context: the process's dependencies, the caller, their Slack.

A global middleware puts the dependencies into every request's context, so listener callbacks are
plain module-level functions a test can import, as in Slack's Bolt starter template.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_bolt import BoltContext, BoltResponse

from bot.services.deps import Deps
from bot.services.people import Caller
from bot.slack.gateway import SlackGateway
from bot.slack.profiles import Kept, ProfileCache
from bot.slack.work import WorkQueue

log = logging.getLogger("bot.slack")

DEPS_KEY = "nudge_deps"
QUEUES_KEY = "nudge_queues"
PROFILES_KEY = "nudge_profiles"
BODY_KEY = "nudge_body"
LANGUAGES_KEY = "nudge_languages"

# How long a caller's language read for a "busy" answer is used again (bot.slack.listeners.safety
# `caller_language`): a member who changed their language is told "busy" in the old one for at
# most this long. A full queue says "busy" to many requests at once, and without it each one was
# a query on the request's thread, on a database busy enough already.
LANGUAGE_TTL_SECONDS = 60.0
# (workspace, user) pairs: a few hundred kilobytes at most.
LANGUAGES_MAX = 4096


class Forward(Protocol):
    """Stores a request for a worker (bot.slack.forward.Forward): False when it is refused."""

    def __call__(self, context: BoltContext) -> bool: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Queues:
    """Where the work behind an acknowledged request goes (bot.slack.listeners.handover)."""

    work: WorkQueue  # what a person asked for
    notices: WorkQueue  # "busy" replies through response_url, kept off the request's thread
    # WORK_IN=worker, in `web`: stores the request for a worker instead (False: too many wait).
    # Work that opens a modal stays on `work`: a trigger_id expires within 3 seconds.
    forward: Forward | None = None
    # In a worker, running a stored request again: its work runs at once, on the worker's thread.
    inline: bool = False

    def close(self) -> None:
        """Store what was forwarded, finish the work that was accepted, then stop the threads."""
        if self.forward is not None:
            self.forward.close()
        self.work.shutdown()
        self.notices.shutdown()


def provide(
    deps: Deps, queues: Queues
) -> Callable[[BoltContext, dict[str, Any], Callable[[], None]], BoltResponse | None]:
    """The middleware that hands every listener the process's dependencies and queues, and
    refuses requests from any workspace but the one the request's token belongs to (with
    installs by OAuth, Bolt has already refused a workspace that has no install)."""
    profiles = ProfileCache()  # the app's, so one per process
    # The process's clock (a test's moves when the test says), as seconds.
    languages = Kept[tuple[str, str], str](
        ttl=LANGUAGE_TTL_SECONDS, size=LANGUAGES_MAX, clock=lambda: deps.clock().timestamp()
    )

    def attach(
        context: BoltContext, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        installed = context.authorize_result.team_id if context.authorize_result else None
        if installed and context.team_id and context.team_id != installed:
            # Signed with our secret but from a workspace this deployment does not serve: answer
            # nothing, store nothing, send nothing.
            log.warning("refused a request from another workspace (%.32s)", context.team_id)
            return BoltResponse(status=200, body="")
        context[DEPS_KEY] = deps
        context[QUEUES_KEY] = queues
        context[PROFILES_KEY] = profiles
        context[LANGUAGES_KEY] = languages
        context[BODY_KEY] = body  # what `forward` stores for a worker
        next()
        return None

    return attach


def deps_of(context: BoltContext) -> Deps:
    deps: Deps = context[DEPS_KEY]
    return deps


def queues_of(context: BoltContext) -> Queues:
    queues: Queues = context[QUEUES_KEY]
    return queues


def body_of(context: BoltContext) -> dict[str, Any]:
    """The request's payload, as Bolt parsed it."""
    body: dict[str, Any] = context[BODY_KEY]
    return body


def caller_of(context: BoltContext) -> Caller:
    """The workspace (an org-wide install names its enterprise instead) and the user."""
    return Caller(context.team_id or context.enterprise_id or "", context.user_id or "")


def slack_of(context: BoltContext) -> SlackGateway:
    return SlackGateway(context.client, profiles=context.get(PROFILES_KEY))


def slack_locale(context: BoltContext) -> str | None:
    """The caller's Slack locale without asking Slack: users.info's answer if it was asked lately
    (a request from someone Nudge has not met asks it before its first write); None otherwise."""
    known = slack_of(context).known_profile(context.user_id) if context.user_id else None
    return known.locale if known else None
