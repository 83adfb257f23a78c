"""The log (bot.logs, bot.observe): one JSON line per request, delivery and tick with their
fields, and never a token, a signing secret or what a person answered, even at DEBUG with
slack_sdk's and Bolt's own lines in it."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy import select

from bot.cli import main
from bot.demo import play, start_session
from bot.logs import ASKS_OWN_LEVEL, CHATTY, configure_logging
from bot.slack.blocks.lesson import CHECK_ACTION_PREFIX
from bot.store import tables
from tests.conftest import SEED

DEMO_SECRET = "demo-signing-secret-7c0ffee5eed5a1t"


@contextmanager
def logging_into(
    buffer: io.StringIO, secrets: tuple[str, ...] = (), level: str = "DEBUG"
) -> Iterator[None]:
    """The root logger at `level` in JSON lines, into `buffer`; put back as it was after."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", *CHATTY, *ASKS_OWN_LEVEL)}
    handler = configure_logging("json", level, secrets=secrets, stream=buffer)
    try:
        yield
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    with logging_into(buffer):
        yield buffer


def _appears(text: str, written: str) -> bool:
    """`text` in `written`, as it is or escaped as JSON strings escape it."""
    escaped = (json.dumps(text, ensure_ascii=ascii)[1:-1] for ascii in (True, False))
    return any(form in written for form in (text, *escaped))


@pytest.mark.slow
def test_a_whole_demo_logs_no_token_secret_or_answer(log_lines: io.StringIO) -> None:
    session = start_session(SEED, rate_limits=False, signing_secret=DEMO_SECRET)
    try:
        play(session, rounds=2, out=io.StringIO())
        library = session.bot.deps.library.current
        with session.bot.deps.uow() as uow:
            weekly = list(uow.session.scalars(select(tables.StrategyAnswer.text)))
            checks = uow.session.execute(
                select(
                    tables.Response.lesson_id, tables.Response.choice, tables.Delivery.locale
                ).join(tables.Delivery, tables.Response.delivery_id == tables.Delivery.id)
            ).all()
        chosen = {
            library.lessons[lesson].localized(locale).options[choice]
            for lesson, choice, locale in checks
        }
        sent_to_slack = json.dumps([call.args for call in session.slack.calls], ensure_ascii=False)
        tokens = [session.slack.bot_token, session.slack.app_token]
    finally:
        session.close()
    # The demo did type them, and Slack got them (the digest quotes the weekly answer): a log of
    # the bodies would show them.
    assert weekly and len(chosen) > 10
    assert all(_appears(text, sent_to_slack) for text in [*weekly, *chosen])

    lines = log_lines.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    loggers = {record["logger"] for record in records}
    assert {"slack_sdk.web.base_client", "slack_sdk.webhook.client", "bot.slack"} <= loggers
    assert any(r["level"] == "DEBUG" and r["logger"].startswith("slack_sdk") for r in records)
    hidden = {"bot token": tokens[0], "app token": tokens[1], "signing secret": DEMO_SECRET}
    hidden |= {f"weekly answer {i}": text for i, text in enumerate(weekly)}
    hidden |= {f"check answer {text[:30]!r}": text for text in chosen}
    leaks = [
        f"{what} in: {line[:200]}"
        for what, text in hidden.items()
        for line in lines
        if _appears(text, line)
    ]
    assert leaks == []

    # One line per request, per delivery and per tick, with their fields.
    events = {
        kind: [r for r in records if r.get("event") == kind]
        for kind in ("request", "delivery", "tick")
    }
    assert all(events.values()), "a request, a delivery and a tick each have their line"
    assert {"kind", "action", "workspace", "user", "status", "outcome", "latency_ms"} <= set(
        events["request"][0]
    )
    seen = {(r["kind"], r["action"]) for r in events["request"]}
    assert {("command", "/learn now"), ("block_actions", f"{CHECK_ACTION_PREFIX}0")} <= seen
    assert {"workspace_id", "user", "kind", "outcome", "latency_ms"} <= set(events["delivery"][0])
    assert {"lesson", "question", "digest"} <= {r["kind"] for r in events["delivery"]}
    assert {"duration_ms", "sent", "missed", "failed", "members"} <= set(events["tick"][0])


def test_slack_sdk_formats_its_request_and_response_lines_only_at_debug() -> None:
    """slack_sdk asks its logger's own level, not the level in effect, whether to format a whole
    request and response: below DEBUG no call to Slack formats a line that nothing logs."""
    for level, formats in (("INFO", False), ("WARNING", False), ("DEBUG", True)):
        with logging_into(io.StringIO(), level=level):
            assert (WebClient().logger.level <= logging.DEBUG) is formats
            assert (WebhookClient("https://hooks.example").logger.level <= logging.DEBUG) is formats


def test_tokens_and_secrets_are_hidden_in_messages_and_tracebacks() -> None:
    buffer = io.StringIO()
    log = logging.getLogger("bot.test")
    with logging_into(buffer, secrets=("s3cret-signing-value",)):
        log.info("calling with xoxb-1234-5678-abcdef and xapp-1-A0-99 and s3cret-signing-value")
        try:
            raise RuntimeError("refused token xoxp-42-42-deadbeef")
        except RuntimeError:
            log.exception("the call failed")
    text = buffer.getvalue()
    assert "xoxb-1234" not in text and "xapp-1-A0" not in text and "s3cret" not in text
    assert "xoxp-42" not in text
    messages = [json.loads(line) for line in text.splitlines()]
    assert messages[0]["message"] == "calling with *** and *** and ***"
    assert "RuntimeError: refused token ***" in messages[1]["exc_info"]


def test_a_wrong_log_format_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOG_FORMAT", "xml")
    assert main(["db", "upgrade"]) == 2
    assert capsys.readouterr().err == "nudge: LOG_FORMAT is 'xml': use text (for people) or json\n"
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("LOG_LEVEL", "chatty")
    assert main(["db", "upgrade"]) == 2
    assert capsys.readouterr().err == (
        "nudge: LOG_LEVEL is 'chatty': use one of DEBUG, INFO, WARNING, ERROR\n"
    )
