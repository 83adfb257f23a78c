"""The ``content`` fixture: a small valid library that each test breaks in exactly one place."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_content import ContentDir, make_content


@pytest.fixture
def content(tmp_path: Path) -> ContentDir:
    return make_content(tmp_path)
