"""``feedpub validate``: every feed file's own checks, an output folder's OPML and HTML pages
(each feed link they name must be a feed in the folder) and its news sitemap (its schemas),
plus the build-level checks for a feedpub output folder when the site's config is known."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from feedpub.formats import FEED_FILENAMES, RSS
from feedpub.layout import (
    NEWS_SITEMAP_PATH,
    OPML_PATHS,
    PAGE_FILENAME,
    channel_folder,
    is_archive_page,
)
from feedpub.pipeline import build as build_module
from feedpub.pipeline.archives import page_size
from feedpub.pipeline.site import Site
from feedpub.pipeline.state import State
from feedpub.validator import Message, check_document
from feedpub.validator.files import iter_output_files, read_feed_file
from feedpub.validator.messages import sort_key
from feedpub.validator.opml import check_feed_urls, check_opml
from feedpub.validator.output import Expected, FeedView, check_build
from feedpub.validator.pages import CheckedPage, Folder, check_feed_links, check_page
from feedpub.validator.sitemap import check_news_sitemap

PAGE_SUFFIXES = (".html", ".htm")
_T = TypeVar("_T")


@dataclass(frozen=True)
class ValidateOptions:
    paths: tuple[Path, ...]
    config: Path | None = None
    now: datetime | None = None


@dataclass
class _Found:
    """What the checks of each file found, for the checks of each folder."""

    messages: dict[Path, list[Message]] = field(default_factory=dict)
    views: dict[Path, FeedView] = field(default_factory=dict)
    pages: dict[Path, CheckedPage] = field(default_factory=dict)
    opml: dict[Path, bytes] = field(default_factory=dict)


def run_validation(options: ValidateOptions) -> dict[Path, list[Message]]:
    """Messages for every feed file, OPML and HTML page found under ``options.paths``
    (default: the output folder of ``options.config``), in path order.

    Every file is untrusted, in a folder as on the command line: each is read once, through
    the validator's guarded reader, and the build checks see only what it read."""
    clock = options.now or build_module.now()  # read when called: a test sets the clock
    out = expected = None
    if options.config is not None:
        out, expected = expected_build(options.config, clock)
    paths = options.paths or ((out,) if out is not None else ())
    folders = [root for root in paths if root.is_dir()]
    found = _Found()
    for file in iter_output_files(paths):
        self_url = None
        if expected is not None and out is not None and file.is_relative_to(out):
            self_url = expected.feeds_url + file.relative_to(out).as_posix()
        in_folder = any(file.is_relative_to(r) for r in folders)
        found.messages[file] = _check_file(file, found, clock, self_url, in_folder)
    for root in folders:
        is_output = out is not None and root.resolve() == out.resolve()
        _check_folder(root, found, clock, expected if is_output else None)
    results = found.messages
    return {file: results[file] for file in sorted(results)}


def _check_file(
    file: Path, found: _Found, clock: datetime, self_url: str | None, in_folder: bool
) -> list[Message]:
    """One file's own messages, by what it is: a page, an OPML document, the news sitemap
    (by its name) or a feed."""
    data = read_feed_file(file)
    if isinstance(data, Message):
        return [data]
    if file.name == NEWS_SITEMAP_PATH:
        return check_news_sitemap(data)
    suffix = file.suffix.lower()
    if suffix in PAGE_SUFFIXES:
        found.pages[file] = check_page(data)
        return list(found.pages[file].messages)
    if suffix == ".opml":
        found.opml[file] = data
        return check_opml(data, clock)
    kind = "json" if suffix == ".json" else None
    # A feed file in a folder is checked as feedpub's own output (the build checks).
    ours = file.name in FEED_FILENAMES and in_folder
    profile = "feedpub" if ours else None
    checked = check_document(data, kind=kind, self_url=self_url, now=clock, profile=profile)
    if ours and checked.view is not None:
        found.views[file] = checked.view
    return checked.messages


def _check_folder(root: Path, found: _Found, clock: datetime, expected: Expected | None) -> None:
    """The checks of a folder as a whole: the build's (feeds with each other, and with the
    content when ``expected``), and that the feed links of its pages and OPML name its feeds."""
    results = found.messages
    views = _inside(root, found.views)
    for relative, messages in check_build(root, views, clock, expected).items():
        results.setdefault(root / relative, []).extend(messages)
    feeds = frozenset(p for p in _inside(root, results) if not p.endswith(PAGE_SUFFIXES))
    folder = Folder(expected.feeds_url if expected else served_at(views), feeds)
    for relative, page in _inside(root, found.pages).items():
        _add(results[root / relative], check_feed_links(relative, page, folder))
    for relative, data in _inside(root, found.opml).items():
        _add(results[root / relative], check_feed_urls(relative, data, folder))
    if expected is not None:
        for relative in _site_documents(expected):
            if root / relative not in results:
                text = f"{root / relative} should exist and does not"
                results[root / relative] = [Message("error", "MissingPage", text, None, None)]


def _site_documents(expected: Expected) -> list[str]:
    """What a build publishes beside the feeds: each channel's page, the OPMLs, and the news
    sitemap when it is on."""
    pages = [f + PAGE_FILENAME for f in expected.channels if not is_archive_page(f + RSS.filename)]
    return [*pages, *OPML_PATHS, *([NEWS_SITEMAP_PATH] if expected.news_sitemap else [])]


def _inside(root: Path, files: dict[Path, _T]) -> dict[str, _T]:
    """The entries of ``files`` under ``root``, by their path relative to it."""
    return {f.relative_to(root).as_posix(): v for f, v in files.items() if f.is_relative_to(root)}


def _add(messages: list[Message], more: list[Message]) -> None:
    messages.extend(more)
    messages.sort(key=sort_key)


def served_at(views: dict[str, FeedView]) -> str | None:
    """The address a folder is served at, as its feeds' self links say (the most common
    answer; None when no feed says): ``https://example.org/feeds/`` when ``asia/rss.xml``
    links to ``https://example.org/feeds/asia/rss.xml``."""
    answers: Counter[str] = Counter()
    for relative, view in views.items():
        url = view.self_url
        if url and url.endswith("/" + quote(relative)):
            answers[url[: len(url) - len(quote(relative))]] += 1
    return min(answers, key=lambda base: (-answers[base], base)) if answers else None


def expected_build(config: Path, now: datetime) -> tuple[Path, Expected]:
    """(output folder, what a build of the current config and content publishes there at
    ``now``): the build's own scan and plan, on a state opened read-only (safe beside a running
    build)."""
    site = Site.open(config)
    out = site.paths.out
    state = State(site.paths.state, out, site.config.digest, writable=False)
    try:
        scan = site.scan(site.find()[0], state)
        caps = dict(state.index.caps)  # what the last build fitted its capped feeds to
    finally:
        state.close()
    plan = site.plan(scan, now, caps)
    return out, Expected(
        site.config.site.feeds_url,
        site.config.site.limit,
        {channel_folder(c.path): [x.id for x in c.listings] for c in plan.channels},
        {x.id: x.source for x in scan.listings},
        page_size(site.config),
        site.config.site.news_sitemap is not None,
    )
