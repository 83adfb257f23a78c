"""Rate tiers: our table agrees with Slack's reference, and 429 + Retry-After come when Slack's would.

Time moves by the fake clock; the only real waiting is slack_sdk's own retry sleep (< 1 s).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.localslack import tiers
from bot.localslack.clock import FakeClock
from bot.localslack.methods import HANDLERS
from bot.localslack.server import LocalSlack

ANNA = "U0ANNA0001"
TEAM_CHANNEL = "C0SOCIAL01"


def test_tiers_agree_with_slack_reference(slack_specs: Path) -> None:
    reference = json.loads((slack_specs / "rate-tiers-from-slack-api-ref.json").read_text())
    methods = reference["methods"]
    disagreements = {}
    for method, tier in tiers.METHOD_TIERS.items():
        theirs = methods[method]["rate_limits"]
        ours = "t5" if tier == "special" else tier
        if theirs != ours:
            disagreements[method] = (ours, theirs)
    assert not disagreements


def test_every_served_method_has_a_tier() -> None:
    assert set(HANDLERS) == set(tiers.METHOD_TIERS)


def test_tier_2_allows_20_a_minute_then_429_with_retry_after(
    slack: LocalSlack, client: WebClient, clock: FakeClock
) -> None:
    clock.set(60 * 28_333_334 + 40.0)  # 20 s before a minute window ends
    for _ in range(tiers.PER_MINUTE["t2"]):
        client.users_list()
    with pytest.raises(SlackApiError) as raised:
        client.users_list()
    response = raised.value.response
    assert response.status_code == 429
    assert response.data == {"ok": False, "error": "ratelimited"}
    assert response.headers["Retry-After"] == "20"
    clock.advance(20)
    assert client.users_list()["ok"]


def test_limits_are_per_method(slack: LocalSlack, client: WebClient) -> None:
    for _ in range(tiers.PER_MINUTE["t2"]):
        client.usergroups_users_list(usergroup="S0LEADS001")
    assert client.users_list()["ok"]  # another t2 method keeps its own allowance


def test_post_message_bursts_then_paces_per_channel(
    slack: LocalSlack, client: WebClient, clock: FakeClock
) -> None:
    for _ in range(tiers.POST_MESSAGE_BURST):
        client.chat_postMessage(channel=TEAM_CHANNEL, text="hi")
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel=TEAM_CHANNEL, text="one too many")
    assert raised.value.response.status_code == 429
    assert client.chat_postMessage(channel=ANNA, text="another channel is fine")["ok"]
    clock.advance(1.0)
    assert client.chat_postMessage(channel=TEAM_CHANNEL, text="refilled")["ok"]


def test_rate_limits_can_be_switched_off(workspace, clock: FakeClock) -> None:
    with LocalSlack(workspace, clock=clock, rate_limits=False) as local:
        client = WebClient(token=local.bot_token, base_url=local.api_url)
        for _ in range(tiers.POST_MESSAGE_BURST + 5):
            client.chat_postMessage(channel=TEAM_CHANNEL, text="demo")


def test_rate_limits_can_be_switched_off_while_running(
    slack: LocalSlack, client: WebClient
) -> None:
    for _ in range(tiers.PER_MINUTE["t2"]):
        client.users_list()
    slack.rate_limits = False
    assert client.users_list()["ok"]
    slack.rate_limits = True
    with pytest.raises(SlackApiError):
        client.users_list()


def test_rate_limit_retry_handler_recovers_from_forced_429(slack: LocalSlack) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    assert client.chat_postMessage(channel=ANNA, text="delivered")["ok"]
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 200]
    assert len(slack.dm_messages(ANNA)) == 1


def test_server_error_retry_handler_recovers_from_forced_500(slack: LocalSlack) -> None:
    slack.fail_next("users.info", status=500, times=2)
    handler = ServerErrorRetryHandler(
        max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0)
    )
    client = WebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[handler])
    assert client.users_info(user=ANNA)["user"]["id"] == ANNA
    assert [c.status for c in slack.calls_to("users.info")] == [500, 500, 200]


def test_forced_failure_without_retry_handler_surfaces(slack: LocalSlack, client) -> None:
    slack.fail_next("views.publish", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.views_publish(user_id=ANNA, view={"type": "home", "blocks": []})
    assert raised.value.response.status_code == 429
    assert raised.value.response.data["error"] == "ratelimited"


def test_post_message_has_a_workspace_wide_allowance(workspace, clock: FakeClock) -> None:
    """120 a minute is 2 a second, with a few seconds' worth at once: 6, then 2 a second."""
    with LocalSlack(workspace, clock=clock, post_allowance=120) as local:
        client = WebClient(token=local.bot_token, base_url=local.api_url)
        people = [user.id for user in workspace.users][:8]
        for person in people[:6]:
            assert client.chat_postMessage(channel=person, text="one each")["ok"]
        with pytest.raises(SlackApiError) as refused:
            client.chat_postMessage(channel=people[6], text="the seventh channel")
        assert refused.value.response.status_code == 429
        assert refused.value.response.headers["Retry-After"] == "1"
        clock.advance(1.0)
        assert client.chat_postMessage(channel=people[6], text="refilled")["ok"]
        assert client.chat_postMessage(channel=people[7], text="refilled")["ok"]
        with pytest.raises(SlackApiError):
            client.chat_postMessage(channel=people[0], text="over again")


def test_every_second_call_can_be_made_to_fail(slack: LocalSlack, client: WebClient) -> None:
    slack.fail_next("users.info", status=429, retry_after=0, times=3, every=2)
    outcomes = []
    for _ in range(7):
        try:
            client.users_info(user=ANNA)
            outcomes.append("ok")
        except SlackApiError as error:
            outcomes.append(str(error.response.status_code))
    assert outcomes == ["429", "ok", "429", "ok", "429", "ok", "ok"]
