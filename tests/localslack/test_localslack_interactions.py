"""Modals, Home tabs, trigger_ids, response_urls and file uploads, by the injected clock."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack.clock import FakeClock
from bot.localslack.server import LocalSlack

ANNA, BEN = "U0ANNA0001", "U0BEN00001"
TEAM_CHANNEL = "C0SOCIAL01"
MODAL = {
    "type": "modal",
    "callback_id": "weekly",
    "external_id": "weekly-anna",
    "title": {"type": "plain_text", "text": "Weekly question"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Which networks?"}}],
}


def _error(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def _post(url: str, body: dict[str, Any]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_views_open_update_and_stack(slack: LocalSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=slack.new_trigger_id(ANNA), view=MODAL)["view"]
    assert view["id"].startswith("V")
    assert [v.id for v in slack.views(ANNA)] == [view["id"]]
    changed = {**MODAL, "title": {"type": "plain_text", "text": "Thanks"}}
    client.views_update(external_id="weekly-anna", view=changed)
    assert slack.views(ANNA)[0].definition["title"]["text"] == "Thanks"
    assert _error(lambda: client.views_update(view_id="V0NOPE", view=MODAL)) == "not_found"
    assert (
        _error(lambda: client.views_update(view_id=view["id"], view=MODAL, hash="stale"))
        == "hash_conflict"
    )


def test_trigger_ids_expire_after_3_seconds_and_are_single_use(
    slack: LocalSlack, client: WebClient, clock: FakeClock
) -> None:
    assert _error(lambda: client.views_open(trigger_id="1.2.nope", view=MODAL)) == (
        "invalid_trigger_id"
    )
    late = slack.new_trigger_id(ANNA)
    clock.advance(3.5)
    assert _error(lambda: client.views_open(trigger_id=late, view=MODAL)) == "expired_trigger_id"
    fresh = slack.new_trigger_id(ANNA)
    clock.advance(2.9)
    client.views_open(trigger_id=fresh, view=MODAL)
    assert _error(lambda: client.views_open(trigger_id=fresh, view=MODAL)) == (
        "exchanged_trigger_id"
    )


def test_views_publish_sets_the_home_tab(slack: LocalSlack, client: WebClient) -> None:
    home = {
        "type": "home",
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Progress"}}],
    }
    first = client.views_publish(user_id=ANNA, view=home)["view"]
    second = client.views_publish(user_id=ANNA, view=home, hash=first["hash"])["view"]
    assert first["id"] == second["id"]
    home_view = slack.home(ANNA)
    assert home_view is not None and home_view.type == "home"
    assert slack.home(BEN) is None
    assert _error(lambda: client.views_publish(user_id=ANNA, view=MODAL)) == "invalid_arguments"


def test_files_upload_v2_lands_with_its_bytes(slack: LocalSlack, client: WebClient) -> None:
    content = b"member,skill,answered\nanna,strategy,3\n"
    response = client.files_upload_v2(
        channel=slack.dm_channel_id(ANNA),
        content=content,
        filename="team.csv",
        title="Team export",
        initial_comment="Your export",
    )
    assert response["file"]["title"] == "Team export"
    (uploaded,) = slack.files
    assert (uploaded.filename, uploaded.content, uploaded.channel_id) == (
        "team.csv",
        content,
        slack.dm_channel_id(ANNA),
    )
    assert uploaded.initial_comment == "Your export"
    assert slack.dm_messages(ANNA)[0].files == [uploaded.id]


def test_response_url_ephemeral_in_channel_and_replace(
    slack: LocalSlack, client: WebClient
) -> None:
    url = slack.new_response_url(TEAM_CHANNEL, ANNA)
    assert _post(url, {"text": "Only you see this"}) == (200, "ok")
    assert [(e.text, e.source) for e in slack.ephemerals(ANNA)] == [
        ("Only you see this", "response_url")
    ]
    assert _post(url, {"text": "Everyone sees this", "response_type": "in_channel"})[0] == 200
    assert slack.messages(TEAM_CHANNEL)[-1].text == "Everyone sees this"
    ts = client.chat_postMessage(channel=ANNA, text="Question")["ts"]
    on_message = slack.new_response_url(slack.dm_channel_id(ANNA), ANNA, message_ts=ts)
    _post(on_message, {"text": "Answered", "replace_original": True})
    assert slack.dm_messages(ANNA)[0].text == "Answered"
    _post(on_message, {"delete_original": True})
    assert slack.dm_messages(ANNA) == []
    assert slack.calls_to("response_url")[0].args["text"] == "Only you see this"


def test_response_url_takes_5_posts_within_30_minutes(slack: LocalSlack, clock: FakeClock) -> None:
    url = slack.new_response_url(TEAM_CHANNEL, ANNA)
    for i in range(5):
        assert _post(url, {"text": f"reply {i}"})[0] == 200
    assert _post(url, {"text": "sixth"}) == (404, "used_url")
    late = slack.new_response_url(TEAM_CHANNEL, ANNA)
    clock.advance(30 * 60 + 1)
    assert _post(late, {"text": "too late"}) == (404, "expired_url")


def test_response_url_refuses_invalid_blocks(slack: LocalSlack) -> None:
    url = slack.new_response_url(TEAM_CHANNEL, ANNA)
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}]
    assert _post(url, {"text": "x", "blocks": blocks}) == (400, "invalid_blocks")
    assert slack.ephemerals(ANNA) == []
