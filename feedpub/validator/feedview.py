"""What feedpub's build checks need of a feed, read from the tree the validator parsed, and
the single-document rules of the ``feedpub`` profile: our own output must hold them as errors.

A feed from elsewhere may repeat an id or carry a relative link (readers cope, or the W3C
rules already say so); a feed feedpub publishes must not, so ``validate_document(...,
profile="feedpub")`` adds these (issue 8: they were the site-level output check's, under the
same codes).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from . import namespaces as ns
from .htmlscan import is_url_attribute, iter_attributes
from .itemmemo import ItemMemo
from .messages import Message

PROFILES = ("feedpub",)
ATOM = f"{{{ns.ATOM}}}"
CONTENT = f"{{{ns.CONTENT}}}encoded"
MEDIA = f"{{{ns.MEDIA}}}"


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


def read_view(
    data: bytes, root: etree._Element | None, items: ItemMemo | None = None
) -> FeedView | None:
    """The entries of a feed document (JSON when ``root``, its parsed XML, is None), or None
    if it cannot be read (validation says why). With `items`, the memo that just keyed the
    document's items, each item's entry is read once per build."""
    memo = items or ItemMemo()  # a fresh memo keys nothing: every entry is read
    try:
        if root is None:
            return _read_json(json.loads(data), memo)
        return _read_atom(root, memo) if root.tag == ATOM + "feed" else _read_rss(root, memo)
    except _UNREADABLE:
        return None


def read_json_view(feed: Any, items: ItemMemo | None = None) -> FeedView | None:
    """The entries of a decoded JSON Feed, or None if it cannot be read (as `read_view`)."""
    try:
        return _read_json(feed, items or ItemMemo())
    except _UNREADABLE:
        return None


_UNREADABLE = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    RecursionError,  # JSON nested deeper than Python recurses
    OverflowError,
    etree.XMLSyntaxError,
)


def _read_rss(root: etree._Element, memo: ItemMemo) -> FeedView:
    channel = root.find("channel")
    if channel is None:
        raise ValueError("no channel")
    self_url = next(
        (link.get("href") for link in channel.iter(ATOM + "link") if link.get("rel") == "self"),
        None,
    )
    entries = [
        memo.view_entry(memo.key_of(item), functools.partial(rss_entry, item))
        for item in channel.iter("item")
    ]
    return FeedView(self_url, entries)


def rss_entry(item: etree._Element) -> Entry:
    """What the build checks read of an RSS item (nothing outside it)."""
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
    return Entry(item.findtext("guid") or link, link, _rfc822(date) if date else None, urls)


def _read_atom(root: etree._Element, memo: ItemMemo) -> FeedView:
    self_url = next(
        (link.get("href") for link in root.findall(ATOM + "link") if link.get("rel") == "self"),
        None,
    )
    entries = [
        memo.view_entry(memo.key_of(entry), functools.partial(atom_entry, entry))
        for entry in root.iter(ATOM + "entry")
    ]
    return FeedView(self_url, entries)


def atom_entry(entry: etree._Element) -> Entry:
    """What the build checks read of an Atom entry (nothing outside it)."""
    links = entry.findall(ATOM + "link")
    link = next((x.get("href", "") for x in links if x.get("rel", "alternate") == "alternate"), "")
    date = entry.findtext(ATOM + "published") or entry.findtext(ATOM + "updated")
    urls = [x.get("href", "") for x in links]
    for element in entry.iter(ATOM + "content", ATOM + "summary"):
        if element.get("type") == "html":
            urls += _html_urls(element.text or "")
    return Entry(
        entry.findtext(ATOM + "id") or "",
        link,
        _aware(datetime.fromisoformat(date)) if date else None,
        urls,
    )


def _read_json(feed: Any, memo: ItemMemo) -> FeedView:
    entries = [
        memo.view_entry(memo.json_view_key(item), functools.partial(json_entry, item))
        for item in feed["items"]
    ]
    feed_url = feed.get("feed_url")
    return FeedView(feed_url if isinstance(feed_url, str) else None, entries)


def json_entry(item: Any) -> Entry:
    """What the build checks read of a JSON Feed item (nothing outside it)."""
    url = _text(item.get("url"))
    urls = [url, _text(item.get("image"))]
    attachments = item.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            urls.append(_text(attachment.get("url")))
    urls += _html_urls(_text(item.get("content_html")))
    date = item.get("date_published")
    return Entry(
        _text(item["id"]),
        url,
        _aware(datetime.fromisoformat(date)) if isinstance(date, str) else None,
        urls,
    )


def _text(value: object) -> str:
    """A JSON value where text belongs, as text (validation reports the wrong type)."""
    return value if isinstance(value, str) else "" if value is None else json.dumps(value)


def _aware(moment: datetime) -> datetime:
    """Dates without a zone (RFC 822 '-0000', ISO without offset) are read as UTC, so they
    compare with the rest (the document's own checks report them)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=4096)
def _rfc822(date: str) -> datetime:
    """An RSS date (cached: email.utils parses in Python, and an item's date recurs in every
    document holding it)."""
    return _aware(parsedate_to_datetime(date))


@functools.lru_cache(maxsize=1024)
def _html_urls(html: str) -> tuple[str, ...]:
    """The URLs in an article's HTML (cached: it recurs in every format of its feeds)."""
    return tuple(unescape(value) for name, value in iter_attributes(html) if is_url_attribute(name))


def _error(code: str, text: str) -> Message:
    return Message("error", code, text, None, None)


def feedpub_rules(
    view: FeedView, self_url: str | None, now: datetime, items: ItemMemo | None = None
) -> list[Message]:
    """Our own output's rules: unique ids, absolute URLs, no date after the build, and (when
    the address is known) a self link naming where the document is published. With `items`,
    an entry's own rules run once per build for its URLs and date."""
    messages = []
    seen: set[str] = set()
    for number, entry in enumerate(view.entries, 1):
        if entry.id in seen:
            messages.append(_error("DuplicateId", f"item {number}: id {entry.id!r} appears twice"))
        seen.add(entry.id)
        if items is None:
            messages += _entry_rules(entry, number, now)
        else:
            key = items.rules_key(entry, now)
            messages += items.find_once(key, functools.partial(_entry_rules, entry, number, now))
    if self_url is not None and view.self_url != self_url:
        messages.append(
            _error(
                "SelfLinkMismatch",
                f"self link is {view.self_url!r}, but the document is published at {self_url!r}",
            )
        )
    return messages


def _entry_rules(entry: Entry, number: int, now: datetime) -> list[Message]:
    """One entry's own rules: its URLs absolute, its date not after the build."""
    messages = []
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
            _error("FutureDate", f"item {number}: dated {entry.date.isoformat()}, after the build")
        )
    return messages
