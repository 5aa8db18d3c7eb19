"""Bytes -> the output folder, atomically: a reader or web server never sees a partial file.

Everything is first written and fsynced into a staging folder beside the output folder (not
inside it, so a web server never serves it), then each changed file is moved into place with
``os.replace``. When the output folder is a mount point (a Docker volume, an NFS export), a
rename from beside it fails with EXDEV, and when the folder beside it cannot be written the
staging folder is ``.feedpub-staging`` inside the output folder instead: on the output's own
filesystem, so every move is still one atomic rename. It is hidden, never listed, pruned or
validated as output, and removed after each build (web servers should deny dot-folders).
A file whose bytes did not change is not touched, so its mtime and inode, and the web
server's ETag and Last-Modified, stay as they were.
"""

from __future__ import annotations

import errno
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


INSIDE_STAGING = ".feedpub-staging"


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
    try:
        out.mkdir(parents=True, exist_ok=True)
        for leftover in (staging_folder(out), out / INSIDE_STAGING):  # of a killed run
            if leftover.exists():
                shutil.rmtree(leftover)
        changed = []
        for file in files:
            if is_unchanged(target(out, file.path), file.data):
                result.unchanged.append(file.path)
            else:
                changed.append(file)
        if changed:
            _move_into_place(out, changed, result)
    except OSError as exc:
        raise PublishError(
            f"cannot publish to {out}: {exc.strerror or exc} ({exc.filename or out})"
        ) from exc
    return result


def _move_into_place(out: Path, files: list[OutputFile], result: PublishResult) -> None:
    """Stage every file, then rename each into place; on EXDEV, stage the rest inside ``out``."""
    staging = staging_folder(out)
    try:
        staging.mkdir()
    except OSError:  # the folder beside the output cannot be written: stage inside it
        staging = out / INSIDE_STAGING
    _stage(staging, files)
    folders = set()
    for index, file in enumerate(files):
        final = target(out, file.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(target(staging, file.path), final)
        except OSError as exc:
            if exc.errno != errno.EXDEV or staging == out / INSIDE_STAGING:
                raise
            shutil.rmtree(staging)
            staging = out / INSIDE_STAGING
            _stage(staging, files[index:])
            os.replace(target(staging, file.path), final)
        folders.add(final.parent)
        result.changed.append(file.path)
    for folder in sorted(folders):
        fsync_folder(folder)
    shutil.rmtree(staging)


def _stage(staging: Path, files: list[OutputFile]) -> None:
    for file in files:
        temporary = target(staging, file.path)
        temporary.parent.mkdir(parents=True, exist_ok=True)
        write_synced(temporary, file.data)


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


def stale_feeds(out: Path, expected: set[str], skip: Iterable[str] = ()) -> list[str]:
    """Feeds and pages under ``out`` that this build did not produce (a channel removed from
    config), not looking into the folders ``skip`` names (``a/b/``: archive pages, checked
    otherwise)."""
    found: list[str] = []
    if not out.is_dir():
        return found
    skipped = {os.path.join(out, folder.rstrip("/")) for folder in skip}
    for folder, subfolders, names in os.walk(out):
        # Hidden folders (.feedpub-staging among them) and _media hold no feeds.
        subfolders[:] = sorted(
            d
            for d in subfolders
            if not d.startswith((".", "_")) and os.path.join(folder, d) not in skipped
        )
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
