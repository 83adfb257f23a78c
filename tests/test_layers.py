"""DESIGN.md's layers, checked on the source: dependencies point down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# What each package must never import (directly), top of the stack first.
FORBIDDEN = {
    "learning": (
        "slack_bolt",
        "slack_sdk",
        "sqlalchemy",
        "bot.slack",
        "bot.store",
        "bot.services",
        "bot.delivery",
        "bot.library",
        "bot.localslack",
    ),
    "library": (
        "slack_bolt",
        "slack_sdk",
        "sqlalchemy",
        "bot.slack",
        "bot.store",
        "bot.services",
        "bot.delivery",
        "bot.localslack",
    ),
    "store": (
        "slack_bolt",
        "slack_sdk",
        "bot.slack",
        "bot.services",
        "bot.delivery",
        "bot.localslack",
    ),
    "services": ("slack_bolt", "slack_sdk", "bot.slack", "bot.localslack"),
    "delivery": ("slack_bolt", "bot.slack", "bot.localslack"),
    "slack": ("bot.localslack",),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(package: str) -> None:
    breaches = [
        f"{path.relative_to(REPO)} imports {name}"
        for path in sorted((REPO / "bot" / package).rglob("*.py"))
        for name in sorted(_imports(path))
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[package])
    ]
    assert breaches == []
