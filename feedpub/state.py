"""The state folder (``.feedpub/``): the run lock and the incremental-build cache."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from feedpub import __version__
from feedpub.errors import LockBusy, PublishError
from feedpub.model import Article, Rendered
from feedpub.publish import write_synced

CACHE_VERSION = f"1:{__version__}"


@contextlib.contextmanager
def locked(state: Path, wait: bool) -> Iterator[None]:
    """Hold the exclusive lock of ``state`` (flock: the kernel drops it when a run dies)."""
    try:
        state.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PublishError(f"cannot create the lock in {state}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise LockBusy(
                f"another feedpub build is running (lock {state / 'lock'}); "
                "this run did nothing. Use --wait to wait for it."
            ) from exc
        yield
    finally:
        os.close(descriptor)


@dataclass
class Cache:
    """What a previous build learned, so the next can skip work. Losing it only costs time.

    ``files``: content file name -> (size, mtime_ns, digest, article or None when the file
    is a draft-free parse failure is never cached). ``rendered``: (digest, link) -> HTML.
    ``documents``: output path -> (fingerprint of its inputs, size, mtime_ns of the file).
    """

    config: str = ""
    files: dict[str, tuple[int, int, str, Article]] = field(default_factory=dict)
    rendered: dict[tuple[str, str], Rendered] = field(default_factory=dict)
    documents: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def load_cache(state: Path, out: Path) -> Cache:
    """The cache for builds into ``out``; an empty one if missing, stale or unreadable."""
    try:
        with open(_cache_path(state, out), "rb") as handle:
            version, cache = pickle.load(handle)  # noqa: S301 - our own file in our state folder
    except Exception:  # noqa: BLE001 - any damage to the cache just means a cold build
        return Cache()
    return cache if version == CACHE_VERSION and isinstance(cache, Cache) else Cache()


def save_cache(state: Path, out: Path, cache: Cache) -> None:
    path = _cache_path(state, out)
    temporary = path.with_name(path.name + ".tmp")
    try:
        write_synced(
            temporary, pickle.dumps((CACHE_VERSION, cache), protocol=pickle.HIGHEST_PROTOCOL)
        )
        os.replace(temporary, path)
    except OSError as exc:
        raise PublishError(f"cannot save the build cache {path}: {exc.strerror or exc}") from exc


def _cache_path(state: Path, out: Path) -> Path:
    import hashlib

    key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=6).hexdigest()
    return state / f"cache-{key}.pickle"
