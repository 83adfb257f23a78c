"""A method's arguments as Slack reads them, and the errors Slack answers when they are wrong.

Arguments arrive as strings from form bodies and as JSON values from JSON bodies; these helpers
accept both, so every handler refuses the same things in the same words.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeVar, cast

from bot.localslack import blockkit
from bot.localslack.errors import SlackError

T = TypeVar("T")

Args = dict[str, Any]


def truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes")


def require(args: Args, *names: str) -> None:
    missing = [n for n in names if args.get(n) in (None, "")]
    if missing:
        messages = [f"[ERROR] missing required field: {n}" for n in missing]
        raise SlackError("invalid_arguments", response_metadata={"messages": messages})


def page(items: list[T], args: Args, kind: str, default: int) -> tuple[list[T], str]:
    """One page of ``items`` after ``cursor``, and the cursor of the next page ("" at the end)."""
    start = _cursor_decode(kind, args.get("cursor"))
    size = _limit(args, default)
    if start > len(items):
        raise SlackError("invalid_cursor")
    end = start + size
    next_cursor = _cursor_encode(kind, end) if end < len(items) else ""
    return items[start:end], next_cursor


def _cursor_encode(kind: str, index: int) -> str:
    return base64.b64encode(f"{kind}:{index}".encode()).decode()


def _cursor_decode(kind: str, cursor: Any) -> int:
    if cursor in (None, ""):
        return 0
    try:
        prefix, _, index = base64.b64decode(str(cursor), validate=True).decode().partition(":")
        if prefix != kind:
            raise ValueError(prefix)
        return int(index)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise SlackError("invalid_cursor") from exc


def _limit(args: Args, default: int) -> int:
    raw = args.get("limit")
    if raw in (None, "", 0, "0"):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as exc:
        raise SlackError("invalid_limit") from exc
    if value < 1 or value > 1000:
        raise SlackError("invalid_limit")
    return value


def blocks_arg(args: Args) -> list[dict[str, Any]] | None:
    """Parse and check ``blocks``; None when absent. Raises invalid_blocks like Slack."""
    if args.get("blocks") in (None, ""):
        return None
    blocks = blockkit.parse_blocks(args["blocks"])
    if isinstance(blocks, str):
        raise SlackError("invalid_blocks_format")
    errors = blockkit.check_message_blocks(blocks)
    if errors:
        raise SlackError(
            "invalid_blocks",
            errors=errors,
            response_metadata={"messages": [f"[ERROR] {e}" for e in errors]},
        )
    if blockkit.total_text_length(blocks) > blockkit.MESSAGE_MAX_BLOCK_TEXT:
        raise SlackError("msg_blocks_too_long")
    # the checker refuses anything but a list of block objects
    return cast(list[dict[str, Any]], blocks)


def view_arg(args: Args) -> dict[str, Any]:
    """Parse and check ``view``; Slack reports a bad view as invalid_arguments with pointers."""
    require(args, "view")
    view = args["view"]
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except json.JSONDecodeError as exc:
            raise SlackError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] failed to parse json [json-pointer:/view]"]
                },
            ) from exc
    if blockkit.view_size(view) > blockkit.VIEW_MAX_BYTES:
        raise SlackError("view_too_large")
    errors = blockkit.check_view(view)
    if errors:
        raise SlackError(
            "invalid_arguments", response_metadata={"messages": [f"[ERROR] {e}" for e in errors]}
        )
    # the checker refuses anything but an object
    return cast(dict[str, Any], view)
