"""DESIGN.md's layers, checked on the source: dependencies point down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

# What each package must never import (directly).
SLACK = ("slack_bolt", "slack_sdk", "bot.slack", "bot.localslack")
USE_CASES = ("bot.services", "bot.delivery")
FORBIDDEN = {
    "learning": (*SLACK, *USE_CASES, "sqlalchemy", "bot.store", "bot.library"),
    "library": (*SLACK, *USE_CASES, "sqlalchemy", "bot.store"),
    "store": (*SLACK, *USE_CASES),
    "services": SLACK,
    "delivery": SLACK,
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
