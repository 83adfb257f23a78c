"""The one exception Web API handlers raise: Slack's ``{"ok": false, "error": ...}``."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """An error Slack answers with HTTP 200 and ``ok: false``; ``extra`` adds keys to the body."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"ok": False, "error": self.code, **self.extra}
