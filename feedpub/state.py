"""The state folder (``.feedpub/``): the run lock, the build index and the article cache.

The index is small and read on every build: it says what the last build saw (config, every
content file's size and mtime, the next future article to come due) and what it published
(each document's fingerprint, size and mtime). When nothing differs, the build is over
before any content file is opened. The cache holds every file's parsed front matter and the
rendered HTML of published articles. Deleting either only costs time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import marshal
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedpub import __version__
from feedpub.errors import LockBusy, PublishError
from feedpub.model import Listing, Record, Rendered
from feedpub.parallel import keep_from_workers

STATE_VERSION = f"5:{__version__}"  # bump whenever Index or Cache change shape


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
        with keep_from_workers(descriptor):
            yield
    finally:
        os.close(descriptor)


@dataclass
class Published:
    """A file the last build left in the output folder, and what it was made from."""

    fingerprint: str
    size: int
    mtime_ns: int
    items: int = 0
    source: str | None = None  # for a published image: the file under content/
    source_stat: tuple[int, int] | None = None


@dataclass
class Index:
    config: str = ""
    sources: str = ""
    next_due: float | None = None
    articles: int = 0
    published: int = 0
    files: dict[str, Published] = field(default_factory=dict)
    # Feeds an earlier build published whose channel is gone, left in place until --prune.
    retired: tuple[str, ...] = ()


CacheEntry = tuple[int, int, "tuple[int, int] | None", Listing]
"""A content file's size, mtime_ns, its local image's (size, mtime_ns), and its listing."""


@dataclass
class Cache:
    """``files``: every content file's :data:`CacheEntry`. ``records``: article id ->
    (digest, full record) of the articles some feed publishes."""

    files: dict[str, CacheEntry] = field(default_factory=dict)
    records: dict[str, tuple[str, Record]] = field(default_factory=dict)


class HtmlStore:
    """Rendered HTML of published articles, in one SQLite file (``state/html.sqlite``) keyed by
    a hash of what the HTML depends on. A build after one edit writes one row; a cold build
    writes them all in one transaction (thousands of small files cost seconds on some disks).
    A database that cannot be read is deleted: its HTML is only rendered again."""

    def __init__(self, state: Path) -> None:
        self.path = state / "html.sqlite"
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, Rendered] = {}

    @staticmethod
    def name(key: str) -> str:
        return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            for attempt in range(2):
                try:
                    db = sqlite3.connect(self.path, isolation_level=None)
                    db.execute("PRAGMA synchronous = OFF")  # a cache: see _write
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS html "
                        "(name TEXT PRIMARY KEY, html TEXT NOT NULL, summary TEXT NOT NULL)"
                    )
                    self._db = db
                    break
                except sqlite3.DatabaseError:
                    if attempt:
                        raise
                    if self.path.is_dir():
                        raise PublishError(
                            f"cannot use the HTML cache {self.path}: it is a folder; remove it"
                        ) from None
                    self.path.unlink(missing_ok=True)
        assert self._db is not None
        return self._db

    def get(self, key: str) -> Rendered | None:
        name = self.name(key)
        if name in self._pending:
            return self._pending[name]
        try:
            row = (
                self._connect()
                .execute("SELECT html, summary FROM html WHERE name = ?", (name,))
                .fetchone()
            )
        except sqlite3.DatabaseError:
            return None
        return None if row is None else Rendered(*row)

    def put(self, key: str, rendered: Rendered) -> None:
        """Remember ``rendered``; written by :meth:`save`."""
        self._pending[self.name(key)] = rendered

    def save(self, keep: Iterable[str]) -> None:
        """Write what was put, and delete the entries of articles no feed publishes any more."""
        wanted = [(self.name(key),) for key in keep]
        try:
            db = self._connect()
            db.execute("BEGIN")
            db.executemany(
                "INSERT OR REPLACE INTO html VALUES (?, ?, ?)",
                [(name, r.html, r.summary) for name, r in self._pending.items()],
            )
            db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (name TEXT PRIMARY KEY)")
            db.execute("DELETE FROM keep")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", wanted)
            db.execute("DELETE FROM html WHERE name NOT IN (SELECT name FROM keep)")
            db.execute("COMMIT")
            db.close()
        except sqlite3.DatabaseError:
            # Damaged, or the disk is full: the feeds are published already, and this is a
            # cache, so the next build just renders again into a new database.
            self.path.unlink(missing_ok=True)
        finally:
            self._db = None
            self._pending.clear()


def load_index(state: Path, out: Path) -> Index:
    loaded = _load(_path(state, out, "index"))
    return loaded if isinstance(loaded, Index) else Index()


def load_cache(state: Path, out: Path) -> Cache:
    loaded = _load(_path(state, out, "cache"))
    if not isinstance(loaded, Cache):
        return Cache()
    try:
        with open(_path(state, out, "listings"), "rb") as handle:
            version, columns = marshal.loads(
                handle.read()
            )  # load() reads in small pieces: 5x slower
        if version == STATE_VERSION:
            loaded.files = _files_from_columns(columns)
    except Exception:  # noqa: BLE001 - a missing or damaged file just means more work
        loaded.files = {}
    return loaded


def save_cache(state: Path, out: Path, cache: Cache) -> None:
    """The listings go column-wise through marshal: 50,000 of them pickle in 0.25 s, this
    takes half that, both ways."""
    _save(_path(state, out, "cache"), dataclasses.replace(cache, files={}))
    _write(_path(state, out, "listings"), marshal.dumps((STATE_VERSION, _columns(cache.files))))


def _columns(files: dict[str, CacheEntry]) -> tuple[Any, ...]:
    if not files:
        return ()
    sizes, mtimes, images, listings = zip(*files.values(), strict=True)
    columns = list(zip(*listings, strict=True))
    del columns[_SOURCE]  # the same strings as the names
    return tuple(files), sizes, mtimes, images, tuple(columns)


_SOURCE = Listing._fields.index("source")


def _files_from_columns(columns: tuple[Any, ...]) -> dict[str, CacheEntry]:
    if not columns:
        return {}
    names, sizes, mtimes, images, listing_columns = columns
    listing_columns = (*listing_columns[:_SOURCE], names, *listing_columns[_SOURCE:])
    listings = map(Listing._make, zip(*listing_columns, strict=True))
    return dict(zip(names, zip(sizes, mtimes, images, listings, strict=True), strict=True))


def save_index(state: Path, out: Path, index: Index) -> None:
    _save(_path(state, out, "index"), index)


def _load(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            version, value = pickle.load(handle)  # noqa: S301 - our own file in our state folder
    except Exception:  # noqa: BLE001 - a missing or damaged file just means more work
        return None
    return value if version == STATE_VERSION else None


def _save(path: Path, value: Any) -> None:
    _write(path, pickle.dumps((STATE_VERSION, value), pickle.HIGHEST_PROTOCOL))


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically, without fsync: state is disposable. After a power loss an
    old file only fails to match the published feeds' fingerprints and a torn one fails to
    load, and either way the build does more work; the published feeds themselves are
    fsynced before they are renamed into place."""
    temporary = path.with_name(path.name + ".tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        raise PublishError(f"cannot save build state {path}: {exc.strerror or exc}") from exc


def _path(state: Path, out: Path, kind: str) -> Path:
    """One index and cache per output folder, so two sites may share a state folder."""
    key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=6).hexdigest()
    return state / f"{kind}-{key}.{'marshal' if kind == 'listings' else 'pickle'}"
