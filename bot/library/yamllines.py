"""YAML that remembers where each key was written, so an error can name its line.

``yaml.safe_load`` forgets positions. Composing the node tree first keeps every key's
``start_mark``; the same tree is then constructed into plain Python data, so the file is
parsed once. A pydantic error ``loc`` such as ``("check", "options", 2)`` is walked down the
tree to the line of that key or item.

The tree is checked before anything is built from it: an alias (``*name``) is refused, because
aliases nest ("billion laughs": 620 bytes that stand for 9^9 values), and so are more than
``limits.YAML_NODES_MAX`` values or ``limits.MAPPING_KEYS_MAX`` keys in one mapping. The
composed tree itself stays as small as the text: an alias is one more reference to a node.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.i18n import Message
from bot.library import limits
from bot.library.yamlerrors import GENERIC, control_character, diagnose, duplicate_key

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Builds single date nodes to test them; construct_yaml_timestamp reads none of its state.
_DATES = yaml.constructor.SafeConstructor()


class YamlFault(Exception):
    """A fault in the YAML (unreadable text, a duplicate key) with its file line."""

    def __init__(self, line: int, message: Message) -> None:
        super().__init__(message.id)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class LinedYaml:
    """Parsed data plus its node tree; ``first_line`` is the file line of the YAML's line 1."""

    data: Any
    root: yaml.Node | None
    first_line: int
    faults: tuple[YamlFault, ...] = ()
    # Each mapping's keys by text, built on the first lookup: a scan per lookup made a report
    # of N unknown keys take N^2 steps (20,000 keys: 25 s).
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The file line of the deepest part of ``loc`` that exists.

        A missing field therefore lands on the line of its parent key (``check:``), or on the
        document's first line when the parent is the document itself.
        """
        node = self.root
        line = 0
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = self._mapping_value(node, part)
                if found is None:
                    break
                key, node = found
                line = key.start_mark.line
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        return line + self.first_line

    def text_at(self, loc: Sequence[str | int]) -> str | None:
        """The text written at ``loc`` when it is a plain value (``yes`` for True), else None."""
        node = self.root
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = self._mapping_value(node, part)
                node = found[1] if found else None
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                node = node.value[part] if 0 <= part < len(node.value) else None
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def keep(self, *locs: tuple[str | int, ...]) -> KeyLines:
        """Just the lines later cross-file checks need, so the node tree can be freed.

        Holding every file's node tree until the end of a check made garbage collection
        (and so the whole check) grow faster than the library; see bench/RESULTS.md.
        """
        return KeyLines({loc: self.line_of(loc) for loc in locs}, self.first_line)

    def _mapping_value(
        self, node: yaml.MappingNode, part: str | int
    ) -> tuple[yaml.Node, yaml.Node] | None:
        """The first key written as ``part`` and its value."""
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    keys.setdefault(key.value, (key, value))
            self._keys[id(node)] = keys
        return keys.get(str(part))


@dataclass(frozen=True)
class KeyLines:
    """The file lines of a few keys; any other loc falls back to the document's first line."""

    lines: dict[tuple[str | int, ...], int]
    first_line: int

    def line_of(self, loc: Sequence[str | int]) -> int:
        return self.lines.get(tuple(loc), self.first_line)


def parse_yaml(text: str, first_line: int = 1) -> LinedYaml:
    """Parse one YAML document; raise :class:`YamlFault` with the file line of any fault.

    Faults that leave the data readable (a duplicate key) are returned in ``faults`` instead,
    so the rest of the file can still be checked.
    """
    invisible = control_character(text)
    if invisible is not None:  # the reader refuses these before parsing, with no line
        raise YamlFault(invisible.line + first_line, invisible.message)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        faults = _tree_faults(root, text, first_line) if root is not None else []
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        found = diagnose(exc, text)
        raise YamlFault(found.line + first_line, found.message) from exc
    except yaml.YAMLError as exc:
        raise YamlFault(first_line, GENERIC) from exc
    finally:
        loader.dispose()
    return LinedYaml(data=data, root=root, first_line=first_line, faults=tuple(faults))


def _tree_faults(root: yaml.Node, text: str, first_line: int) -> list[YamlFault]:
    """Duplicate keys (reported, not fatal); aliases, too many values or keys and impossible
    dates (fatal: the data is not built).

    PyYAML keeps the last of two equal keys silently, so an admin would lose the first; a
    date such as 2024-02-30 makes its constructor raise a bare ValueError. Each node is
    visited once: a node met twice is an alias, and stops the walk at once.
    """
    faults: list[YamlFault] = []
    seen_nodes: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:
            raise _alias_fault(text, first_line)
        seen_nodes.add(id(node))
        if len(seen_nodes) > limits.YAML_NODES_MAX:
            raise YamlFault(first_line, TOO_MANY_NODES)
        if isinstance(node, yaml.MappingNode):
            if len(node.value) > limits.MAPPING_KEYS_MAX:
                raise YamlFault(node.start_mark.line + first_line, too_many_keys(len(node.value)))
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + first_line
                    if key.value in seen:
                        faults.append(YamlFault(line, duplicate_key(key.value, seen[key.value])))
                    else:
                        seen[key.value] = line
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP:
            try:
                _DATES.construct_yaml_timestamp(node)
            except ValueError as exc:
                raise YamlFault(
                    node.start_mark.line + first_line,
                    Message("check.problem.yaml_no_such_date", value=node.value),
                ) from exc
    return sorted(faults, key=lambda fault: fault.line)


TOO_MANY_NODES = Message("check.problem.yaml_too_many_values", most=limits.YAML_NODES_MAX)


def too_many_keys(count: int) -> Message:
    return Message("check.problem.yaml_too_many_keys", keys=count, most=limits.MAPPING_KEYS_MAX)


def _alias_fault(text: str, first_line: int) -> YamlFault:
    """The first alias in the text, found again by its event (the composed tree only holds the
    node it refers to, with the anchor's line)."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line if event.start_mark else 0
            return YamlFault(line + first_line, alias(event.anchor))
    return YamlFault(first_line, alias(None))  # not reached: the tree had a shared node


def alias(name: str | None) -> Message:
    return Message("check.problem.yaml_alias", alias=f"*{name}" if name else "*")
