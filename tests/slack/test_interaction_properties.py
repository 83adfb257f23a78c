"""Every button and modal the app registers, sent by Slack's signature with any payload a client
could forge: fields missing or of the wrong type, any unicode, huge text. The answer is a clear
one (200, 400, or the modal's `errors`), never a 5xx; nothing reaches the log as a traceback;
nobody is told of a failure; and no delivery, response or answer changes (but for an admin's
submission of the workspace's setup, which is theirs to change).

One bot serves the whole module (SQLite): each example is one signed request against it.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.i18n import LANGUAGES, translator
from bot.localslack import LocalSlack
from bot.localslack.workspace import Workspace
from bot.slack.blocks.team_setup import SETUP_CALLBACK
from bot.store import tables
from tests.conftest import Bot, start_bot
from tests.slack.test_authorization_matrix import (
    ADMINS_ONLY,
    INTERACTIONS,
    owners_rows,
    registered,
)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GUARDED = (tables.Member, tables.Delivery, tables.Response, tables.StrategyAnswer)


@pytest.fixture(scope="module")
def served(workspace: Workspace, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    """A bot whose member has a lesson and the weekly question open in a modal."""
    database = Path(tmp_path_factory.mktemp("props")) / "nudge.db"
    with LocalSlack(workspace) as slack:
        bot = start_bot(slack, f"sqlite:///{database}")
        try:
            yield bot
        finally:
            bot.close()


@pytest.fixture(scope="module")
def requests(served: Bot) -> dict[str, dict[str, Any]]:
    """The payload the owner's own use of each interaction sends, as the base to break."""
    owner, payloads = served.user("member"), {}
    for interaction in registered():
        row = INTERACTIONS[interaction]
        sent = row.sent(served, owner)
        with served.driver.capture() as captured:
            row.use(served, owner, sent)
        payloads[interaction] = json.loads(parse_qs(captured[0].body.decode())["payload"][0])
    return payloads


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and list index in a payload, as a path from the top."""
    if not isinstance(node, dict | list):
        return []
    found: list[tuple[Any, ...]] = []
    for key, value in node.items() if isinstance(node, dict) else enumerate(node):
        found.append((*prefix, key))
        found.extend(_paths(value, (*prefix, key)))
    return found


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=50)
    | st.sampled_from(["1:0", "1:99", "1", "-1", "0", "1:0:0", "<!channel>", "", " "]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children)
    ),
    max_leaves=10,
)
HUGE = st.sampled_from([50_000, 200_000]).map(lambda n: "é<&>" * (n // 4))
REPLACEMENT = st.one_of(JSON, HUGE, st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
# The owner's own request is valid: every example is sent by someone else, or by no one known.
SENDER = st.sampled_from(["lead", "admin", "outsider", "greek", "U0NOBODY01"]) | st.text(
    max_size=12
)


def _break(payload: dict[str, Any], edits: list[tuple[int, bool, Any]]) -> dict[str, Any]:
    broken = copy.deepcopy(payload)
    for index, remove, value in edits:
        paths = _paths(broken)
        if not paths:
            break
        *parents, last = paths[index % len(paths)]
        holder: Any = broken
        for step in parents:
            holder = holder[step]
        if remove and isinstance(holder, dict):
            del holder[last]
        else:
            holder[last] = value
    return broken


def _rows(bot: Bot) -> list[tuple[Any, ...]]:
    with bot.deps.db.engine.connect() as connection:
        return [tuple(r) for t in GUARDED for r in connection.execute(select(t)).all()]


APOLOGIES = {translator(language)("error.apology") for language in LANGUAGES}


@SETTINGS
@example(interaction="question_answer", sender="U0NOBODY01", edits=[])  # users.info: not found
@example(interaction=r"^check_answer_\d+$", sender="", edits=[])
@example(interaction=SETUP_CALLBACK, sender="admin", edits=[])  # theirs to save
@example(interaction=SETUP_CALLBACK, sender="lead", edits=[])  # refused, nothing stored
@given(
    interaction=st.sampled_from(registered()),
    sender=SENDER,
    edits=st.lists(st.tuples(st.integers(0, 10_000), st.booleans(), REPLACEMENT), max_size=4),
)
def test_any_payload_gets_a_clear_answer_and_changes_nothing(
    served: Bot,
    requests: dict[str, dict[str, Any]],
    caplog: pytest.LogCaptureFixture,
    interaction: str,
    sender: str,
    edits: list[tuple[int, bool, Any]],
) -> None:
    bot = served
    payload = copy.deepcopy(requests[interaction])
    user = bot.user(sender) if sender in ("lead", "admin", "outsider", "greek") else sender
    payload["user"]["id"] = user
    payload = _break(payload, edits)
    body = urlencode({"payload": json.dumps(payload)}).encode()
    # A Home button acts on whoever pressed it: only the owner's rows must stay as they were.
    owner = bot.user("member")
    own = INTERACTIONS[interaction].own

    def rows() -> list[tuple[Any, ...]]:
        return owners_rows(bot, owner) if own else _rows(bot)

    before, told = rows(), len(bot.slack.calls)
    caplog.clear()

    with caplog.at_level(logging.WARNING):
        response = bot.driver.post_raw(
            body, {"Content-Type": "application/x-www-form-urlencoded", **bot.driver.sign(body)}
        )
        bot.settle()

    assert response.status in (200, 400), (response.status, response.body[:300])
    if response.status == 200 and response.body.strip():
        answer = response.json()
        assert (
            answer.get("response_action") == "errors" or answer.get("response_type") == "ephemeral"
        )
        assert answer.get("text") not in APOLOGIES, answer
    # The team setup is the workspace's: any admin may change it with a payload the modal accepts
    # (the authorization matrix tests what that stores); anyone else's changes nothing.
    if not (interaction in ADMINS_ONLY and sender == "admin"):
        assert rows() == before
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert tracebacks == [], [r.getMessage() for r in tracebacks]
    said = [json.dumps(c.args) for c in bot.slack.calls[told:]]
    assert not any("Traceback" in text or any(a in text for a in APOLOGIES) for text in said)
