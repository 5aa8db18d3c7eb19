"""Safe YAML loading that remembers the line of every mapping key, for error messages.

Only the safe constructors run (no ``!!python/...`` objects), and a document that expands
to more nodes than ``MAX_NODES`` through aliases is refused before it can eat memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_NODES = 100_000
_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


class YamlSourceError(Exception):
    """The text is not acceptable YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Located:
    """A loaded YAML document plus the line each key path was found on."""

    value: Any
    lines: dict[tuple[str, ...], int] = field(default_factory=dict)

    def line_of(self, path: tuple[str, ...]) -> int | None:
        """The line of ``path``, else of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def mark_line(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a PyYAML error points at, if it has one."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def describe(exc: yaml.YAMLError) -> str:
    """A one-line description of a PyYAML error, without its multi-line context dump."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if problem:
        text = f"{context} {problem}" if context and "constructor" not in context else problem
        return f"invalid YAML: {text}"
    return f"invalid YAML: {str(exc).splitlines()[0]}"


def load_located(text: str) -> Located:
    """Parse one YAML document, recording the line of every key (``()`` is the root)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise YamlSourceError(describe(exc), mark_line(exc)) from exc
    located = Located(None)
    if root is None:
        return located
    constructor = yaml.SafeLoader("")
    budget = [MAX_NODES]
    located.lines[()] = root.start_mark.line + 1
    located.value = _build(root, (), located, constructor, budget)
    return located


def _build(
    node: yaml.Node,
    path: tuple[str, ...],
    located: Located,
    constructor: yaml.SafeLoader,
    budget: list[int],
) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlSourceError(
            f"refused: the document expands to more than {MAX_NODES} values (an alias bomb?)",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise YamlSourceError(
            f"refused: YAML tag {node.tag!r} is not allowed", node.start_mark.line + 1
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, constructor)
            if isinstance(key, list | dict):
                raise YamlSourceError(
                    "a mapping key must be a plain value", key_node.start_mark.line + 1
                )
            child = (*path, str(key))
            located.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, located, constructor, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            child = (*path, str(index))
            located.lines[child] = item.start_mark.line + 1
            items.append(_build(item, child, located, constructor, budget))
        return items
    return _scalar(node, constructor)


def _scalar(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        raise YamlSourceError(
            f"refused: YAML tag {node.tag!r} is not allowed", node.start_mark.line + 1
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlSourceError(describe(exc), node.start_mark.line + 1) from exc
