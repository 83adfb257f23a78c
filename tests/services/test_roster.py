"""The roster: who learns, kept in step with the team channel and people's Slack profiles."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.learning.away import UNTIL_CHANGED
from bot.learning.model import Member, Role
from bot.localslack import FakeClock
from bot.services.deps import Deps
from bot.services.roster import channel_membership_changed, profile_changed, refresh_roster
from tests.services.conftest import ADMIN_GROUP, TEAM, PeopleAndDMs


def _roster(deps: Deps) -> dict[str, Member]:
    with deps.uow() as uow:
        workspace_id = uow.workspaces.find(TEAM)
        assert workspace_id is not None
        return uow.members.roster(workspace_id)


def test_the_channels_people_become_learners_and_nobody_else(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh = refresh_roster(deps, slack, TEAM, clock.now())

    assert (refresh.added, refresh.changed, refresh.learners) == (2, 0, 2)
    roster = _roster(deps)
    assert sorted(roster) == ["U0CHLOE001", "U0DIMI0001"]
    assert all(member.learns and member.in_channel for member in roster.values())
    assert slack.profile_reads == []  # users.list gave everything: no users.info per member


def test_a_second_refresh_changes_nothing(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh_roster(deps, slack, TEAM, clock.now())
    again = refresh_roster(deps, slack, TEAM, clock.now())
    assert (again.added, again.changed, again.learners) == (0, 0, 2)


def test_someone_who_left_the_channel_stops_learning_and_keeps_their_history(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh_roster(deps, slack, TEAM, clock.now())
    slack.channel.remove("U0DIMI0001")

    refresh = refresh_roster(deps, slack, TEAM, clock.now())

    assert (refresh.changed, refresh.learners) == (1, 1)
    dimitris = _roster(deps)["U0DIMI0001"]
    assert (dimitris.in_channel, dimitris.learns) == (False, False)


def test_bots_and_deactivated_accounts_never_learn(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    slack.workspace["U0CHLOE001"] = replace(slack.workspace["U0CHLOE001"], deleted=True)
    slack.workspace["U0DIMI0001"] = replace(slack.workspace["U0DIMI0001"], is_bot=True)
    assert refresh_roster(deps, slack, TEAM, clock.now()).learners == 0


def test_an_away_status_pauses_until_it_expires_and_a_new_zone_reschedules(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh_roster(deps, slack, TEAM, clock.now())
    back = clock.now() + timedelta(days=5)
    away = replace(
        slack.workspace["U0DIMI0001"],
        status_text="Διακοπές",
        status_expiration=int(back.timestamp()),
    )
    profile_changed(deps, TEAM, away, clock.now())
    assert _roster(deps)["U0DIMI0001"].away_until == back

    open_ended = replace(slack.workspace["U0CHLOE001"], status_emoji=":palm_tree:", tz="Asia/Tokyo")
    profile_changed(deps, TEAM, open_ended, clock.now())
    chloe = _roster(deps)["U0CHLOE001"]
    assert (chloe.away_until, chloe.tz, chloe.next_due_at) == (UNTIL_CHANGED, "Asia/Tokyo", None)


def test_joining_the_channel_adds_a_learner_from_their_profile(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    channel_membership_changed(
        deps, slack, TEAM, "U0ADMIN001", True, clock.now(), channel=deps.settings.team_channel
    )
    ada = _roster(deps)["U0ADMIN001"]
    assert (ada.learns, ada.tz, slack.profile_reads) == (True, "UTC", ["U0ADMIN001"])

    channel_membership_changed(
        deps, slack, TEAM, "U0ADMIN001", False, clock.now(), channel=deps.settings.team_channel
    )
    assert not _roster(deps)["U0ADMIN001"].learns


def test_the_roster_refresh_reads_the_role_groups_so_commands_need_not(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh_roster(deps, slack, TEAM, clock.now())
    assert slack.group_reads == [ADMIN_GROUP]
    for _ in range(3):
        assert Role.ADMIN in deps.roles.roles_of("U0ADMIN001", slack)
        assert Role.ADMIN not in deps.roles.roles_of("U0CHLOE001", slack)
    assert slack.group_reads == [ADMIN_GROUP]  # every command answered from the cache


def test_the_roster_refresh_takes_a_role_away_and_a_failed_one_keeps_the_last_known(
    deps: Deps, slack: PeopleAndDMs, clock: FakeClock
) -> None:
    refresh_roster(deps, slack, TEAM, clock.now())
    slack.groups_fail = True
    refresh_roster(deps, slack, TEAM, clock.now())
    assert Role.ADMIN in deps.roles.roles_of("U0ADMIN001", slack)  # a passing fault takes nothing
    slack.groups_fail, slack.admin_group = False, frozenset()
    refresh_roster(deps, slack, TEAM, clock.now())
    assert Role.ADMIN not in deps.roles.roles_of("U0ADMIN001", slack)
