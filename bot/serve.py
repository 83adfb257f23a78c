"""Long-running processes: `run` (all in one), `web` (HTTP only) and `clock` (the scheduler)."""

from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler

from bot.runtime import build_deps
from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.web import WebServer

log = logging.getLogger("bot")


def web(settings: Settings) -> int:
    """HTTP serving with waitress; run several of these behind a load balancer to scale."""
    settings.require("slack_bot_token", "slack_signing_secret")
    app = build_app(build_deps(settings))
    server = WebServer(app, host="0.0.0.0", port=settings.port)
    log.info("Nudge is listening on port %s (POST /slack/events, GET /healthz)", server.port)
    server.serve_forever()
    return 0


def run(settings: Settings) -> int:
    """One process for a small team: Socket Mode when SLACK_APP_TOKEN is set, else HTTP."""
    settings.require("slack_bot_token", "slack_signing_secret")
    if not settings.slack_app_token:
        return web(settings)
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    app = build_app(build_deps(settings))
    log.info("Nudge is connecting to Slack over Socket Mode")
    SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def clock(settings: Settings) -> int:
    """The scheduler process (a placeholder until scheduled delivery is built: it opens the
    database, then logs a heartbeat each minute, so a deployment's `clock` process is ready)."""
    deps = build_deps(settings)
    scheduler = BlockingScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1}
    )

    def heartbeat() -> None:
        log.info("clock tick at %s: scheduled lessons are not built yet", deps.clock().isoformat())

    scheduler.add_job(heartbeat, "cron", minute="*", id="tick")
    log.info("Nudge clock started (UTC, every minute)")
    scheduler.start()
    return 0
