"""A fast path for the plain front matter nearly every content file has.

PyYAML's CSafeLoader parses in C but builds every value in Python, which costs more than all
the rest of a cold build. :func:`load_simple` reads the common shape (``key: value`` lines;
plain, quoted, date and number scalars; flat lists in block style or in one-line flow style,
as Hugo and Jekyll tooling writes ``countries: ["cuba", "israel"]``) directly, resolving plain
scalars with PyYAML's own implicit-resolver patterns, and returns None for anything else, so
the caller falls back to PyYAML. It must return exactly what :func:`feedpub.inputs.yamlsrc.load`
returns, or None (always None where that raises); a hypothesis test holds it to that.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

# Anything PyYAML refuses or treats as a line break (NEL, U+2028/9) or a BOM: left to PyYAML.
_NON_PRINTABLE = re.compile(
    "[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY_LINE = re.compile(r"([^\s:#\-?,\[\]{}&*!|>'\"%@`][^\s:#]*):(?: +(.*))?\Z")
_ITEM_LINE = re.compile(r"( *)- +(.*)\Z")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})\Z")
_INT = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_RESOLVERS = Resolver.yaml_implicit_resolvers
_BOOLS = SafeConstructor.bool_values
_STR = "tag:yaml.org,2002:str"


class _Decline(Exception):
    """This text is not of the simple shape; let PyYAML read it."""


def load_simple(text: str) -> dict[str, Any] | None:
    """The mapping ``text`` holds, if it is simple front matter; else None."""
    if _NON_PRINTABLE.search(text):
        return None
    try:
        return _mapping(text.split("\n"))
    except (_Decline, ValueError):
        return None


def _mapping(lines: list[str]) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.strip() or line.startswith("#"):
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            raise _Decline
        key = _plain(match[1])
        if not isinstance(key, str) or key in result:
            raise _Decline  # a key given twice is an error PyYAML's path reports
        raw = (match[2] or "").rstrip(" ")
        if raw:
            result[key] = _value(raw)
            continue
        items = []
        indent = None
        while index < len(lines) and (item := _ITEM_LINE.match(lines[index])):
            if indent is not None and item[1] != indent:
                raise _Decline
            indent = item[1]
            items.append(_value(item[2].rstrip(" "), in_list=True))
            index += 1
        if not items:
            raise _Decline  # null, or a nested mapping
        result[key] = items
    return result or None


def _value(raw: str, in_list: bool = False) -> Any:
    if not raw:
        raise _Decline
    first = raw[0]
    if first in "\"'":
        text, end = _quoted(raw, 0)
        if end != len(raw):
            raise _Decline
        return text
    if first == "[" and not in_list:
        return _flow_list(raw)
    return _plain(raw)


def _quoted(raw: str, start: int) -> tuple[str, int]:
    """The quoted scalar opening at ``raw[start]`` and the index just past its closing quote.

    Declines a double-quoted scalar with a backslash: content.py re-reads any front matter
    with a backslash through the line-tracking loader anyway, so decoding escapes here would
    save nothing.
    """
    quote = raw[start]
    if quote == '"':
        end = raw.find('"', start + 1)
        if end < 0 or "\\" in raw[start + 1 : end]:
            raise _Decline
        return raw[start + 1 : end], end + 1
    end = start + 1
    while True:
        end = raw.find("'", end)
        if end < 0:
            raise _Decline
        if raw[end + 1 : end + 2] != "'":
            return raw[start + 1 : end].replace("''", "'"), end + 1
        end += 2


def _flow_list(raw: str) -> list[Any]:
    """``[a, "b", 'c']`` on one line: plain items without indicators, quoted items as above."""
    if raw[-1] != "]":
        raise _Decline
    inner = raw[1:-1]
    if not inner.strip(" "):
        return []
    items: list[Any] = []
    position = 0
    while True:
        position = _after_spaces(inner, position)
        if inner[position : position + 1] in ('"', "'"):
            text, position = _quoted(inner, position)
            items.append(text)
            position = _after_spaces(inner, position)
        else:
            comma = inner.find(",", position)
            end = len(inner) if comma < 0 else comma
            item = inner[position:end].strip(" ")
            if not item or any(c in item for c in "[]{}\"'#:"):
                raise _Decline
            items.append(_plain(item))
            position = end
        if position == len(inner):
            return items
        if inner[position] != ",":
            raise _Decline  # a ':' after a quoted key, a second scalar, a tab ...
        position += 1
        if not inner[position:].strip(" "):
            raise _Decline  # a trailing comma: let PyYAML decide


def _after_spaces(text: str, position: int) -> int:
    while text[position : position + 1] == " ":
        position += 1
    return position


def _plain(value: str) -> Any:
    if value[0] in _PLAIN_START or ": " in value or " #" in value or value.endswith(":"):
        raise _Decline
    tag = _STR
    for candidate, pattern in _RESOLVERS.get(value[0], ()):
        if pattern.match(value):
            tag = candidate
            break
    if tag == _STR:
        return value
    kind = tag.rsplit(":", 1)[1]
    if kind == "bool":
        return _BOOLS[value.lower()]
    if kind == "null":
        return None
    if kind == "int" and _INT.match(value):
        return int(value)
    if kind == "timestamp":
        if m := _DATE.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DATETIME.match(value):
            year, month, day, hour, minute, second = (int(part) for part in m.groups())
            return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - as PyYAML
    raise _Decline
