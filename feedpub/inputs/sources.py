"""Content files found and read: every ``*.md`` under the content folder with its stat, its
bytes decoded to text and the text split at the front matter (what the file holds is read
into an :class:`~feedpub.model.Article` by :mod:`feedpub.inputs.articles`)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from feedpub.errors import Problem
from feedpub.inputs import fields as f
from feedpub.model import Config

# Characters XML 1.0 forbids; they are removed (with a warning) so no feed can be invalid.
XML_FORBIDDEN = f.XML_FORBIDDEN
REMOVED = "contains characters " + f.NOT_IN_FEEDS + " ({}); removed"


def source_path(content: Path, name: str) -> Path:
    """The file behind a content file's display name (``content/asia/x.md``)."""
    return content / name.removeprefix(content.as_posix() + "/")


def digest_of(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


# Bytes of the characters feeds cannot carry: ASCII controls, and the UTF-8 lead bytes of
# C1 controls (U+0080-U+009F) and U+FFFE/U+FFFF. (Valid UTF-8 holds no surrogates.)
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_WIDE_FORBIDDEN = re.compile(rb"\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")


def _may_hold_forbidden(raw: bytes) -> bool:
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        return True
    return (b"\xc2" in raw or b"\xef\xbf" in raw) and _WIDE_FORBIDDEN.search(raw) is not None


def decode(raw: bytes, name: str) -> tuple[str, list[Problem]]:
    """UTF-8 text with BOM and CRLF removed; forbidden XML characters removed with a warning."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(f.not_utf8(name, raw, exc)) from exc
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not _may_hold_forbidden(raw):  # byte tests: most files need no regex pass
        return text, []
    text = text.replace(f.NEL, "\n")
    warnings = []
    match = XML_FORBIDDEN.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        warnings.append(Problem(name, REMOVED.format(f.codepoint(match.group())), line))
        text = XML_FORBIDDEN.sub("", text)
    return text, warnings


_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def split_front_matter(text: str, name: str) -> tuple[str, str]:
    """(front matter, body) of a decoded content file."""
    if not text or text.isspace():
        raise Refused(Problem(name, "is empty; expected YAML front matter between '---' lines"))
    if not text.startswith("---\n"):
        raise Refused(Problem(name, "expected YAML front matter starting with a '---' line", 1))
    end = _CLOSING.search(text, 4)
    if end is None:
        raise Refused(
            Problem(name, "front matter is not closed: expected a '---' line after it", 1)
        )
    front = text[4 : end.start()]
    body = text[end.end() :].lstrip("\n")
    return front, body


class Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def too_large(name: str, size: int, config: Config) -> Problem | None:
    """The problem with a content file of ``size`` bytes, if it is over the cap."""
    if size <= config.site.max_content_bytes:
        return None
    limit = config.site.max_content_bytes
    return Problem(name, f"is {size} bytes, over the limit of {limit} (site.max_content_bytes)")
