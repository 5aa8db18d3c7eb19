"""Typed reads from loaded YAML mappings that collect problems instead of stopping at the first.

Shared by feeds.yaml and front matter so both report ``file:line: key.path: expected ..., got ...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from feedpub.errors import Problem
from feedpub.inputs.yamlsrc import Located
from feedpub.languages import is_language
from feedpub.syntax import URI_CHARACTERS, is_addr_spec, is_contact

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z")
# Characters XML 1.0 forbids, and the C1 controls it discourages (feedparser reads those as
# windows-1252 letters): no feed may contain them, however they got into the input.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
NOT_IN_FEEDS = "not allowed in feeds"
# NEL is a line break to YAML and to Unicode (feedparser would read it as '…'): it becomes "\n".
NEL = "\x85"
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


def not_utf8(file: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    """The problem for a file that is not UTF-8, naming the line and column of the bad byte."""
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    line = raw.count(b"\n", 0, exc.start) + 1
    column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
    return Problem(
        file,
        f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} in column {column}); save it as UTF-8",
        line,
    )


def forbidden_characters(
    value: Any, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], str]]:
    """(key path, first character) of every string in a loaded document that feeds cannot carry.

    NEL is not reported: :func:`without_forbidden` turns it into a line break.
    """
    if isinstance(value, str):
        match = XML_FORBIDDEN.search(value.replace(NEL, "\n"))
        return [(path, match.group())] if match else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(forbidden_characters(item, (*path, str(key))))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(forbidden_characters(item, (*path, str(index))))
    return found


def without_forbidden(value: Any) -> Any:
    """A copy of a loaded document without the characters feeds cannot carry, NEL as "\\n"."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value.replace(NEL, "\n"))
    if isinstance(value, dict):
        return {key: without_forbidden(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_forbidden(item) for item in value]
    return value


def codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"


_HTTP_URL = re.compile(r"https?://[^/?#\s]", re.I)
# str.isspace() and re's \s are one test (Py_UNICODE_ISSPACE), and below " " the controls.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")


def is_absolute_url(value: str) -> bool:
    """An http(s) URL with a host, exactly as written: no leading or inner whitespace or
    control character that a parser would strip and a reader might not."""
    if not _HTTP_URL.match(value) or _SPACE_OR_CONTROL.search(value):
        return False
    try:
        return bool(urlsplit(value).netloc)
    except ValueError:  # an unclosed IPv6 bracket: 'https://['
        return False


_HTTP_SCHEME = re.compile(r"https?:", re.I)
# A scheme of two letters or more ('C:' is a Windows drive), or '//' (a scheme left out).
_SCHEME = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.-]+):|//)")


def looks_like_url(value: str) -> bool:
    """Whether ``value`` was written as a URL (a scheme, or ``//host``), not as a file path."""
    return _SCHEME.match(value) is not None


def url_hint(value: str) -> str:
    """`` (what is wrong)`` with a value written as an absolute URL that is not one a feed
    may carry (``is_absolute_url`` refuses it): its scheme, a space, no host; else ""."""
    match = _SCHEME.match(value)
    if match is None or is_absolute_url(value):
        return ""
    if match[1] is None:
        return " (it has no scheme: write it with https:)"
    if not _HTTP_SCHEME.match(value):
        return ""  # 'ftp:', 'javascript:': the message says http(s) already
    stripped = value.rstrip()
    bad = next((c for c in stripped if c.isspace() or c < " " or c == "\x7f"), None)
    if bad is None and stripped != value:
        return " (remove the whitespace at its end)"
    if bad == " ":
        return " (percent-encode the space as %20)"
    if bad is not None:
        return f" (it holds {codepoint(bad)}, which URLs cannot: percent-encode it)"
    if not value[match.end() :].startswith("//"):
        return f" (write two slashes after '{match[0]}')"
    return " (it has no host after '//')"


class Fields:
    """Reads fields of one YAML document, recording a Problem for each bad or missing one."""

    def __init__(self, file: str, located: Located, line_offset: int = 0) -> None:
        self.file = file
        self.located = located
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def problem(
        self, path: tuple[str, ...], message: str, at: tuple[str, ...] | None = None
    ) -> None:
        """Record ``message`` about ``path``, on the line of ``at`` (default: of ``path``)."""
        line = self.located.line_of(path if at is None else at)
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
            self.problem(path, f"expected {error}, got {shown(value)}{_hint(error, value)}")
            return default
        return value

    def items(
        self,
        data: dict[str, Any],
        path: tuple[str, ...],
        check: Callable[[Any], str | None],
        *,
        single: bool = False,
    ) -> list[Any]:
        """``data[path[-1]]`` as a list whose items ``check`` accepts; a problem per bad item.

        With ``single``, one value is accepted as a list of one.
        """
        value = data.get(path[-1])
        if value is None:
            return []
        one = not isinstance(value, list)
        if one and not single:
            self.problem(path, f"expected a list, got {shown(value)}")
            return []
        result = []
        for index, item in enumerate([value] if one else value):
            error = check(item)
            if error:
                where = path if one else (*path, str(index))
                self.problem(where, f"expected {error}, got {shown(item)}{_hint(error, item)}")
            else:
                result.append(item)
        return result


def _hint(expected: str, value: Any) -> str:
    """Why YAML gave a value that is not text where text was expected, and the fix; what is
    wrong with a value that looks like an http(s) URL where one was expected."""
    if expected.startswith("an absolute") and isinstance(value, str):
        return url_hint(value)
    if not expected.startswith("text"):
        return ""
    if isinstance(value, bool):
        return " (YAML reads an unquoted yes, no, on or off as true or false: put it in quotes)"
    if isinstance(value, int | float | date):
        return " (put it in quotes to make it text)"
    return ""


def text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "text"
    return None


def url(value: Any) -> str | None:
    if not isinstance(value, str) or not is_absolute_url(value):
        return "an absolute http(s) URL"
    if not URI_CHARACTERS.issuperset(value):
        return "an absolute http(s) URL with only the characters URLs hold (percent-encode others)"
    return None


def slug(value: Any) -> str | None:
    if not isinstance(value, str) or not SLUG.match(value):
        return "a slug (lower-case letters, digits and '-')"
    return None


def language(value: Any) -> str | None:
    if not isinstance(value, str) or not LANGUAGE.match(value) or not is_language(value):
        return "a language tag like 'en' or 'si'"
    return None


def email(value: Any) -> str | None:
    if not isinstance(value, str) or not EMAIL.match(value) or not is_addr_spec(value):
        return "an email address like 'desk@example.org'"
    return None


def check_contact(reader: Fields, path: tuple[str, ...], name: str, email: str | None) -> None:
    """RSS writes a person as `email (name)`: a name that breaks that reading is refused."""
    written = f"{email} ({name})"
    if email and not is_contact(written):
        reader.problem(
            (*path, "name"),
            f"cannot be written as {written!r}, as RSS writes an author: "
            "balance its parentheses and quotes",
        )


def positive_int(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return "a whole number of at least 1"
    return None


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"
