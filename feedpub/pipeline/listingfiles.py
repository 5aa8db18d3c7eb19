"""Every content file's listing on disk: written whole now and then, and in between only the
changes, so a build that adds or edits one article of 50,000 writes one listing, not 15 MB.

Two marshal files beside the state database: the *base* (every listing as some build saw
them, column by column) and the *changes* since (listings added or replaced, names
removed). Loading reads both; a commit that changed a few files rewrites only the changes
file, and once the changes outgrow a fraction of the base they are folded into a new base.
The database holds both files' digests, written in the same transaction as the rest of the
state: a file left from a build that did not commit fails its digest and is a miss.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from feedpub.model import Listing
from feedpub.pipeline.parallel import gc_paused

__all__ = ["CachedFile", "Digests", "Loaded", "NOTHING", "StatTuple", "load", "write"]

StatTuple = tuple[int, int, int, int]
"""A :class:`Stat`, or its four numbers as a plain tuple (as loaded: they compare equal)."""

# Fewer changes than this are never folded: below it the changes file costs nothing.
MIN_FOLDED = 1000
# Changes are folded into the base once they are more than this share of its listings.
FOLD_SHARE = 8


class CachedFile(NamedTuple):
    """A content file as the last build saw it: its stat, its local image's, its listing."""

    stat: StatTuple
    image: StatTuple | None  # a plain tuple, never a Stat: marshal stores it
    listing: Listing


Changes = dict[str, CachedFile | None]
"""Content file name -> its listing added or replaced since the base, or None: removed."""


class Digests(NamedTuple):
    """What the database holds of the two files: each one's digest."""

    base: str
    changes: str


class Loaded(NamedTuple):
    """The listings as the last build left them, the changes file's part of them, and the
    digests they were loaded with."""

    files: dict[str, CachedFile]
    changes: Changes
    digests: Digests


NOTHING = Loaded({}, {}, Digests("", ""))


def load(base: Path, changes: Path, digests: Digests, digest: Callable[[bytes], str]) -> Loaded:
    """The listings of ``base`` with ``changes`` applied; empty if either file is missing
    or does not have its digest (a miss: the scan parses again)."""
    try:
        base_data = base.read_bytes()
        changes_data = changes.read_bytes()
        if digest(base_data) != digests.base or digest(changes_data) != digests.changes:
            return NOTHING
        with gc_paused():
            files = _files_from_columns(marshal.loads(base_data))
            changed = _changes_from(marshal.loads(changes_data))
    except Exception:  # a missing or damaged value is a miss
        return NOTHING
    for name, cached in changed.items():
        if cached is None:
            files.pop(name, None)
        else:
            files[name] = cached
    return Loaded(files, changed, digests)


def write(
    paths: tuple[Path, Path],
    files: dict[str, CachedFile],
    before: Loaded | None,
    digest: Callable[[bytes], str],
    replace: Callable[[Path, bytes], None],
) -> Digests:
    """Leave ``files`` on disk (``paths``: the base and the changes file): only what changed
    since ``before`` (what was loaded; None when nothing was) while the changes stay small,
    else all of them as a new base; the digests for the database."""
    base, changes_path = paths
    if before is not None:
        changed = _changed(files, before)
        if len(changed) <= max(MIN_FOLDED, len(files) // FOLD_SHARE):
            data = marshal.dumps(_changes_columns(changed))
            replace(changes_path, data)
            return Digests(before.digests.base, digest(data))
    base_data = marshal.dumps(_columns(files))
    replace(base, base_data)
    data = marshal.dumps(_changes_columns({}))
    replace(changes_path, data)
    return Digests(digest(base_data), digest(data))


def _changed(files: dict[str, CachedFile], before: Loaded) -> Changes:
    """The changes since the base: those loaded, and what this build changed since it loaded
    them (a listing reused from the state is the same object; any other is new)."""
    previous = before.files
    changed: Changes = dict(before.changes)
    changed.update((name, f) for name, f in files.items() if previous.get(name) is not f)
    changed.update(dict.fromkeys(previous.keys() - files.keys()))
    return changed


# Listings go column-wise through marshal: 50,000 of them pickle in 0.25 s, this takes half
# that, both ways (a NamedTuple costs marshal nothing once its columns are transposed).
_SOURCE = Listing._fields.index("source")
# A NamedTuple's _make is Python code; these make the same tuples in C, 50,000 at a time.
_new_listing = partial(tuple.__new__, Listing)
_new_cached_file = partial(tuple.__new__, CachedFile)


def _changes_columns(changed: Changes) -> tuple[Any, ...]:
    removed = tuple(name for name, cached in changed.items() if cached is None)
    present = {name: cached for name, cached in changed.items() if cached is not None}
    return removed, _columns(present)


def _changes_from(columns: tuple[Any, ...]) -> Changes:
    removed, present = columns
    changed: Changes = dict(_files_from_columns(present))
    changed.update(dict.fromkeys(removed))
    return changed


def _columns(files: dict[str, CachedFile]) -> tuple[Any, ...]:
    if not files:
        return ()
    stats, images, listings = zip(*files.values(), strict=True)
    columns = [
        _shared(column) if field in _REPEATED else column
        for field, column in zip(Listing._fields, zip(*listings, strict=True), strict=True)
    ]
    del columns[_SOURCE]  # the same strings as the names
    return tuple(files), tuple(zip(*stats, strict=True)), images, tuple(columns)


# The fields whose values many articles share (their countries, tags, ...): each value made
# one object before marshal writes it, so marshal writes it once and every later use as a
# reference, and loading makes it once. At 50,000 articles loading took half the time.
_REPEATED = frozenset({"countries", "regions", "tags", "authors", "language", "translations"})


def _shared(column: tuple[Any, ...]) -> tuple[Any, ...]:
    """``column`` with each distinct value one object (equal values, the same bytes)."""
    first: dict[Any, Any] = {}
    return tuple([first.setdefault(value, value) for value in column])


def _files_from_columns(columns: tuple[Any, ...]) -> dict[str, CachedFile]:
    if not columns:
        return {}
    names, stat_columns, images, listing_columns = columns
    stats = zip(*stat_columns, strict=True)
    listing_columns = (*listing_columns[:_SOURCE], names, *listing_columns[_SOURCE:])
    listings = map(_new_listing, zip(*listing_columns, strict=True))
    files = map(_new_cached_file, zip(stats, images, listings, strict=True))
    return dict(zip(names, files, strict=True))
