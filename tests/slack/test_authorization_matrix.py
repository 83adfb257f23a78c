"""Who may do what, for every built subcommand: a member, a lead, an admin, someone outside the team
channel, and someone from another workspace. Admin subcommands are refused to all but admins with
the same words and nothing done; everything else answers everyone in the workspace; a request from
another workspace is answered with nothing at all."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from bot.slack.listeners.commands.subcommands import SUBCOMMANDS
from tests.conftest import Bot

REFUSED = {  # the lead speaks Greek
    ":lock: Only Nudge admins may use `/learn admin`. Admins are listed in the ADMINS setting.",
    ":lock: Μόνο οι διαχειριστές του Nudge μπορούν να χρησιμοποιούν το `/learn admin`. Οι "
    "διαχειριστές ορίζονται στη ρύθμιση ADMINS.",
}
ROLES = ("member", "lead", "admin", "outsider")
BUILT = [" ".join(sub.words) for sub in SUBCOMMANDS if sub.handler is not None]
ARGS = {"pause": "pause 3d"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("typed", BUILT)
def test_each_subcommand_answers_each_role_as_its_role_allows(
    bot: Bot, role: str, typed: str
) -> None:
    reply = bot.ask(bot.user(role), ARGS.get(typed, typed))
    is_admin = role == "admin"
    if typed.startswith("admin"):
        assert (reply.text in REFUSED) is not is_admin, reply.text
    else:
        assert reply.text not in REFUSED and "Something went wrong" not in reply.text
        assert "Κάτι πήγε στραβά" not in reply.text


@pytest.mark.parametrize("typed", BUILT)
def test_another_workspace_gets_no_answer_for_any_subcommand(bot: Bot, typed: str) -> None:
    body = urlencode(
        {
            "team_id": "T0ELSEWHERE",
            "user_id": bot.user("admin"),
            "command": "/learn",
            "text": ARGS.get(typed, typed),
            "response_url": bot.slack.new_response_url(
                bot.slack.dm_channel_id(bot.user("admin")), bot.user("admin")
            ),
        }
    ).encode()
    response = bot.driver.post_raw(
        body, {"Content-Type": "application/x-www-form-urlencoded", **bot.driver.sign(body)}
    )
    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert bot.slack.ephemerals(bot.user("admin")) == []


def test_the_matrix_covers_every_built_subcommand() -> None:
    assert BUILT == [
        "help", "now", "why", "pause", "resume", "join", "leave", "admin check", "admin reload"
    ]  # fmt: skip
