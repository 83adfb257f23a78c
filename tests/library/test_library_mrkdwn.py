"""Markdown -> Slack mrkdwn: each construct, escaping, and properties over arbitrary text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import translator
from bot.library import markdown_to_mrkdwn
from bot.library.mrkdwn import mrkdwn_blocks, unsupported_markdown


@pytest.mark.parametrize(
    ("markdown", "mrkdwn"),
    [
        (
            "**bold** and *italic* and __strong__ and _em_",
            "*bold* and _italic_ and *strong* and _em_",
        ),
        (
            "[the guide](https://example.com/a?b=1&c=2)",
            "<https://example.com/a?b=1&amp;c=2|the guide>",
        ),
        ("<https://example.com>", "<https://example.com>"),
        ("- one\n- two", "• one\n• two"),
        ("1. one\n2. two", "1. one\n2. two"),
        ("3. three\n4. four", "3. three\n4. four"),
        ("- outer\n  - inner", "• outer\n    • inner"),
        ("> quoted\n> still", "> quoted still"),
        ("> one\n>\n> two", "> one\n> two"),
        ("use `a < b` here", "use `a &lt; b` here"),
        (
            "```python\nif a < b && c:\n    pass\n```",
            "```\nif a &lt; b &amp;&amp; c:\n    pass\n```",
        ),
        ("Tom & Jerry <3 > 2", "Tom &amp; Jerry &lt;3 &gt; 2"),
        ("line one\nline two", "line one line two"),
        ("hard  \nbreak", "hard\nbreak"),
        ("~~gone~~", "~gone~"),
        ("first\n\n\nsecond", "first\n\nsecond"),
        ("- >\n- > quoted", "• \n• > quoted"),
        ("**[bold link](https://e.com)**", "*<https://e.com|bold link>*"),
        ("", ""),
    ],
    ids=[
        "emphasis",
        "link",
        "autolink",
        "bullets",
        "ordered",
        "ordered-start",
        "nested",
        "quote",
        "quote-paragraphs",
        "inline-code",
        "fence",
        "escape",
        "softbreak",
        "hardbreak",
        "strike",
        "blank-lines",
        "quote-in-list",
        "bold-link",
        "empty",
    ],
)
def test_markdown_to_mrkdwn(markdown: str, mrkdwn: str) -> None:
    assert markdown_to_mrkdwn(markdown) == mrkdwn


def test_unsupported_constructs_still_render_readably() -> None:
    assert markdown_to_mrkdwn("# Title\n\ntext") == "*Title*\n\ntext"
    assert markdown_to_mrkdwn("| a | b |\n|---|---|\n| 1 | 2 |") == "a | b\n1 | 2"
    assert markdown_to_mrkdwn("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_blocks_carry_their_source_line() -> None:
    blocks = mrkdwn_blocks("one\n\n- a\n- b\n\n> q")
    assert [(b.line, b.text) for b in blocks] == [(0, "one"), (2, "• a\n• b"), (5, "> q")]


def test_unsupported_markdown_names_lines() -> None:
    text = "ok\n\n## head\n\ntext with\n![img](https://e.com/i.png)\n"
    english = translator("en")
    assert [(line, english.say(fault)) for line, fault in unsupported_markdown(text)] == [
        (2, "Slack cannot show headings; use a **bold** line instead"),
        (5, "Slack cannot show images in a message; link to the page instead"),
    ]


# Our own markup that may contain "<" or ">": links <url|text> / <url>, and "> " quote markers.
_OUR_LINK = re.compile(r"<[^<>\s|]+(\|[^<>]*)?>")
# A line's prefix: quote markers, list markers and indentation in any nesting order ("> • > a").
_PREFIX = re.compile(r"^(?: +|• |\d+\. |> ?)*", re.MULTILINE)


def _strip_quote_markers(rendered: str) -> str:
    return _PREFIX.sub(lambda prefix: re.sub(r"> ?", "", prefix.group(0)), rendered)


_PIECES = [*"ab <>&*_`~[]()!#|-:/.\n\\\"'1 ", "http://x.y", "https://", "é", "\n\n", "> ", "- "]
_MARKDOWNISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=200, deadline=None)
@given(_MARKDOWNISH)
def test_rendering_never_raises_and_leaves_no_raw_angle_brackets(markdown: str) -> None:
    rendered = markdown_to_mrkdwn(markdown)
    assert rendered == markdown_to_mrkdwn(markdown)  # deterministic
    stripped = _strip_quote_markers(_OUR_LINK.sub("", rendered))
    assert "<" not in stripped
    assert ">" not in stripped


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_plain_text_is_escaped_exactly(text: str) -> None:
    rendered = markdown_to_mrkdwn(text)
    assert all(entity in ("&amp;", "&lt;", "&gt;") for entity in re.findall(r"&\w*;?", rendered))
    unsupported_markdown(text)  # never raises either
