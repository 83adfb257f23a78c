"""`app_home_opened`: publish the member's progress on the Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.services.progress import member_progress
from bot.slack.blocks.home import home_view
from bot.slack.deps import AppDeps, team_of


def register(app: App, deps: AppDeps) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab needs nothing from us
        progress = member_progress(
            deps.store, deps.library.current, team_of(context), event["user"], deps.clock()
        )
        client.views_publish(
            user_id=event["user"], view=home_view(progress, deps.settings.slash_command)
        )
