"""Content files found and read: every ``*.md`` under the content folder with its stat, its
bytes decoded to text and the text split at the front matter (what the file holds is read
into an :class:`~feedpub.model.Article` by :mod:`feedpub.inputs.articles`)."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
from array import array
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from feedpub.errors import InputError, Problem
from feedpub.inputs import fields as f
from feedpub.model import Config, Stat

# Characters XML 1.0 forbids; they are removed (with a warning) so no feed can be invalid.
XML_FORBIDDEN = f.XML_FORBIDDEN
REMOVED = "contains characters " + f.NOT_IN_FEEDS + " ({}); removed"


class Source(NamedTuple):
    """A content file found on disk: its display name, real path and stat (a tuple: a
    build makes one per file, 100,000 of them, on every run)."""

    name: str
    path: str
    stat: Stat


def find_sources(root: Path, display: str) -> tuple[list[Source], list[Problem]]:
    """Every ``*.md`` under ``root``, sorted; symlinks leading outside ``root`` are skipped.

    A file that vanishes while it is listed, a symlink loop, a folder that cannot be read or a
    name that is not UTF-8 is an :class:`InputError` naming the path (all of them at once)."""
    found = _Found([], [], [], os.path.realpath(root))
    stack = [(str(root), display)]
    while stack:
        folder, shown = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not entry.name.startswith("."):
                        _add_entry(entry, f"{shown}/{entry.name}", found, stack)
        except OSError as exc:
            found.problems.append(Problem(printable(shown), f"cannot read folder: {_why(exc)}"))
    if found.problems:
        raise InputError(found.problems)
    found.sources.sort(key=lambda s: s.name)
    return found.sources, found.warnings


class _Found(NamedTuple):
    sources: list[Source]
    warnings: list[Problem]
    problems: list[Problem]
    real_root: str


def _add_entry(
    entry: os.DirEntry[str], name: str, found: _Found, stack: list[tuple[str, str]]
) -> None:
    try:
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if os.path.commonpath([found.real_root, target]) != found.real_root:
                found.warnings.append(
                    Problem(
                        printable(name),
                        "is a symlink to a place outside the content folder; not followed",
                    )
                )
                return
        if entry.is_dir():
            if not entry.is_symlink():
                stack.append((entry.path, name))
        elif entry.name.endswith(".md") and entry.is_file():
            if printable(name) != name:
                found.problems.append(Problem(printable(name), "file name is not UTF-8; rename it"))
                return
            st = entry.stat()
            stat = Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            found.sources.append(Source(name, entry.path, stat))
    except FileNotFoundError:
        found.problems.append(
            Problem(printable(name), "vanished while feedpub was reading it; run again")
        )
    except OSError as exc:
        found.problems.append(Problem(printable(name), f"cannot read: {_why(exc)}"))


def source_path(content: Path, name: str) -> Path:
    """The file behind a content file's display name (``content/asia/x.md``)."""
    return content / name.removeprefix(content.as_posix() + "/")


def printable(name: str) -> str:
    """A file name as text that can be printed and encoded: bytes that are not UTF-8 (which
    Python keeps as lone surrogates) shown as ``\\xe9``."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


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


def stat_of(path: str | Path) -> Stat | None:
    """What :class:`Stat` compares of ``path``, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def sources_fingerprint(sources: list[Source]) -> str:
    """What the scan saw: every content file's name and stat (the stats as 64-bit integers:
    formatting them as text would cost more than the rest of a no-op build's scan)."""
    h = hashlib.blake2b(digest_size=16)
    h.update("\0".join([s.name for s in sources]).encode())
    stats = [s.stat for s in sources]
    try:
        h.update(array("q", chain.from_iterable(stats)).tobytes())
    except OverflowError:  # an inode beyond 2**63 (some network file systems)
        h.update(marshal.dumps([tuple(stat) for stat in stats]))
    return h.hexdigest()
