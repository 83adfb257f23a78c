"""The Bolt app: one WebClient (SLACK_API_URL, retry handlers), the listeners, a friendly error path."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltResponse

from bot.slack.deps import AppDeps
from bot.slack.executor import ListenerPool
from bot.slack.gateway import make_web_client
from bot.slack.listeners import register_listeners

log = logging.getLogger("bot.slack")


def build_app(deps: AppDeps, pool: ListenerPool | None = None) -> App:
    """`pool` runs the lazy listeners; pass one to wait on it (demo, tests)."""
    settings = deps.settings
    settings.require("slack_bot_token", "slack_signing_secret")
    app = App(
        client=make_web_client(settings),
        signing_secret=settings.slack_signing_secret,
        # Lazy listeners run here; the pool bounds concurrent work (and database connections).
        listener_executor=pool or ListenerPool(settings.listener_threads),
        # Bolt answers requests it has no listener for with 404 instead of raising.
        raise_error_for_unhandled_request=False,
        logger=log,
    )

    @app.error
    def _log_and_hide(error: Exception, body: dict[str, Any]) -> BoltResponse:
        # An exception in an ack listener: log it, and answer 200 so Slack shows no
        # "dispatch_failed" banner with internals; the person sees a short apology.
        log.exception(
            "unhandled error for %s", body.get("type") or body.get("command"), exc_info=error
        )
        return BoltResponse(
            status=200,
            body='{"response_type":"ephemeral","text":":warning: Something went wrong on Nudge\'s '
            'side and nothing was changed. Please try again in a minute."}',
            headers={"content-type": "application/json"},
        )

    register_listeners(app, deps)
    return app
