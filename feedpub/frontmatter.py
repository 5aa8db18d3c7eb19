"""A fast path for the plain front matter nearly every content file has.

PyYAML's CSafeLoader parses in C but builds every value in Python, which costs more than all
the rest of a cold build. :func:`load_simple` reads the common shape (``key: value`` lines;
plain, quoted, date and number scalars; flat lists) directly, resolving plain scalars with
PyYAML's own implicit-resolver patterns, and returns None for anything else, so the caller
falls back to PyYAML. It must return exactly what :func:`feedpub.yamlsrc.load` returns, or
None (always None where that raises); a hypothesis test holds it to that.
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
    if first == '"':
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != '"' or '"' in inner or "\\" in inner:
            raise _Decline
        return inner
    if first == "'":
        inner = raw[1:-1]
        if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Decline
        return inner.replace("''", "'")
    if first == "[" and not in_list:
        return _flow_list(raw)
    return _plain(raw)


def _flow_list(raw: str) -> list[Any]:
    if raw[-1] != "]":
        raise _Decline
    inner = raw[1:-1]
    if any(c in inner for c in "[]{}\"'#:"):
        raise _Decline
    if not inner.strip(" "):
        return []
    items = [part.strip(" ") for part in inner.split(",")]
    if not all(items):
        raise _Decline
    return [_plain(item) for item in items]


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
