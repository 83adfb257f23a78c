"""The layers (README, Architecture), checked on the source: dependencies point down only."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

# What each part must never import (directly).
SLACK = ("slack_bolt", "slack_sdk", "bot.slack", "bot.localslack")
USE_CASES = ("bot.services", "bot.delivery")
STORAGE = ("bot.store", "sqlalchemy")
FORBIDDEN = {
    "learning": (*SLACK, *USE_CASES, *STORAGE, "bot.library", "bot.i18n"),
    "library": (*SLACK, *USE_CASES, *STORAGE),
    "i18n": (*SLACK, *USE_CASES, *STORAGE, "bot.library"),
    "store": (*SLACK, *USE_CASES),
    "services": SLACK,
    "delivery": SLACK,
    "slack": ("bot.localslack",),
    "slack/listeners": STORAGE,
    "slack/blocks": (*STORAGE, *USE_CASES),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("part", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(part: str) -> None:
    files = sorted((REPO / "bot" / part).rglob("*.py"))
    assert files, f"bot/{part} has no Python files: is the table out of date?"
    breaches = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in files
        for name in sorted(_imports(path))
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[part])
    ]
    assert breaches == []


def test_no_file_in_bot_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in (REPO / "bot").rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > 400
    }
    assert long == {}


LISTENER_BODY_MAX = 15


def test_no_listener_body_is_longer_than_fifteen_lines() -> None:
    """A listener parses, calls one use case and renders: a longer body is doing too much."""
    long = []
    for path in (REPO / "bot" / "slack" / "listeners").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef) and node.end_lineno is not None:
                docstring = ast.get_docstring(node) is not None
                start = node.body[1 if docstring else 0].lineno
                if node.end_lineno - start + 1 > LISTENER_BODY_MAX:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert long == []


def test_the_manifest_promises_only_built_subcommands() -> None:
    """The usage hint Slack shows under `/learn` names only what works today."""
    from bot.slack.listeners.commands.subcommands import SUBCOMMANDS

    manifest = yaml.safe_load((REPO / "manifest.yml").read_text())
    (command,) = manifest["features"]["slash_commands"]
    hinted = [part.strip() for part in command["usage_hint"].split("|")]
    built = [" ".join(sub.words) for sub in SUBCOMMANDS]
    assert hinted == built
    assert built == [
        "help", "now", "why", "me", "pause", "resume", "join", "leave", "settings", "export",
        "forget", "admin check", "admin reload", "admin stats", "admin setup", "team", "team csv",
    ]  # fmt: skip


def test_web_start_up_imports_neither_alembic_nor_apscheduler_nor_matplotlib() -> None:
    """Migrations and the scheduler are other commands' business, and matplotlib only draws a
    lead's heatmap: `web` starts without them."""
    code = (
        "import sys, bot.serve, bot.runtime, bot.slack.app; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('alembic', 'apscheduler', 'matplotlib')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"
