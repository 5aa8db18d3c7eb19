"""One build: feeds.yaml + content/ -> validated feeds published into the output folder.

Stages run in the order data flows (config, content, grouping, generate, validate, publish);
each is skipped where the cache proves its result unchanged, and nothing is published unless
every document about to be published passes the validator.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
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
from feedpub.model import Article, Channel, Config, Rendered
from feedpub.publish import OutputFile, publish, remove, stale_feeds
from feedpub.state import Cache, load_cache, locked, save_cache

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
    with locked(state, options.wait):
        cache = load_cache(state, out)
        if cache.config != config.digest:
            cache.files.clear()
            cache.documents.clear()
        report = BuildReport(out)
        articles = read_articles(config, content, cache, report, progress)
        clock = options.now or now()
        published = newest_first(a for a in articles if is_published(a, clock))
        report.articles, report.published = len(articles), len(published)
        channels = build_channels(config, published)
        files = generate(config, channels, content, out, cache, report, progress)
        result = publish(out, files)
        _record(cache, out, result.changed + result.unchanged)
        changed = set(result.changed)
        for feed in report.feeds:
            if feed.path in changed:
                object.__setattr__(feed, "changed", True)
        expected = {f.path for f in report.feeds}
        report.stale = stale_feeds(out, expected)
        if options.prune and report.stale:
            remove(out, report.stale)
            report.pruned = True
        cache.config = config.digest
        save_cache(state, out, cache)
    return report


def read_articles(
    config: Config, content: Path, cache: Cache, report: BuildReport, progress: Progress | None
) -> list[Article]:
    """Every content file as an Article; cached ones are not even opened. All problems at once."""
    if not content.is_dir():
        raise InputError([Problem(str(content), "content folder not found")])
    sources, warnings = find_sources(content, content.as_posix())
    report.warnings.extend(warnings)
    problems: list[Problem] = []
    articles: list[Article] = []
    files: dict[str, tuple[int, int, str, Article]] = {}
    for index, source in enumerate(sources):
        if progress and index % 2000 == 0:
            progress("reading", index, len(sources))
        cached = cache.files.get(source.name)
        if cached and cached[0] == source.size and cached[1] == source.mtime_ns:
            article = cached[3]
        else:
            parsed = _parse(source, config, content, cached)
            problems.extend(parsed.problems)
            report.warnings.extend(parsed.warnings)
            if parsed.article is None:
                continue
            article = parsed.article
        files[source.name] = (source.size, source.mtime_ns, article.digest, article)
        articles.append(article)
    problems.extend(_duplicates(articles))
    if problems:
        raise InputError(problems)
    cache.files = files
    return articles


def _parse(
    source: Source, config: Config, content: Path, cached: tuple[int, int, str, Article] | None
) -> Parsed:
    try:
        raw = Path(source.path).read_bytes()
    except OSError as exc:
        return Parsed(None, (Problem(source.name, f"cannot read: {exc.strerror or exc}"),))
    if cached and cached[2] == digest_of(raw):
        return Parsed(cached[3])  # touched but not changed
    return parse_source(source, raw, config, content)


def _duplicates(articles: list[Article]) -> list[Problem]:
    problems = []
    for attribute in ("id", "slug"):
        first: dict[str, Article] = {}
        for article in articles:
            value = getattr(article, attribute)
            if value in first:
                problems.append(
                    Problem(
                        article.source,
                        f"duplicate {attribute} {value!r} (also in {first[value].source})",
                        field=attribute,
                    )
                )
            else:
                first[value] = article
    return problems


def fingerprint(config: Config, channel: Channel) -> str:
    """Everything a channel's documents depend on; equal fingerprints mean equal bytes."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__}\0{config.digest}\0{'/'.join(channel.path)}\0".encode())
    for article in channel.articles:
        h.update(f"{article.id}\0{article.digest}\0{article.link}\0".encode())
    return h.hexdigest()


def generate(
    config: Config,
    channels: list[Channel],
    content: Path,
    out: Path,
    cache: Cache,
    report: BuildReport,
    progress: Progress | None,
) -> list[OutputFile]:
    """The documents of every channel whose inputs changed, validated; the rest are kept."""
    from feedpub.generate import FORMATS, document_path, render_channel

    files: list[OutputFile] = []
    stale: list[tuple[Channel, str]] = []
    for channel in channels:
        key = fingerprint(config, channel)
        paths = [document_path(channel.path, fmt) for fmt in FORMATS]
        if not all(_still_published(out, cache, path, key) for path in paths):
            stale.append((channel, key))
        report.feeds.extend(FeedResult(path, len(channel.articles), False) for path in paths)
    needed = {a.id: a for channel, _ in stale for a in channel.articles}
    rendered = render_articles(config, content, needed, cache, progress)
    documents = []
    for index, (channel, key) in enumerate(stale):
        if progress and index % 20 == 0:
            progress("generating", index, len(stale))
        for document in render_channel(channel, config, rendered):
            documents.append(document)
            cache.documents[document.path] = (key, -1, -1)
    check_documents(documents)
    files.extend(OutputFile(d.path, d.data) for d in documents)
    files.extend(_media(needed.values(), content))
    return files


def _still_published(out: Path, cache: Cache, path: str, key: str) -> bool:
    entry = cache.documents.get(path)
    if entry is None or entry[0] != key:
        return False
    try:
        st = os.stat(out / path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == entry[1:]


def _record(cache: Cache, out: Path, paths: list[str]) -> None:
    """Remember the size and mtime of each document as now published, for the next build."""
    for path in paths:
        entry = cache.documents.get(path)
        if entry is None:
            continue
        try:
            st = os.stat(out / path)
        except OSError:
            del cache.documents[path]
            continue
        cache.documents[path] = (entry[0], st.st_size, st.st_mtime_ns)


def render_articles(
    config: Config,
    content: Path,
    needed: dict[str, Article],
    cache: Cache,
    progress: Progress | None,
) -> dict[str, Rendered]:
    """HTML and summary of each needed article, from the cache or rendered from its body."""
    from feedpub.markup import RENDER_VERSION, render

    rendered: dict[str, Rendered] = {}
    kept: dict[tuple[str, str], Rendered] = {}
    problems = []
    for index, article in enumerate(needed.values()):
        if progress and index % 500 == 0:
            progress("rendering", index, len(needed))
        key = (f"{RENDER_VERSION}:{article.digest}", article.link)
        result = cache.rendered.get(key)
        if result is None:
            try:
                body = read_body(article, content)
            except InputError as exc:
                problems.extend(exc.problems)
                continue
            result = render(body, article.link, article.summary)
        rendered[article.id] = kept[key] = result
    if problems:
        raise InputError(problems)
    cache.rendered.update(kept)
    return rendered


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


def _media(articles: Iterable[Article], content: Path) -> list[OutputFile]:
    """Local images of the published articles, published under ``_media/``."""
    files = {}
    for article in articles:
        image = article.image
        if image is None or image.source is None:
            continue
        relative = Path(os.path.relpath(image.source, content)).as_posix()
        try:
            files[relative] = OutputFile("_media/" + relative, Path(image.source).read_bytes())
        except OSError as exc:
            raise InputError(
                [
                    Problem(
                        article.source,
                        f"cannot read image {image.source}: {exc.strerror or exc}",
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
