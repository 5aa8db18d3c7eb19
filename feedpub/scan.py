"""Content files -> listings, reusing the cache for unchanged files and every core for the rest.

A file whose size and mtime match the cache is not opened; one whose bytes hash the same is
not parsed. On a cold build the parsing runs in worker processes, which send back listings
and flat records (tuples pickle cheaply; dataclasses do not).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from feedpub.content import Parsed, Source, digest_of, parse_source, too_large
from feedpub.errors import InputError, Problem
from feedpub.model import Config, Listing, Record, listing_of, record_of
from feedpub.parallel import map_items
from feedpub.state import Cache, CacheEntry

Progress = Callable[[str, int, int], None]
# Below this many files to parse, worker processes cost more than they save.
PARALLEL_MIN_FILES = 2000


def stat_of(path: str | Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of ``path``, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def read_listings(
    config: Config,
    content: Path,
    sources: list[Source],
    cache: Cache,
    warnings: list[Problem],
    progress: Progress | None = None,
) -> tuple[list[Listing], dict[str, Record]]:
    """(every content file's listing, the records of the files parsed in this run).

    Every problem of every file is reported at once, as one :class:`InputError`.
    """
    files: dict[str, CacheEntry] = {}
    todo: list[tuple[Source, CacheEntry | None]] = []
    for source in sources:
        cached = cache.files.get(source.name)
        if cached and cached[:2] == (source.size, source.mtime_ns) and _image_unchanged(cached):
            files[source.name] = cached
        else:
            todo.append((source, cached))
    problems: list[Problem] = []
    fresh: dict[str, Record] = {}
    for source, entry, record, parsed in _parse_all(todo, config, content, progress):
        problems.extend(parsed.problems)
        warnings.extend(parsed.warnings)
        if entry is not None:
            files[source.name] = entry
        if record is not None and entry is not None:
            fresh[entry[3].id] = record
    listings = [files[s.name][3] for s in sources if s.name in files]
    problems.extend(duplicates(listings))
    if problems:
        raise InputError(problems)
    cache.files = files
    return listings, fresh


def duplicates(listings: list[Listing]) -> list[Problem]:
    """A problem for each article whose id, slug or link an earlier file already has (a link
    only when nothing else is: a shared slug gives the same link too)."""
    problems: list[Problem] = []
    for attribute in ("id", "slug", "link"):
        first: dict[str, Listing] = {}
        named = {p.file for p in problems}
        for listing in listings:
            value = getattr(listing, attribute)
            if value not in first:
                first[value] = listing
            elif listing.source not in named:
                problems.append(
                    Problem(
                        listing.source,
                        f"duplicate {attribute} {value!r} (also in {first[value].source})",
                        field=attribute,
                    )
                )
    return problems


Outcome = tuple[CacheEntry | None, Record | None, Parsed]


def _parse_all(
    todo: list[tuple[Source, CacheEntry | None]],
    config: Config,
    content: Path,
    progress: Progress | None,
) -> Iterator[tuple[Source, CacheEntry | None, Record | None, Parsed]]:
    """Parse ``todo``, on every core when there is enough of it (a cold build)."""
    done = 0
    for batch in map_items(_parse_one, (config, content), todo, PARALLEL_MIN_FILES):
        for (source, _), outcome in zip(todo[done : done + len(batch)], batch, strict=True):
            yield (source, *outcome)
        done += len(batch)
        if progress:
            progress("reading", done, len(todo))


def _parse_one(shared: tuple[Config, Path], item: tuple[Source, CacheEntry | None]) -> Outcome:
    config, content = shared
    return parse_entry(item[0], item[1], config, content)


def parse_entry(
    source: Source, cached: CacheEntry | None, config: Config, content: Path
) -> Outcome:
    """Read and parse one file: its cache entry, its record (None if it came from the cache)
    and the problems and warnings found."""
    oversize = too_large(source.name, source.size, config)
    if oversize:  # not even read into memory
        return None, None, Parsed(None, (oversize,))
    try:
        raw = Path(source.path).read_bytes()
    except OSError as exc:
        unreadable = Problem(source.name, f"cannot read: {exc.strerror or exc}")
        return None, None, Parsed(None, (unreadable,))
    if cached and cached[3].digest == digest_of(raw) and _image_unchanged(cached):
        return (source.size, source.mtime_ns, cached[2], cached[3]), None, Parsed(None)
    parsed = parse_source(source, raw, config, content)
    article = parsed.article
    if article is None:
        return None, None, parsed
    listing = listing_of(article)
    image = stat_of(listing.image) if listing.image else None
    entry = (source.size, source.mtime_ns, image, listing)
    return entry, record_of(article), Parsed(None, parsed.problems, parsed.warnings)


def _image_unchanged(cached: CacheEntry) -> bool:
    image = cached[3].image
    return image is None or stat_of(image) == cached[2]
