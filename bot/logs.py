"""Nudge's log: lines for a person at a terminal (LOG_FORMAT=text, the default), or one JSON object
a line for a log pipeline (LOG_FORMAT=json, as the Procfile runs it), at LOG_LEVEL.

The standard library's logging, with python-json-logger's formatter: every library's records
(slack_sdk, Bolt, waitress, APScheduler) come out in the same format as Nudge's own, and
Nudge's events carry their fields as `extra` (bot.observe), which become the JSON keys.

No secret and nothing a person wrote reaches a line. slack_sdk and Bolt print whole request and
response bodies at DEBUG (a lesson's options, the digest quoting members' answers, a modal's
text): the handler's filter cuts those lines down to the method and the status. Anything shaped
like a Slack token, and the configured secrets, are replaced by *** in every line.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.settings import ConfigError, Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Each JSON line: level, logger, message, the event's own fields, and the time (ISO 8601, UTC).
JSON_FIELDS = ["levelname", "name", "message"]
JSON_NAMES = {"levelname": "level", "name": "logger"}
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Libraries whose DEBUG lines trace their own internals (a line per Markdown rule tried, per font
# looked at), of no use to an operator: they log from INFO up whatever LOG_LEVEL says.
CHATTY = ("markdown_it", "matplotlib", "PIL")
# slack_sdk's Web API and response_url clients ask their logger's own level (`logger.level <=
# DEBUG`), not the level in effect, before formatting a DEBUG line of the whole request and the
# whole response: with their own level unset, every call to Slack paid that (~35 us of CPU for a
# lesson's post, bench/lesson_cost) for a line that was then dropped. Their own level is LOG_LEVEL.
ASKS_OWN_LEVEL = ("slack_sdk.web.base_client", "slack_sdk.webhook.client")

# Lines of slack_sdk (Web API and response_url calls) and Bolt (its answers to Slack) that carry
# a whole body: only their beginning is kept.
_BODIES = (
    (re.compile(r"^(Sending a request - url: [^,\s]+).*", re.S), r"\1 (body not logged)"),
    (
        re.compile(r"^(Received the following response - status: \d+).*", re.S),
        r"\1 (body not logged)",
    ),
    (re.compile(r'^(Responding with status: \d+) body: ".*"(.*)$', re.S), r"\1\2"),
)
# Bot, user, app-level, configuration and refresh tokens: xoxb-, xoxp-, xapp-, xoxe-, ...
_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")
HIDDEN = "***"
MIN_SECRET = 8


class Redact(logging.Filter):
    """Keeps bodies, tokens and `secrets` out of every line the handler writes."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # A secret too short to be one (a placeholder, "s" in a test) would hide common words.
        kept = {secret for secret in secrets if len(secret) >= MIN_SECRET}
        self._secrets = sorted(kept, key=len, reverse=True)

    def clean(self, text: str) -> str:
        for pattern, kept in _BODIES:
            text = pattern.sub(kept, text)
        text = _TOKEN.sub(HIDDEN, text)
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and (traceback := self.clean(record.exc_text)) != record.exc_text:
            # Formatters write exc_text when there is no exc_info to format afresh.
            record.exc_text, record.exc_info = traceback, None
        return True


def secrets_of(settings: Settings) -> list[str]:
    """Every configured token and secret (the settings whose names say so)."""
    return [
        str(value)
        for name, value in settings
        if name.endswith(("_token", "_secret")) and isinstance(value, str)
    ]


def _formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        # Imported only for a JSON log: text, the default, needs none of python-json-logger's
        # modules at start.
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            JSON_FIELDS, rename_fields=JSON_NAMES, timestamp="time", json_ensure_ascii=False
        )
    return logging.Formatter(TEXT_FORMAT)


class _NudgeHandler(logging.StreamHandler[TextIO]):
    """The one handler Nudge puts on the root logger (configuring again replaces it). Without a
    stream of its own it writes to sys.stderr as it is at each line, which a caller (a test) may
    have replaced since."""

    def __init__(self, stream: TextIO | None) -> None:
        super().__init__(stream or sys.stderr)
        self._follows_stderr = stream is None

    def emit(self, record: logging.LogRecord) -> None:
        if self._follows_stderr:
            self.stream = sys.stderr
        super().emit(record)


def configure_logging(
    log_format: str = "text",
    level: str = "INFO",
    *,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Log to `stream` (stderr) in `log_format` from `level` up, with `secrets` hidden."""
    check_settings(log_format, level)
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _NudgeHandler)]:
        root.removeHandler(old)
    handler = _NudgeHandler(stream)
    handler.setFormatter(_formatter(log_format))
    handler.addFilter(Redact(secrets))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in CHATTY:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    for name in ASKS_OWN_LEVEL:
        logging.getLogger(name).setLevel(root.level)
    return handler


def configure_from(settings: Settings) -> logging.Handler | None:
    """The log as the settings say, unless something else set up logging already (a test
    runner's capture, an embedding program): then, as logging.basicConfig does, nothing changes
    but the settings' check."""
    root = logging.getLogger()
    if any(not isinstance(handler, _NudgeHandler) for handler in root.handlers):
        check_settings(settings.log_format, settings.log_level)
        return None
    return configure_logging(settings.log_format, settings.log_level, secrets=secrets_of(settings))


def check_settings(log_format: str, level: str) -> None:
    if log_format not in ("text", "json"):
        raise ConfigError(f"LOG_FORMAT is {log_format!r}: use text (for people) or json")
    if level.upper() not in LEVELS:
        raise ConfigError(f"LOG_LEVEL is {level!r}: use one of {', '.join(LEVELS)}")
