"""What every request to /slack/events must meet: Slack's signature, Slack's timing, and the usage."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.localslack import Ephemeral
from bot.store import tables
from tests.conftest import SIGNING_SECRET, Bot


def _rows(bot: Bot) -> int:
    with bot.deps.db.engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).select_from(table)) or 0
            for table in (tables.Workspace, tables.Member, tables.Delivery, tables.Response)
        )


def _now_command_body(bot: Bot, user_id: str) -> bytes:
    return urlencode(
        {
            "team_id": bot.slack.team_id,
            "user_id": user_id,
            "command": "/learn",
            "text": "now",
            "channel_id": bot.slack.dm_channel_id(user_id),
            "response_url": bot.slack.new_response_url(bot.slack.dm_channel_id(user_id), user_id),
            "trigger_id": bot.slack.new_trigger_id(user_id),
        }
    ).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "case",
    ["bad signature", "missing signature", "missing timestamp", "timestamp 6 minutes old"],
)
def test_an_unsigned_or_stale_request_gets_401_and_changes_nothing(bot: Bot, case: str) -> None:
    body = _now_command_body(bot, bot.user("member"))
    headers = {**FORM, **bot.driver.sign(body)}
    if case == "bad signature":
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    elif case == "missing signature":
        del headers["X-Slack-Signature"]
    elif case == "missing timestamp":
        del headers["X-Slack-Request-Timestamp"]
    else:
        headers = {**FORM, **bot.driver.sign(body, timestamp=int(time.time()) - 360)}
    calls_before = len(bot.slack.calls)

    response = bot.driver.post_raw(body, headers)

    assert response.status == 401
    bot.settle()
    assert _rows(bot) == 0
    # Nothing at all reached Slack: no lesson, no reply.
    assert [c.method for c in bot.slack.calls[calls_before:]] == []
    assert bot.slack.dm_messages(bot.user("member")) == []


def test_a_correctly_signed_copy_of_the_same_request_is_accepted(bot: Bot) -> None:
    body = _now_command_body(bot, bot.user("member"))

    response = bot.driver.post_raw(body, {**FORM, **bot.driver.sign(body)})

    assert response.status == 200
    bot.settle()
    assert len(bot.slack.dm_messages(bot.user("member"))) == 1


def _sections(reply: Ephemeral) -> list[str]:
    return [b["text"]["text"] for b in reply.blocks if b["type"] == "section"]


EVERYONE = (
    "*For everyone*\n"
    "`/learn help` show this list\n"
    "`/learn now` send me a lesson right now\n"
    "`/learn why` why my last lesson came, when and why the next one comes, and for leads the "
    "team's blind spot\n"
    "`/learn me` my streak, lessons and answers, right answers per skill area, and my next "
    "lesson\n"
    "`/learn pause 1w|3d|until YYYY-MM-DD` no scheduled lessons for a while\n"
    "`/learn resume` scheduled lessons again, from the next working day\n"
    "`/learn join` get scheduled lessons, even from outside the team channel\n"
    "`/learn leave` no more scheduled lessons (`now` still works)\n"
    "`/learn settings` your lesson time, working days, lessons per week, language, holiday country "
    "and interests\n"
    "`/learn export` send me everything Nudge holds about me, as a JSON file\n"
    "`/learn forget` delete everything Nudge holds about me (asks first)"
)
ADMINS = (
    "*For admins*\n"
    "`/learn admin check` check the lesson library without loading it\n"
    "`/learn admin reload` load the lesson library again, keeping the old one if the new one has "
    "errors\n"
    "`/learn admin stats` members, deliveries, answers, failures, the library and the version at a "
    "glance\n"
    "`/learn admin setup` the team channel, leads channel, leads, admins and team defaults of this "
    "workspace"
)
INTRO = "Nudge teaches in short lessons, each with a one-click check. Here is what you can do:"


def test_help_shows_a_member_only_what_a_member_may_use(bot: Bot) -> None:
    reply = bot.ask(bot.user("member"), "help")
    assert _sections(reply) == [INTRO, EVERYONE]


def test_help_shows_an_admin_the_admin_subcommands_too(bot: Bot) -> None:
    reply = bot.ask(bot.user("admin"), "help")
    assert _sections(reply) == [INTRO, EVERYONE, ADMINS]


def test_help_speaks_greek_to_a_greek_speaker(bot: Bot) -> None:
    reply = bot.ask(bot.user("greek"), "help")
    assert _sections(reply) == [
        "Το Nudge διδάσκει με σύντομα μαθήματα, το καθένα με μια ερώτηση ελέγχου που απαντάτε με "
        "ένα κλικ. Δείτε τι μπορείτε να κάνετε:",
        "*Για όλους*\n`/learn help` δείχνει αυτόν τον κατάλογο\n"
        "`/learn now` μου στέλνει ένα μάθημα αμέσως\n"
        "`/learn why` γιατί ήρθε το τελευταίο μου μάθημα, πότε και γιατί έρχεται το επόμενο, και "
        "για τους επικεφαλής το τυφλό σημείο της ομάδας\n"
        "`/learn me` το σερί μου, τα μαθήματα και οι απαντήσεις μου, οι σωστές ανά θεματική "
        "περιοχή και το επόμενο μάθημά μου\n"
        "`/learn pause 1w|3d|until YYYY-MM-DD` καμία προγραμματισμένη αποστολή για λίγο\n"
        "`/learn resume` ξανά προγραμματισμένα μαθήματα, από την επόμενη εργάσιμη\n"
        "`/learn join` λαμβάνω προγραμματισμένα μαθήματα, ακόμη κι εκτός του καναλιού της "
        "ομάδας\n"
        "`/learn leave` σταματώ τα προγραμματισμένα μαθήματα (το `now` δουλεύει πάντα)\n"
        "`/learn settings` η ώρα των μαθημάτων μου, οι εργάσιμες ημέρες, τα μαθήματα την "
        "εβδομάδα, η γλώσσα, η χώρα για τις αργίες και τα ενδιαφέροντά μου\n"
        "`/learn export` μου στέλνει όσα κρατά το Nudge για μένα, σε αρχείο JSON\n"
        "`/learn forget` διαγράφει όσα κρατά το Nudge για μένα (ρωτά πρώτα)",
    ]


def test_a_bare_command_answers_with_the_help(bot: Bot) -> None:
    assert _sections(bot.ask(bot.user("member"), "")) == [INTRO, EVERYONE]


@pytest.mark.parametrize("text", ["dance", "now please", "admin", "admin delete-everything"])
def test_an_unknown_subcommand_answers_with_the_help_and_does_nothing(bot: Bot, text: str) -> None:
    member = bot.user("member")
    reply = bot.ask(member, text)
    assert _sections(reply) == [
        f"I don't know `/learn {text}`. Here is what you can do:",
        EVERYONE,
    ]
    assert bot.slack.dm_messages(member) == [] and _rows(bot) == 0


def test_the_answer_to_slack_does_not_wait_for_the_slack_api(bot: Bot) -> None:
    """The lesson is posted by a lazy listener: while chat.postMessage is held, the command
    has already been answered (if it waited, this request would hang until the hold ends)."""
    member = bot.user("member")
    with bot.slack.hold("chat.postMessage") as held:
        response = bot.driver.command(member, "now")
        assert (response.status, response.body) == (200, "")
        held.wait_until_waiting(timeout=10)
        assert bot.slack.dm_messages(member) == []
    bot.settle()
    assert len(bot.slack.dm_messages(member)) == 1


def test_every_slack_call_went_to_slack_api_url(bot: Bot) -> None:
    member = bot.user("member")
    bot.driver.command(member, "now")
    bot.settle()
    assert bot.slack.calls, "the bot made no calls at all"
    assert {call.method for call in bot.slack.calls} >= {
        "auth.test",
        "users.info",
        "chat.postMessage",
    }


def test_url_verification_is_answered_with_the_challenge(bot: Bot) -> None:
    response = bot.driver.url_verification("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")
    assert response.status == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.body


def test_an_event_without_a_listener_is_acknowledged(bot: Bot) -> None:
    response = bot.driver.event({"type": "reaction_added", "user": bot.user("member")})
    # Slack retries an event that gets anything but a 2xx, and disables an app that keeps failing.
    assert (response.status, response.body) == (200, "")


def test_what_a_person_typed_comes_back_as_text_never_as_a_mention_or_a_link(bot: Bot) -> None:
    reply = bot.ask(bot.user("member"), "<!channel> <http://evil.example|click> `x`")
    assert _sections(reply)[0] == (
        "I don't know `/learn &lt;!channel&gt; &lt;http://evil.example|click&gt; 'x'`. "
        "Here is what you can do:"
    )


@pytest.mark.parametrize("stamp", ["abc", "", "1.5", "-5"])
def test_a_timestamp_that_is_not_a_whole_number_gets_401(bot: Bot, stamp: str) -> None:
    body = _now_command_body(bot, bot.user("member"))
    headers = {**FORM, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=junk"}
    assert bot.driver.post_raw(body, headers).status == 401
    assert _rows(bot) == 0


def test_a_body_that_is_not_utf8_gets_400(bot: Bot) -> None:
    body = b"text=\xff\xfe&command=/learn"
    stamp = str(int(time.time()))
    mac = hmac.new(SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={mac.hexdigest()}"}
    assert bot.driver.post_raw(body, {**FORM, **headers}).status == 400
    assert _rows(bot) == 0


def test_a_refused_request_leaves_one_short_line_in_the_log(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"text=now&x=" + b"A" * 100_000 + b"%0Aforged log line"
    with caplog.at_level(logging.INFO):
        response = bot.driver.post_raw(
            body,
            {
                **FORM,
                "X-Slack-Signature": "v0=" + "0" * 64,
                "X-Slack-Request-Timestamp": str(int(time.time())),
            },
        )
    assert response.status == 401
    refused = [r.getMessage() for r in caplog.records if "signature" in r.getMessage()]
    assert refused == ["refused a request whose signature did not verify"]
    assert not any("forged" in r.getMessage() or "AAAA" in r.getMessage() for r in caplog.records)


def test_a_command_whose_text_holds_the_word_payload_is_answered(bot: Bot) -> None:
    reply = bot.ask(bot.user("member"), "now payload")
    assert _sections(reply)[0] == "I don't know `/learn now payload`. Here is what you can do:"


def test_bolts_own_parser_reads_such_a_command_as_an_empty_payload() -> None:
    """The upstream behaviour the edge works around (README, Known issues)."""
    from slack_bolt.request.internals import parse_body

    assert parse_body("command=%2Flearn&text=now+payload", None) == {}


@pytest.mark.parametrize("team", ["T0OTHER001", "T" + "9" * 5000])
def test_a_request_from_another_workspace_is_refused_and_stores_nothing(
    bot: Bot, team: str
) -> None:
    member = bot.user("member")
    body = _now_command_body(bot, member).replace(
        f"team_id={bot.slack.team_id}".encode(), f"team_id={team}".encode()
    )
    calls_before = len(bot.slack.calls)

    response = bot.driver.post_raw(body, {**FORM, **bot.driver.sign(body)})

    assert (response.status, response.body) == (200, "")
    bot.settle()
    assert _rows(bot) == 0 and bot.slack.calls[calls_before:] == []


def _payload(value: object) -> bytes:
    return b"payload=" + urlencode({"x": json.dumps(value)}).split("=", 1)[1].encode()


@pytest.mark.parametrize(
    "body",
    [
        b"payload=%7Bnot+json",
        b"payload=null",
        _payload([1, 2]),
        _payload({"type": "block_actions", "team": {"id": "T0ACME001"}, "actions": []}),
    ],
    ids=["not json", "null", "a list", "no actions"],
)
def test_a_signed_payload_of_the_wrong_shape_gets_400_and_changes_nothing(
    bot: Bot, body: bytes
) -> None:
    response = bot.driver.post_raw(body, {**FORM, **bot.driver.sign(body)})
    assert (response.status, response.body) == (400, '{"error":"invalid request"}')
    bot.settle()
    assert _rows(bot) == 0


def test_the_same_payload_unsigned_gets_401(bot: Bot) -> None:
    response = bot.driver.post_raw(b"payload=null", {**FORM, "X-Slack-Signature": "v0=00"})
    assert response.status == 401


def test_an_answer_modal_submitted_without_state_is_asked_for_words(bot: Bot) -> None:
    view = {"type": "modal", "callback_id": "question_modal", "private_metadata": "1", "id": "V1"}
    body = _payload(
        {"type": "view_submission", "team": {"id": bot.slack.team_id},
         "user": {"id": bot.user("member")}, "view": view}
    )  # fmt: skip
    response = bot.driver.post_raw(body, {**FORM, **bot.driver.sign(body)})
    assert (response.status, response.json()) == (
        200,
        {
            "response_action": "errors",
            "errors": {"question_text": "Write a few words: an empty answer cannot be recorded."},
        },
    )
    assert _rows(bot) == 0
