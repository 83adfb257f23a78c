"""Messages, DMs, pagination, users and time zones as the bot will read them."""

from __future__ import annotations

import threading

from slack_sdk import WebClient

from bot.localslack.clock import FakeClock
from bot.localslack.server import LocalSlack

ANNA, FARAH = "U0ANNA0001", "U0FARAH001"
TEAM_CHANNEL = "C0SOCIAL01"


def test_post_to_a_user_id_lands_in_their_dm(slack: LocalSlack, client: WebClient) -> None:
    dm = client.conversations_open(users=ANNA)["channel"]["id"]
    assert dm == slack.dm_channel_id(ANNA)
    again = client.conversations_open(users=ANNA)
    assert again["already_open"] is True
    posted = client.chat_postMessage(channel=ANNA, text="Your lesson")
    assert posted["channel"] == dm
    client.chat_postMessage(channel=dm, text="Your check")
    assert [m.text for m in slack.dm_messages(ANNA)] == ["Your lesson", "Your check"]


def test_ts_is_unique_increasing_and_from_the_clock(
    slack: LocalSlack, client: WebClient, clock: FakeClock
) -> None:
    first = client.chat_postMessage(channel=TEAM_CHANNEL, text="a")["ts"]
    second = client.chat_postMessage(channel=ANNA, text="b")["ts"]
    assert first == "1700000000.000000"
    assert second == "1700000000.000001"
    clock.advance(90)
    assert client.chat_postMessage(channel=TEAM_CHANNEL, text="c")["ts"] == "1700000090.000000"


def test_update_keeps_the_previous_versions(slack: LocalSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel=ANNA, text="Question?")["ts"]
    client.chat_update(channel=slack.dm_channel_id(ANNA), ts=ts, text="Answered: right")
    (message,) = slack.dm_messages(ANNA)
    assert message.text == "Answered: right"
    assert [v.text for v in message.edits] == ["Question?"]


def test_users_list_paginates_with_cursors(slack: LocalSlack, client: WebClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = client.users_list(limit=4, cursor=cursor)
        seen += [m["id"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(slack.workspace.users) + 1  # the bot is a member too
    assert len(set(seen)) == len(seen)


def test_conversations_members_paginates(slack: LocalSlack, client: WebClient) -> None:
    members = [
        m
        for page in client.conversations_members(channel=TEAM_CHANNEL, limit=3)
        for m in page["members"]
    ]
    assert members == slack.workspace.team_channel.members


def test_users_info_time_zone_follows_daylight_saving(client: WebClient, clock: FakeClock) -> None:
    clock.set(1_700_000_000)  # 14 November 2023: Athens on winter time
    winter = client.users_info(user=ANNA, include_locale=True)["user"]
    clock.set(1_690_000_000)  # 22 July 2023: summer time
    summer = client.users_info(user=ANNA)["user"]
    assert (winter["tz"], winter["tz_offset"], winter["locale"]) == ("Europe/Athens", 7200, "el-GR")
    assert summer["tz_offset"] == 10800
    assert summer["tz_label"] == "Eastern European Summer Time"
    assert "locale" not in summer
    assert client.users_info(user=FARAH)["user"]["tz_offset"] == 19800


def test_wait_for_sees_a_call_from_another_thread(slack: LocalSlack, client: WebClient) -> None:
    threading.Thread(target=lambda: client.chat_postMessage(channel=ANNA, text="later")).start()
    call = slack.wait_for("chat.postMessage", timeout=5)
    assert call.args["text"] == "later"
    assert slack.wait_for(lambda: slack.dm_messages(ANNA), timeout=5)[0].text == "later"


def test_wait_for_times_out_with_the_recent_calls(slack: LocalSlack, client: WebClient) -> None:
    client.auth_test()
    try:
        slack.wait_for("views.open", timeout=0.05)
    except TimeoutError as error:
        assert "auth.test" in str(error)
    else:
        raise AssertionError("wait_for should have timed out")


def test_hold_parks_a_method_until_released(slack: LocalSlack, client: WebClient) -> None:
    done = threading.Event()

    def post() -> None:
        client.chat_postMessage(channel=ANNA, text="held back")
        done.set()

    with slack.hold("chat.postMessage") as held:
        threading.Thread(target=post).start()
        held.wait_until_waiting(timeout=5)
        assert client.auth_test()["ok"]  # other methods are not held
        assert slack.dm_messages(ANNA) == []
    assert done.wait(5)
    assert [m.text for m in slack.dm_messages(ANNA)] == ["held back"]
