"""`app_home_opened`: publish the member's stats on the Home tab, in their language."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.i18n import translator
from bot.slack.blocks.home import home_view
from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly

if TYPE_CHECKING:
    from bot.services.home import MemberReport


def home_opened(event: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    if event.get("tab") == "home":  # the Messages tab needs nothing from us
        home = partial(publish_home, user_id=event["user"], client=client, context=context)
        refresh_later(context, home, opens_modal=False)


@apologise_quietly
def publish_home(user_id: str, client: WebClient, context: BoltContext) -> None:
    """The Home tab as it stands (when opened, and after each answer)."""
    from bot.services.home import member_stats

    report = member_stats(deps_of(context), slack_of(context), caller_of(context))
    show_home(client, context, user_id, report)


def show_home(
    client: WebClient, context: BoltContext, user_id: str, report: MemberReport, notice: str = ""
) -> None:
    """Publish `report`; `notice` says what a button just did."""
    t, command = translator(report.person.language), deps_of(context).settings.slash_command
    view = home_view(t, report.stats, command, notice=notice, digest=report.digest_shows)
    client.views_publish(user_id=user_id, view=view)


def register(app: App) -> None:
    app.event("app_home_opened")(home_opened)
