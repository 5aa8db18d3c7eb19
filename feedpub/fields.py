"""Typed reads from loaded YAML mappings that collect problems instead of stopping at the first.

Shared by feeds.yaml and front matter so both report ``file:line: key.path: expected ..., got ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from feedpub.errors import Problem
from feedpub.yamlsrc import Located

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_MISSING = object()


def shown(value: Any) -> str:
    """A short, safe rendering of a found value for an error message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_absolute_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


class Fields:
    """Reads fields of one YAML document, recording a Problem for each bad or missing one."""

    def __init__(self, file: str, located: Located, line_offset: int = 0) -> None:
        self.file = file
        self.located = located
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def problem(self, path: tuple[str, ...], message: str) -> None:
        line = self.located.line_of(path)
        self.problems.append(
            Problem(
                self.file,
                message,
                None if line is None else line + self.line_offset,
                ".".join(path) or None,
            )
        )

    def mapping(self, value: Any, path: tuple[str, ...], allowed: set[str]) -> dict[str, Any]:
        """``value`` as a mapping with only ``allowed`` keys; problems for anything else."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected a mapping, got {shown(value)}")
            return {}
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problem((*path, str(key)), f"unknown key (known keys: {known})")
        return {k: v for k, v in value.items() if isinstance(k, str) and k in allowed}

    def get(
        self,
        data: dict[str, Any],
        path: tuple[str, ...],
        check: Callable[[Any], str | None],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """``data[path[-1]]`` if ``check`` accepts it (returns None), else ``default``."""
        value = data.get(path[-1], _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.problem(path, "is required")
            return default
        error = check(value)
        if error:
            self.problem(path, f"expected {error}, got {shown(value)}")
            return default
        return value


def text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "text"
    return None


def url(value: Any) -> str | None:
    if not isinstance(value, str) or not is_absolute_url(value):
        return "an absolute http(s) URL"
    return None


def slug(value: Any) -> str | None:
    if not isinstance(value, str) or not SLUG.match(value):
        return "a slug (lower-case letters, digits and '-')"
    return None


def language(value: Any) -> str | None:
    if not isinstance(value, str) or not LANGUAGE.match(value):
        return "a language tag like 'en' or 'si'"
    return None


def email(value: Any) -> str | None:
    if not isinstance(value, str) or not EMAIL.match(value):
        return "an email address like 'desk@example.org'"
    return None


def positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "a whole number of at least 1"
    return None


def text_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return "a list of text"
    return None
