"""What a listener reads from Bolt's context: the process's dependencies, the caller, their Slack.

A global middleware puts the dependencies into every request's context, so listener callbacks are
plain module-level functions a test can import, as in Slack's Bolt starter template.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext

from bot.services.deps import Deps
from bot.services.people import Caller
from bot.slack.gateway import SlackGateway

DEPS_KEY = "nudge_deps"


def provide(deps: Deps) -> Callable[[BoltContext, Callable[[], None]], None]:
    """The middleware: Bolt deep-copies the context for lazy listeners, and `Deps` copies as
    itself, so the same dependencies reach the lazy work too."""

    def attach_deps(context: BoltContext, next: Callable[[], None]) -> None:
        context[DEPS_KEY] = deps
        next()

    return attach_deps


def deps_of(context: BoltContext) -> Deps:
    deps: Deps = context[DEPS_KEY]
    return deps


def caller_of(context: BoltContext) -> Caller:
    """The workspace (an org-wide install names its enterprise instead) and the user."""
    return Caller(context.team_id or context.enterprise_id or "", context.user_id or "")


def slack_of(context: BoltContext) -> SlackGateway:
    return SlackGateway(context.client)
