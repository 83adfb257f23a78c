"""Latency: a fixed wait before every call is answered, that holds up no other call.

Ordering tests, not timing tests: a call is parked in a latency far longer than the test runs,
and the test proves what happens around it; nothing here measures how long a call took.
"""

from __future__ import annotations

import threading
import urllib.request

import pytest
from slack_sdk import WebClient

from bot.localslack.clock import FakeClock
from bot.localslack.server import LocalSlack
from bot.localslack.workspace import Workspace

ANNA = "U0ANNA0001"
LONG = 60.0  # longer than any test runs: a call answered before stop() did not wait it out


def _client(slack: LocalSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=2 * LONG)


def test_latency_is_off_by_default_and_settable(slack: LocalSlack) -> None:
    assert slack.latency == 0.0
    slack.latency = 0.1
    assert slack.latency == 0.1
    with pytest.raises(ValueError):
        slack.latency = -1.0


def test_a_delayed_call_holds_up_neither_other_calls_nor_the_state(
    workspace: Workspace, clock: FakeClock
) -> None:
    with LocalSlack(workspace, clock=clock, latency=LONG) as slack:
        client = _client(slack)
        answered = threading.Event()

        def slow_post() -> None:
            client.chat_postMessage(channel=ANNA, text="slow")
            answered.set()

        threading.Thread(target=slow_post, daemon=True).start()
        slack.wait_until_delayed(count=1)

        # The waiting call holds no lock: the state reads at once, and once the latency is
        # lowered a later call of any method, the same one included, is answered first.
        assert slack.dm_messages(ANNA) == []
        slack.latency = 0.0
        assert client.auth_test()["ok"]
        assert client.chat_postMessage(channel=ANNA, text="fast")["ok"]
        assert not answered.is_set()
        assert [m.text for m in slack.dm_messages(ANNA)] == ["fast"]
    # Stopping ends the wait rather than sitting it out; the slow call is then answered.
    assert answered.wait(10)
    assert [m.text for m in slack.dm_messages(ANNA)] == ["fast", "slow"]


def test_calls_wait_their_latency_side_by_side(workspace: Workspace, clock: FakeClock) -> None:
    """Many calls in their wait at once (what a benchmark with 100 ms per call relies on): the
    wait is per call, not a queue in front of the emulator."""
    with LocalSlack(workspace, clock=clock, latency=LONG) as slack:
        client = _client(slack)
        methods = ["auth.test", "users.info", "chat.postMessage", "conversations.open"]
        args = [{}, {"user": ANNA}, {"channel": ANNA, "text": "hi"}, {"users": ANNA}]
        threads = [
            threading.Thread(target=client.api_call, args=(m,), kwargs={"params": a}, daemon=True)
            for m, a in zip(methods, args, strict=True)
        ]
        for thread in threads:
            thread.start()
        slack.wait_until_delayed(count=len(threads))
        assert slack.calls == []  # none was looked at while in its wait
    for thread in threads:
        thread.join(10)
    assert sorted(c.method for c in slack.calls) == sorted(methods)


def test_response_url_posts_wait_too(workspace: Workspace, clock: FakeClock) -> None:
    """The bot's `respond` goes to a response_url, which is Slack's too: it gets the latency."""
    with LocalSlack(workspace, clock=clock, latency=LONG) as slack:
        url = slack.new_response_url(slack.dm_channel_id(ANNA), ANNA)
        request = urllib.request.Request(
            url, data=b'{"text": "later"}', headers={"Content-Type": "application/json"}
        )
        done = threading.Event()

        def post() -> None:
            with urllib.request.urlopen(request, timeout=2 * LONG):
                done.set()

        threading.Thread(target=post, daemon=True).start()
        slack.wait_until_delayed(count=1)
        assert slack.ephemerals(ANNA) == []
    assert done.wait(10)
    assert [e.text for e in slack.ephemerals(ANNA)] == ["later"]


def test_a_slowdown_stalls_only_the_next_calls_of_its_method(
    workspace: Workspace, clock: FakeClock
) -> None:
    with LocalSlack(workspace, clock=clock) as slack:
        slack.slow_next("chat.postMessage", LONG)
        client = _client(slack)
        answered = threading.Event()

        def slow_post() -> None:
            client.chat_postMessage(channel=ANNA, text="slow")
            answered.set()

        threading.Thread(target=slow_post, daemon=True).start()
        slack.wait_until_delayed(count=1)

        # Another method, and the same method's next call (the slowdown was for one), go through.
        assert client.auth_test()["ok"]
        assert client.chat_postMessage(channel=ANNA, text="fast")["ok"]
        assert not answered.is_set()
        assert [m.text for m in slack.dm_messages(ANNA)] == ["fast"]
    assert answered.wait(10)  # stopping ended the stall; the call was then answered
    assert [m.text for m in slack.dm_messages(ANNA)] == ["fast", "slow"]


def test_a_call_stalled_past_the_clients_timeout_still_takes_effect(
    workspace: Workspace, clock: FakeClock
) -> None:
    """As with Slack: the client gives up, the message may be posted all the same."""
    with LocalSlack(workspace, clock=clock) as slack:
        slack.slow_next("chat.postMessage", LONG)
        impatient = WebClient(token=slack.bot_token, base_url=slack.api_url, timeout=0.1)
        with pytest.raises(TimeoutError):
            impatient.chat_postMessage(channel=ANNA, text="stalled")
        assert slack.dm_messages(ANNA) == []
    assert slack.wait_for(lambda: slack.dm_messages(ANNA))[0].text == "stalled"


@pytest.mark.parametrize(("seconds", "times"), [(0.0, 1), (-1.0, 1), (float("nan"), 1), (1.0, 0)])
def test_a_slowdown_needs_a_wait_and_a_count(slack: LocalSlack, seconds: float, times: int) -> None:
    with pytest.raises(ValueError):
        slack.slow_next("chat.postMessage", seconds, times=times)
