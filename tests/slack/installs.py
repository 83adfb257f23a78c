"""Installing Nudge in a workspace of the local Slack as a person does: open /slack/install, follow
its "Add to Slack" link to the install page (which approves at once), and let the browser follow
the redirect back to /slack/oauth_redirect with the state cookie that /slack/install set."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from bot.localslack import LocalSlack
from tests.conftest import SIGNING_SECRET, Bot, start_bot


@dataclass(frozen=True)
class Page:
    status: int
    headers: Any
    body: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def get(url: str, headers: dict[str, str] | None = None) -> Page:
    """One GET, as a browser makes it, without following a redirect."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=10) as answer:
            return Page(answer.status, answer.headers, answer.read().decode())
    except urllib.error.HTTPError as answer:
        return Page(answer.code, answer.headers, answer.read().decode())


def install(bot: Bot, local: LocalSlack) -> Page:
    """Install the bot in ``local``'s workspace; the page /slack/oauth_redirect answers with."""
    assert bot.server is not None
    base = f"http://127.0.0.1:{bot.server.port}"
    local.oauth_redirect_url = f"{base}/slack/oauth_redirect"
    start = get(f"{base}/slack/install")
    assert start.status == 200, start
    button = re.search(r'href="([^"]*/oauth/v2/authorize[^"]*)"', start.body)
    assert button is not None, start.body
    link = html.unescape(button.group(1))
    assert link.startswith(local.install_url), link
    cookie = start.headers["Set-Cookie"].split(";")[0]
    approved = get(f"{link}&team={local.team_id}")
    assert approved.status == 302, approved
    return get(approved.headers["Location"], {"Cookie": cookie})


def start_oauth_bot(slack: LocalSlack, database_url: str, **overrides: Any) -> Bot:
    """Nudge installed by OAuth (no SLACK_BOT_TOKEN) on the local Slack, its workspaces not yet
    installed."""
    values = {
        "slack_bot_token": "",
        "slack_client_id": slack.client_id,
        "slack_client_secret": slack.client_secret,
        "slack_signing_secret": SIGNING_SECRET,
        **overrides,
    }
    return start_bot(slack, database_url, **values)
