"""Where values sit in a JSON text, so JSON Feed messages can carry line and column.

`json.loads` keeps no positions; this small iterative scanner walks a text that is already
known to be valid JSON and records the position of each object member (its key) and array
element, down to a fixed depth.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

from .messages import Position

JsonPath = tuple[str | int, ...]
_TOKEN = re.compile(r'[{}\[\]:,]|"(?:[^"\\]|\\.)*"|[^\s{}\[\]:,"]+', re.S)


@dataclass
class _Container:
    path: JsonPath
    is_object: bool
    index: int = 0
    key: str | None = None
    expecting_key: bool = field(default=True)


def value_positions(text: str, max_depth: int = 4) -> dict[JsonPath, Position]:
    """Map JSON paths such as ("items", 0, "id") to the (line, column) where they start."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    positions: dict[JsonPath, Position] = {}

    def at(offset: int) -> Position:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    stack: list[_Container] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        top = stack[-1] if stack else None
        if top is not None and top.is_object and top.expecting_key and token.startswith('"'):
            top.key = _decode_key(token)
            top.expecting_key = False
            if len(top.path) < max_depth:
                positions[top.path + (top.key,)] = at(match.start())
            continue
        if token == ":":
            continue
        if token == ",":
            if top is not None:
                top.index += 1
                top.expecting_key = True
            continue
        if token in ("}", "]"):
            stack.pop()
            continue
        path: JsonPath = ()
        if top is not None:
            path = top.path + ((top.key or "",) if top.is_object else (top.index,))
            if not top.is_object and len(path) <= max_depth:
                positions.setdefault(path, at(match.start()))
        if token in ("{", "["):
            stack.append(_Container(path, is_object=token == "{"))
    return positions


def _decode_key(token: str) -> str:
    """The key a JSON string token spells (escapes resolved where simple)."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    try:
        decoded = json.loads(token)
    except ValueError:
        return body
    return decoded if isinstance(decoded, str) else body
