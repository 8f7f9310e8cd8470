"""YAML reading that remembers where every value came from (file and line).

A catalog's errors name the file, the line and the key path, so the loader keeps a table
from key path to source position beside the plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Key = str | int
KeyPath = tuple[Key, ...]


@dataclass(frozen=True)
class Position:
    file: str
    line: int


@dataclass
class Sourced:
    """Plain data (dicts, lists, scalars) and where each path in it was written."""

    data: Any
    positions: dict[KeyPath, Position] = field(default_factory=dict)
    duplicates: list[KeyPath] = field(default_factory=list)

    def position(self, path: KeyPath) -> Position:
        """The position of the longest prefix of `path` that was written somewhere."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found:
                return found
        return Position("?", 0)


def format_path(path: KeyPath) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text or "(top)"


def read_yaml(path: Path, display: str) -> Sourced:
    """Parse one YAML file; raises yaml.YAMLError on bad syntax, OSError when unreadable."""
    loader = yaml.SafeLoader(path.read_text(encoding="utf-8"))
    try:
        node = loader.get_single_node()
        if node is None:
            return Sourced(None, {(): Position(display, 1)})
        data = loader.construct_document(node)
        result = Sourced(data)
        _record(loader, node, data, (), display, result)
        return result
    finally:
        loader.dispose()


def _record(loader: yaml.SafeLoader, node: yaml.Node, data: Any, path: KeyPath, display: str, out: Sourced) -> None:
    out.positions[path] = Position(display, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                out.duplicates.append((*path, key))
                out.positions.setdefault((*path, key), Position(display, key_node.start_mark.line + 1))
            seen.add(key)
            if key in data:
                _record(loader, value_node, data[key], (*path, key), display, out)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for index, (item_node, item) in enumerate(zip(node.value, data)):
            _record(loader, item_node, item, (*path, index), display, out)
