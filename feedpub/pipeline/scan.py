"""Content files -> listings, reusing the state for unchanged files and every core for the rest.

A file whose stat (size, mtime, ctime, inode) matches the state is not opened; one whose bytes
hash the same is not parsed. On a cold build the parsing runs in worker processes, which send
back listings and flat records (tuples pickle cheaply; dataclasses do not).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from feedpub.errors import InputError, Problem
from feedpub.inputs.articles import Parsed, dated_ahead, parse_source
from feedpub.inputs.finding import Source
from feedpub.inputs.sources import digest_of, too_large
from feedpub.model import Config, Listing, Record, listing_of, record_of
from feedpub.pipeline.identity import identity_problems
from feedpub.pipeline.parallel import map_items
from feedpub.pipeline.state import CachedFile, State, stat_of
from feedpub.pipeline.topics import topic_problems
from feedpub.pipeline.translations import translation_problems

Progress = Callable[[str, int, int], None]
# Below this many files to parse, worker processes cost more than they save.
PARALLEL_MIN_FILES = 2000

__all__ = ["PARALLEL_MIN_FILES", "Progress", "Scan", "parse_entry", "read_listings", "stat_of"]


class Scan(NamedTuple):
    """Every content file's listing, in source order, and what the state should remember."""

    listings: list[Listing]
    files: dict[str, CachedFile]  # every file that parsed, for the next build's scan
    fresh: dict[str, Record]  # article id -> record, of the files parsed in this run
    warnings: list[Problem]
    # With site.on_error: skip, the problems of the files left out (else they are raised).
    skipped: list[Problem] = []  # never mutated


class Outcome(NamedTuple):
    """One file read: its state entry and record (None when unchanged or refused), problems
    (a tuple: it comes back from a worker process)."""

    entry: CachedFile | None
    record: Record | None
    parsed: Parsed


def read_listings(
    config: Config,
    content: Path,
    sources: list[Source],
    state: State | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Scan:
    """Every content file's listing (without a state, every file is parsed); every problem
    of every file at once, as one :class:`InputError`, unless ``site.on_error`` is ``skip``:
    then the files with problems are left out and their problems returned. With ``now``, a
    file parsed in this run must date no change later than that (see :func:`dated_ahead`)."""
    files: dict[str, CachedFile] = {}
    todo: list[tuple[Source, CachedFile | None]] = []
    previous = state.cached_files() if state else {}
    for source in sources:
        cached = previous.get(source.name)
        if cached and cached.stat == source.stat and _image_unchanged(cached):
            files[source.name] = cached
        else:
            todo.append((source, cached))
    problems: list[Problem] = []
    warnings: list[Problem] = []
    fresh: dict[str, Record] = {}
    parsed: list[Listing] = []
    for source, outcome in _parse_all(todo, Reading(config, content, now), progress):
        problems.extend(outcome.parsed.problems)
        warnings.extend(outcome.parsed.warnings)
        if outcome.entry is not None:
            files[source.name] = outcome.entry
            if outcome.record is not None:
                fresh[outcome.entry.listing.id] = outcome.record
                parsed.append(outcome.entry.listing)
    listings = [files[s.name].listing for s in sources if s.name in files]
    if parsed and state is not None:
        known = state.identities([listing.source for listing in parsed])
        problems.extend(identity_problems(config, content, parsed, known))
    problems.extend(duplicates(listings))
    problems.extend(translation_problems(listings, content))
    if config.topics.any():
        problems.extend(topic_problems(config, listings))
    if problems and config.site.on_error != "skip":
        raise InputError(problems)
    broken = {problem.file for problem in problems}
    listings = [listing for listing in listings if listing.source not in broken]
    # A record's first field is its source: a skipped duplicate's must not stand in for the
    # first file with its id.
    fresh = {key: record for key, record in fresh.items() if record[0] not in broken}
    return Scan(listings, files, fresh, warnings, InputError(problems).problems)


_REUSED = (
    ": one of the two is retracted, and a retracted article's id, slug and link are never reused"
)


def duplicates(listings: list[Listing]) -> list[Problem]:
    """A problem for each article whose id, slug or link an earlier file already has (a link
    only when nothing else is: a shared slug gives the same link too)."""
    problems: list[Problem] = []
    for attribute in ("id", "slug", "link"):
        if len(set(map(attrgetter(attribute), listings))) == len(listings):
            continue  # none repeats: the usual case, found without a loop in Python
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
                        f"duplicate {attribute} {value!r} (also in {first[value].source})"
                        + _REUSED * bool(listing.retracted or first[value].retracted),
                        field=attribute,
                    )
                )
    return problems


class Reading(NamedTuple):
    """What every file of a scan is read with (it goes to the worker processes)."""

    config: Config
    content: Path
    now: datetime | None  # the build's clock: no change may be dated later


def _parse_all(
    todo: list[tuple[Source, CachedFile | None]], reading: Reading, progress: Progress | None
) -> Iterator[tuple[Source, Outcome]]:
    """Parse ``todo``, on every core when there is enough of it (a cold build)."""
    done = 0
    for batch in map_items(_parse_one, reading, todo, PARALLEL_MIN_FILES):
        for (source, _), outcome in zip(todo[done : done + len(batch)], batch, strict=True):
            yield source, outcome
        done += len(batch)
        if progress:
            progress("reading", done, len(todo))


def _parse_one(reading: Reading, item: tuple[Source, CachedFile | None]) -> Outcome:
    return parse_entry(item[0], item[1], reading.config, reading.content, reading.now)


def parse_entry(
    source: Source,
    cached: CachedFile | None,
    config: Config,
    content: Path,
    now: datetime | None = None,
) -> Outcome:
    """Read and parse one file (a cached listing is kept if the bytes are the same). With
    ``now``, a change it dates later is a problem (:func:`dated_ahead`)."""
    oversize = too_large(source.name, source.stat.size, config)
    if oversize:  # not even read into memory
        return Outcome(None, None, Parsed(None, (oversize,)))
    try:
        raw = Path(source.path).read_bytes()
    except OSError as exc:
        unreadable = Problem(source.name, f"cannot read: {exc.strerror or exc}")
        return Outcome(None, None, Parsed(None, (unreadable,)))
    if cached and cached.listing.digest == digest_of(raw) and _image_unchanged(cached):
        return Outcome(cached._replace(stat=source.stat), None, Parsed(None))
    parsed = parse_source(source, raw, config, content)
    article = parsed.article
    if article is None:
        return Outcome(None, None, parsed)
    ahead = () if now is None else tuple(dated_ahead(article, now, Path(source.path)))
    if ahead:  # refused, so not cached: the next build reads the file again
        return Outcome(None, None, Parsed(None, parsed.problems + ahead, parsed.warnings))
    listing = listing_of(article, config)
    image = stat_of(listing.image) if listing.image else None
    plain = None if image is None else (image.size, image.mtime_ns, image.ctime_ns, image.inode)
    entry = CachedFile(source.stat, plain, listing)
    return Outcome(entry, record_of(article), Parsed(None, parsed.problems, parsed.warnings))


def _image_unchanged(cached: CachedFile) -> bool:
    image = cached.listing.image
    return image is None or stat_of(image) == cached.image
