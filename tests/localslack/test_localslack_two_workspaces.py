"""Two workspaces on one local Slack: each token is answered with its own workspace's data, and
oauth.v2.access exchanges an install's code for the bot token of the workspace that approved it."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack.server import LocalSlack
from bot.localslack.workspace import load_workspace, second_seed_path

REDIRECT = "http://127.0.0.1:9/slack/oauth_redirect"


@pytest.fixture
def bakery(slack: LocalSlack) -> LocalSlack:
    return slack.add_workspace(load_workspace(second_seed_path()))


def client_of(local: LocalSlack, token: str | None = None) -> WebClient:
    return WebClient(token=token or local.bot_token, base_url=local.api_url, timeout=5)


def test_each_token_reads_its_own_workspace(slack: LocalSlack, bakery: LocalSlack) -> None:
    assert bakery.url == slack.url
    for local in (slack, bakery):
        client = client_of(local)
        assert client.auth_test()["team_id"] == local.team_id
        ids = {user["id"] for user in client.users_list()["members"]}
        assert ids == {u.id for u in local.workspace.users} | {local.bot_user_id}
        channel = local.workspace.settings.team_channel
        assert client.conversations_members(channel=channel)["members"]
    other_channel = slack.workspace.settings.team_channel
    with pytest.raises(SlackApiError) as refused:
        client_of(bakery).conversations_members(channel=other_channel)
    assert refused.value.response["error"] == "channel_not_found"


def test_posts_and_uploads_land_in_the_tokens_workspace(
    slack: LocalSlack, bakery: LocalSlack
) -> None:
    maria = "U1MARIA001"
    client_of(bakery).chat_postMessage(channel=maria, text="hello bakery")
    client_of(bakery).files_upload_v2(
        channel=bakery.dm_channel_id(maria), content="a,b\n", filename="x.csv"
    )
    assert bakery.dm_messages(maria)[0].text == "hello bakery"
    assert [f.content for f in bakery.files] == [b"a,b\n"]
    assert not slack.files
    assert all(call.method != "chat.postMessage" for call in slack.calls)


def authorize(local: LocalSlack, **query: str) -> tuple[int, str]:
    """GET the install page as a browser would, without following its redirect."""

    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    url = f"{local.install_url}?{urlencode(query)}"
    try:
        with urllib.request.build_opener(Keep).open(url, timeout=5) as answer:
            return answer.status, answer.headers.get("Location") or ""
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location") or ""


def test_oauth_exchanges_a_code_for_the_approving_workspaces_token(
    slack: LocalSlack, bakery: LocalSlack
) -> None:
    status, location = authorize(
        slack,
        client_id=slack.client_id,
        scope="chat:write,commands",
        state="s-1",
        redirect_uri=REDIRECT,
        team=bakery.team_id,
    )
    assert status == 302 and location.startswith(REDIRECT)
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert query["state"] == "s-1"
    anonymous = WebClient(base_url=slack.api_url, timeout=5)
    with pytest.raises(SlackApiError) as wrong:
        anonymous.oauth_v2_access(
            client_id=slack.client_id, client_secret="nope", code=query["code"]
        )
    assert wrong.value.response["error"] == "invalid_client_id"
    # the refused attempt spent the code, as Slack's codes are single-use
    status, location = authorize(
        slack,
        client_id=slack.client_id,
        scope="chat:write,commands",
        state="s-2",
        redirect_uri=REDIRECT,
        team=bakery.team_id,
    )
    code = parse_qs(urlsplit(location).query)["code"][0]
    granted = anonymous.oauth_v2_access(
        client_id=slack.client_id, client_secret=slack.client_secret, code=code
    )
    assert granted["access_token"] == bakery.bot_token
    assert granted["team"]["id"] == bakery.team_id
    assert granted["authed_user"]["id"] == "U1MARIA001"  # the bakery's admin approved
    assert granted["scope"] == "chat:write,commands"  # what the app asked for
    with pytest.raises(SlackApiError) as again:
        anonymous.oauth_v2_access(
            client_id=slack.client_id, client_secret=slack.client_secret, code=code
        )
    assert again.value.response["error"] == "invalid_code"


def test_install_page_refuses_an_unknown_app(slack: LocalSlack) -> None:
    status, location = authorize(slack, client_id="someone-else", redirect_uri=REDIRECT)
    assert (status, location) == (400, "")


def test_an_uninstalled_workspaces_token_is_revoked(slack: LocalSlack, bakery: LocalSlack) -> None:
    bakery.uninstall()
    with pytest.raises(SlackApiError) as revoked:
        client_of(bakery).auth_test()
    assert revoked.value.response["error"] == "token_revoked"
    assert client_of(slack).auth_test()["ok"]  # the other workspace is untouched


@pytest.fixture
def started_twice(slack: LocalSlack, bakery: LocalSlack) -> Iterator[LocalSlack]:
    with bakery as same:  # the second front's start and stop leave the host running
        yield same


def test_the_second_front_neither_starts_nor_stops_the_host(
    slack: LocalSlack, started_twice: LocalSlack
) -> None:
    assert started_twice.url == slack.url
    assert client_of(slack).auth_test()["ok"]
