"""The team channel's comings and goings, and profile changes, keep the roster current between the
clock's daily refresh."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import App, BoltContext

from bot.slack.context import caller_of, deps_of, slack_of
from bot.slack.gateway import profile_of
from bot.slack.listeners.handover import refresh_later
from bot.slack.listeners.safety import apologise_quietly


def channel_changed(event: dict[str, Any], context: BoltContext) -> None:
    joined = event["type"] == "member_joined_channel"
    work = partial(note_membership, event=event, context=context, joined=joined)
    refresh_later(context, work, opens_modal=False)


@apologise_quietly
def note_membership(event: dict[str, Any], context: BoltContext, joined: bool) -> None:
    """Whether the channel is the workspace's team channel is the use case's to say."""
    from bot.services.roster import channel_membership_changed

    deps, team, user = deps_of(context), caller_of(context).team_id, event["user"]
    channel = str(event.get("channel") or "")
    channel_membership_changed(
        deps, slack_of(context), team, user, joined, deps.clock(), channel=channel
    )


def user_changed(event: dict[str, Any], context: BoltContext) -> None:
    from bot.services.roster import profile_changed

    profile = profile_of(event["user"])
    deps = deps_of(context)
    team = caller_of(context).team_id
    refresh_later(
        context, lambda: profile_changed(deps, team, profile, deps.clock()), opens_modal=False
    )


def register(app: App) -> None:
    app.event("member_joined_channel")(channel_changed)
    app.event("member_left_channel")(channel_changed)
    app.event("user_change")(user_changed)
