"""The state folder (``.feedpub/``): one :class:`State` per output folder, which owns every
"is this still fresh?" decision of a build (the run lock is :mod:`feedpub.pipeline.lock`).

A state is one SQLite file per output folder, ``state-<output folder key>.sqlite``, so two
sites may share a state folder. It holds, one table per kind: the index (what the last build
saw and published), the full records of the articles some feed publishes, and their rendered
HTML; every content file's listing is in two marshal files beside it (``.listings``, and
``.changes`` since: :mod:`feedpub.pipeline.listingfiles`), whose digests the database
holds. Every value is stored with a digest of its bytes, and a value whose digest does not
match is a miss; a state written by another build key (feedpub version, render version,
state version) is empty. So deleting or damaging state only ever costs time.

Reads happen as the build asks; writes wait for :meth:`State.commit`, one transaction at the
end of a build, and then :meth:`State.retire` (a second, small transaction) records the feeds
whose channel is gone, which are known only once the build has published.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sqlite3
import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from feedpub import versions
from feedpub.errors import PublishError
from feedpub.inputs.finding import stat_of
from feedpub.layout import StateFiles
from feedpub.model import Record, Rendered, Stat
from feedpub.pipeline import listingfiles
from feedpub.pipeline.listingfiles import CachedFile, Digests, Loaded
from feedpub.pipeline.packed import unpack

build_key = versions.build_key  # re-exported: the state holds it (and render, plan read it)
STATE_VERSION = versions.STATE_VERSION


class Identity(NamedTuple):
    """What a content file was first published as (its id, slug and date as POSIX time),
    kept across feedpub versions and feeds.yaml changes: see :mod:`feedpub.pipeline.identity`."""

    id: str
    slug: str
    published: float


@dataclass
class Published:
    """A file the last build left in the output folder, and what it was made from."""

    fingerprint: str
    stat: Stat
    items: int = 0
    source: str | None = None  # for a published image: the file under content/
    source_stat: Stat | None = None


@dataclass
class Index:
    """What the last build saw (config, content files, the next future article to come due)
    and what it published. Small: a no-op build reads nothing else."""

    config: str = ""
    sources: str = ""
    next_due: float | None = None
    articles: int = 0
    published: int = 0
    files: dict[str, Published] = field(default_factory=dict)
    # Feeds an earlier build published whose channel is gone, left in place until --prune.
    retired: tuple[str, ...] = ()
    # How many articles each size-capped current feed keeps (see pipeline/sizecap).
    caps: tuple[tuple[tuple[str, ...], int], ...] = ()
    # The POSIX time of the build that wrote it, when the identities table holds every
    # article that build published (see pipeline/identity.unrecorded); None when unknown.
    clock: float | None = None


def digest(data: bytes) -> str:
    """A stored value's checksum: CRC-32 finds accidental damage (a torn write, a flipped
    byte, an edited string) and costs a tenth of a hash; anyone who can write the state
    folder could forge any digest anyway. At N=50,000 the listings are 15 MB."""
    return f"{zlib.crc32(data):08x}"


_TABLES = ("blobs", "records", "html")
# Names per ``IN (...)`` query: under SQLite's oldest limit of 999 parameters.
_IN_CHUNK = 900
_SCHEMA = (
    "CREATE TABLE blobs (name TEXT PRIMARY KEY, digest TEXT NOT NULL, data BLOB NOT NULL)",
    "CREATE TABLE records (id TEXT PRIMARY KEY, source TEXT NOT NULL, "
    "digest TEXT NOT NULL, data BLOB NOT NULL)",
    "CREATE TABLE html (key TEXT PRIMARY KEY, article TEXT NOT NULL, digest TEXT NOT NULL, "
    "html TEXT NOT NULL, summary TEXT NOT NULL)",
    "CREATE INDEX html_article ON html (article)",
    # Not one of _TABLES: what ids were published does not depend on the build key.
    "CREATE TABLE IF NOT EXISTS identities (source TEXT PRIMARY KEY, id TEXT NOT NULL, "
    "slug TEXT NOT NULL, published REAL NOT NULL)",
)


class State:
    """The state of one output folder, as the last build left it, plus what this build puts.

    ``writable=False`` (``feedpub validate``, beside a running build) never creates, repairs
    or writes anything."""

    def __init__(self, folder: Path, out: Path, config: str, writable: bool = True) -> None:
        files = StateFiles.of(folder, out)
        self.path = files.database
        # The listings, one large value, live beside it: as a SQLite blob they cost a +1
        # build at N=50,000 a tenth more. The database holds their digests.
        self.listing_files = (files.listings, files.changes)
        self.out = out
        self.writable = writable
        self._db: sqlite3.Connection | None = None
        self._unreadable = False
        self._records: dict[str, tuple[str, Record]] = {}
        self._html: dict[str, tuple[str, bytes]] = {}  # packed: see feedpub.pipeline.packed
        self._identities: dict[str, Identity] = {}
        self._written: Index | None = None  # what this build's commit left in the database
        self._verified: set[str] = set()  # published files is_current found unchanged
        if writable and self.path.is_dir():
            raise PublishError(f"cannot use the build state {self.path}: it is a folder; remove it")
        self._empty = self._blob("build") != build_key().encode()
        # What the last build published, whatever changed since: --prune deletes only that.
        self.last = self._index()
        index = Index() if self._empty else self.last
        # Listings and records depend on feeds.yaml too; rendered HTML only on its key.
        self._same_config = index.config == config
        self.index = index if self._same_config else Index()
        self._loaded: Loaded | None = None if self._same_config else listingfiles.NOTHING

    # --- what the last build published

    def nothing_changed(self, sources_key: str, clock: float) -> bool:
        """Whether the last build's output is still exactly what a build of the content files
        ``sources_key`` describes would write at POSIX time ``clock``. Never after a change of
        feeds.yaml or of the build key: the index is empty then."""
        index = self.index
        if not index.files or index.sources != sources_key:
            return False
        if index.next_due is not None and index.next_due <= clock:
            return False
        return all(self.is_current(path) for path in index.files)

    def is_current(self, path: str, fingerprint: str | None = None) -> bool:
        """Whether ``path`` under the output folder is still the file the last build published
        (from inputs with ``fingerprint``, when given)."""
        entry = self.index.files.get(path)
        if entry is None or (fingerprint is not None and entry.fingerprint != fingerprint):
            return False
        if entry.source is not None and stat_of(entry.source) != entry.source_stat:
            return False
        # os.path.join: a pathlib join cost more than the stat (thousands per +1 build)
        if stat_of(os.path.join(self.out, path)) != entry.stat:
            return False
        self._verified.add(path)
        return True

    def verified_stat(self, path: str) -> Stat | None:
        """The stat of ``path`` as recorded, if :meth:`is_current` found the file so in this
        build (the commit need not read it again unless the build rewrote it), else None."""
        return self.index.files[path].stat if path in self._verified else None

    # --- cached values: a miss when absent, damaged or made from other inputs

    def cached_files(self) -> Mapping[str, CachedFile]:
        """Content file name -> its listing as the last build made it (one call per scan:
        a method call per file would cost a no-op build more than the lookups)."""
        if self._loaded is None:
            self._loaded = self._load_files()
        return self._loaded.files

    def record(self, article_id: str, source_digest: str) -> Record | None:
        """The full record of an article, if it was made from a file with ``source_digest``."""
        if article_id in self._records:
            found, record = self._records[article_id]
            return record if found == source_digest else None
        if not self._same_config:
            return None
        row = self._row("SELECT source, digest, data FROM records WHERE id = ?", article_id)
        if row is None or row[0] != source_digest or digest(row[2]) != row[1]:
            return None
        try:
            return tuple(pickle.loads(row[2]))  # our own digest-checked bytes
        except Exception:  # a damaged value is a miss
            return None

    def html(self, key: str) -> Rendered | None:
        """The rendered HTML stored under ``key`` (see ``render.render_key``)."""
        if key in self._html:
            return unpack(self._html[key][1])
        if self._empty:
            return None
        row = self._row("SELECT digest, html, summary FROM html WHERE key = ?", _hashed(key))
        if row is None or row[0] != _html_digest(row[1], row[2]):
            return None
        return Rendered(row[1], row[2])

    def identities(self, sources: Collection[str]) -> dict[str, Identity]:
        """Content file name -> what it was published as, whatever build wrote the state,
        for the files ``sources`` names that have been published (looked up one chunk of
        names at a time: a +1 build asks for one file of 50,000)."""
        names = list(sources)
        if self._unreadable or not names or not self.path.is_file():
            return {}
        query = "SELECT * FROM identities WHERE source IN ({})"
        found: dict[str, Identity] = {}
        try:
            db = self._connection()
            for start in range(0, len(names), _IN_CHUNK):
                chunk = names[start : start + _IN_CHUNK]
                rows = db.execute(query.format(",".join("?" * len(chunk))), chunk)
                found.update((source, Identity(*rest)) for source, *rest in rows)
        except (sqlite3.DatabaseError, OSError, PublishError):
            return {}  # an older layout, or damage: nothing is known
        return found

    def put_identities(self, identities: Mapping[str, Identity]) -> None:
        """Keep what this build published differently (or first) for the commit."""
        self._identities.update(identities)

    def put_record(self, article_id: str, source_digest: str, record: Record) -> None:
        self._records[article_id] = (source_digest, record)

    def put_html(self, key: str, article_id: str, packed: bytes) -> None:
        """Keep an article's rendered HTML (``packed.pack`` of it) for the commit."""
        self._html[key] = (article_id, packed)

    # --- the one write of a build

    def commit(self, index: Index, files: dict[str, CachedFile], articles: Iterable[str]) -> None:
        """Write what this build leaves for the next, in one transaction: ``index``, ``files``
        (every content file that parsed), what was put, and keep the records and HTML of
        ``articles`` only (the ids some feed publishes).
        A state that cannot be written is deleted: the feeds are published already, and the
        next build only does more work."""
        if not self.writable:
            raise PublishError(f"{self.path}: state opened read-only")
        try:
            db = self._connection()
            db.execute("BEGIN")
            try:
                self._write(db, index, files, articles)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            self._written = index
        except sqlite3.DatabaseError:
            self.close()
            self._remove()
            self._written = Index()
        except OSError as exc:
            where = exc.filename2 or exc.filename or self.path
            raise PublishError(f"cannot save build state {where}: {exc.strerror or exc}") from exc
        finally:
            self.close()

    def _remove(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            where = exc.filename2 or exc.filename or self.path
            raise PublishError(f"cannot save build state {where}: {exc.strerror or exc}") from exc

    def committed(self) -> Index:
        """The index as the database now holds it (this build's, once it has committed: kept,
        not read back, as at 50,000 articles with archives it is a tenth of a +1 build)."""
        return self._index() if self._written is None else self._written

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def retire(self, paths: tuple[str, ...]) -> None:
        """Remember the feeds left in place whose channel is gone (after :meth:`commit`: the
        stale feeds are known once the build has published)."""
        index = self.committed()
        if not index.files or index.retired == paths or not self.writable:
            return
        index = dataclasses.replace(index, retired=paths)
        try:
            db = self._connection()
            db.execute("BEGIN")
            self._put_blob(db, "index", pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
            db.execute("COMMIT")
            self._written = index
        except sqlite3.DatabaseError:
            self.close()
            self._remove()
            self._written = Index()

    # --- storage

    def _write(
        self,
        db: sqlite3.Connection,
        index: Index,
        files: dict[str, CachedFile],
        articles: Iterable[str],
    ) -> None:
        if self._empty:
            for table in _TABLES:
                db.execute(f"DELETE FROM {table}")  # our own table names
        self._put_blob(db, "build", build_key().encode())
        self._put_blob(db, "index", pickle.dumps(index, pickle.HIGHEST_PROTOCOL))
        # written before the commit that names their digests
        before = self._loaded if self._loaded is not listingfiles.NOTHING else None
        digests = listingfiles.write(self.listing_files, files, before, digest, _replace)
        db.execute("INSERT OR REPLACE INTO blobs VALUES ('files', ?, '')", (digests.base,))
        db.execute("INSERT OR REPLACE INTO blobs VALUES ('changes', ?, '')", (digests.changes,))
        # Only the records and HTML of ``articles`` are kept: a cold build put all of them,
        # and pickling the rest only to delete them was most of its commit.
        keep = set(articles)
        db.executemany(  # rows made one at a time: at 50,000 articles a list was 50 MB more
            "INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?)",
            (
                (article_id, source, digest(data), data)
                for article_id, (source, record) in self._records.items()
                if article_id in keep
                for data in [pickle.dumps(record, pickle.HIGHEST_PROTOCOL)]
            ),
        )
        db.executemany(
            "INSERT OR REPLACE INTO identities VALUES (?, ?, ?, ?)",
            ((source, *identity) for source, identity in self._identities.items()),
        )
        rows = [(_hashed(key), a, packed) for key, (a, packed) in self._html.items() if a in keep]
        db.executemany(  # an article's HTML rendered again replaces its older versions
            "DELETE FROM html WHERE article = ? AND key != ?", [(a, k) for k, a, _ in rows]
        )
        db.executemany(
            "INSERT OR REPLACE INTO html VALUES (?, ?, ?, ?, ?)",
            (
                (k, a, _html_digest(r.html, r.summary), r.html, r.summary)
                for k, a, packed in rows
                for r in [unpack(packed)]
            ),
        )
        db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (id TEXT PRIMARY KEY)")
        db.execute("DELETE FROM keep")
        db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((i,) for i in keep))
        db.execute("DELETE FROM records WHERE id NOT IN (SELECT id FROM keep)")
        db.execute("DELETE FROM html WHERE article NOT IN (SELECT id FROM keep)")

    def _index(self) -> Index:
        data = self._blob("index")
        try:
            loaded = pickle.loads(data) if data else None  # digest-checked
        except Exception:  # a damaged value is a miss
            loaded = None
        return loaded if isinstance(loaded, Index) else Index()

    def _load_files(self) -> Loaded:
        base = self._row("SELECT digest FROM blobs WHERE name = ?", "files")
        changes = self._row("SELECT digest FROM blobs WHERE name = ?", "changes")
        if base is None or changes is None:
            return listingfiles.NOTHING
        digests = Digests(base[0], changes[0])
        return listingfiles.load(*self.listing_files, digests, digest)

    def _blob(self, name: str) -> bytes | None:
        row = self._row("SELECT digest, data FROM blobs WHERE name = ?", name)
        return row[1] if row is not None and digest(row[1]) == row[0] else None

    def _put_blob(self, db: sqlite3.Connection, name: str, data: bytes) -> None:
        db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?, ?)", (name, digest(data), data))

    def _row(self, query: str, key: str) -> Any:
        if self._unreadable:
            return None
        try:
            return self._connection().execute(query, (key,)).fetchone()
        except (sqlite3.DatabaseError, OSError, PublishError):
            self._unreadable = True  # a miss, each time: commit says why if it cannot write
            return None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = self._open() if self.writable else _open_read_only(self.path)
        return self._db

    def _open(self) -> sqlite3.Connection:
        """The database, created (or recreated, if damaged or of another layout) as needed."""
        for attempt in range(2):
            db = sqlite3.connect(self.path, isolation_level=None)
            try:
                db.execute("PRAGMA synchronous = OFF")  # disposable: see commit
                db.execute("PRAGMA temp_store = MEMORY")
                if db.execute("PRAGMA user_version").fetchone()[0] != STATE_VERSION:
                    _create(db)
                return db
            except sqlite3.DatabaseError:
                db.close()
                if attempt:
                    raise
                if self.path.is_dir():
                    raise PublishError(
                        f"cannot use the build state {self.path}: it is a folder; remove it"
                    ) from None
                self._remove()
        raise AssertionError("unreachable")


def _replace(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically, without fsync: state is disposable (a torn or old file
    fails its digest, and the build only does more work)."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _open_read_only(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    if db.execute("PRAGMA user_version").fetchone()[0] != STATE_VERSION:
        db.close()
        raise sqlite3.DatabaseError("another state layout")
    return db


def _create(db: sqlite3.Connection) -> None:
    db.execute("BEGIN")
    for table in _TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA:
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {STATE_VERSION}")
    db.execute("COMMIT")


def _hashed(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _html_digest(html: str, summary: str) -> str:
    return digest(f"{html}\0{summary}".encode())
