"""`python -m bot ...` as an operator runs it: one clear line for a configuration problem, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, TEST_LIBRARY


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
