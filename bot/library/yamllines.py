"""YAML that remembers where each key was written, so an error can name its line.

``yaml.safe_load`` forgets positions. Composing the node tree first keeps every key's
``start_mark``; the same tree is then constructed into plain Python data, so the file is
parsed once. A pydantic error ``loc`` such as ``("check", "options", 2)`` is walked down the
tree to the line of that key or item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlFault(Exception):
    """YAML that cannot be read, with the file line of the fault."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class LinedYaml:
    """Parsed data plus its node tree; ``first_line`` is the file line of the YAML's line 1."""

    data: Any
    root: yaml.Node | None
    first_line: int

    def line_of(self, loc: Sequence[str | int]) -> int:
        """The file line of the deepest part of ``loc`` that exists.

        A missing field therefore lands on the line of its parent key (``check:``), or on the
        document's first line when the parent is the document itself.
        """
        node = self.root
        line = 0
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                found = _mapping_value(node, part)
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

    def keep(self, *locs: tuple[str | int, ...]) -> KeyLines:
        """Just the lines later cross-file checks need, so the node tree can be freed.

        Holding every file's node tree until the end of a check made garbage collection
        (and so the whole check) grow faster than the library; see bench/RESULTS.md.
        """
        return KeyLines({loc: self.line_of(loc) for loc in locs}, self.first_line)


@dataclass(frozen=True)
class KeyLines:
    """The file lines of a few keys; any other loc falls back to the document's first line."""

    lines: dict[tuple[str | int, ...], int]
    first_line: int

    def line_of(self, loc: Sequence[str | int]) -> int:
        return self.lines.get(tuple(loc), self.first_line)


def _mapping_value(node: yaml.MappingNode, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == str(part):
            return key, value
    return None


def parse_yaml(text: str, first_line: int = 1) -> LinedYaml:
    """Parse one YAML document; raise :class:`YamlFault` with the file line of any fault."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _reject_duplicate_keys(root, first_line)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + first_line
        problem = exc.problem or exc.context or "cannot be read"
        raise YamlFault(line, f"invalid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlFault(first_line, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return LinedYaml(data=data, root=root, first_line=first_line)


def _reject_duplicate_keys(root: yaml.Node, first_line: int) -> None:
    """PyYAML keeps the last of two equal keys silently; an admin would lose the first."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        raise YamlFault(
                            key.start_mark.line + first_line,
                            f"invalid YAML: the key '{key.value}' appears twice",
                        )
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
