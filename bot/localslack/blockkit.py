"""Block Kit checks: refuse what Slack refuses, with Slack's messages and JSON pointers.

slack_sdk's model classes check some limits when built, but the bot may send plain dicts and the
SDK never counts blocks nor checks ``plain_text_input.max_length``; these checks make a test fail
where Slack would. Each check returns a list of messages such as
``must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_MAX_BLOCK_TEXT = 13_000
VIEW_MAX_BYTES = 250_000

BLOCK_TYPES = frozenset(
    {
        "section",
        "header",
        "divider",
        "context",
        "actions",
        "image",
        "input",
        "rich_text",
        "file",
        "video",
        "markdown",
    }
)
SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
ELEMENT_TYPES = SELECTS | {
    "button",
    "overflow",
    "datepicker",
    "timepicker",
    "datetimepicker",
    "checkboxes",
    "radio_buttons",
    "plain_text_input",
    "email_text_input",
    "url_text_input",
    "number_input",
    "image",
    "rich_text_input",
    "file_input",
}


class _Checker:
    """Collects error messages while walking a block tree; one instance per check."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, pointer: str, message: str) -> None:
        self.errors.append(f"{message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: int, pointer: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.fail(pointer, f"must be less than {limit + 1} characters")

    def text(self, obj: Any, pointer: str, limit: int, *, plain_only: bool = False) -> None:
        if not isinstance(obj, dict):
            self.fail(pointer, "must be an object")
            return
        kind = obj.get("type")
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if kind not in allowed:
            self.fail(f"{pointer}/type", f"must be one of {', '.join(allowed)}")
        text = obj.get("text")
        if not isinstance(text, str):
            self.fail(f"{pointer}/text", "must be a string")
            return
        if not text:
            self.fail(f"{pointer}/text", "must be more than 0 characters")
        self.max_len(text, limit, f"{pointer}/text")

    def ident(self, obj: dict[str, Any], key: str, pointer: str) -> None:
        if key in obj:
            self.max_len(obj[key], 255, f"{pointer}/{key}")

    def options(self, options: Any, pointer: str, limit: int) -> None:
        if not isinstance(options, list):
            self.fail(pointer, "must be an array")
            return
        if len(options) > limit:
            self.fail(pointer, f"must provide no more than {limit} items")
        for i, option in enumerate(options):
            p = f"{pointer}/{i}"
            if not isinstance(option, dict):
                self.fail(p, "must be an object")
                continue
            self.text(option.get("text"), f"{p}/text", 75)
            self.max_len(option.get("value"), 150, f"{p}/value")
            if "description" in option:
                self.text(option["description"], f"{p}/description", 75)

    def element(self, element: Any, pointer: str) -> None:
        if not isinstance(element, dict):
            self.fail(pointer, "must be an object")
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.fail(f"{pointer}/type", f"unsupported element type {kind!r}")
            return
        self.ident(element, "action_id", pointer)
        if "placeholder" in element:
            self.text(element["placeholder"], f"{pointer}/placeholder", 150, plain_only=True)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", 75, plain_only=True)
            self.max_len(element.get("value"), 2000, f"{pointer}/value")
            self.max_len(element.get("url"), 3000, f"{pointer}/url")
            style = element.get("style")
            if style is not None and style not in ("primary", "danger"):
                self.fail(f"{pointer}/style", "must be one of primary, danger")
        elif kind in ("static_select", "multi_static_select"):
            if "options" in element:
                self.options(element["options"], f"{pointer}/options", 100)
            elif "option_groups" in element:
                groups = element["option_groups"]
                if isinstance(groups, list) and len(groups) > 100:
                    self.fail(f"{pointer}/option_groups", "must provide no more than 100 items")
                for g, group in enumerate(groups if isinstance(groups, list) else []):
                    gp = f"{pointer}/option_groups/{g}"
                    self.text(group.get("label"), f"{gp}/label", 75, plain_only=True)
                    self.options(group.get("options"), f"{gp}/options", 100)
            else:
                self.fail(f"{pointer}/options", "must provide options or option_groups")
        elif kind in ("radio_buttons", "checkboxes"):
            self.options(element.get("options"), f"{pointer}/options", 10)
        elif kind == "overflow":
            opts = element.get("options")
            self.options(opts, f"{pointer}/options", 5)
            if isinstance(opts, list) and len(opts) < 2:
                self.fail(f"{pointer}/options", "must provide at least 2 items")
        elif kind == "plain_text_input":
            for key, low in (("max_length", 1), ("min_length", 0)):
                value = element.get(key)
                if value is None:
                    continue
                if not isinstance(value, int) or value > 3000:
                    self.fail(f"{pointer}/{key}", "must be less than 3001")
                elif value < low:
                    self.fail(f"{pointer}/{key}", f"must be at least {low}")
            self.max_len(element.get("initial_value"), 3000, f"{pointer}/initial_value")
        elif kind == "image":
            self.max_len(element.get("image_url"), 3000, f"{pointer}/image_url")
            self.max_len(element.get("alt_text"), 2000, f"{pointer}/alt_text")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be an object")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.fail(f"{pointer}/type", f"unsupported block type {kind!r}")
            return
        self.ident(block, "block_id", pointer)
        if kind == "section":
            if "text" not in block and "fields" not in block:
                self.fail(pointer, "must provide text or fields")
            if "text" in block:
                self.text(block["text"], f"{pointer}/text", 3000)
            fields = block.get("fields")
            if fields is not None:
                if not isinstance(fields, list) or len(fields) > 10:
                    self.fail(f"{pointer}/fields", "must provide no more than 10 items")
                for i, field in enumerate(fields if isinstance(fields, list) else []):
                    self.text(field, f"{pointer}/fields/{i}", 2000)
            if "accessory" in block:
                self.element(block["accessory"], f"{pointer}/accessory")
        elif kind == "header":
            self.text(block.get("text"), f"{pointer}/text", 150, plain_only=True)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 1 <= len(elements) <= 10:
                self.fail(f"{pointer}/elements", "must provide between 1 and 10 items")
                return
            for i, element in enumerate(elements):
                p = f"{pointer}/elements/{i}"
                if isinstance(element, dict) and element.get("type") == "image":
                    self.element(element, p)
                else:
                    self.text(element, p, 3000)
        elif kind == "actions":
            elements = block.get("elements")
            if not isinstance(elements, list) or not elements:
                self.fail(f"{pointer}/elements", "must provide at least 1 item")
                return
            if len(elements) > 25:
                self.fail(f"{pointer}/elements", "must provide no more than 25 items")
            seen: set[str] = set()
            for i, element in enumerate(elements):
                self.element(element, f"{pointer}/elements/{i}")
                action_id = element.get("action_id") if isinstance(element, dict) else None
                if action_id is not None:
                    if action_id in seen:
                        self.fail(f"{pointer}/elements/{i}/action_id", "duplicate action_id")
                    seen.add(action_id)
        elif kind == "input":
            self.text(block.get("label"), f"{pointer}/label", 2000, plain_only=True)
            if "hint" in block:
                self.text(block["hint"], f"{pointer}/hint", 2000, plain_only=True)
            if "element" not in block:
                self.fail(f"{pointer}/element", "is required")
            else:
                self.element(block["element"], f"{pointer}/element")
        elif kind == "image":
            self.max_len(block.get("image_url"), 3000, f"{pointer}/image_url")
            self.max_len(block.get("alt_text"), 2000, f"{pointer}/alt_text")
            if "title" in block:
                self.text(block["title"], f"{pointer}/title", 2000, plain_only=True)

    def blocks(self, blocks: Any, pointer: str, limit: int) -> None:
        if not isinstance(blocks, list):
            self.fail(pointer, "must be an array")
            return
        if len(blocks) > limit:
            self.fail(pointer, f"must provide no more than {limit} items")
        seen: set[str] = set()
        for i, block in enumerate(blocks):
            self.block(block, f"{pointer}/{i}")
            block_id = block.get("block_id") if isinstance(block, dict) else None
            if block_id is not None:
                if block_id in seen:
                    self.fail(f"{pointer}/{i}/block_id", "duplicate block_id")
                seen.add(block_id)


def parse_blocks(raw: Any) -> Any:
    """Blocks arrive as a JSON string in form bodies and as a list in JSON bodies."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw


def check_message_blocks(blocks: Any) -> list[str]:
    """Errors of a message's ``blocks`` (empty when Slack would accept them)."""
    checker = _Checker()
    checker.blocks(blocks, "/blocks", MESSAGE_MAX_BLOCKS)
    return checker.errors


def total_text_length(node: Any) -> int:
    """Characters of every ``text`` string inside a block tree (what msg_blocks_too_long counts)."""
    if isinstance(node, dict):
        return sum(
            len(value) if key == "text" and isinstance(value, str) else total_text_length(value)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return sum(total_text_length(item) for item in node)
    return 0


def check_view(view: Any) -> list[str]:
    """Errors of a modal or Home tab view, pointers rooted at ``/view``."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("/view", "must be an object")
        return checker.errors
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.fail("/view/type", "must be one of modal, home")
    if kind == "modal":
        if "title" not in view:
            checker.fail("/view/title", "is required")
        else:
            checker.text(view["title"], "/view/title", 24, plain_only=True)
    for key in ("submit", "close"):
        if key in view:
            checker.text(view[key], f"/view/{key}", 24, plain_only=True)
    checker.max_len(view.get("callback_id"), 255, "/view/callback_id")
    checker.max_len(view.get("external_id"), 255, "/view/external_id")
    checker.max_len(view.get("private_metadata"), 3000, "/view/private_metadata")
    blocks = view.get("blocks")
    checker.blocks(blocks, "/view/blocks", VIEW_MAX_BLOCKS)
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if kind == "modal" and has_input and "submit" not in view:
        checker.fail("/view/submit", "is required when the view has input blocks")
    return checker.errors


def view_size(view: Any) -> int:
    return len(json.dumps(view, ensure_ascii=False).encode("utf-8"))


def iter_elements(blocks: Any) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element, in the order a person sees them."""
    for block in blocks if isinstance(blocks, list) else []:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                yield block, element
        elif block.get("type") == "section" and isinstance(block.get("accessory"), dict):
            yield block, block["accessory"]
        elif block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block, block["element"]


def buttons(blocks: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Buttons in reading order: the renderer numbers them [1], [2]..., the driver picks by it."""
    return [(b, e) for b, e in iter_elements(blocks) if e.get("type") == "button"]
