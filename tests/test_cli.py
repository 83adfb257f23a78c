"""`python -m bot ...` as an operator runs it: one clear line for a configuration problem, no traceback.

Every test but one calls `bot.cli.main` in this process; `test_python_m_bot_web_serves_slack` starts
the real `python -m bot web`, the one check that the entry point, logging and waitress fit together.
"""

from __future__ import annotations

import json
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.cli import main
from bot.localslack import LocalSlack, SlackDriver
from bot.settings import Settings
from bot.store.db import HEAD_REVISION
from tests.conftest import BOT_START, REPO, SEED, SIGNING_SECRET, TEST_LIBRARY, recipient

TEST_LIBRARY_OK = "3 skills, 9 lessons, 1 translation, 1 question: 0 errors, 0 warnings"
# The day the fixture library is checked as of: its `checked:` months are recent then, and stay
# so whatever the calendar says when the tests run.
TODAY = ["--today", BOT_START.date().isoformat()]
TOKEN_MISSING = (
    "nudge: SLACK_BOT_TOKEN is not set: put the Bot User OAuth Token (xoxb-...) on your app's "
    "OAuth & Permissions page in .env or the environment."
)
SECRET_MISSING = (
    "nudge: SLACK_SIGNING_SECRET is not set: put the Signing Secret on your app's Basic "
    "Information page in .env or the environment."
)


@pytest.fixture(autouse=True)
def operator_shell(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty working directory (no .env, no nudge.db) and none of Nudge's settings in the
    environment, whatever the developer's shell exports: each test sets what it needs."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A loopback port that refuses connections: bound, never listening, held for the test."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{held.getsockname()[1]}/api/"


def set_env(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


# -- content check ------------------------------------------------------------------------------


def test_content_check_passes_a_good_library(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(TEST_LIBRARY), *TODAY]) == 0
    assert capsys.readouterr() == (TEST_LIBRARY_OK + "\n", "")


def test_content_check_prints_each_error_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(TEST_LIBRARY, broken)
    lesson = broken / "lessons" / "alpha" / "alpha-2.md"
    lesson.write_text(lesson.read_text().replace("skill: alpha", "skill: omega"))

    assert main(["content", "check", str(broken), *TODAY]) == 1

    assert capsys.readouterr().out.splitlines() == [
        f"{lesson}:3: unknown skill 'omega' (skills.yaml lists: alpha, beta, gamma)",
        "3 skills, 9 lessons, 1 translation, 1 question: 1 error, 0 warnings",
    ]


def test_content_check_dates_checked_months_as_of_the_day_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["content", "check", str(TEST_LIBRARY), "--today", "2027-07-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"{TEST_LIBRARY / 'lessons' / 'alpha' / 'alpha-1.md'}:17: warning: the facts were last "
        "checked in 2026-06, more than 12 months ago; verify them and set checked: 2027-07"
    )
    assert lines[-1] == "3 skills, 9 lessons, 1 translation, 1 question: 0 errors, 9 warnings"


def test_content_check_refuses_a_day_it_cannot_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(TEST_LIBRARY), "--today", "2027-13-01"]) == 2
    assert capsys.readouterr() == (
        "",
        "nudge: --today '2027-13-01' is not a date written YYYY-MM-DD\n",
    )


def test_content_check_without_a_directory_checks_content_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONTENT_DIR", str(TEST_LIBRARY))
    assert main(["content", "check", *TODAY]) == 0
    assert capsys.readouterr().out == TEST_LIBRARY_OK + "\n"


def test_content_check_names_a_missing_directory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check"]) == 1  # CONTENT_DIR defaults to ./content, absent here
    assert capsys.readouterr().out.splitlines() == [
        "content:1: the content directory does not exist",
        "0 skills, 0 lessons, 0 translations, 0 questions: 1 error, 0 warnings",
    ]


# The day the shipped library's platform facts were last verified (its lessons say
# `checked: 2026-12`). Pinned so that the suite gives the same answer every day; `make test` also
# checks the library against the real date, where a lesson gone stale shows as a warning.
LIBRARY_REVIEWED = "2026-12-01"


def test_the_shipped_library_passes_the_checker(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(REPO / "content"), "--today", LIBRARY_REVIEWED]) == 0
    *problems, summary = capsys.readouterr().out.splitlines()
    assert problems == []
    assert re.fullmatch(
        r"\d+ skills, \d+ lessons, \d+ translations, \d+ questions: 0 errors, 0 warnings", summary
    )


# -- start-up problems: exit 2 and one line on stderr --------------------------------------------


@pytest.mark.parametrize("command", ["web", "run"])
@pytest.mark.parametrize(
    ("env", "line"),
    [({}, TOKEN_MISSING), ({"SLACK_BOT_TOKEN": "xoxb-1"}, SECRET_MISSING)],
)
def test_a_missing_secret_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    operator_shell: Path,
    command: str,
    env: dict[str, str],
    line: str,
) -> None:
    set_env(monkeypatch, **env)

    assert main([command]) == 2

    assert capsys.readouterr() == ("", line + "\n")
    assert list(operator_shell.iterdir()) == [], "nothing is created before the settings are right"


def test_dotenv_is_read_from_the_working_directory(
    capsys: pytest.CaptureFixture[str], operator_shell: Path
) -> None:
    (operator_shell / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    assert main(["web"]) == 2
    assert capsys.readouterr().err == SECRET_MISSING + "\n"


@pytest.mark.parametrize(("command", "env"), [("run", {"SLACK_APP_TOKEN": "xapp-1"})])
def test_an_unreachable_slack_stops_socket_mode_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    operator_shell: Path,
    refusing_url: str,
    command: str,
    env: dict[str, str],
) -> None:
    set_env(
        monkeypatch,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=refusing_url,
        SLACK_MAX_RETRIES="0",
        **env,
    )

    assert main([command]) == 2

    assert capsys.readouterr() == (
        "",
        f"nudge: cannot reach Slack at {refusing_url} (Connection refused): check SLACK_API_URL, "
        "and that this host can make outbound HTTPS requests (DNS, proxy, firewall).\n",
    )
    assert caplog.records == [], "slack_sdk's per-attempt errors stay out of the log"
    assert list(operator_shell.iterdir()) == [], "no database is created for a bot that cannot run"


def test_a_token_slack_refuses_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: LocalSlack
) -> None:
    set_env(
        monkeypatch,
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=slack.api_url,
    )

    assert main(["web"]) == 2

    assert capsys.readouterr().err == (
        f"nudge: Slack at {slack.api_url} refused SLACK_BOT_TOKEN (invalid_auth): check that it "
        "is the Bot User OAuth Token (xoxb-...) on the OAuth & Permissions page of the app "
        "installed in your workspace.\n"
    )


def test_a_url_that_is_not_slacks_api_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: LocalSlack
) -> None:
    wrong = slack.api_url.removesuffix("api/")  # the local Slack answers 404 off its /api/ path
    set_env(monkeypatch, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", SLACK_API_URL=wrong)

    assert main(["web"]) == 2

    assert capsys.readouterr().err == (
        f"nudge: {wrong} answered auth.test with HTTP 404, not a Slack API reply: check "
        "SLACK_API_URL (Slack's is https://slack.com/api/), or try again later if Slack is "
        "having trouble.\n"
    )


def test_a_broken_library_stops_start_up_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    operator_shell: Path,
    slack: LocalSlack,
) -> None:
    content = operator_shell / "content"
    shutil.copytree(TEST_LIBRARY, content)
    (content / "skills.yaml").write_text("skills: [\n")
    set_env(
        monkeypatch,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=slack.api_url,
    )

    assert main(["web"]) == 2

    assert capsys.readouterr() == (
        "",
        "nudge: the lesson library has errors (0 skills, 9 lessons, 1 translation, 1 question: "
        "1 error, 0 warnings); run `make check` to see them.\n",
    )


def _on_the_local_slack(monkeypatch: pytest.MonkeyPatch, slack: LocalSlack) -> None:
    """The clock's settings for the seed workspace of the local Slack and the test library."""
    set_env(
        monkeypatch,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_API_URL=slack.api_url,
        CONTENT_DIR=str(TEST_LIBRARY),
        TEAM_CHANNEL="C0SOCIAL01",
    )


def test_tick_sends_what_fell_due_at_the_time_given(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: LocalSlack
) -> None:
    _on_the_local_slack(monkeypatch, slack)
    # Monday 22 March 2027: the first tick learns the team; at 07:45 UTC it is 09:45 in Athens,
    # where three members get the lesson and the week's question. (Kolkata's 09:30 came at 04:00
    # UTC, but it is Holi there; Sydney's came before the first tick.)
    assert main(["tick", "--at", "2027-03-22T00:00:00Z"]) == 0
    assert main(["tick", "--at", "2027-03-22T07:45:00Z"]) == 0
    assert main(["tick", "--at", "2027-03-22T07:45:00Z"]) == 0  # again: nothing twice

    assert capsys.readouterr().out.splitlines() == [
        "tick at 2027-03-22T00:00:00+00:00: planned 0, sent nothing; 0 missed, 0 failed, "
        "10 members looked at",
        "tick at 2027-03-22T07:45:00+00:00: planned 6, sent 3 lesson, 3 question; 0 missed, "
        "0 failed, 3 members looked at",
        "tick at 2027-03-22T07:45:00+00:00: planned 0, sent nothing; 0 missed, 0 failed, "
        "0 members looked at",
    ]
    greek = {"U0ANNA0001", "U0DIMI0001", "U0ELENI001"}
    posts = slack.calls_to("chat.postMessage")
    received = sorted(recipient(slack, call.args["channel"]) for call in posts)
    assert received == sorted([*greek, *greek])


def test_tick_refuses_a_time_without_a_zone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tick", "--at", "2027-03-22T06:45"]) == 2
    assert capsys.readouterr() == (
        "",
        "nudge: --at '2027-03-22T06:45' has no zone; add Z for UTC, e.g. 2027-03-22T06:45Z\n",
    )


def test_clock_rehearses_a_stretch_of_simulated_time_then_exits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], slack: LocalSlack
) -> None:
    """`clock --from --until` runs the clock's own jobs at every minute (the tick) and 04:00 UTC
    (the roster) of the stretch, as fast as they go: Athens's 09:30 comes, and is sent once."""
    _on_the_local_slack(monkeypatch, slack)
    stretch = ["--from", "2027-03-22T03:30:00Z", "--until", "2027-03-22T07:45:00Z"]
    assert main(["clock", *stretch]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "rehearsed 2027-03-22T03:30:00+00:00 to 2027-03-22T07:45:00+00:00: 256 ticks, "
        "1 roster reads"
    ]
    greek = {"U0ANNA0001", "U0DIMI0001", "U0ELENI001"}
    posts = slack.calls_to("chat.postMessage")
    received = sorted(recipient(slack, call.args["channel"]) for call in posts)
    assert received == sorted([*greek, *greek])  # the lesson and the week's question, once


@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        (["--from", "2027-03-22T00:00Z"], "a rehearsal needs both --from and --until"),
        (["--until", "2027-03-22T00:00Z"], "a rehearsal needs both --from and --until"),
        (
            ["--from", "2027-03-22T00:00Z", "--until", "2027-03-21T00:00Z"],
            "--until 2027-03-21T00:00Z is not after --from 2027-03-22T00:00Z",
        ),
        (
            ["--from", "2027-03-22", "--until", "2027-03-23T00:00Z"],
            "--from '2027-03-22' has no zone; add Z for UTC, e.g. 2027-03-22Z",
        ),
    ],
)
def test_clock_refuses_a_rehearsal_it_cannot_run(
    args: list[str], refusal: str, capsys: pytest.CaptureFixture[str], operator_shell: Path
) -> None:
    assert main(["clock", *args]) == 2
    assert capsys.readouterr() == ("", f"nudge: {refusal}\n")
    assert list(operator_shell.iterdir()) == []  # no database was opened, nothing stored


# -- db upgrade and demo ------------------------------------------------------------------------


def test_db_upgrade_creates_the_schema_and_is_idempotent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], operator_shell: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")  # relative: in the working directory

    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0

    assert capsys.readouterr() == (f"database at schema {HEAD_REVISION}\n" * 2, "")
    assert (operator_shell / "x.db").is_file()


def test_demo_runs_the_rounds_it_is_asked_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wiring only (seed, --rounds); tests/test_demo_and_console.py checks the transcript."""
    monkeypatch.chdir(REPO)  # the demo serves ./content, as `make demo` does

    assert main(["demo", "--seed", str(SEED), "--rounds", "1"]) == 0

    lines = capsys.readouterr().out.splitlines()
    start = lines.index("======== Per-member summary (from the database) " + "=" * 32)
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("======== "))
    summary = lines[start:end]
    counts = [re.findall(r" (\d+) +(\d+) +\d+  ", row) for row in summary[2:] if row.strip()]
    assert counts and all(found == [("1", "1")] for found in counts), summary
    assert re.fullmatch(
        r"Demo finished in [\d.]+ s: \d+ Slack API calls, all to the local Slack at "
        r"http://127\.0\.0\.1:\d+/api/",
        lines[-1],
    )


# -- the repository's commands ------------------------------------------------------------------


def test_no_code_path_names_slack_com_outside_settings() -> None:
    """Every call follows SLACK_API_URL: the only place Slack's own URL may appear is its default."""
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "bot").rglob("*.py")
        if "slack.com/api" in path.read_text() and path.name != "settings.py"
    ]
    assert offenders == []


def test_make_and_ci_call_the_readme_test_command() -> None:
    assert "make test" in (REPO / ".ci" / "run").read_text()
    assert "\ntest: " in (REPO / "Makefile").read_text()


def test_the_readme_checks_content_with_make_check_dir() -> None:
    """Admins get one command that works from a fresh clone; the Makefile takes the DIR it shows."""
    assert "make check DIR=path/to/content" in (REPO / "README.md").read_text()
    makefile = (REPO / "Makefile").read_text()
    assert "\ncheck: DIR := content\n" in makefile
    assert '\tpython -m bot content check "$(DIR)"\n' in makefile.replace("$(BIN)/", "")


# -- the one subprocess -------------------------------------------------------------------------


def test_python_m_bot_web_serves_slack(tmp_path: Path, slack: LocalSlack) -> None:
    """`python -m bot web` as deployed: waitress on PORT, Bolt behind it, the local Slack as Slack.
    SLACK_BOT_TOKEN is in the environment, where Bolt also looks for it, and start-up stays quiet."""
    with web_process(
        tmp_path,
        SLACK_BOT_TOKEN=slack.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
    ) as (process, port, log):
        assert [line for line in log if not re.search(r" (INFO|DEBUG) ", line)] == []
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, slack)
        member = next(u.id for u in slack.workspace.users if not u.lead and not u.admin)
        reply = driver.command(member, "help")
        assert (reply.status, reply.body) == (200, "")
        answer = slack.wait_for(lambda: next(iter(slack.ephemerals(member)), None), timeout=15)
        assert answer.text == (
            "Nudge teaches in short lessons, each with a one-click check. Here is what you can do:"
        )
        # Start-up asked auth.test once, and Bolt authorized the request with that answer.
        assert len(slack.calls_to("auth.test")) == 1
        forged = driver.post_raw(
            b"text=help", {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": "1"}
        )
        assert forged.status == 401
        # A deploy's SIGTERM: requests in flight and queued work finish, then a clean exit.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def operator_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of a `python -m bot` process: this checkout, a database in `tmp_path`, the
    fixture library, and `settings`."""
    return {
        "PYTHONPATH": str(REPO),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nudge.db'}",
        "CONTENT_DIR": str(TEST_LIBRARY),
        **settings,
    }


@contextmanager
def web_process(
    tmp_path: Path, **settings: str
) -> Iterator[tuple[subprocess.Popen[str], int, list[str]]]:
    """`python -m bot web` in a process of its own, on a free port, until the block ends: the
    process, its port, and what it logged up to listening."""
    env = operator_env(tmp_path, PORT="0", **settings)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port, log = _listening_port(process)
        yield process, port, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening_port(process: subprocess.Popen[str]) -> tuple[int, list[str]]:
    """Read the log until the server names its port (bounded: it must say so within 30 s)."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen: list[str] = []
    while selector.select(timeout=30):
        line = process.stderr.readline()
        if not line:
            break
        found = re.search(
            r" INFO bot: Nudge is listening on port (\d+) \(POST /slack/events, GET /healthz\)$",
            line.rstrip("\n"),
        )
        if found:
            return int(found.group(1)), seen
        seen.append(line)
    raise AssertionError(
        "`python -m bot web` never said which port it listens on:\n" + "".join(seen)
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (
            "postgresql+psycopg://nudge:secretpw@127.0.0.1:1/x",
            "nudge: DATABASE_URL postgresql+psycopg://nudge:***@127.0.0.1:1/x cannot be used "
            '(connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
            "refused): check the setting and that the database is running; e.g. "
            "sqlite:///nudge.db or postgresql+psycopg://user:pass@host/db.\n",
        ),
        (
            "nonsense://",
            "nudge: DATABASE_URL nonsense:// cannot be used (Can't load plugin: "
            "sqlalchemy.dialects:nonsense): check the setting and that the database is running; "
            "e.g. sqlite:///nudge.db or postgresql+psycopg://user:pass@host/db.\n",
        ),
    ],
)
def test_a_wrong_database_url_is_one_line_without_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, said: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 2
    assert capsys.readouterr() == ("", said)


def test_web_starts_degraded_while_slack_does_not_answer(tmp_path: Path, refusing_url: str) -> None:
    """A Slack outage must not stop a deploy: `web` serves, /healthz says degraded, and SIGTERM
    still ends it cleanly."""
    with web_process(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        SLACK_API_URL=refusing_url,
        SLACK_MAX_RETRIES="0",
    ) as (process, port, log):
        assert any(
            "Serving anyway; /healthz says degraded until Slack answers." in line for line in log
        )
        with pytest.raises(urllib.error.HTTPError) as unhealthy:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert unhealthy.value.code == 503
        report = json.loads(unhealthy.value.read())
        assert report["status"] == "degraded: Slack does not answer"
        assert report["slack"] == {"state": "degraded: Slack does not answer"}
        assert report["database"] == {"state": "ok", "backend": "sqlite"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_run_refuses_work_in_worker_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], operator_shell: Path
) -> None:
    """`run` does its work itself; WORK_IN=worker is for `web` beside `worker` processes."""
    set_env(monkeypatch, WORK_IN="worker", SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")

    assert main(["run"]) == 2

    out, err = capsys.readouterr()
    assert (out, err.count("\n")) == ("", 1) and err.startswith("nudge: WORK_IN=worker is for")
    assert list(operator_shell.iterdir()) == []


def test_work_in_is_web_or_worker(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], operator_shell: Path
) -> None:
    set_env(monkeypatch, WORK_IN="elsewhere")

    assert main(["web"]) == 2

    line = "nudge: WORK_IN is 'elsewhere': it is web (the default) or worker.\n"
    assert capsys.readouterr() == ("", line)
