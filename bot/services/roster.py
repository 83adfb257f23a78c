"""Who learns: the team channel's members, kept in step with Slack.

A daily refresh reads the whole roster with two paginated methods (conversations.members, then
users.list with locales), never users.info per member; Slack's events keep it current in between.
A changed zone or away status clears the member's next due time, so the clock reschedules them
from now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.learning.away import away_until
from bot.learning.model import Member, MemberProfile
from bot.services.deps import Deps
from bot.services.people import Caller, Directory
from bot.services.team_setup import SetupSaved, in_workspace, save_setup
from bot.store.uow import UnitOfWork


class RosterSource(Directory, Protocol):
    def channel_members(self, channel: str) -> list[str]:
        """Every user id in the channel (all pages)."""
        ...

    def people(self) -> Iterable[MemberProfile]:
        """Every user of the workspace with locale and status (all pages)."""
        ...


@dataclass(frozen=True)
class RosterRefresh:
    added: int
    changed: int
    learners: int


def _changes(
    member: Member, profile: MemberProfile, in_channel: bool, now: datetime
) -> dict[str, object]:
    wanted: dict[str, object] = {
        "name": profile.name,
        "tz": profile.tz,
        "locale": profile.locale,
        "in_channel": in_channel,
        "deactivated": profile.deleted,
        "away_until": away_until(profile, now),
    }
    changes = {key: value for key, value in wanted.items() if getattr(member, key) != value}
    if {"tz", "away_until", "in_channel", "deactivated"} & changes.keys():
        changes["next_due_at"] = None  # the clock reschedules them from now
    return changes


def _apply(
    uow: UnitOfWork,
    workspace_id: int,
    known: Member | None,
    profile: MemberProfile,
    in_channel: bool,
    now: datetime,
) -> str | None:
    """Bring one member in step with Slack: "added", "changed" or None."""
    if known is None:
        if not in_channel or profile.is_bot or profile.deleted:
            return None  # only the team channel's people join by themselves
        uow.members.add(workspace_id, profile, now, away_until=away_until(profile, now))
        return "added"
    changes = _changes(known, profile, in_channel, now)
    if changes:
        uow.members.update(workspace_id, profile.slack_user_id, **changes)
        return "changed"
    return None


def refresh_roster(deps: Deps, slack: RosterSource, team_id: str, now: datetime) -> RosterRefresh:
    """The daily refresh: everyone in the workspace's team channel learns, unless they chose
    otherwise; the LEADS and ADMINS user groups are read again with it. A workspace whose admin
    has not named its team channel yet has no roster to read."""
    deps = in_workspace(deps, team_id)
    if not deps.settings.team_channel:
        return RosterRefresh(0, 0, 0)
    deps.roles.refresh(slack)
    in_channel = set(slack.channel_members(deps.settings.team_channel))
    people = [person for person in slack.people() if not person.is_bot]
    counts = {"added": 0, "changed": 0}
    with deps.uow() as uow:
        workspace_id = uow.workspaces.ensure(team_id, now)
        known = uow.members.roster(workspace_id)
        for profile in people:
            outcome = _apply(
                uow,
                workspace_id,
                known.get(profile.slack_user_id),
                profile,
                profile.slack_user_id in in_channel,
                now,
            )
            if outcome:
                counts[outcome] += 1
        learners = sum(member.learns for member in uow.members.roster(workspace_id).values())
        uow.commit()
    return RosterRefresh(counts["added"], counts["changed"], learners)


def set_up_workspace(
    deps: Deps, slack: RosterSource, caller: Caller, values: Mapping[str, object]
) -> SetupSaved:
    """`/learn admin setup` saved (`save_setup`); when it names a new team channel, that channel's
    roster is read at once, as the clock's daily read would (after the save's own unit of work:
    Slack's pages are never read inside one), so that its people learn from now, not from the
    next 04:00 UTC."""
    saved = save_setup(deps, slack, caller, values)
    if saved.new_team_channel:
        refresh_roster(deps, slack, caller.team_id, deps.clock())
    return saved


def channel_membership_changed(
    deps: Deps,
    slack: Directory,
    team_id: str,
    slack_user_id: str,
    joined: bool,
    now: datetime,
    *,
    channel: str,
) -> None:
    """member_joined_channel / member_left_channel: only the workspace's team channel counts."""
    deps = in_workspace(deps, team_id)
    if not channel or channel != deps.settings.team_channel:
        return
    profile = slack.profile(slack_user_id)
    with deps.uow() as uow:
        workspace_id = uow.workspaces.ensure(team_id, now)
        known = uow.members.find(workspace_id, slack_user_id)
        _apply(uow, workspace_id, known, profile, joined, now)
        uow.commit()


def profile_changed(deps: Deps, team_id: str, profile: MemberProfile, now: datetime) -> None:
    """user_change: a new zone, language or status, read from the event itself (no API call)."""
    with deps.uow() as uow:
        known = uow.members.find_in_team(team_id, profile.slack_user_id)
        if known is not None:
            _apply(uow, known.workspace_id, known, profile, known.in_channel, now)
            uow.commit()
