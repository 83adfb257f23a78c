"""`python -m bot ...` as an operator runs it: one clear line for a configuration problem, no traceback."""

from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.localslack import SlackDriver
from tests.conftest import REPO, SIGNING_SECRET, TEST_LIBRARY


def run_bot(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    clean["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "missing", "where"),
    [
        ({}, "SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET", "Basic Information"),
    ],
)
def test_a_missing_secret_stops_start_up_with_one_line(
    tmp_path: Path, env: dict[str, str], missing: str, where: str
) -> None:
    result = run_bot("web", cwd=tmp_path, env=env)

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"nudge: {missing} is not set") and where in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "nudge.db").exists(), "nothing is created before the settings are right"


def test_dotenv_is_read_from_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\n")
    result = run_bot("web", cwd=tmp_path)
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    result = run_bot("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode == 0, result.stderr
    assert "database at schema 0001" in result.stdout
    assert (tmp_path / "x.db").exists()


def test_a_broken_library_stops_start_up_with_one_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(TEST_LIBRARY, content)
    (content / "skills.yaml").write_text("skills: [\n")
    result = run_bot(
        "web",
        cwd=tmp_path,
        env={
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
        },
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("nudge: the lesson library has errors")
    assert "Traceback" not in result.stderr


def test_content_check_exit_codes(tmp_path: Path) -> None:
    good = run_bot("content", "check", str(TEST_LIBRARY), cwd=tmp_path)
    assert good.returncode == 0, good.stdout
    assert "0 errors" in good.stdout.splitlines()[-1]

    broken = tmp_path / "broken"
    shutil.copytree(TEST_LIBRARY, broken)
    lesson = broken / "lessons" / "alpha" / "alpha-2.md"
    lesson.write_text(lesson.read_text().replace("skill: alpha", "skill: omega"))
    bad = run_bot("content", "check", str(broken), cwd=tmp_path)
    assert bad.returncode == 1
    assert f"{broken}/lessons/alpha/alpha-2.md:3:" in bad.stdout


def test_a_command_not_built_yet_says_so(tmp_path: Path) -> None:
    result = run_bot("tick", "--at", "2026-11-26T09:00:00Z", cwd=tmp_path)
    assert result.returncode == 2 and "not built yet" in result.stderr


def test_the_shipped_library_passes_the_checker(tmp_path: Path) -> None:
    result = run_bot("content", "check", str(REPO / "content"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert ": 0 errors" in result.stdout


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


def test_web_serves_signed_slack_requests(tmp_path: Path, slack) -> None:
    """`python -m bot web` as deployed: waitress on PORT, Bolt behind it, the local Slack as Slack."""
    env = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "CONTENT_DIR": str(TEST_LIBRARY),
        "PORT": "0",
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(REPO), **env},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = _listening_port(process)
        driver = SlackDriver(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, slack)
        member = next(u.id for u in slack.workspace.users if not u.lead and not u.admin)
        reply = driver.command(member, "help")
        assert reply.status == 200 and "Here is what I can do" in reply.json()["text"]
        assert driver.command(member, "help").status == 200
        forged = driver.post_raw(
            b"text=help", {"X-Slack-Signature": "v0=00", "X-Slack-Request-Timestamp": "1"}
        )
        assert forged.status == 401
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening_port(process: subprocess.Popen[str]) -> int:
    """Read the server's log until it names its port (bounded: the process must say it in 30 s)."""
    assert process.stderr is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen = []
    for _ in range(200):
        if not selector.select(timeout=30):
            break
        line = process.stderr.readline()
        seen.append(line)
        found = re.search(r"listening on port (\d+)", line)
        if found:
            return int(found.group(1))
        if not line:
            break
    raise AssertionError(
        "`python -m bot web` never said which port it listens on:\n" + "".join(seen)
    )
