"""Nudge installed in many workspaces by OAuth: /slack/install -> Slack's install page ->
/slack/oauth_redirect stores the workspace's token (slack_sdk's SQLAlchemy installation store, on
Nudge's database), and each workspace's requests are answered with its own token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.clock import Clock
from bot.localslack import LocalSlack, SlackDriver, load_workspace
from bot.localslack.workspace import second_seed_path
from bot.settings import ConfigError, Settings
from bot.slack.installs import BOTS, Tokens
from tests.conftest import SIGNING_SECRET, Bot
from tests.slack.installs import get, install, start_oauth_bot

MARIA = "U1MARIA001"  # the bakery's owner


@pytest.fixture
def bakery(slack: LocalSlack) -> LocalSlack:
    return slack.add_workspace(load_workspace(second_seed_path()))


@pytest.fixture
def oauth_bot(slack: LocalSlack, bakery: LocalSlack, database_url: str) -> Iterator[Bot]:
    running = start_oauth_bot(slack, database_url)
    try:
        yield running
    finally:
        running.close()


def driver_for(bot: Bot, local: LocalSlack) -> SlackDriver:
    assert bot.server is not None
    return SlackDriver(bot.server.events_url, SIGNING_SECRET, local)


def test_install_stores_the_workspaces_token_and_its_requests_use_it(
    oauth_bot: Bot, slack: LocalSlack, bakery: LocalSlack
) -> None:
    tokens = Tokens(oauth_bot.deps.settings, oauth_bot.deps.db.engine)
    assert tokens.teams() == []
    done = install(oauth_bot, bakery)
    assert done.status == 200, done.body
    assert tokens.teams() == [bakery.team_id]
    assert tokens.token_for(bakery.team_id) == bakery.bot_token
    assert tokens.token_for(slack.team_id) is None
    with oauth_bot.deps.db.engine.connect() as connection:
        installed_by = connection.execute(select(BOTS.c.team_id, BOTS.c.bot_user_id)).all()
    assert installed_by == [(bakery.team_id, bakery.bot_user_id)]

    response = driver_for(oauth_bot, bakery).command(MARIA, "help")
    assert (response.status, response.body) == (200, "")
    oauth_bot.settle()
    assert bakery.ephemerals(MARIA), "the bakery's owner got no answer"
    assert not [c for c in slack.calls if c.method != "auth.test"]


def test_a_workspaces_requests_ask_auth_test_once_not_once_each(
    oauth_bot: Bot, bakery: LocalSlack
) -> None:
    """Bolt's authorization asks auth.test about the stored token the first time only: five
    requests, one call (the install itself may make its own)."""
    assert install(oauth_bot, bakery).status == 200
    before = len(bakery.calls_to("auth.test"))
    driver = driver_for(oauth_bot, bakery)
    for _ in range(5):
        assert driver.command(MARIA, "help").status == 200
    oauth_bot.settle()
    assert len(bakery.ephemerals(MARIA)) == 5  # each was answered, with the workspace's token
    assert len(bakery.calls_to("auth.test")) - before == 1


def test_a_workspace_that_did_not_install_is_not_answered(
    oauth_bot: Bot, slack: LocalSlack, bakery: LocalSlack
) -> None:
    install(oauth_bot, bakery)
    anna = "U0ANNA0001"
    response = driver_for(oauth_bot, slack).command(anna, "help")
    oauth_bot.settle()
    assert response.status == 200
    [told] = slack.ephemerals(anna)
    assert "not installed" in told.text and "δεν είναι εγκατεστημένο" in told.text
    assert [c.method for c in slack.calls] == ["response_url"]  # no Web API call: no token
    with oauth_bot.deps.uow() as uow:
        assert uow.workspaces.find(slack.team_id) is None


def test_the_redirect_without_the_install_pages_state_is_refused(
    oauth_bot: Bot, bakery: LocalSlack
) -> None:
    assert oauth_bot.server is not None
    base = f"http://127.0.0.1:{oauth_bot.server.port}"
    forged = get(f"{base}/slack/oauth_redirect?code=anything&state=forged")
    assert forged.status == 400
    assert Tokens(oauth_bot.deps.settings, oauth_bot.deps.db.engine).teams() == []
    assert not bakery.calls_to("oauth.v2.access")


def test_single_workspace_mode_serves_slack_bot_tokens_workspace(bot: Bot) -> None:
    tokens = Tokens(bot.deps.settings, bot.deps.db.engine)
    assert tokens.teams() == [bot.slack.team_id]
    assert tokens.token_for(bot.slack.team_id) == bot.slack.bot_token
    assert tokens.token_for("T0SOMEONE1") is None
    assert bot.server is not None
    base = f"http://127.0.0.1:{bot.server.port}"
    assert get(f"{base}/slack/install").status == 404  # no OAuth without SLACK_CLIENT_ID


def uninstalled(driver: SlackDriver, local: LocalSlack, kind: str) -> int:
    """Slack's event when a workspace removes the app (app_uninstalled) or revokes its bot token
    (tokens_revoked), signed and sent as Slack sends it."""
    local.uninstall()
    event: dict[str, object] = {"type": kind, "event_ts": "1796140800.000100"}
    if kind == "tokens_revoked":
        event["tokens"] = {"oauth": [], "bot": [local.bot_user_id]}
    return driver.event(event).status


@pytest.mark.parametrize("kind", ["app_uninstalled", "tokens_revoked"])
def test_uninstall_deletes_that_workspaces_tokens_only(
    oauth_bot: Bot, slack: LocalSlack, bakery: LocalSlack, kind: str
) -> None:
    install(oauth_bot, slack)
    install(oauth_bot, bakery)
    tokens = Tokens(oauth_bot.deps.settings, oauth_bot.deps.db.engine)
    assert tokens.teams() == sorted([slack.team_id, bakery.team_id])

    assert uninstalled(driver_for(oauth_bot, bakery), bakery, kind) == 200
    oauth_bot.settle()
    assert tokens.teams() == [slack.team_id]
    assert tokens.token_for(bakery.team_id) is None
    assert tokens.token_for(slack.team_id) == slack.bot_token


def test_an_unsigned_uninstall_is_refused_and_deletes_nothing(
    oauth_bot: Bot, bakery: LocalSlack
) -> None:
    install(oauth_bot, bakery)
    forged = SlackDriver(driver_for(oauth_bot, bakery).events_url, "not-our-secret", bakery)
    assert forged.event({"type": "app_uninstalled", "event_ts": "1.0"}).status == 401
    assert Tokens(oauth_bot.deps.settings, oauth_bot.deps.db.engine).teams() == [bakery.team_id]


# 09:30 is 07:30 UTC in Athens (Anna) and 09:30 UTC in Lisbon (Maria).
FRIDAY = [datetime(2026, 11, 27, hour, tzinfo=UTC) for hour in (0, 8, 10)]
MONDAY = [datetime(2026, 11, 30, hour, tzinfo=UTC) for hour in (8, 10)]


def sent_to(local: LocalSlack, user: str) -> int:
    """The bot's DMs to ``user``: lessons, and the weekly question on Mondays."""
    return sum(m.user == local.bot_user_id for m in local.dm_messages(user))


def test_the_clock_serves_each_workspace_with_its_token_until_it_uninstalls(
    oauth_bot: Bot, slack: LocalSlack, bakery: LocalSlack
) -> None:
    anna = "U0ANNA0001"
    for local, user in ((slack, anna), (bakery, MARIA)):
        install(oauth_bot, local)
        driver_for(oauth_bot, local).command(user, "join")
    oauth_bot.settle()
    clock = Clock(oauth_bot.deps)
    for at in FRIDAY:
        clock.tick(at)
    assert (sent_to(slack, anna), sent_to(bakery, MARIA)) == (1, 1)
    for local in (slack, bakery):  # each post made with the token of its own workspace
        assert local.calls_to("chat.postMessage")

    uninstalled(driver_for(oauth_bot, bakery), bakery, "app_uninstalled")
    oauth_bot.settle()
    lines = [clock.tick(at) for at in MONDAY]
    assert sent_to(slack, anna) > 1  # Monday's lesson and question
    assert sent_to(bakery, MARIA) == 1
    assert not any(bakery.team_id in line for line in lines)
    refused = [c for c in bakery.calls if c.response.get("error") == "token_revoked"]
    assert refused == []  # the clock did not even try the revoked token


def test_oauth_settings_are_checked_at_start_with_one_line() -> None:
    with pytest.raises(ConfigError, match="SLACK_CLIENT_SECRET is not set"):
        Settings(_env_file=None, slack_client_id="1.2", slack_signing_secret="s").require_slack()
    both = Settings(
        _env_file=None,
        slack_client_id="1.2",
        slack_client_secret="c",
        slack_signing_secret="s",
        slack_app_token="xapp-1",
    )
    with pytest.raises(ConfigError, match="unset SLACK_APP_TOKEN"):
        both.require_slack()
