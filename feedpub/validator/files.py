"""Validating files on disk, and finding the feed files inside folders."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from .document import MAX_DOCUMENT_BYTES, validate_document
from .messages import Message

FEED_SUFFIXES = (".xml", ".json", ".atom", ".rss")
# What else a feedpub output folder publishes for readers: its OPML and its HTML pages.
OUTPUT_SUFFIXES = (*FEED_SUFFIXES, ".opml", ".html")


def validate_path(
    path: str | os.PathLike[str],
    *,
    self_url: str | None = None,
    now: datetime | None = None,
) -> list[Message]:
    """Validate the feed file at `path`; a missing or unreadable file is an error message.

    Files ending in .json are checked as JSON Feed; others are sniffed.
    """
    data = read_feed_file(path)
    if isinstance(data, Message):
        return [data]
    kind = "json" if Path(path).suffix.lower() == ".json" else None
    return validate_document(data, kind=kind, self_url=self_url, now=now)


def read_feed_file(path: str | os.PathLike[str]) -> bytes | Message:
    """The bytes of an untrusted feed file, or the error message saying why not.

    Opened without blocking (a FIFO named like a feed does not hang), then judged by what was
    opened (no race between a check and the read): only a regular file, and never more than
    MAX_DOCUMENT_BYTES of it (a file growing as it is read, or a link to /dev/zero)."""
    file = Path(path)
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except IsADirectoryError:
        return _io_error(f"{file} is a folder, not a feed file")
    except OSError as exc:
        return _io_error(f"cannot read {file}: {exc.strerror or exc}")
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            return _io_error(f"{file} is a folder, not a feed file")
        if not stat.S_ISREG(status.st_mode):
            return _io_error(f"{file} is not a regular file")
        data = _read_at_most(descriptor, MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        return _io_error(f"cannot read {file}: {exc.strerror or exc}")
    finally:
        os.close(descriptor)
    if max(status.st_size, len(data)) > MAX_DOCUMENT_BYTES:
        return Message(
            "error",
            "ValidatorLimit",
            f"document is {max(status.st_size, len(data))} bytes; documents over "
            f"{MAX_DOCUMENT_BYTES} bytes are not checked",
            None,
            None,
        )
    return data


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks = []
    left = limit
    while left > 0:
        chunk = os.read(descriptor, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def iter_feed_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The given paths, with each folder replaced by the feed files inside it.

    Folders are searched recursively for *.xml, *.json, *.atom and *.rss files (any case),
    skipping hidden files and folders, in sorted order. Other paths, existing or not, are
    yielded as given, so that `validate_path` can report them. Each path is yielded once.
    """
    return _files_in(paths, FEED_SUFFIXES)


def iter_output_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """As :func:`iter_feed_files`, with the OPML (*.opml) and HTML pages (*.html) found in
    folders too: what ``feedpub validate`` checks of an output folder."""
    return _files_in(paths, OUTPUT_SUFFIXES)


def _files_in(paths: Iterable[str | os.PathLike[str]], suffixes: tuple[str, ...]) -> Iterator[Path]:
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        found = _feed_files_in(path, suffixes) if path.is_dir() else [path]
        for file in found:
            if file not in seen:
                seen.add(file)
                yield file


def _feed_files_in(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name.lower().endswith(suffixes):
                files.append(Path(root) / name)
    return sorted(files, key=lambda file: file.relative_to(folder).parts)


def _io_error(text: str) -> Message:
    return Message("error", "IOError", text, None, None)
