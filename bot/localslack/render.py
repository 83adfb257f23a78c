"""Block Kit as readable plain text: what a person saw, for the demo, the console and test logs.

Buttons are numbered ``[1] Text`` in the order :func:`bot.localslack.blockkit.buttons` returns
them, so the console's "press 2" and the driver's ``click(index=2)`` name the same button.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping
from typing import Any

from bot.localslack.records import Ephemeral, Message, View

WIDTH = 72
DIM, RESET = "\x1b[2m", "\x1b[0m"

_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_BARE = re.compile(r"<([^<>|]+)>")


def mrkdwn_to_text(text: str, users: Mapping[str, str] | None = None) -> str:
    """Slack's ``<url|label>`` as ``label (url)``, ``<@U1>`` as ``@name``; the rest unchanged."""

    def bare(match: re.Match[str]) -> str:
        target = match.group(1)
        if target.startswith("@"):
            return "@" + (users or {}).get(target[1:], target[1:])
        if target.startswith("#"):
            return target
        if target.startswith("!"):
            return "@" + target[1:]
        return target

    def labelled(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "#", "!")):
            return ("@" if target.startswith(("@", "!")) else "#") + label
        return f"{label} ({target})"

    text = _LINK.sub(labelled, text)
    text = _BARE.sub(bare, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


class _Renderer:
    def __init__(self, users: Mapping[str, str] | None, color: bool) -> None:
        self.users = users
        self.color = color
        self.button_number = 0
        self.lines: list[str] = []

    def text(self, obj: Any) -> str:
        if isinstance(obj, dict):
            raw = str(obj.get("text", ""))
            return mrkdwn_to_text(raw, self.users) if obj.get("type") == "mrkdwn" else raw
        return "" if obj is None else str(obj)

    def para(self, text: str, indent: str = "") -> None:
        for line in text.splitlines() or [""]:
            wrapped = textwrap.wrap(
                line, WIDTH - len(indent), replace_whitespace=False, drop_whitespace=True
            ) or [""]
            self.lines.extend(indent + w for w in wrapped)

    def element(self, element: dict[str, Any]) -> str:
        kind = element.get("type")
        if kind == "button":
            self.button_number += 1
            return f"[{self.button_number}] {self.text(element.get('text'))}"
        if kind in (
            "static_select",
            "multi_static_select",
            "radio_buttons",
            "checkboxes",
            "overflow",
        ):
            options = list(element.get("options") or [])
            for group in element.get("option_groups") or []:
                options.extend(group.get("options") or [])
            labels = " | ".join(self.text(o.get("text")) for o in options)
            placeholder = self.text(element.get("placeholder")) or "choose"
            return f"<{placeholder}: {labels}>"
        if kind in ("plain_text_input", "email_text_input", "url_text_input", "number_input"):
            initial = element.get("initial_value") or ""
            placeholder = self.text(element.get("placeholder"))
            shown = initial or (f"({placeholder})" if placeholder else "")
            lines = "multiline " if element.get("multiline") else ""
            return f"[{lines}text: {shown}____]"
        if kind == "image":
            return f"[image: {element.get('alt_text', '')}]"
        if kind in ("datepicker", "timepicker"):
            return f"[{kind}: {element.get('initial_date') or element.get('initial_time') or ''}]"
        return f"[{kind}]"

    def block(self, block: dict[str, Any]) -> None:
        kind = block.get("type")
        if kind == "header":
            title = self.text(block.get("text")).upper()
            self.lines.extend([title, "=" * min(len(title), WIDTH)])
        elif kind == "section":
            if "text" in block:
                self.para(self.text(block["text"]))
            for field in block.get("fields") or []:
                self.para(self.text(field), "  • ")
            if isinstance(block.get("accessory"), dict):
                self.lines.append("  " + self.element(block["accessory"]))
        elif kind == "divider":
            self.lines.append("-" * WIDTH)
        elif kind == "context":
            parts = [
                self.element(e) if e.get("type") == "image" else self.text(e)
                for e in block.get("elements") or []
            ]
            line = "(" + " · ".join(p for p in parts if p) + ")"
            self.lines.append(f"{DIM}{line}{RESET}" if self.color else line)
        elif kind == "actions":
            self.lines.append("  ".join(self.element(e) for e in block.get("elements") or []))
        elif kind == "input":
            label = self.text(block.get("label"))
            optional = " (optional)" if block.get("optional") else ""
            self.lines.append(f"{label}{optional}:")
            self.lines.append("  " + self.element(block.get("element") or {}))
            if "hint" in block:
                self.para(self.text(block["hint"]), "  ")
        elif kind == "image":
            self.lines.append(f"[image: {block.get('alt_text', '')}]")
        elif kind == "rich_text":
            self.para(_rich_text(block))
        else:
            self.lines.append(f"[{kind}]")


def _rich_text(node: Any) -> str:
    if isinstance(node, dict):
        if node.get("type") in ("text", "link"):
            return str(node.get("text") or node.get("url") or "")
        return "".join(_rich_text(e) for e in node.get("elements") or [])
    if isinstance(node, list):
        return "".join(_rich_text(e) for e in node)
    return ""


def render_blocks(
    blocks: list[dict[str, Any]], *, users: Mapping[str, str] | None = None, color: bool = False
) -> str:
    """Blocks as text; buttons numbered from 1 across the whole list."""
    renderer = _Renderer(users, color)
    for block in blocks:
        renderer.block(block)
    return "\n".join(renderer.lines)


def render_message(
    message: Message | Ephemeral | Mapping[str, Any],
    *,
    users: Mapping[str, str] | None = None,
    color: bool = False,
) -> str:
    """A message or ephemeral: its blocks when it has any (Slack shows those), else its text."""
    if isinstance(message, Mapping):
        blocks, text = list(message.get("blocks") or []), str(message.get("text") or "")
    else:
        blocks, text = message.blocks, message.text
    body = (
        render_blocks(blocks, users=users, color=color) if blocks else mrkdwn_to_text(text, users)
    )
    if isinstance(message, Ephemeral):
        note = "(only visible to you)"
        body = f"{DIM}{note}{RESET}\n{body}" if color else f"{note}\n{body}"
    return body


def render_view(
    view: View | Mapping[str, Any], *, users: Mapping[str, str] | None = None, color: bool = False
) -> str:
    """A modal or Home tab: a framed title, its blocks, then its submit/close buttons."""
    data = view.definition if isinstance(view, View) else view
    lines: list[str] = []
    if data.get("type") == "home":
        lines.append("[ Home ]")
    else:
        title = str((data.get("title") or {}).get("text", ""))
        lines.extend(
            ["+" + "-" * (len(title) + 2) + "+", f"| {title} |", "+" + "-" * (len(title) + 2) + "+"]
        )
    body = render_blocks(list(data.get("blocks") or []), users=users, color=color)
    if body:
        lines.append(body)
    footer = [f"<{(data.get(k) or {}).get('text')}>" for k in ("close", "submit") if data.get(k)]
    if footer:
        lines.append("  ".join(footer))
    return "\n".join(lines)
