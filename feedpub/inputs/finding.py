"""Content files found: every ``*.md`` under the content folder with its stat, and the
fingerprint of what was found. A module that imports nothing heavy: a no-op build is this
walk and little else (see :mod:`feedpub.quick`)."""

from __future__ import annotations

import hashlib
import marshal
import os
from array import array
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from feedpub.errors import InputError, Problem


class Stat(NamedTuple):
    """What tells a file changed without reading it. Size and mtime alone miss a rewrite by
    tools that normalise mtimes (``tar --mtime``, Nix); ctime and inode catch it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


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
