"""Checks over a whole build output, beyond what each document's validation can see.

Each document on its own may be valid and the build still wrong: an article missing from its
country's feed, another id for the same article in the Atom feed, items out of order. These
checks read every feed of an output folder back (RSS, Atom and JSON alike) and compare them
with each other and, when the site's config is known, with what the build should contain.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from feedpub.archives import is_archive_page
from feedpub.validator import Message
from feedpub.validator.htmlscan import is_url_attribute, iter_attributes

FEED_FILES = ("rss.xml", "atom.xml", "feed.json")
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
MEDIA = "{http://search.yahoo.com/mrss/}"
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


@dataclass
class Entry:
    id: str
    link: str
    date: datetime | None
    urls: list[str] = field(default_factory=list)


@dataclass
class FeedView:
    """What the checks need of one feed document, whatever its format."""

    self_url: str | None
    entries: list[Entry]


@dataclass(frozen=True)
class Expected:
    """What a build should have published: each channel folder's article ids, newest first
    (archive pages among them); ``page_size`` is the archive pages' limit, if there are any."""

    feeds_url: str
    limit: int
    channels: dict[str, list[str]]
    sources: dict[str, str]  # article id -> content file, for messages
    page_size: int | None = None

    def limit_of(self, relative: str) -> int:
        if self.page_size is not None and is_archive_page(relative):
            return self.page_size
        return self.limit


def read_feed(data: bytes, name: str) -> FeedView | None:
    """The entries of a feed document, or None if it cannot be read (validation says why)."""
    try:
        if name.endswith(".json"):
            return _read_json(data)
        root = etree.fromstring(data, _PARSER)
        return _read_atom(root) if root.tag == ATOM + "feed" else _read_rss(root)
    except (
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RecursionError,  # JSON nested deeper than Python recurses
        OverflowError,
        etree.XMLSyntaxError,
    ):
        return None


def _read_rss(root: etree._Element) -> FeedView:
    channel = root.find("channel")
    if channel is None:
        raise ValueError("no channel")
    self_url = next(
        (link.get("href") for link in channel.iter(ATOM + "link") if link.get("rel") == "self"),
        None,
    )
    entries = []
    for item in channel.iter("item"):
        link = item.findtext("link") or ""
        date = item.findtext("pubDate")
        urls = [link] + [
            element.get("url", "")
            for element in (
                *item.iter("enclosure"),
                *item.iter(MEDIA + "content"),
                *item.iter(MEDIA + "thumbnail"),
            )
        ]
        urls += _html_urls(item.findtext(CONTENT) or "") + _html_urls(
            item.findtext("description") or ""
        )
        entries.append(
            Entry(
                item.findtext("guid") or link,
                link,
                _aware(parsedate_to_datetime(date)) if date else None,
                urls,
            )
        )
    return FeedView(self_url, entries)


def _read_atom(root: etree._Element) -> FeedView:
    self_url = next(
        (link.get("href") for link in root.findall(ATOM + "link") if link.get("rel") == "self"),
        None,
    )
    entries = []
    for entry in root.iter(ATOM + "entry"):
        links = entry.findall(ATOM + "link")
        link = next(
            (x.get("href", "") for x in links if x.get("rel", "alternate") == "alternate"), ""
        )
        date = entry.findtext(ATOM + "published") or entry.findtext(ATOM + "updated")
        urls = [x.get("href", "") for x in links]
        for element in entry.iter(ATOM + "content", ATOM + "summary"):
            if element.get("type") == "html":
                urls += _html_urls(element.text or "")
        entries.append(
            Entry(
                entry.findtext(ATOM + "id") or "",
                link,
                _aware(datetime.fromisoformat(date)) if date else None,
                urls,
            )
        )
    return FeedView(self_url, entries)


def _read_json(data: bytes) -> FeedView:
    feed = json.loads(data)
    entries = []
    for item in feed["items"]:
        url = _text(item.get("url"))
        urls = [url, _text(item.get("image"))]
        urls += _html_urls(_text(item.get("content_html")))
        date = item.get("date_published")
        entries.append(
            Entry(
                _text(item["id"]),
                url,
                _aware(datetime.fromisoformat(date)) if isinstance(date, str) else None,
                urls,
            )
        )
    feed_url = feed.get("feed_url")
    return FeedView(feed_url if isinstance(feed_url, str) else None, entries)


def _text(value: object) -> str:
    """A JSON value where text belongs, as text (validation reports the wrong type)."""
    return value if isinstance(value, str) else "" if value is None else json.dumps(value)


def _aware(moment: datetime) -> datetime:
    """Dates without a zone (RFC 822 '-0000', ISO without offset) are read as UTC, so they
    compare with the rest (the document's own checks report them)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=1024)
def _html_urls(html: str) -> tuple[str, ...]:
    """The URLs in an article's HTML (cached: it recurs in every format of its feeds)."""
    return tuple(unescape(value) for name, value in iter_attributes(html) if is_url_attribute(name))


def _error(code: str, text: str) -> Message:
    return Message("error", code, text, None, None)


def check_feed(
    view: FeedView, relative: str, now: datetime, expected: Expected | None
) -> list[Message]:
    """Checks of one feed that need no other document."""
    messages = []
    seen: set[str] = set()
    for number, entry in enumerate(view.entries, 1):
        if entry.id in seen:
            messages.append(_error("DuplicateId", f"item {number}: id {entry.id!r} appears twice"))
        seen.add(entry.id)
        for url in entry.urls:
            if url and not urlsplit(url).scheme:
                messages.append(
                    _error(
                        "RelativeURL",
                        f"item {number}: {url!r} is not absolute (readers ignore xml:base)",
                    )
                )
        if entry.date is not None and entry.date > now:
            messages.append(
                _error(
                    "FutureDate", f"item {number}: dated {entry.date.isoformat()}, after the build"
                )
            )
    dates = [e.date for e in view.entries if e.date is not None]
    if any(a < b for a, b in zip(dates, dates[1:], strict=False)):
        messages.append(_error("NotNewestFirst", "items are not newest first"))
    if expected is not None:
        limit = expected.limit_of(relative)
        if len(view.entries) > limit:
            messages.append(
                _error("OverLimit", f"{len(view.entries)} items, over the limit of {limit}")
            )
        address = expected.feeds_url + relative
        if view.self_url != address:
            messages.append(
                _error(
                    "SelfLinkMismatch",
                    f"self link is {view.self_url!r}, but the document is published at {address!r}",
                )
            )
    return messages


def check_build(
    out: Path, views: dict[str, FeedView], now: datetime, expected: Expected | None
) -> dict[str, list[Message]]:
    """Messages per output-relative file: each feed's own checks, then the cross-feed ones."""
    messages = {
        relative: check_feed(view, relative, now, expected) for relative, view in views.items()
    }
    ids_by_link: dict[str, tuple[str, str]] = {}
    for relative, view in views.items():
        for entry in view.entries:
            first = ids_by_link.setdefault(entry.link, (entry.id, relative))
            if entry.link and first[0] != entry.id:
                messages[relative].append(
                    _error(
                        "IdDiffers",
                        f"{entry.link} has id {entry.id!r} here but {first[0]!r} in {first[1]}",
                    )
                )
    for folder in sorted({_folder(relative) for relative in views}):
        formats = {name: views.get(folder + name) for name in FEED_FILES}
        lists = {name: [e.id for e in view.entries] for name, view in formats.items() if view}
        reference = lists.get("rss.xml") or next(iter(lists.values()), [])
        for name, ids in lists.items():
            if ids != reference:
                messages[folder + name].append(
                    _error("FormatsDiffer", f"its items differ from {folder}rss.xml (ids or order)")
                )
    if expected is not None:
        _check_membership(out, views, expected, messages)
    return messages


def _check_membership(
    out: Path, views: dict[str, FeedView], expected: Expected, messages: dict[str, list[Message]]
) -> None:
    for folder, ids in expected.channels.items():
        for name in FEED_FILES:
            relative = folder + name
            view = views.get(relative)
            if view is None:
                messages.setdefault(relative, []).append(
                    _error("MissingFeed", f"{out / relative} should exist and does not")
                )
                continue
            found = [entry.id for entry in view.entries]
            for article_id in ids:
                if article_id not in found:
                    messages[relative].append(
                        _error(
                            "MissingArticle",
                            f"{article_id} "
                            f"({expected.sources.get(article_id, '?')}) belongs in this feed",
                        )
                    )
            for article_id in found:
                if article_id not in ids:
                    messages[relative].append(
                        _error(
                            "UnexpectedArticle",
                            f"{article_id} does not "
                            "belong in this feed (its countries and region do not put it here)",
                        )
                    )
            if set(found) == set(ids) and found != ids:
                messages[relative].append(
                    _error("WrongOrder", "items are not in the build's order")
                )
    for relative in views:
        if _folder(relative) not in expected.channels:
            messages[relative].append(
                _error("UnknownChannel", "no channel in feeds.yaml publishes here")
            )


def _folder(relative: str) -> str:
    return relative.rpartition("/")[0] + "/" if "/" in relative else ""


def read_output(out: Path, documents: dict[Path, bytes]) -> dict[str, FeedView]:
    """The readable feed documents among ``documents`` (already read, through the guarded
    reader) under ``out``, by output-relative path."""
    views = {}
    for file, data in documents.items():
        if file.name in FEED_FILES:
            try:
                relative = file.relative_to(out).as_posix()
            except ValueError:
                continue
            view = read_feed(data, file.name)
            if view is not None:
                views[relative] = view
    return views
