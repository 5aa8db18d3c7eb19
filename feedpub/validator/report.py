"""Render validation messages for people (compiler-style lines) and for tools (JSON records)."""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

from .messages import Message


def format_text(path: str | PathLike[str], messages: Iterable[Message]) -> str:
    """One line per message, `path:line:col: severity CODE: message`, joined by newlines.

    Parts of the position that are unknown are left out (`path:line: ...` or `path: ...`).
    Returns "" when there are no messages.
    """
    return "\n".join(format_line(path, message) for message in messages)


def format_line(path: str | PathLike[str], message: Message) -> str:
    """`path:line:col: severity CODE: message`: how `feedpub validate` and `feedpub build`
    both print a finding (one function, issue 8)."""
    where = str(path)
    if message.line is not None:
        where += f":{message.line}"
        if message.column is not None:
            where += f":{message.column}"
    return f"{where}: {message.severity} {message.code}: {message.message}"


def to_json_records(
    path: str | PathLike[str], messages: Iterable[Message]
) -> list[dict[str, str | int | None]]:
    """Messages as dicts with keys file, line, column, severity, code, message."""
    return [
        {
            "file": str(path),
            "line": message.line,
            "column": message.column,
            "severity": message.severity,
            "code": message.code,
            "message": message.message,
        }
        for message in messages
    ]
