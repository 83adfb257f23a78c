"""`app_home_opened`: publish the member's progress on the Home tab, in their language."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.services.home import show_home
from bot.slack.blocks.home import home_view
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly


def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab") == "home":  # the Messages tab needs nothing from us
        refresh_later(context, lambda: publish_home(event=event, client=client, context=context))


@apologise_quietly
def publish_home(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    deps = deps_of(context)
    home = show_home(deps, slack_of(context), caller_of(context))
    t = translator(home.person.language)
    view = home_view(t, home.progress, deps.settings.slash_command, home.tz)
    client.views_publish(user_id=event["user"], view=view)


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
