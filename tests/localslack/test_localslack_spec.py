"""Every served method answers in the shape Slack's published OpenAPI spec describes.

The spec (2020) has known errata; each is named where the test works around it, so that a real
shape difference between the local Slack and Slack is never hidden.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack.server import LocalSlack

ANNA, KARL = "U0ANNA0001", "U0KARL0001"
TEAM_CHANNEL = "C0SOCIAL01"
SECTION = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Lesson*"}}]
MODAL = {
    "type": "modal",
    "callback_id": "q",
    "title": {"type": "plain_text", "text": "Weekly"},
    "blocks": SECTION,
}


@pytest.fixture(scope="module")
def spec(slack_specs: Path) -> dict[str, Any]:
    return json.loads((slack_specs / "slack_web_openapi_v2_without_examples.json").read_text())


def _schema(spec: dict[str, Any], method: str, which: str) -> dict[str, Any]:
    operations = spec["paths"][f"/{method}"]
    operation = next(iter(operations.values()))
    schema = copy.deepcopy(operation["responses"][which]["schema"])
    schema["definitions"] = spec["definitions"]
    return schema


def _strict_user_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """objs_user wraps its alternatives in ``items``, a no-op for objects in draft 4; use the
    non-enterprise alternative itself so the user object is really checked."""
    schema = copy.deepcopy(spec["definitions"]["objs_user"]["items"][0])
    schema["properties"]["tz"] = {"type": ["string", "null"]}
    schema["definitions"] = spec["definitions"]
    return schema


def _valid(spec: dict[str, Any], method: str, body: dict[str, Any], which: str = "200") -> None:
    schema = _schema(spec, method, which)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(body), key=str)
    assert not errors, f"{method} {which}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors
    )


def test_auth_test_matches_spec(spec: dict, client: WebClient) -> None:
    _valid(spec, "auth.test", client.auth_test().data)


def test_users_info_and_list_match_spec(spec: dict, client: WebClient) -> None:
    info = client.users_info(user=ANNA, include_locale=True).data
    _valid(spec, "users.info", info)
    user_schema = _strict_user_schema(spec)
    jsonschema.Draft4Validator(user_schema).validate(info["user"])
    listed = client.users_list(limit=5).data
    _valid(spec, "users.list", listed)
    for member in listed["members"]:
        jsonschema.Draft4Validator(user_schema).validate(member)


def test_conversations_match_spec(spec: dict, client: WebClient) -> None:
    _valid(spec, "conversations.members", client.conversations_members(channel=TEAM_CHANNEL).data)
    _valid(spec, "conversations.open", client.conversations_open(users=ANNA).data)
    _valid(spec, "conversations.open", client.conversations_open(users=ANNA).data)


def test_chat_methods_match_spec(spec: dict, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=TEAM_CHANNEL, text="Lesson", blocks=SECTION).data
    _valid(spec, "chat.postMessage", posted)
    updated = client.chat_update(
        channel=TEAM_CHANNEL, ts=posted["ts"], text="Answered", blocks=SECTION
    ).data
    # Erratum: the spec types chat.update's message.blocks as an object; Slack returns an array.
    schema = _schema(spec, "chat.update", "200")
    schema["properties"]["message"]["properties"]["blocks"] = {"type": "array"}
    jsonschema.Draft4Validator(schema).validate(updated)
    ephemeral = client.chat_postEphemeral(channel=TEAM_CHANNEL, user=ANNA, text="Only you").data
    _valid(spec, "chat.postEphemeral", ephemeral)


def test_views_and_usergroups_match_spec(spec: dict, slack: LocalSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(ANNA), view=MODAL).data
    _valid(spec, "views.open", opened)
    _valid(spec, "views.update", client.views_update(view_id=opened["view"]["id"], view=MODAL).data)
    home = {"type": "home", "blocks": SECTION}
    _valid(spec, "views.publish", client.views_publish(user_id=ANNA, view=home).data)
    _valid(spec, "usergroups.users.list", client.usergroups_users_list(usergroup="S0LEADS001").data)


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("users.info", lambda c: c.users_info(user="U0NOBODY01")),
        ("conversations.members", lambda c: c.conversations_members(channel="C0NOWHERE1")),
        ("chat.postMessage", lambda c: c.chat_postMessage(channel="C0NOWHERE1", text="x")),
        (
            "chat.postEphemeral",
            lambda c: c.chat_postEphemeral(channel=TEAM_CHANNEL, user=KARL, text="x"),
        ),
        (
            "chat.update",
            lambda c: c.chat_update(channel=TEAM_CHANNEL, ts="1700000000.000001", text="x"),
        ),
        ("conversations.open", lambda c: c.conversations_open(users="U0NOBODY01")),
    ],
)
def test_errors_match_spec(spec: dict, client: WebClient, method: str, call: Any) -> None:
    with pytest.raises(SlackApiError) as raised:
        call(client)
    _valid(spec, method, raised.value.response.data, "default")
