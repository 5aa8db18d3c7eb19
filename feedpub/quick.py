"""The quiet no-op, answered before a build is imported.

``feedpub build --quiet`` from cron usually finds nothing changed. The full no-op spends half
its time importing the build (click, YAML, the data model); this one is a walk of the content
folder, a stat of what the last build published and a small JSON file.

The last build that ended clean (nothing to warn about, nothing stale or foreign in the
output, no WebSub ping left to retry) leaves a *stamp* in the state folder (:func:`stamp`):
the build key, a digest of feeds.yaml's bytes, the fingerprint of the content files (the
build's own :func:`~feedpub.inputs.finding.find_sources`), when a build would next publish
something else, and the stat of every file the state says it published, of every local image
those files hold, of every folder of the output (a file added or removed shows there) and
of the state's own files. :func:`answered` compares it with what is on disk now, holding the
build lock; anything different, anything it cannot compare (another option on the command
line, a running build, a missing or damaged stamp), and the full build runs, which decides as
it always did. A build removes the stamp before it changes anything.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import marshal
import os
import time
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from feedpub.errors import FeedpubError, Problem
from feedpub.inputs.finding import Source, find_sources, sources_fingerprint
from feedpub.layout import SitePaths
from feedpub.versions import build_key

STAMP_VERSION = 1
# The build options the stamp can speak for: --quiet itself, the paths, and --wait (which
# only matters while another build runs, when the full build answers).
_PATH_OPTIONS = ("--config", "--out", "--content", "--state")
_FLAGS = ("--quiet", "-q", "--wait")


class Invocation(NamedTuple):
    """What a quiet build's command line names: feeds.yaml and the site's folders."""

    config: Path
    paths: SitePaths


def answered(argv: Sequence[str]) -> bool:
    """Whether ``argv`` is ``build --quiet`` with paths only, and the stamp shows that the
    build would do nothing at all (then it has been done: nothing)."""
    return check(argv).answered


def check(argv: Sequence[str]) -> Checked:
    """:func:`answered`, and the walk of the content folder it made if it found a change."""
    invocation = quiet_build(argv)
    if invocation is None:
        return Checked(False)
    try:
        return _unchanged(invocation)
    except (OSError, ValueError, EOFError, KeyError, TypeError, FeedpubError):
        return Checked(False)


def quiet_build(argv: Sequence[str]) -> Invocation | None:
    """The invocation of ``feedpub build --quiet`` with no other options than the paths and
    ``--wait``, as click reads them; None for any other command line."""
    if not argv or argv[0] != "build":
        return None
    given: dict[str, str] = {}
    flags: set[str] = set()
    words = list(argv[1:])
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name in _PATH_OPTIONS and name not in given:
            if not equals:
                if not words:
                    return None
                value = words.pop(0)
            if not value:
                return None
            given[name] = value
        elif word in _FLAGS:
            flags.add("--quiet" if word == "-q" else word)
        else:
            return None
    if "--quiet" not in flags:
        return None
    config = Path(given.get("--config", "feeds.yaml"))
    folders = [Path(given[o]) if o in given else None for o in _PATH_OPTIONS[1:]]
    out, content, state = folders
    return Invocation(config, SitePaths.of(config, content, out, state))


class Walk(NamedTuple):
    """A walk of the content folder the quiet check made and found changed: the build that
    follows starts from it instead of walking again (at 50,000 articles a walk is a third of
    a +1 build)."""

    content: Path
    sources: list[Source]
    warnings: list[Problem]
    fingerprint: str  # sources_fingerprint(sources)


class Checked(NamedTuple):
    answered: bool  # nothing to do, and nothing done
    walk: Walk | None = None


def unstamp(paths: SitePaths) -> None:
    """Forget the stamp: a build is about to change what it describes."""
    try:
        paths.state_files.noop_stamp.unlink()
    except FileNotFoundError:
        pass


class StampedFiles(NamedTuple):
    """What a clean build leaves that the stamp watches: output-relative paths with the stat
    the state recorded, and other files (local images) with theirs."""

    outputs: list[tuple[str, tuple[int, ...]]]
    sources: list[tuple[str, tuple[int, ...]]]


def stamp(
    invocation: Invocation, sources_key: str, next_due: float | None, published: StampedFiles
) -> None:
    """Write the stamp of a build that ended clean (see the module docstring)."""
    paths = invocation.paths
    fresh = [folder for folder, _, _ in os.walk(paths.out)] + _state_files(paths)
    stats = _stats_of(fresh)
    if stats is None:
        return
    recorded = [stat for _, stat in (*published.outputs, *published.sources)]
    data = {
        "v": STAMP_VERSION,
        "build": build_key(),
        "config": _digest_file(invocation.config),
        "sources": sources_key,
        "next_due": next_due,
        "outputs": [path for path, _ in published.outputs],
        "others": [path for path, _ in published.sources] + fresh,
        "stats": _digest_stats([*recorded, *stats]),
    }
    target = paths.state_files.noop_stamp
    temporary = target.with_suffix(".tmp")
    temporary.write_bytes(marshal.dumps(data))  # marshal: no import, read fastest
    os.replace(temporary, target)


def _unchanged(invocation: Invocation) -> Checked:
    paths = invocation.paths
    data = marshal.loads(paths.state_files.noop_stamp.read_bytes())
    if data["v"] != STAMP_VERSION or data["build"] != build_key():
        return Checked(False)
    due = data["next_due"]
    if due is not None and due <= time.time():
        return Checked(False)
    if data["config"] != _digest_file(invocation.config) or not paths.content.is_dir():
        return Checked(False)
    descriptor = os.open(paths.state / "lock", os.O_RDWR)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return Checked(False)  # a build is running: the full build waits or says so
        return _same_files(paths, data)
    finally:
        os.close(descriptor)


def _same_files(paths: SitePaths, data: dict[str, Any]) -> Checked:
    out = str(paths.out)
    stats = _stats_of([os.path.join(out, path) for path in data["outputs"]] + data["others"])
    if stats is None or _digest_stats(stats) != data["stats"]:
        return Checked(False)
    if paths.state_files.websub_queue.exists():
        return Checked(False)  # pings to retry
    gc.disable()  # the walk makes two tuples a file: no collection can free any of them
    try:
        sources, warnings = find_sources(paths.content, paths.content.as_posix())
    finally:
        gc.enable()
    fingerprint = sources_fingerprint(sources)
    if not warnings and fingerprint == data["sources"]:
        return Checked(True)
    return Checked(False, Walk(paths.content, sources, warnings, fingerprint))


def _state_files(paths: SitePaths) -> list[str]:
    files = paths.state_files
    return [str(files.database), str(files.listings), str(files.changes)]


def _stats_of(paths: list[str]) -> list[tuple[int, ...]] | None:
    """Each path's stat as the state records one; None when one is missing."""
    stats: list[tuple[int, ...]] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stats.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return stats


def _digest_stats(stats: Iterable[tuple[int, ...]]) -> str:
    numbers = array("Q")
    for stat in stats:
        numbers.extend(stat)
    return hashlib.blake2b(numbers.tobytes(), digest_size=16).hexdigest()


def _digest_file(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
