"""One build: feeds.yaml + content/ -> validated feeds published into the output folder.

Stages run in the order data flows (config, content, grouping, generate, validate, publish).
The index in the state folder lets a build with nothing changed stop after a directory scan,
and lets a build after one edit regenerate only the channels that edit touches. Nothing is
published unless every document about to be published passes the validator.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub import __version__
from feedpub.archives import (
    archive_folders,
    is_archive,
    keeps_records,
    obsolete_pages,
    page_size,
    remove_pages,
)
from feedpub.config import load_config
from feedpub.content import Source, decode, digest_of, find_sources, split_front_matter
from feedpub.errors import InputError, Problem, ValidationFailed
from feedpub.grouping import build_channels, is_published, newest_first
from feedpub.model import Article, Channel, Config, Listing, Record, Rendered, article_of
from feedpub.parallel import map_items
from feedpub.prune import published_before, sort_out_stale
from feedpub.publish import OutputFile, publish
from feedpub.scan import Progress, parse_entry, read_listings, stat_of
from feedpub.state import (
    Cache,
    HtmlStore,
    Index,
    Published,
    load_cache,
    load_index,
    locked,
    save_cache,
    save_index,
)
from feedpub.websub import announce

if TYPE_CHECKING:
    from feedpub.buildcheck import Expected
    from feedpub.generate import Document


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
    foreign: list[str] = field(default_factory=list)  # feed files feedpub never wrote here
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
        known = published_before(index)
        seen = sources_fingerprint(sources)
        if _nothing_changed(index, config, seen, clock, out):
            report.articles, report.published = index.articles, index.published
            report.feeds = [
                FeedResult(path, entry.items, False)
                for path, entry in index.files.items()
                if entry.source is None
            ]
        else:
            _full_build(config, content, out, state, index, sources, seen, clock, report, progress)
        produced = {feed.path for feed in report.feeds}
        skip: set[str] = set()
        if config.site.archives:  # pages gone with removed articles: not the user's to prune
            remove_pages(out, obsolete_pages(out, produced))
            skip = archive_folders(produced)
        stale = sort_out_stale(out, state, produced, known, options.prune, skip)
        report.stale, report.foreign, report.pruned = stale
        changed = [feed.path for feed in report.feeds if feed.changed]
        report.warnings += announce(config, state, out, changed)
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
        if stat_of(out / path) != (entry.size, entry.mtime_ns):
            return False
        if entry.source is not None and stat_of(entry.source) != entry.source_stat:
            return False
    return True


def _full_build(
    config: Config,
    content: Path,
    out: Path,
    state: Path,
    previous: Index,
    sources: list[Source],
    seen: str,
    clock: float,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    cache = load_cache(state, out)
    if previous.config != config.digest:
        cache.files.clear()
        cache.records.clear()
        previous.files.clear()
    listings, fresh = read_listings(config, content, sources, cache, report.warnings, progress)
    published = newest_first(x for x in listings if is_published(x, clock))
    channels = build_channels(config, published)
    store = HtmlStore(state)
    documents, fingerprints = generate(
        config, channels, content, out, previous, cache, store, fresh, clock, report, progress
    )
    media = _media_sources(channels, content)
    changed_media = _changed_media(media, out, previous)
    # Every document is validated before publish() looks at the output folder.
    files = [OutputFile(d.path, d.data) for d in documents]
    result = publish(out, files + changed_media)
    changed = set(result.changed)
    report.feeds = [FeedResult(f.path, f.items, f.path in changed) for f in report.feeds]
    report.articles, report.published = len(listings), len(published)
    due = (x.published for x in listings if not x.draft and x.published > clock)
    index = Index(config.digest, seen, min(due, default=None), len(listings), len(published))
    for feed in report.feeds:
        size_mtime = stat_of(out / feed.path)
        if size_mtime:
            index.files[feed.path] = Published(fingerprints[feed.path], *size_mtime, feed.items)
    for path, source in media.items():
        size_mtime = stat_of(out / path)
        if size_mtime:
            index.files[path] = Published("", *size_mtime, 0, source, stat_of(source))
    save_cache(state, out, cache)
    save_index(state, out, index)
    store.save(render_key(article_of(cache.records[i][1])) for i in cache.records)


def fingerprint(config: Config, channel: Channel, cache: Cache) -> str:
    """Everything a channel's documents depend on; equal fingerprints mean equal bytes.

    A local image counts by its size and mtime: replaced in place, it changes the enclosure's
    length while the article's own file stays the same."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}\0{config.digest}\0{'/'.join(channel.path)}\0".encode())
    if channel.paging is not None:
        h.update(repr(channel.paging).encode())
    for listing in channel.listings:
        image = cache.files[listing.source][2] if listing.image else None
        h.update(f"{listing.id}\0{listing.digest}\0{image}\0".encode())
    return h.hexdigest()


def generate(
    config: Config,
    channels: list[Channel],
    content: Path,
    out: Path,
    previous: Index,
    cache: Cache,
    store: HtmlStore,
    fresh: dict[str, Record],
    clock: float,
    report: BuildReport,
    progress: Progress | None,
) -> tuple[Iterator[Document], dict[str, str]]:
    """(validated documents of the channels whose inputs changed, the fingerprint of every
    document). Documents of unchanged channels are left as published; if the validator finds
    an error in any document, :class:`ValidationFailed` says where and nothing is published."""
    from feedpub.generate import FORMATS, document_path
    from feedpub.opmlcheck import error_lines
    from feedpub.pages import channel_page_paths, site_documents

    stale: list[Channel] = []
    fingerprints: dict[str, str] = {}
    for channel in channels:
        key = fingerprint(config, channel, cache)
        paths = [document_path(channel.path, fmt) for fmt in FORMATS]
        paths += [] if is_archive(channel) else channel_page_paths(channel.path)
        for path in paths:
            fingerprints[path] = key
            report.feeds.append(FeedResult(path, len(channel.listings), False))
        if not all(_still_published(out, previous, path, key) for path in paths):
            stale.append(channel)
    window = {x.id: x for channel in channels if keeps_records(channel) for x in channel.listings}
    wanted = {x.id: x for c in stale for x in c.listings}
    articles = _articles(config, content, list(wanted.values()), cache, fresh)
    _keep_window(cache, window, fresh)
    rendered = render_articles(content, articles, store, progress)
    full = [
        dataclasses.replace(channel, articles=tuple(articles[x.id] for x in channel.listings))
        for channel in stale
    ]
    # Imported before the workers fork, so they inherit the modules instead of each
    # importing the validator again (tens of milliseconds of CPU apiece).
    from feedpub import buildcheck, validator  # noqa: F401

    shared = (config, rendered, datetime.fromtimestamp(clock, UTC))
    current = [channel for channel in channels if not is_archive(channel)]
    site = site_documents(config, current)
    failures: list[str] = []
    for document in site:
        fingerprints[document.path] = ""  # made by every build that generates: always current
        items = len(current) if document.kind == "opml" else len(current[0].listings)
        report.feeds.append(FeedResult(document.path, items, False))
        if document.kind == "opml":
            failures += error_lines(document.path, document.data, shared[2])
    return _validated(shared, full, site, failures, progress), fingerprints


def _validated(
    shared: tuple[Config, dict[str, Rendered], datetime],
    channels: list[Channel],
    site: list[Document],
    failures: list[str],
    progress: Progress | None,
) -> Iterator[Document]:
    """The channels' documents as they are generated and validated, then the ``site``'s, then
    :class:`ValidationFailed` if any failed (adding to ``failures``)."""
    done = 0
    for batch in map_items(_generate_channel, shared, channels, min_items=8):
        for channel_documents, channel_failures in batch:
            yield from channel_documents
            failures += channel_failures
        done += len(batch)
        if progress:
            progress("generating", done, len(channels))
    yield from site
    if failures:
        raise ValidationFailed.own_documents(failures)


def _generate_channel(
    shared: tuple[Config, dict[str, Rendered], datetime], channel: Channel
) -> tuple[list[Document], list[str]]:
    """A channel's documents and the errors the validator finds in them (in a worker process
    on a cold build: generating and validating are most of its time)."""
    from feedpub.generate import render_channel
    from feedpub.pages import channel_pages

    config, rendered, when = shared
    documents = render_channel(channel, config, rendered)
    errors = [line for d in documents for line in _document_errors((config, when), d)]
    pages = [] if is_archive(channel) else channel_pages(channel, config, rendered)
    return documents + pages, errors


def _still_published(out: Path, previous: Index, path: str, key: str) -> bool:
    entry = previous.files.get(path)
    return (
        entry is not None
        and entry.fingerprint == key
        and stat_of(out / path) == (entry.size, entry.mtime_ns)
    )


def _articles(
    config: Config,
    content: Path,
    listings: list[Listing],
    cache: Cache,
    fresh: dict[str, Record],
) -> dict[str, Article]:
    """Full records of ``listings``: parsed in this run, cached, or parsed again now."""
    articles = {}
    for listing in listings:
        record = fresh.get(listing.id)
        if record is None:
            digest, record = cache.records.get(listing.id, ("", ()))
            if digest != listing.digest:
                record = _reparse(listing, config, content)
                fresh[listing.id] = record
        articles[listing.id] = article_of(record)
    return articles


def _reparse(listing: Listing, config: Config, content: Path) -> Record:
    path = source_path(content, listing.source)
    size_mtime = stat_of(path) or (0, 0)
    _, record, parsed = parse_entry(
        Source(listing.source, str(path), *size_mtime), None, config, content
    )
    if record is None or record[-1] != listing.digest:
        problems = list(parsed.problems) or [
            Problem(listing.source, "changed while feedpub was building; run again")
        ]
        raise InputError(problems)
    return record


def _keep_window(cache: Cache, window: dict[str, Listing], fresh: dict[str, Record]) -> None:
    """Keep full records only of the articles some feed publishes."""
    records = {}
    for article_id, listing in window.items():
        if article_id in fresh:
            records[article_id] = (listing.digest, fresh[article_id])
        elif article_id in cache.records:
            records[article_id] = cache.records[article_id]
    cache.records = records


def render_key(article: Article) -> str:
    """What an article's rendered HTML depends on: the renderer, the file, the link."""
    from feedpub.markup import RENDER_VERSION

    return f"{RENDER_VERSION}\0{article.digest}\0{article.link}"


def render_articles(
    content: Path, articles: dict[str, Article], store: HtmlStore, progress: Progress | None
) -> dict[str, Rendered]:
    """HTML and summary of each article, from the store or rendered from its body (on every
    core, for many)."""
    rendered: dict[str, Rendered] = {}
    todo = []
    for article in articles.values():
        found = store.get(render_key(article))
        if found is None:
            todo.append(article)
        else:
            rendered[article.id] = found
    problems = []
    done = 0
    for batch in map_items(_render_one, content, todo, min_items=200):
        for article, result in zip(todo[done : done + len(batch)], batch, strict=True):
            if isinstance(result, list):
                problems.extend(result)
            else:
                store.put(render_key(article), result)
                rendered[article.id] = result
        done += len(batch)
        if progress:
            progress("rendering", done, len(todo))
    if problems:
        raise InputError(problems)
    return rendered


def _render_one(content: Path, article: Article) -> Rendered | list[Problem]:
    """An article's HTML, or the problems reading its body (plain data: it may cross from a
    worker process)."""
    from feedpub.markup import render

    try:
        body = read_body(article, content)
    except InputError as exc:
        return exc.problems
    return render(body, article.link, article.summary)


def source_path(content: Path, name: str) -> Path:
    """The file behind a content file's display name (``content/asia/x.md``)."""
    return content / name.removeprefix(content.as_posix() + "/")


def read_body(article: Article, content: Path) -> str:
    """The Markdown body of a published article, read again from its file."""
    path = source_path(content, article.source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(article.source, f"cannot read: {exc.strerror or exc}")]) from exc
    if digest_of(raw) != article.digest:
        raise InputError([Problem(article.source, "changed while feedpub was building; run again")])
    text, _ = decode(raw, article.source)
    return split_front_matter(text, article.source)[1]


def _media_sources(channels: list[Channel], content: Path) -> dict[str, str]:
    """Output path under ``_media/`` -> the local image it is a copy of, sorted by path."""
    found = {}
    for channel in channels:
        for listing in channel.listings:
            if listing.image is not None:
                relative = Path(os.path.relpath(listing.image, content)).as_posix()
                found["_media/" + relative] = listing.image
    return dict(sorted(found.items()))


def _changed_media(media: dict[str, str], out: Path, previous: Index) -> list[OutputFile]:
    """The images to publish: new ones, replaced ones, and ones whose copy is gone or altered."""
    files = []
    for path, source in media.items():
        entry = previous.files.get(path)
        if (
            entry is not None
            and entry.source_stat == stat_of(source)
            and stat_of(out / path) == (entry.size, entry.mtime_ns)
        ):
            continue
        try:
            files.append(OutputFile(path, Path(source).read_bytes()))
        except OSError as exc:
            raise InputError(
                [Problem(source, f"cannot read image: {exc.strerror or exc}")]
            ) from exc
    return files


def _document_errors(shared: tuple[Config, datetime], document: Document) -> list[str]:
    """The errors in one document, as lines (in a worker process on a cold build)."""
    from feedpub.buildcheck import Expected, check_feed
    from feedpub.validator import check_document
    from feedpub.validator.report import format_line

    config, when = shared
    expected = Expected(config.site.feeds_url, config.site.limit, {}, {}, page_size(config))
    checked = check_document(
        document.data, kind=document.kind, self_url=document.url, now=when, profile="feedpub"
    )
    messages = checked.messages
    if checked.view is not None:
        messages += check_feed(checked.view, document.path, when, expected)
    return [format_line(document.path, m) for m in messages if m.severity == "error"]


def expected_build(options: BuildOptions) -> tuple[Path, Expected]:
    """(output folder, what a build of the current config and content publishes there).

    Reads the cache if there is one but writes nothing, so it is safe beside a running build.
    """
    from feedpub.buildcheck import Expected

    config = load_config(options.config)
    content, out, state = resolve_paths(options)
    if not content.is_dir():
        raise InputError([Problem(str(content), "content folder not found")])
    sources, _ = find_sources(content, content.as_posix())
    cache = load_cache(state, out)
    if load_index(state, out).config != config.digest:
        cache.files.clear()
    listings, _ = read_listings(config, content, sources, cache, [])
    clock = (options.now or now()).timestamp()
    channels = build_channels(config, newest_first(x for x in listings if is_published(x, clock)))
    return out, Expected(
        config.site.feeds_url,
        config.site.limit,
        {"".join(f"{part}/" for part in c.path): [x.id for x in c.listings] for c in channels},
        {x.id: x.source for x in listings},
        page_size(config),
    )
