"""One build: feeds.yaml + content/ -> validated feeds published into the output folder.

Stages run in the order data flows (config, content, grouping, generate, validate, publish).
The index in the state folder lets a build with nothing changed stop after a directory scan,
and lets a build after one edit regenerate only the channels that edit touches. Nothing is
published unless every document about to be published passes the validator.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub import __version__
from feedpub.config import load_config
from feedpub.content import (
    Parsed,
    Source,
    decode,
    digest_of,
    find_sources,
    parse_source,
    split_front_matter,
)
from feedpub.errors import InputError, Problem, ValidationFailed
from feedpub.grouping import build_channels, is_published, newest_first
from feedpub.model import (
    Article,
    Channel,
    Config,
    Listing,
    Rendered,
    image_source,
    listing_of,
)
from feedpub.publish import OutputFile, publish, remove, stale_feeds
from feedpub.state import (
    Cache,
    Index,
    Published,
    load_cache,
    load_index,
    locked,
    save_cache,
    save_index,
)

if TYPE_CHECKING:
    from feedpub.generate import Document

Progress = Callable[[str, int, int], None]


def now() -> datetime:
    """The build clock; the one place feedpub asks for the time (tests pass ``now`` instead)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class BuildOptions:
    config: Path
    out: Path | None = None
    content: Path | None = None
    state: Path | None = None
    wait: bool = False
    prune: bool = False
    now: datetime | None = None


@dataclass(frozen=True)
class FeedResult:
    path: str
    items: int
    changed: bool


@dataclass
class BuildReport:
    out: Path
    feeds: list[FeedResult] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    pruned: bool = False
    articles: int = 0
    published: int = 0


def resolve_paths(options: BuildOptions) -> tuple[Path, Path, Path]:
    """(content folder, output folder, state folder), defaulting beside feeds.yaml."""
    base = options.config.parent
    content = options.content or base / "content"
    out = options.out or base / "public"
    state = options.state or base / ".feedpub"
    return content, out, state


def build(options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Run one build; raise a :class:`FeedpubError` and publish nothing if anything is wrong."""
    config = load_config(options.config)
    content, out, state = resolve_paths(options)
    if not content.is_dir():
        raise InputError([Problem(str(content), "content folder not found")])
    with locked(state, options.wait):
        clock = (options.now or now()).timestamp()
        sources, warnings = find_sources(content, content.as_posix())
        report = BuildReport(out, warnings=list(warnings))
        index = load_index(state, out)
        seen = sources_fingerprint(sources)
        if _nothing_changed(index, config, seen, clock, out):
            report.articles, report.published = index.articles, index.published
            report.feeds = [
                FeedResult(path, entry.items, False)
                for path, entry in index.files.items()
                if entry.source is None
            ]
        else:
            index = _full_build(config, content, out, state, sources, seen, clock, report, progress)
        report.stale = stale_feeds(out, {feed.path for feed in report.feeds})
        if options.prune and report.stale:
            remove(out, report.stale)
            report.pruned = True
    return report


def sources_fingerprint(sources: list[Source]) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(f"{s.name}\0{s.size}\0{s.mtime_ns}" for s in sources).encode())
    return h.hexdigest()


def _nothing_changed(index: Index, config: Config, seen: str, clock: float, out: Path) -> bool:
    """True when the last build's output is still exactly what this build would write."""
    if index.config != config.digest or index.sources != seen or not index.files:
        return False
    if index.next_due is not None and index.next_due <= clock:
        return False
    for path, entry in index.files.items():
        if _stat(out / path) != (entry.size, entry.mtime_ns):
            return False
        if entry.source is not None and _stat(Path(entry.source)) != entry.source_stat:
            return False
    return True


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _full_build(
    config: Config,
    content: Path,
    out: Path,
    state: Path,
    sources: list[Source],
    seen: str,
    clock: float,
    report: BuildReport,
    progress: Progress | None,
) -> Index:
    previous = load_index(state, out)
    cache = load_cache(state, out)
    if previous.config != config.digest:
        cache.files.clear()
        previous.files.clear()
    listings = read_listings(config, content, sources, cache, report, progress)
    published = newest_first(x for x in listings if is_published(x, clock))
    channels = build_channels(config, published)
    documents, media, fingerprints = generate(
        config, channels, content, out, previous, cache, report, progress
    )
    result = publish(out, [OutputFile(d.path, d.data) for d in documents] + media)
    changed = set(result.changed)
    report.feeds = [FeedResult(f.path, f.items, f.path in changed) for f in report.feeds]
    index = Index(
        config.digest,
        seen,
        min((x.published for x in listings if not x.draft and x.published > clock), default=None),
        len(listings),
        len(published),
    )
    for feed in report.feeds:
        size_mtime = _stat(out / feed.path)
        if size_mtime:
            index.files[feed.path] = Published(fingerprints[feed.path], *size_mtime, feed.items)
    for file in media:
        size_mtime, source = _stat(out / file.path), _media_sources(channels, content)[file.path]
        if size_mtime:
            index.files[file.path] = Published("", *size_mtime, 0, source, _stat(Path(source)))
    save_cache(state, out, cache)
    save_index(state, out, index)
    report.articles, report.published = len(listings), len(published)
    return index


CacheEntry = tuple[int, int, str, "tuple[int, int] | None", Listing]
# Below this many files to parse, worker processes cost more than they save.
PARALLEL_MIN_FILES = 2000


def read_listings(
    config: Config,
    content: Path,
    sources: list[Source],
    cache: Cache,
    report: BuildReport,
    progress: Progress | None,
) -> list[Listing]:
    """Every content file's listing; unchanged ones come from the cache unread. All problems
    of all files are reported at once."""
    files: dict[str, CacheEntry] = {}
    todo: list[tuple[Source, CacheEntry | None]] = []
    for source in sources:
        cached = cache.files.get(source.name)
        if cached and cached[:2] == (source.size, source.mtime_ns) and _image_unchanged(cached):
            files[source.name] = cached
        else:
            todo.append((source, cached))
    problems: list[Problem] = []
    for source, entry, parsed in _parse_all(todo, config, content, progress):
        problems.extend(parsed.problems)
        report.warnings.extend(parsed.warnings)
        if entry is not None:
            files[source.name] = entry
    listings = [files[s.name][4] for s in sources if s.name in files]
    problems.extend(_duplicates(listings))
    if problems:
        raise InputError(problems)
    cache.files = files
    return listings


def _parse_all(
    todo: list[tuple[Source, CacheEntry | None]],
    config: Config,
    content: Path,
    progress: Progress | None,
) -> Iterator[tuple[Source, CacheEntry | None, Parsed]]:
    """Parse ``todo``, on every core when there is enough of it (a cold build)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) < PARALLEL_MIN_FILES or workers < 2:
        for number, (source, cached) in enumerate(todo):
            if progress and number % 2000 == 0:
                progress("reading", number, len(todo))
            yield (source, *_parse_entry(source, cached, config, content))
        return
    size = max(500, len(todo) // (workers * 8))
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = 0
        results = pool.map(_parse_chunk, chunks, [config] * len(chunks), [content] * len(chunks))
        for chunk, parsed_chunk in zip(chunks, results, strict=True):
            for (source, _), (entry, parsed) in zip(chunk, parsed_chunk, strict=True):
                yield source, entry, parsed
            done += len(chunk)
            if progress:
                progress("reading", done, len(todo))


def _parse_chunk(
    chunk: list[tuple[Source, CacheEntry | None]], config: Config, content: Path
) -> list[tuple[CacheEntry | None, Parsed]]:
    """Worker side: parsed articles travel back as listings, which pickle cheaply."""
    return [_parse_entry(source, cached, config, content) for source, cached in chunk]


def _parse_entry(
    source: Source, cached: CacheEntry | None, config: Config, content: Path
) -> tuple[CacheEntry | None, Parsed]:
    try:
        raw = Path(source.path).read_bytes()
    except OSError as exc:
        return None, Parsed(None, (Problem(source.name, f"cannot read: {exc.strerror or exc}"),))
    digest = digest_of(raw)
    if cached and cached[2] == digest and _image_unchanged(cached):
        return (source.size, source.mtime_ns, digest, cached[3], cached[4]), Parsed(None)
    parsed = parse_source(source, raw, config, content)
    article = parsed.article
    if article is None:
        return None, parsed
    image = article.image
    image_stat = _stat(Path(image.source)) if image and image.source else None
    entry = (source.size, source.mtime_ns, article.digest, image_stat, listing_of(article))
    return entry, Parsed(None, parsed.problems, parsed.warnings)


def _image_unchanged(cached: CacheEntry) -> bool:
    if cached[3] is None:
        return True
    source = image_source(cached[4])
    return source is not None and _stat(Path(source)) == cached[3]


def _duplicates(listings: list[Listing]) -> list[Problem]:
    problems = []
    for attribute in ("id", "slug"):
        first: dict[str, Listing] = {}
        for listing in listings:
            value = getattr(listing, attribute)
            if value in first:
                problems.append(
                    Problem(
                        listing.source,
                        f"duplicate {attribute} {value!r} (also in {first[value].source})",
                        field=attribute,
                    )
                )
            else:
                first[value] = listing
    return problems


def fingerprint(config: Config, channel: Channel) -> str:
    """Everything a channel's documents depend on; equal fingerprints mean equal bytes."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}\0{config.digest}\0{'/'.join(channel.path)}\0".encode())
    for article in channel.articles:
        h.update(f"{article.id}\0{article.digest}\0".encode())
    return h.hexdigest()


def generate(
    config: Config,
    channels: list[Channel],
    content: Path,
    out: Path,
    previous: Index,
    cache: Cache,
    report: BuildReport,
    progress: Progress | None,
) -> tuple[list[Document], list[OutputFile], dict[str, str]]:
    """(validated documents of the channels whose inputs changed, media files, the fingerprint
    of every document). Documents of unchanged channels are left as published."""
    from feedpub.generate import FORMATS, document_path, render_channel

    stale: list[Channel] = []
    fingerprints: dict[str, str] = {}
    for channel in channels:
        key = fingerprint(config, channel)
        paths = [document_path(channel.path, fmt) for fmt in FORMATS]
        for path in paths:
            fingerprints[path] = key
            report.feeds.append(FeedResult(path, len(channel.articles), False))
        if not all(_still_published(out, previous, path, key) for path in paths):
            stale.append(channel)
    needed = {a.id: a for channel in stale for a in channel.articles}
    rendered = render_articles(content, needed, cache, progress)
    in_window = {a.id: a for channel in channels for a in channel.articles}
    _keep_rendered_of(cache, in_window.values())
    documents = []
    for number, channel in enumerate(stale):
        if progress and number % 20 == 0:
            progress("generating", number, len(stale))
        documents.extend(render_channel(channel, config, rendered))
    check_documents(documents)
    return documents, _media(in_window.values(), content), fingerprints


def _still_published(out: Path, previous: Index, path: str, key: str) -> bool:
    entry = previous.files.get(path)
    return (
        entry is not None
        and entry.fingerprint == key
        and _stat(out / path) == (entry.size, entry.mtime_ns)
    )


def render_key(article: Article) -> tuple[str, str]:
    from feedpub.markup import RENDER_VERSION

    return f"{RENDER_VERSION}:{article.digest}", article.link


def render_articles(
    content: Path, needed: dict[str, Article], cache: Cache, progress: Progress | None
) -> dict[str, Rendered]:
    """HTML and summary of each needed article, from the cache or rendered from its body."""
    from feedpub.markup import render

    rendered: dict[str, Rendered] = {}
    problems = []
    for number, article in enumerate(needed.values()):
        if progress and number % 500 == 0:
            progress("rendering", number, len(needed))
        key = render_key(article)
        result = cache.rendered.get(key)
        if result is None:
            try:
                body = read_body(article, content)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            result = cache.rendered[key] = render(body, article.link, article.summary)
        rendered[article.id] = result
    if problems:
        raise InputError(problems)
    return rendered


def _keep_rendered_of(cache: Cache, articles: Iterable[Article]) -> None:
    """Drop cached HTML of articles no feed publishes any more, so the cache stays small."""
    keys = {render_key(a) for a in articles}
    cache.rendered = {k: v for k, v in cache.rendered.items() if k in keys}


def read_body(article: Article, content: Path) -> str:
    """The Markdown body of a published article, read again from its file."""
    path = content / article.source.removeprefix(content.as_posix() + "/")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(article.source, f"cannot read: {exc.strerror or exc}")]) from exc
    if digest_of(raw) != article.digest:
        raise InputError([Problem(article.source, "changed while feedpub was building; run again")])
    text, _ = decode(raw, article.source)
    return split_front_matter(text, article.source)[1]


def _media_sources(channels: list[Channel], content: Path) -> dict[str, str]:
    """Output path under ``_media/`` -> the local image file it is copied from."""
    found = {}
    for channel in channels:
        for article in channel.articles:
            image = article.image
            if image is not None and image.source is not None:
                relative = Path(os.path.relpath(image.source, content)).as_posix()
                found["_media/" + relative] = image.source
    return found


def _media(articles: Iterable[Article], content: Path) -> list[OutputFile]:
    """Local images of the published articles, published under ``_media/``."""
    files = {}
    for article in articles:
        image = article.image
        if image is None or image.source is None:
            continue
        relative = "_media/" + Path(os.path.relpath(image.source, content)).as_posix()
        try:
            files[relative] = OutputFile(relative, Path(image.source).read_bytes())
        except OSError as exc:
            raise InputError(
                [
                    Problem(
                        article.source,
                        f"cannot read {image.source}: {exc.strerror or exc}",
                        field="image",
                    )
                ]
            ) from exc
    return [files[k] for k in sorted(files)]


def check_documents(documents: list[Document]) -> None:
    """Validate every document about to be published; any error stops the build."""
    try:
        from feedpub.validator import validate_document
    except ImportError:  # the validator lands separately
        return
    failures = []
    for document in documents:
        for message in validate_document(document.data, kind=document.kind, self_url=document.url):
            if message.severity == "error":
                failures.append(
                    f"{document.path}:{message.line or 0}:{message.column or 0}: "
                    f"error {message.code}: {message.message}"
                )
    if failures:
        raise ValidationFailed(
            "feedpub generated documents that fail validation; nothing was published:\n"
            + "\n".join(failures)
        )
