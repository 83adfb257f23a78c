"""Markdown (what admins write) -> Slack mrkdwn (what Slack shows), via markdown-it-py's tokens.

Walking the parsed token tree instead of rewriting text with regular expressions means a
``*`` inside inline code or a ``<`` in prose can never be mistaken for formatting: every piece
of user text is escaped exactly once, where it is emitted. The renderer is deterministic (same
input, same output), so a lesson looks the same on every delivery and in every test.

Constructs Slack cannot show (tables, images, headings, raw HTML, rules, relative links) still
render to something readable, but :func:`unsupported_markdown` reports them so the checker can
refuse them with the line they sit on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from bot.i18n import Message

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

_SLACK_LINK_SCHEMES = ("http://", "https://", "mailto:")
_NESTED_INDENT = "    "


@dataclass(frozen=True, slots=True)
class RenderedBlock:
    """One top-level block of a body: its 0-based first line in the Markdown and its mrkdwn."""

    line: int
    text: str


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters Slack reserves for its own markup (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_url(url: str) -> str:
    """Keep a URL inside ``<url|text>``: Slack would end the link at ``|`` or ``>``."""
    return url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def markdown_to_mrkdwn(markdown: str) -> str:
    """Render a lesson body to Slack mrkdwn; top-level blocks are separated by a blank line."""
    return "\n\n".join(block.text for block in mrkdwn_blocks(markdown))


@cache
def _parser() -> MarkdownIt:
    # Imported at the first parse: a start that serves a cached library (bot.library.cache) and
    # has rendered no lesson yet needs no markdown-it, so `web` answers /healthz sooner.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@lru_cache(maxsize=64)
def _tokens(markdown: str) -> tuple[Token, ...]:
    """One parse per body serves both the checker's fault scan and the renderer (read-only)."""
    return tuple(_parser().parse(markdown))


@lru_cache(maxsize=8192)
def _cached_blocks(markdown: str) -> tuple[RenderedBlock, ...]:
    from markdown_it.tree import SyntaxTreeNode

    tree = SyntaxTreeNode(list(_tokens(markdown)))
    blocks = []
    for node in tree.children:
        text = _render_block(node)
        if text.strip():
            blocks.append(RenderedBlock(line=node.map[0] if node.map else 0, text=text))
    return tuple(blocks)


def mrkdwn_blocks(markdown: str) -> list[RenderedBlock]:
    """Render each top-level block on its own, so callers can put each in one Slack section.

    Slack caps a section's text at 3,000 characters; a body is measured block by block.
    """
    return list(_cached_blocks(markdown))


def pack_sections(blocks: Sequence[str], limit: int, separator: str = "\n\n") -> list[str]:
    """Consecutive blocks joined by ``separator`` (a blank line) into as few texts of at most
    ``limit`` characters as this greedy packing makes; a longer block stays alone.

    The lesson DM packs its body with this (bot/slack/blocks/lesson.py), so the checker counts
    the sections a body will take exactly.
    """
    packed: list[str] = []
    for block in blocks:
        if packed and len(packed[-1]) + len(separator) + len(block) <= limit:
            packed[-1] += separator + block
        else:
            packed.append(block)
    return [text for text in packed if text.strip()]


def clear_render_cache() -> None:
    """Forget rendered bodies (benchmarks measure a cold reload; tests need nothing of this)."""
    _tokens.cache_clear()
    _cached_blocks.cache_clear()


def _render_children(node: SyntaxTreeNode, separator: str) -> str:
    parts = (_render_block(child) for child in node.children)
    return separator.join(part for part in parts if part)


def _render_block(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind in ("paragraph", "heading"):
        text = "".join(_render_inline(child) for child in node.children)
        # A heading has no Slack form; the checker rejects it, but it still reads as bold.
        return f"*{text}*" if kind == "heading" and text else text
    if kind == "inline":
        return "".join(_render_inline(child) for child in node.children)
    if kind in ("bullet_list", "ordered_list"):
        return _render_list(node)
    if kind == "blockquote":
        inner = _render_children(node, "\n")
        if not inner.strip():
            return ""
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind in ("fence", "code_block"):
        return "```\n" + escape_mrkdwn(node.content.rstrip("\n")) + "\n```"
    if kind == "table":
        return _render_table(node)
    if kind == "hr":
        return "―――"
    if kind == "html_block":
        return escape_mrkdwn(node.content.rstrip("\n"))
    return _render_children(node, "\n")


def _render_list(node: SyntaxTreeNode) -> str:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 0
    lines: list[str] = []
    for item in node.children:
        marker = f"{number}. " if ordered else "• "
        number += 1
        body = _render_children(item, "\n").split("\n")
        lines.append(marker + body[0])
        lines.extend(_NESTED_INDENT + line if line else line for line in body[1:])
    return "\n".join(lines)


def _render_table(node: SyntaxTreeNode) -> str:
    rows: list[str] = []
    for section in node.children:
        for row in section.children:
            cells = [_render_children(cell, " ") for cell in row.children]
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _render_inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "text":
        return escape_mrkdwn(node.content)
    if kind == "softbreak":
        return " "
    if kind == "hardbreak":
        return "\n"
    if kind == "code_inline":
        return "`" + escape_mrkdwn(node.content) + "`"
    inner = "".join(_render_inline(child) for child in node.children)
    if kind == "strong":
        return f"*{inner}*" if inner else ""
    if kind == "em":
        return f"_{inner}_" if inner else ""
    if kind == "s":
        return f"~{inner}~" if inner else ""
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        if node.markup == "autolink" or not inner:
            return f"<{_escape_url(href)}>"
        return f"<{_escape_url(href)}|{inner}>"
    if kind == "image":
        src = str(node.attrs.get("src", ""))
        alt = escape_mrkdwn(node.content)
        return f"<{_escape_url(src)}|{alt}>" if alt else f"<{_escape_url(src)}>"
    if kind == "html_inline":
        return escape_mrkdwn(node.content)
    return inner


_RAW_HTML = Message("check.problem.markdown_html")
_BLOCK_FAULTS = {
    "heading_open": Message("check.problem.markdown_heading"),
    "table_open": Message("check.problem.markdown_table"),
    "hr": Message("check.problem.markdown_rule"),
    "html_block": _RAW_HTML,
}


def unsupported_markdown(markdown: str) -> list[tuple[int, Message]]:
    """Every construct Slack cannot show, as ``(0-based line, message)`` in document order."""
    faults: list[tuple[int, Message]] = []
    for token in _tokens(markdown):
        message = _BLOCK_FAULTS.get(token.type)
        if message and token.map:
            faults.append((token.map[0], message))
        if token.type == "inline" and token.children and token.map:
            faults.extend(_inline_faults(token.children, token.map[0]))
    return list(dict.fromkeys(faults))  # "<b>x</b>" is one fault, not one per tag


def _inline_faults(children: list[Token], first_line: int) -> list[tuple[int, Message]]:
    faults: list[tuple[int, Message]] = []
    line = first_line
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "image":
            faults.append((line, Message("check.problem.markdown_image")))
        elif child.type == "html_inline":
            faults.append((line, _RAW_HTML))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if not href.startswith(_SLACK_LINK_SCHEMES):
                faults.append((line, Message("check.problem.markdown_link", href=href)))
    return faults
