"""The roster against the local Slack: paginated reads through the real WebClient, and Slack's
events over signed HTTP."""

from __future__ import annotations

from bot.learning.model import Member
from bot.localslack import LocalSlack
from bot.localslack.workspace import Channel, User, Workspace, WorkspaceSettings
from bot.services.roster import refresh_roster
from bot.slack.gateway import SlackGateway, make_web_client
from tests.conftest import Bot, start_bot


def _roster(bot: Bot) -> dict[str, Member]:
    with bot.deps.uow() as uow:
        workspace_id = uow.workspaces.find(bot.slack.team_id)
        return {} if workspace_id is None else uow.members.roster(workspace_id)


def _refresh(bot: Bot) -> int:
    pauses: list[float] = []
    gateway = SlackGateway(make_web_client(bot.deps.settings), sleep=pauses.append)
    learners = refresh_roster(bot.deps, gateway, bot.slack.team_id, bot.clock.now()).learners
    assert pauses == []  # one page of each: no pacing needed
    return learners


def test_the_team_channels_people_are_the_learners(bot: Bot) -> None:
    assert _refresh(bot) == len(bot.learners())
    assert sorted(_roster(bot)) == sorted(bot.learners())
    assert {call.method for call in bot.slack.calls} >= {"conversations.members", "users.list"}
    assert bot.slack.calls_to("users.info") == []


def test_a_new_zone_in_slack_reaches_nudge_through_user_change(bot: Bot) -> None:
    _refresh(bot)
    member = bot.user("member")
    user = {
        "id": member,
        "name": "chloe",
        "tz": "Asia/Tokyo",
        "locale": "en-GB",
        "profile": {"real_name": "Chloe Whitfield", "status_text": "", "status_emoji": ""},
    }

    response = bot.driver.event({"type": "user_change", "user": user})

    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert (_roster(bot)[member].tz, _roster(bot)[member].next_due_at) == ("Asia/Tokyo", None)


def test_leaving_the_team_channel_stops_scheduled_lessons(bot: Bot) -> None:
    _refresh(bot)
    member = bot.user("member")
    event = {"type": "member_left_channel", "user": member, "channel": "C0SOCIAL01"}

    assert bot.driver.event(event).status == 200
    bot.settle()

    assert not _roster(bot)[member].learns


def test_another_channel_is_none_of_nudges_business(bot: Bot) -> None:
    outsider = bot.user("outsider")
    event = {"type": "member_joined_channel", "user": outsider, "channel": "C0RANDOM01"}
    assert bot.driver.event(event).status == 200
    bot.settle()
    assert outsider not in _roster(bot)


def test_a_large_workspace_is_read_page_by_page_at_each_methods_pace(
    workspace: Workspace, database_url: str
) -> None:
    """450 people: users.list in 3 pages of 200, paced at its Tier 2 allowance (3 s apart), and
    never a users.info per person."""
    people = [
        User(id=f"U{n:09d}", name=f"p{n}", real_name=f"Person {n}", tz="Europe/Athens")
        for n in range(450)
    ]
    team = Channel(
        id="C0BIGTEAM1", name="big", members=[workspace.bot.user_id, *(p.id for p in people)]
    )
    big = workspace.model_copy(
        update={"users": people, "channels": [team], "usergroups": [],
                "settings": WorkspaceSettings(team_channel=team.id)}
    )  # fmt: skip
    with LocalSlack(Workspace.model_validate(big.model_dump())) as slack:
        running = start_bot(slack, database_url)
        try:
            pauses: list[float] = []
            gateway = SlackGateway(make_web_client(running.deps.settings), sleep=pauses.append)
            done = refresh_roster(running.deps, gateway, slack.team_id, running.clock.now())
            assert done.learners == 450
            assert [len(call.response["members"]) for call in slack.calls_to("users.list")] == [
                200,
                200,
                51,  # the bot user is in users.list too
            ]
            assert pauses == [3.0, 3.0]
            assert slack.calls_to("users.info") == []
        finally:
            running.close()
