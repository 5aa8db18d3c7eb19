"""What a deploy sends, in what order, and what it deletes (pure, but for reading the output
folder's files to digest them).

Order, so that a deploy stopped at any point leaves nothing published that points at a file
the target lacks: media (and any other file someone put in the output folder: a stylesheet
the feeds name), archive pages, channel pages, current feeds, then the OPML and the index
last. Each batch is complete before the next starts. Deletions come after all of them.

Each file's digest covers its bytes and the headers it is served with, so a changed
``deploy.cache_control`` re-sends the files it applies to, and nothing else does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.formats import media_type
from feedpub.layout import OutputKind, archive_page_number, output_kind
from feedpub.model import CacheControl

DEPLOY_ORDER = (
    OutputKind.MEDIA,
    OutputKind.OTHER,
    OutputKind.ARCHIVE,
    OutputKind.PAGE,
    OutputKind.FEED,
    OutputKind.OPML,
    OutputKind.INDEX,
)


@dataclass(frozen=True, slots=True)
class LocalFile:
    """One file of the output folder, as it is to be served."""

    path: str  # output-relative, '/'-separated
    kind: OutputKind
    content_type: str
    cache_control: str
    digest: str


@dataclass
class DeployPlan:
    """What to send (in order), what the target has already, and what to delete."""

    uploads: list[LocalFile] = field(default_factory=list)
    unchanged: list[LocalFile] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)  # ours, gone from the output folder
    foreign: list[str] = field(default_factory=list)  # not ours: never deleted

    def batches(self) -> list[list[LocalFile]]:
        """The uploads by kind, in :data:`DEPLOY_ORDER`: each done before the next starts."""
        rank = {kind: index for index, kind in enumerate(DEPLOY_ORDER)}
        batches: dict[int, list[LocalFile]] = {}
        for file in self.uploads:
            batches.setdefault(rank[file.kind], []).append(file)
        return [batches[key] for key in sorted(batches)]


def local_files(out: Path, cache: CacheControl) -> tuple[list[LocalFile], list[str]]:
    """Every regular file of the output folder with its headers and digest, sorted by path;
    and the paths left out because they are not regular files (a symlink, a FIFO). Hidden
    files and folders (``.feedpub-staging``) are never deployed."""
    paths, skipped = _walk(out)
    newest = newest_archive_pages(paths)
    files = []
    for path in paths:
        kind = output_kind(path)
        header = getattr(cache, (OutputKind.FEED if path in newest else kind).value)
        content_type = media_type(path.rsplit("/", 1)[-1])
        digest = file_digest(out / path, content_type, header)
        files.append(LocalFile(path, kind, content_type, header, digest))
    return files, skipped


def newest_archive_pages(paths: Iterable[str]) -> set[str]:
    """The files of each channel's newest archive page: it changes when a newer one appears
    (it gains its ``next-archive`` link), so it is cached like a current feed."""
    numbers: dict[str, int] = {}
    pages = []
    for path in paths:
        found = archive_page_number(path)
        if found is not None:
            folder, number = found
            numbers[folder] = max(number, numbers.get(folder, number))
            pages.append((path, folder, number))
    return {path for path, folder, number in pages if numbers[folder] == number}


def file_digest(path: Path, content_type: str, cache_control: str) -> str:
    """SHA-256 of the file's bytes and the two headers it is served with."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"\0{content_type}\0{cache_control}".encode())
    return digest.hexdigest()


def make_plan(
    local: list[LocalFile], remote: Mapping[str, str | None] | None, ours: set[str]
) -> DeployPlan:
    """Compare the output folder with the target. ``remote``: each path the target holds and
    its feedpub digest (None when unknown: sent again); ``None`` when the target cannot be
    listed (rsync compares each file itself): then every file is a candidate and the
    deletions are the files of ``ours`` the output folder no longer has."""
    plan = DeployPlan()
    present = {file.path for file in local}
    for file in local:
        same = remote is not None and remote.get(file.path) == file.digest
        (plan.unchanged if same else plan.uploads).append(file)
    gone = sorted((ours if remote is None else set(remote)) - present)
    plan.deletions = [path for path in gone if path in ours]
    plan.foreign = [path for path in gone if path not in ours]
    return plan


def _walk(out: Path) -> tuple[list[str], list[str]]:
    paths: list[str] = []
    skipped: list[str] = []
    for folder, subfolders, names in os.walk(out):
        relative = Path(folder).relative_to(out).as_posix()
        prefix = "" if relative == "." else relative + "/"
        linked = [d for d in subfolders if os.path.islink(os.path.join(folder, d))]
        skipped += [prefix + d for d in linked if not d.startswith(".")]
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in linked)
        for name in names:
            if name.startswith("."):
                continue
            path = prefix + name
            full = os.path.join(folder, name)
            (paths if os.path.isfile(full) and not os.path.islink(full) else skipped).append(path)
    return sorted(paths), sorted(skipped)
