"""Aggregator profiles: published feeds against the rules Google News, Flipboard, Apple News
and Feedly publish for the feeds they take (``feedpub check --profile``).

Each profile is one table of :class:`Rule` records: a name, a severity, the feed formats it
applies to, and a small check of the whole feed or of one item that returns what is wrong
(None when nothing is). The feeds are read as an aggregator reads them: feedparser for what
it makes of them, lxml for the bytes it does not keep (sizes, attributes, namespaces). The
README's "Aggregator profiles" table cites each rule's source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
from lxml import etree

from feedpub.layout import is_archive_page
from feedpub.validator import namespaces as ns

FLIPBOARD_MIN_IMAGE = 400  # px, the smallest dimension
FLIPBOARD_MIN_ITEMS = 30
GOOGLE_FEED_BYTES = 2_000_000  # "2 MB per feed"
GOOGLE_ARTICLE_BYTES = 1_000_000  # "1 MB per article"
GOOGLE_NEW_PER_FETCH = 60
APPLE_TITLE_MAX = 60
_HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}\Z")
_TAG = re.compile(r"<[^>]*>")
# A BCP 47 region subtag: two letters (US) or three digits (419), after the language.
_REGION = re.compile(r"(?:[A-Za-z]{2}|[0-9]{3})\Z")
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*encoding=[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class Feed:
    """One published feed document: where it is, its format, its bytes and both readings."""

    file: str
    kind: str  # "rss" or "atom"
    data: bytes
    root: etree._Element
    parsed: Any  # feedparser's result

    @property
    def channel(self) -> etree._Element:
        """RSS's <channel>, or Atom's <feed>: where the feed's own elements are."""
        found = self.root.find("channel") if self.kind == "rss" else self.root
        return self.root if found is None else found


@dataclass(frozen=True)
class Item:
    """One item: feedparser's entry and the element it was read from."""

    entry: Any
    element: etree._Element

    @property
    def name(self) -> str:
        return str(self.entry.get("id") or self.entry.get("title") or "(no id or title)")


FeedCheck = Callable[[Feed], str | None]
ItemCheck = Callable[[Feed, Item], str | None]


@dataclass(frozen=True)
class Rule:
    """One rule of one aggregator: a check of the feed, or of each of its items."""

    name: str
    severity: str  # "error": the aggregator refuses or drops it; "warning": shows it worse
    kinds: tuple[str, ...]
    feed: FeedCheck | None = None
    item: ItemCheck | None = None


@dataclass(frozen=True)
class Finding:
    """What one rule found in one feed (and item): printed as the file, the item, the
    profile and what is wrong."""

    file: str
    profile: str
    rule: str
    severity: str
    message: str
    item: str | None = None

    def __str__(self) -> str:
        where = self.file if self.item is None else f"{self.file}: item {self.item}"
        return f"{where}: {self.profile}: {self.message}"


def _text(value: str) -> str:
    """HTML as the words it shows, spaces folded: to compare a body with a summary."""
    return " ".join(html.unescape(_TAG.sub(" ", value)).split())


def _content(item: Item) -> str:
    return "".join(part.get("value", "") for part in item.entry.get("content", []))


def _images(item: Item) -> list[dict[str, Any]]:
    """The item's Media RSS pictures (media:content with medium or type image)."""
    found = item.entry.get("media_content", [])
    return [
        m
        for m in found
        if m.get("medium") == "image" or str(m.get("type", "")).startswith("image/")
    ]


def _size(image: dict[str, Any]) -> tuple[int, int] | None:
    width, height = str(image.get("width", "")), str(image.get("height", ""))
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return None


# Flipboard: https://about.flipboard.com/rss-spec/


def _full_body(feed: Feed, item: Item) -> str | None:
    if _text(_content(item)):
        return None
    return "has no content:encoded: Flipboard wants the article's entire body, not a summary"


def _body_beyond_summary(feed: Feed, item: Item) -> str | None:
    body, summary = _text(_content(item)), _text(item.entry.get("summary", ""))
    if not body or body != summary:
        return None
    return "its content:encoded is only its summary: Flipboard wants the entire body"


def _flipboard_image(feed: Feed, item: Item) -> str | None:
    images = _images(item)
    if not images:
        return f"has no image: Flipboard wants one of at least {FLIPBOARD_MIN_IMAGE} px"
    sizes = [size for size in map(_size, images) if size is not None]
    if not sizes or max(min(size) for size in sizes) >= FLIPBOARD_MIN_IMAGE:
        return None
    width, height = max(sizes, key=min)
    return (
        f"lead image is {width} x {height} px, Flipboard wants at least "
        f"{FLIPBOARD_MIN_IMAGE} px in its smallest dimension"
    )


def _flipboard_image_size(feed: Feed, item: Item) -> str | None:
    images = _images(item)
    if not images or any(_size(image) for image in images):
        return None
    return (
        "lead image has no width and height in the feed: Flipboard cannot tell it is "
        f"at least {FLIPBOARD_MIN_IMAGE} px (give image_width and image_height)"
    )


def _flipboard_items(feed: Feed) -> str | None:
    count = len(feed.parsed.entries)
    if count >= FLIPBOARD_MIN_ITEMS:
        return None
    return f"has {count} item{'s' * (count != 1)}, Flipboard wants at least {FLIPBOARD_MIN_ITEMS}"


# Apple News: https://support.apple.com/guide/news-publisher/apdc2c7520ff/icloud


def _feed_language(feed: Feed) -> str | None:
    if feed.kind == "rss":
        return feed.channel.findtext("language")
    return feed.root.get(f"{{{ns.XML}}}lang")


def _apple_language(feed: Feed) -> str | None:
    language = (_feed_language(feed) or "").strip()
    if any(_REGION.match(part) for part in language.split("-")[1:]):
        return None
    found = f"is {language!r}" if language else "is missing"
    return f"language {found}, Apple News wants one with a region, like 'en-US'"


def _apple_channel(feed: Feed) -> str | None:
    missing = [key for key in ("title", "link") if not feed.parsed.feed.get(key)]
    if not missing:
        return None
    return f"has no {' or '.join(missing)}: Apple News wants a title, a language and a link"


def _apple_item(feed: Feed, item: Item) -> str | None:
    entry = item.entry
    found = {
        "title": entry.get("title"),
        "link": entry.get("link"),
        "description": entry.get("summary") or _content(item),
    }
    missing = [key for key, value in found.items() if not value]
    if not missing:
        return None
    return f"has no {' or '.join(missing)}: Apple News wants a title, link and description"


def _apple_encoding(feed: Feed) -> str | None:
    declared = _XML_DECLARATION.match(feed.data)
    encoding = declared[1].decode("ascii", "replace") if declared else "UTF-8"
    if encoding.upper().replace("_", "-") in ("UTF-8", "UTF8"):
        return None
    return f"is encoded as {encoding}, Apple News wants UTF-8"


def _apple_title(feed: Feed, item: Item) -> str | None:
    length = len(item.entry.get("title", ""))
    if length <= APPLE_TITLE_MAX:
        return None
    return f"title is {length} characters, Apple News wants 15 to {APPLE_TITLE_MAX}"


# Google News: https://support.google.com/news/publisher-center/answer/9545420


def _google_feed_size(feed: Feed) -> str | None:
    if len(feed.data) <= GOOGLE_FEED_BYTES:
        return None
    return f"is {len(feed.data):,} bytes, Google News reads at most 2 MB of a feed"


def _google_article_size(feed: Feed, item: Item) -> str | None:
    size = len(etree.tostring(item.element, encoding="utf-8"))
    if size <= GOOGLE_ARTICLE_BYTES:
        return None
    return f"is {size:,} bytes, Google News reads at most 1 MB of an article"


def _google_new_articles(feed: Feed) -> str | None:
    count = len(feed.parsed.entries)
    if count <= GOOGLE_NEW_PER_FETCH:
        return None
    return (
        f"has {count} items, Google News reads at most {GOOGLE_NEW_PER_FETCH} new articles "
        "a fetch (a site.limit of 60 or less keeps a burst of news from being cut)"
    )


def _google_guid(feed: Feed, item: Item) -> str | None:
    tag = "guid" if feed.kind == "rss" else f"{{{ns.ATOM}}}id"
    if (item.element.findtext(tag) or "").strip():
        return None
    name = "<guid>" if feed.kind == "rss" else "<id>"
    return f"has no {name}: Google News tells articles apart by it"


def _google_permalink(feed: Feed, item: Item) -> str | None:
    guid = item.element.find("guid")
    if guid is None or (guid.text or "").startswith(("http://", "https://")):
        return None
    if guid.get("isPermaLink") == "false":
        return None
    return "guid is not a full URL and isPermaLink is not false, as Google News wants"


# Feedly: https://blog.feedly.com/10-ways-to-optimize-your-feed-for-feedly/


def _webfeeds(name: str, key: str) -> FeedCheck:
    def check(feed: Feed) -> str | None:
        if feed.channel.find(f"{{{ns.WEBFEEDS}}}{name}") is not None:
            return None
        return f"no webfeeds:{name}: Feedly reads it for the feed's {key.replace('_', ' ')} " + (
            f"(set site.webfeeds.{key})"
        )

    return check


def _accent_color_format(feed: Feed) -> str | None:
    element = feed.channel.find(f"{{{ns.WEBFEEDS}}}accentColor")
    value = (element.text or "").strip() if element is not None else None
    if value is None or _HEX_COLOR.match(value):
        return None
    return f"webfeeds:accentColor is {value!r}, Feedly wants six hex digits without '#'"


RSS, BOTH = ("rss",), ("rss", "atom")
PROFILES: dict[str, tuple[Rule, ...]] = {
    "google-news": (
        Rule("feed-size", "error", BOTH, feed=_google_feed_size),
        Rule("article-size", "error", BOTH, item=_google_article_size),
        Rule("new-per-fetch", "warning", BOTH, feed=_google_new_articles),
        Rule("guid", "error", BOTH, item=_google_guid),
        Rule("is-permalink", "error", RSS, item=_google_permalink),
    ),
    "flipboard": (
        Rule("full-body", "error", RSS, item=_full_body),
        Rule("body-not-summary", "warning", RSS, item=_body_beyond_summary),
        Rule("image", "error", RSS, item=_flipboard_image),
        Rule("image-size", "warning", RSS, item=_flipboard_image_size),
        Rule("items", "error", RSS, feed=_flipboard_items),
    ),
    "apple-news": (
        Rule("language-region", "error", BOTH, feed=_apple_language),
        Rule("channel-elements", "error", BOTH, feed=_apple_channel),
        Rule("item-elements", "error", BOTH, item=_apple_item),
        Rule("utf-8", "error", BOTH, feed=_apple_encoding),
        Rule("title-length", "warning", BOTH, item=_apple_title),
    ),
    "feedly": (
        Rule("webfeeds-icon", "warning", RSS, feed=_webfeeds("icon", "icon")),
        Rule("webfeeds-cover", "warning", RSS, feed=_webfeeds("cover", "cover")),
        Rule(
            "webfeeds-accent-color", "warning", RSS, feed=_webfeeds("accentColor", "accent_color")
        ),
        Rule("accent-color-format", "error", RSS, feed=_accent_color_format),
    ),
}
FEED_FILES = {"rss.xml": "rss", "atom.xml": "atom"}


def published_feeds(out: Path) -> list[tuple[str, str]]:
    """(path under ``out``, kind) of every current RSS and Atom feed: what aggregators are
    given (archive pages are history, which they do not fetch)."""
    found = []
    for path in sorted(out.rglob("*.xml")):
        relative = path.relative_to(out).as_posix()
        kind = FEED_FILES.get(path.name)
        if kind and path.is_file() and not is_archive_page(relative):
            found.append((relative, kind))
    return found


def check_profiles(out: Path, profiles: tuple[str, ...]) -> list[Finding]:
    """Every finding of each of ``profiles`` in the feeds published under ``out``."""
    feeds = published_feeds(out)
    if not feeds:
        return [Finding(str(out), "check", "no-feeds", "error", "no feeds here: build first")]
    findings: list[Finding] = []
    for relative, kind in feeds:
        feed = read_feed(out / relative, f"{out}/{relative}", kind)
        for profile in profiles:
            findings += profile_findings(profile, feed)
    return findings


def read_feed(path: Path, file: str, kind: str) -> Feed:
    data = path.read_bytes()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    return Feed(file, kind, data, root, feedparser.parse(data))


def profile_findings(profile: str, feed: Feed) -> list[Finding]:
    """What the rules of ``profile`` find in ``feed``."""
    found = []
    for rule in PROFILES[profile]:
        if feed.kind not in rule.kinds:
            continue
        if rule.feed is not None:
            message = rule.feed(feed)
            if message:
                found.append(Finding(feed.file, profile, rule.name, rule.severity, message))
        if rule.item is not None:
            for item in items(feed):
                message = rule.item(feed, item)
                if message:
                    finding = Finding(
                        feed.file, profile, rule.name, rule.severity, message, item.name
                    )
                    found.append(finding)
    return found


def items(feed: Feed) -> Iterator[Item]:
    """The feed's items, feedparser's entries beside the elements they came from."""
    tag = "item" if feed.kind == "rss" else f"{{{ns.ATOM}}}entry"
    elements = feed.channel.findall(tag)
    yield from (
        Item(entry, element) for entry, element in zip(feed.parsed.entries, elements, strict=False)
    )
