"""A message Nudge sends: the blocks people see and the text notifications and screen readers use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SlackMessage:
    text: str
    blocks: list[dict[str, Any]]
