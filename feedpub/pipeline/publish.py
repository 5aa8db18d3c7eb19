"""Bytes -> the output folder, atomically: a reader or web server never sees a partial file.

Everything is first written into a staging folder beside the output folder (not inside it, so
a web server never serves it) and made durable, then each changed file is moved into place
with ``os.replace`` (see :class:`Staging`). When the output folder is a mount point (a Docker
volume, an NFS export), a rename from beside it fails with EXDEV, and when the folder beside
it cannot be written the staging folder is ``.feedpub-staging`` inside the output folder
instead: on the output's own filesystem, so every move is still one atomic rename. It is
hidden, never listed, pruned or validated as output, and removed after each build (web
servers should deny dot-folders). A file whose bytes did not change is not touched, so its
mtime and inode, and the web server's ETag and Last-Modified, stay as they were.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.errors import PublishError
from feedpub.layout import OUTPUT_FILENAMES


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


class Staging:
    """Where a build's changed files wait until every document passed its checks.

    Opened before a build generates anything (worker processes forked after that write their
    documents into it too), then either published, each file renamed into place, or
    discarded, leaving the output folder as it was. Files are written without an fsync each;
    one sync of the staging filesystem before the renames makes them all durable at once.
    """

    def __init__(self, out: Path, folder: Path) -> None:
        self.out = out
        self.folder = folder
        self._made: set[Path] = set()  # folders made: in the staging folder, in the output
        self._made_out: set[Path] = set()

    @classmethod
    def open(cls, out: Path) -> Staging:
        """A fresh staging folder for ``out``: beside it, or inside it when the folder beside
        cannot be written (the output folder itself is made only to publish into it).
        Leftovers of a killed run are removed first."""
        try:
            for leftover in (staging_folder(out), out / INSIDE_STAGING):
                if leftover.exists():
                    shutil.rmtree(leftover)
            folder = staging_folder(out)
            try:
                folder.parent.mkdir(parents=True, exist_ok=True)
                folder.mkdir()
            except OSError:  # the folder beside the output cannot be written: stage inside it
                out.mkdir(parents=True, exist_ok=True)
                folder = out / INSIDE_STAGING
                folder.mkdir()
        except OSError as exc:
            raise _publish_error(out, exc) from exc
        return cls(out, folder)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc_info: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def put(self, file: OutputFile) -> bool:
        """Stage ``file`` unless the output folder already holds these bytes; True if staged."""
        try:
            if is_unchanged(target(self.out, file.path), file.data):
                return False
            staged = target(self.folder, file.path)
            if staged.parent not in self._made:  # one mkdir per folder, not per file
                staged.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(staged.parent)
            staged.write_bytes(file.data)
        except OSError as exc:
            raise _publish_error(self.out, exc) from exc
        return True

    def publish(self, paths: list[str]) -> PublishResult:
        """Move the staged ``paths`` into place (made durable first), then fsync the folders
        that changed."""
        result = PublishResult()
        try:
            if paths:
                self.out.mkdir(exist_ok=True)
                sync_files(self.folder, paths)
                for folder in sorted({self._move(path) for path in paths}):
                    fsync_folder(folder)
                result.changed = list(paths)
        except OSError as exc:
            raise _publish_error(self.out, exc) from exc
        return result

    def _move(self, path: str) -> Path:
        """Rename one staged file into place; on EXDEV (the output is a mount point), move
        the staging folder inside the output folder first. The file's folder."""
        final = target(self.out, path)
        if final.parent not in self._made_out:
            final.parent.mkdir(parents=True, exist_ok=True)
            self._made_out.add(final.parent)
        try:
            os.replace(target(self.folder, path), final)
        except OSError as exc:
            if exc.errno != errno.EXDEV or self.folder == self.out / INSIDE_STAGING:
                raise
            self._stage_inside()
            os.replace(target(self.folder, path), final)
        return final.parent

    def _stage_inside(self) -> None:
        """Copy what is still staged into ``.feedpub-staging`` inside the output folder."""
        inside = self.out / INSIDE_STAGING
        shutil.copytree(self.folder, inside)
        shutil.rmtree(self.folder)
        self.folder = inside
        self._made = set()
        sync_files(inside, [p.relative_to(inside).as_posix() for p in _files_under(inside)])


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def _publish_error(out: Path, exc: OSError) -> PublishError:
    return PublishError(f"cannot publish to {out}: {exc.strerror or exc} ({exc.filename or out})")


def sync_files(folder: Path, paths: list[str]) -> None:
    """Make the files ``paths`` under ``folder`` durable: one ``syncfs`` of its filesystem
    where the C library has it (Linux), else an fsync of each."""
    if not _syncfs(folder):
        for path in paths:
            descriptor = os.open(target(folder, path), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def _syncfs(folder: Path) -> bool:
    import ctypes  # only a build that publishes needs it

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return False
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        return bool(syncfs(descriptor) == 0)
    finally:
        os.close(descriptor)


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
