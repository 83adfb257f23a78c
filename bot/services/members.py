"""Who a Slack user is to Nudge: a member row, created from their Slack profile on first use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.learning.model import Member, MemberProfile
from bot.store.repository import Store

ProfileLookup = Callable[[str], MemberProfile]


def ensure_member(
    store: Store,
    team_id: str,
    slack_user_id: str,
    lookup: ProfileLookup,
    now: datetime,
    *,
    is_lead: bool,
    is_admin: bool,
) -> Member:
    """The member for this user; Slack is asked for tz and locale only when we have not met them."""
    workspace_id = store.workspace_id(team_id, now)
    member = store.member(workspace_id, slack_user_id)
    if member is not None and (member.is_lead, member.is_admin) == (is_lead, is_admin):
        return member
    profile = (
        lookup(slack_user_id)
        if member is None
        else MemberProfile(member.slack_user_id, member.name, member.tz, member.locale)
    )
    return store.save_member(workspace_id, profile, now, is_lead=is_lead, is_admin=is_admin)
