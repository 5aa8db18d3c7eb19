"""Bytes -> the output folder, atomically: a reader or web server never sees a partial file.

Everything is first written and fsynced into a staging folder beside the output folder (not
inside it, so a web server never serves it), then each changed file is moved into place with
``os.replace``. A file whose bytes did not change is not touched, so its mtime and inode, and
the web server's ETag and Last-Modified, stay as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.errors import PublishError

FEED_FILENAMES = ("rss.xml", "atom.xml", "feed.json")
# Every kind of file a build writes for a channel: a removed channel's are all stale.
OUTPUT_FILENAMES = (*FEED_FILENAMES, "index.html", "feeds.opml")


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str  # relative, '/'-separated
    data: bytes


@dataclass
class PublishResult:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def staging_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.feedpub-staging"


def target(out: Path, relative: str) -> Path:
    """``out/relative``, refusing any path that would land outside ``out``."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise PublishError(
            f"refused to write {relative!r}: not a plain path inside the output folder"
        )
    return out.joinpath(*parts)


def is_unchanged(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def publish(out: Path, files: Iterable[OutputFile]) -> PublishResult:
    """Write ``files`` under ``out``; only changed ones, each replaced atomically."""
    result = PublishResult()
    staging = staging_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)  # left by a run that was killed; we hold the lock
        staged: list[tuple[Path, Path, str]] = []
        for file in files:
            final = target(out, file.path)
            if is_unchanged(final, file.data):
                result.unchanged.append(file.path)
                continue
            temporary = target(staging, file.path)
            temporary.parent.mkdir(parents=True, exist_ok=True)
            write_synced(temporary, file.data)
            staged.append((temporary, final, file.path))
        folders = set()
        for temporary, final, relative in staged:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temporary, final)
            folders.add(final.parent)
            result.changed.append(relative)
        for folder in sorted(folders):
            fsync_folder(folder)
        if staging.exists():
            shutil.rmtree(staging)
    except OSError as exc:
        raise PublishError(
            f"cannot publish to {out}: {exc.strerror or exc} ({exc.filename or out})"
        ) from exc
    return result


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def stale_feeds(out: Path, expected: set[str]) -> list[str]:
    """Feeds and pages under ``out`` that this build did not produce (a channel removed from
    config)."""
    found: list[str] = []
    if not out.is_dir():
        return found
    for folder, subfolders, names in os.walk(out):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")))
        for name in names:
            if name in OUTPUT_FILENAMES:
                relative = Path(folder, name).relative_to(out).as_posix()
                if relative not in expected:
                    found.append(relative)
    return sorted(found)


def remove(out: Path, paths: Iterable[str]) -> None:
    for relative in paths:
        try:
            target(out, relative).unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise PublishError(f"cannot remove {out / relative}: {exc.strerror or exc}") from exc
