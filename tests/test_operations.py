"""The processes as an operator runs them with LOG_FORMAT=json (as the Procfile does): `web` writes
one JSON object a line, a request's among them, and `clock` and `worker` serve their metrics on
METRICS_PORT."""

from __future__ import annotations

import json
import selectors
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.crowd import queue_lessons, seed_members
from bot.localslack import LocalSlack, SlackDriver
from bot.settings import Settings
from tests.conftest import REPO, SIGNING_SECRET
from tests.test_cli import operator_env
from tests.test_workers import _migrate


def _json_lines(process: subprocess.Popen[bytes], until: str, timeout: float = 30) -> list[dict]:
    """What the process logged, up to the line whose message starts with `until` (bounded).

    stderr is unbuffered (`_bot`), so a readline takes one line and leaves the rest in the pipe,
    where the selector sees it: a buffered reader would take several lines at once and the
    selector would then wait for more while the one sought sat in its buffer."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    lines: list[dict] = []
    while selector.select(timeout=timeout):
        line = process.stderr.readline()
        if not line:
            break
        lines.append(json.loads(line))  # every line is one JSON object
        if lines[-1]["message"].startswith(until):
            return lines
    raise AssertionError(f"the process never logged {until!r}: {lines}")


def _slack_env(slack: LocalSlack) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": slack.bot_token, "SLACK_API_URL": slack.api_url}


def _bot(tmp_path: Path, command: str, **settings: str) -> subprocess.Popen[bytes]:
    """`python -m bot <command>` logging JSON lines, as the Procfile runs it."""
    env = operator_env(tmp_path, LOG_FORMAT="json", **settings)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", command],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        bufsize=0,  # see _json_lines
    )


@contextmanager
def ends_on_sigterm(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """The block with `process` running; then SIGTERM, on which it must exit 0 (killed if the
    block failed first)."""
    try:
        yield
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_web_logs_json_lines_with_each_request(tmp_path: Path, slack: LocalSlack) -> None:
    """From start-up on, every line is JSON; a request is one line with its fields."""
    process = _bot(
        tmp_path, "web", PORT="0", SLACK_SIGNING_SECRET=SIGNING_SECRET, **_slack_env(slack)
    )
    with ends_on_sigterm(process):
        started = _json_lines(process, "Nudge is listening on port")
        port = int(started[-1]["message"].split("port ")[1].split()[0])
        member = next(u.id for u in slack.workspace.users if not u.lead and not u.admin)
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, slack)
        assert driver.command(member, "help").status == 200
        (request,) = [r for r in _json_lines(process, "command /learn help") if r.get("event")]
    assert {line["level"] for line in started} <= {"INFO", "DEBUG"}
    assert request["logger"] == "bot.requests"
    assert (request["kind"], request["action"], request["user"]) == (
        "command",
        "/learn help",
        member,
    )
    assert (request["workspace"], request["status"], request["outcome"]) == (
        slack.team_id,
        200,
        "ok",
    )
    assert request["latency_ms"] >= 0
    assert request["time"].endswith("+00:00")


def _free_port() -> int:
    with socket.socket() as probe:  # a free port, given back for the process to take
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _metrics(process: subprocess.Popen[bytes], port: int, after: str) -> dict[tuple, float]:
    """The samples the process serves on `port` once it has logged `after`; then it stops."""
    try:
        _json_lines(process, after)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
            shown = answer.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(shown)
        for sample in family.samples
    }


def test_the_clock_serves_its_metrics_on_metrics_port(tmp_path: Path, slack: LocalSlack) -> None:
    metrics_port = _free_port()
    team = slack.workspace.settings.team_channel
    process = _bot(
        tmp_path, "clock", METRICS_PORT=str(metrics_port), TEAM_CHANNEL=team, **_slack_env(slack)
    )
    samples = _metrics(process, metrics_port, "Nudge clock started")
    # The roster it read at start, through the Slack client every call of the clock goes through.
    users = (
        "nudge_slack_api_calls_total",
        (("error", ""), ("method", "users.list"), ("status", "200")),
    )
    assert samples[users] == 1
    assert ("nudge_tick_seconds_count", ()) in samples  # its ticks are measured here too


def test_a_worker_serves_its_metrics_on_metrics_port(tmp_path: Path, slack: LocalSlack) -> None:
    """A worker sends a queued lesson; what it did is counted in its own process, served there."""
    url = operator_env(tmp_path)["DATABASE_URL"]
    _migrate(url)
    at = datetime.now(UTC)
    seed_members(url, slack.team_id, slack.workspace, at)
    queue_lessons(url, "alpha-1", "alpha", at)
    metrics_port = _free_port()
    process = _bot(tmp_path, "worker", METRICS_PORT=str(metrics_port), **_slack_env(slack))
    samples = _metrics(process, metrics_port, "lesson to ")  # its first delivery's log line
    sent = ("nudge_deliveries_total", (("kind", "lesson"), ("outcome", "sent")))
    assert samples[sent] >= 1
    posts = (
        "nudge_slack_api_calls_total",
        (("error", ""), ("method", "chat.postMessage"), ("status", "200")),
    )
    assert samples[posts] >= 1


def test_every_setting_has_a_row_in_the_readme_configuration_table() -> None:
    readme = (REPO / "README.md").read_text()
    table = readme.split("\n## Configuration\n")[1].split("\n## ")[0]
    missing = [
        name.upper() for name in Settings.model_fields if f"| `{name.upper()}` |" not in table
    ]
    assert missing == [], "add these to README.md's configuration table"


def test_run_in_socket_mode_serves_healthz_and_metrics_on_port(
    tmp_path: Path, slack: LocalSlack
) -> None:
    """Slack's requests come over the socket, yet a load balancer and Prometheus probe over HTTP:
    /healthz and /metrics on PORT, with the same handlers as `web`; nothing else is served."""
    process = _bot(
        tmp_path,
        "run",
        PORT="0",
        SLACK_APP_TOKEN=slack.app_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        **_slack_env(slack),
    )
    with ends_on_sigterm(process):
        started = _json_lines(process, "Nudge is connecting to Slack over Socket Mode")
        port = int(started[-1]["message"].rsplit("port ", 1)[1])
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
            health = (answer.status, json.loads(answer.read()))
        with urllib.request.urlopen(f"{base}/metrics", timeout=5) as answer:
            shown = answer.read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{base}/slack/events", data=b"x", timeout=5)
    assert health[0] == 200
    assert (health[1]["status"], health[1]["database"]["state"]) == ("ok", "ok")
    assert health[1]["schema"]["state"] == "current"
    families = {family.name for family in text_string_to_metric_families(shown)}
    assert {"nudge_slack_api_calls", "nudge_deliveries", "nudge_tick_seconds"} <= families
    assert refused.value.code == 404
