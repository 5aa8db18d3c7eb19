"""Another system's RSS, Atom or JSON feed, read into :class:`FeedItem` records.

The reading half of ``feedpub import feed`` (:mod:`feedpub.commands.import_feed` decides what
to write): a file or an http(s) URL, fetched with a size cap; RSS and Atom read with
feedparser, JSON Feed (which feedparser 6.0 does not read) with the standard library; relative
links resolved against the feed's own base; HTML content turned into a Markdown body that
renders back to the same HTML. What an entry cannot carry is noted on the item, not dropped
silently.
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedpub import __version__
from feedpub.errors import FeedpubError, InputError, Problem
from feedpub.inputs import fields as f
from feedpub.inputs.articles import IMAGE_TYPES

FETCH_TIMEOUT = 20.0  # seconds
MAX_FEED_BYTES = 20 * 1024 * 1024
_ADDRESS = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<[^>]*>")
# The pictures an entry's HTML shows, linked to their full size or not (either quotes).
_LINKED_IMAGE = re.compile(r"<a\b[^>]*?\bhref=[\"']([^\"']+)[\"'][^>]*>\s*<img\b", re.I)
_IMAGE_SRC = re.compile(r"<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"']", re.I)
SMALL_IMAGE = 200  # px: a thumbnail this wide or less does not lead an article
_WP_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->\n?", re.S)
_IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>.*?</iframe>|<iframe\b[^>]*>.*?</iframe>",
    re.I | re.S,
)


def embeds(fragment: str) -> list[str]:
    """The addresses of the embedded players (``<iframe src>``) of an entry's HTML."""
    return [match[1] or "" for match in _IFRAME.finditer(fragment)]


def _embed_link(match: re.Match[str]) -> str:
    src = html.unescape(match[1] or "")
    if not src:
        return ""
    address = "https:" + src if src.startswith("//") else src
    shown = html.escape(address)
    return f'<p><a href="{shown}">{shown}</a> (an embedded player: open it to watch)</p>'


# CommonMark HTML blocks of kind 6 start with these tags and run to the next blank line.
_BLOCK_START = re.compile(
    r"^<(?:address|article|aside|blockquote|details|dialog|div|dl|fieldset|figcaption|figure|"
    r"footer|form|h[1-6]|header|hr|main|nav|ol|p|section|table|ul)(?:[\s/>]|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FeedItem:
    """One entry of the old feed, whichever format it came in."""

    number: int
    id: str | None
    link: str | None
    title: str | None
    published: datetime | None
    updated: datetime | None
    authors: tuple[dict[str, str], ...]
    categories: tuple[str, ...]
    image: str | None
    html: str | None
    summary: str | None
    # What reading the entry left out or had to guess, as the ends of messages: the
    # enclosures an article cannot carry, a date that is not one.
    dropped: tuple[str, ...] = ()
    date_problems: tuple[str, ...] = ()
    naive_dates: tuple[str, ...] = ()  # date fields written without a UTC offset
    episode: Episode | None = None  # its first audio or video file: a podcast's episode


@dataclass(frozen=True)
class Episode:
    """The audio or video an entry carries, as front matter ``enclosure:`` keeps it."""

    url: str
    type: str
    length: int = 0
    duration: str | None = None  # as the feed wrote it (itunes:duration)


def read_location(
    location: str, timeout: float = FETCH_TIMEOUT, limit: int = MAX_FEED_BYTES
) -> bytes:
    """The bytes of a feed file or http(s) URL, refusing more than ``limit`` bytes."""
    if _is_web_address(location):
        request = urllib.request.Request(location, headers={"User-Agent": f"feedpub/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data: bytes = response.read(limit + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise FeedpubError(f"{location}: cannot fetch: {reason}") from exc
    else:
        try:
            with open(location, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError([Problem(location, f"cannot read: {exc.strerror or exc}")]) from exc
    if len(data) > limit:
        raise InputError([Problem(location, f"is over {limit} bytes; not imported")])
    return data


def parse_feed(data: bytes, location: str, base_url: str | None = None) -> list[FeedItem]:
    """The entries of an RSS, Atom or JSON feed; relative links resolved as a reader fetching
    it would (see :func:`_parse_with_base`), or against ``base_url`` when one is given (the
    old site's public address, when the feed is fetched from a staging host)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_items(data, location, base_url)
    parsed, base = _parse_with_base(data, base_url or location)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise InputError([Problem(location, "is not an RSS, Atom or JSON feed, or has no entries")])
    atom = str(parsed.version).startswith("atom")
    return [_feedparser_item(n, entry, atom, base) for n, entry in enumerate(parsed.entries, 1)]


def _parse_with_base(data: bytes, location: str) -> tuple[Any, str | None]:
    """feedparser's reading, with relative links (an item's ``<link>``, enclosures, links in
    content) resolved as feedparser resolves them: against ``xml:base``, else the address the
    feed was fetched from. A feed read from a file has no address: its channel's own absolute
    ``<link>`` (the old site) stands in for it."""
    import feedparser

    # Unsanitized: feedparser's sanitizer would drop an embedded player before the import
    # could report it or link it; the build sanitizes every body it publishes (nh3).
    if _is_web_address(location):
        headers = {"content-location": location}
        return feedparser.parse(data, response_headers=headers, sanitize_html=False), location
    parsed = feedparser.parse(data, sanitize_html=False)
    home = parsed.feed.get("link") if parsed.entries else None
    if isinstance(home, str) and f.is_absolute_url(home):
        headers = {"content-location": home}
        return feedparser.parse(data, response_headers=headers, sanitize_html=False), home
    return parsed, None


def _is_web_address(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")


def _feedparser_item(number: int, entry: Any, atom: bool, base: str | None) -> FeedItem:
    content = entry.get("content") or []
    body = next((c.value for c in content if "html" in c.get("type", "")), None)
    if body is None and content:
        body = f"<p>{html.escape(content[0].value)}</p>"
    summary = entry.get("summary")
    if body is None:
        body, summary = summary, None
    image, episode, dropped = _feedparser_media(entry, base)
    if image is None and body:
        image = body_image(body)
    if episode is not None and entry.get("itunes_duration"):
        episode = replace(episode, duration=str(entry.get("itunes_duration")).strip())
    return FeedItem(
        number,
        entry.get("id") or None,
        _atom_link(entry) if atom else entry.get("link"),
        _feedparser_title(entry),
        _struct_time(entry.get("published_parsed")),
        _struct_time(dict.get(entry, "updated_parsed")),  # not feedparser's published fallback
        _feedparser_authors(entry),
        tuple(t.get("term") for t in entry.get("tags", []) if t.get("term")),
        image,
        body,
        plain_text(summary) if summary else None,
        dropped,
        episode=episode,
    )


def _atom_link(entry: Any) -> str | None:
    """An Atom entry's link is its ``<link rel="alternate">`` (RFC 4287 4.2.7.2). Without one
    feedparser hands back the entry's id as its link, but an Atom id is a name, not an
    address (``tag:...``): no link is kept, and the note says so."""
    return next(
        (
            str(link["href"])
            for link in entry.get("links", [])
            if link.get("rel", "alternate") == "alternate" and link.get("href")
        ),
        None,
    )


def _feedparser_authors(entry: Any) -> tuple[dict[str, str], ...]:
    """feedparser 6 cuts an RSS author's address at a 4-letter top-level domain
    ('desk@site.online (Jo)' gives email 'desk@site.onli', name 'ne (Jo'): such an author
    is read again from the element's text."""
    authors = [
        {k: a[k] for k in ("name", "email") if a.get(k)}
        for a in entry.get("authors", [])
        if a.get("name") or a.get("email")
    ]
    raw = entry.get("author") or ""
    address = _ADDRESS.search(raw)
    cut = authors[0].get("email") if authors else None
    if address and cut and address.group(0) != cut and address.group(0).startswith(cut):
        name = raw.replace(address.group(0), "", 1).replace("<>", "").strip()
        if name.startswith("(") and name.endswith(")"):
            name = name[1:-1].strip()
        authors[0] = {"email": address.group(0), **({"name": name} if name else {})}
    return tuple(authors)


def _feedparser_title(entry: Any) -> str | None:
    """The title as plain text: an HTML title (RSS's escaped markup, Atom type="html" or
    "xhtml") loses its tags and entities, as readers show it."""
    title = entry.get("title")
    kind = (entry.get("title_detail") or {}).get("type", "")
    return plain_text(title) if title and "html" in kind else title


def _struct_time(value: Any) -> datetime | None:
    return None if value is None else datetime(*value[:6]).replace(tzinfo=UTC)  # noqa: DTZ001


def _feedparser_media(
    entry: Any, base: str | None
) -> tuple[str | None, Episode | None, tuple[str, ...]]:
    """The entry's image (its first image enclosure, Media RSS content or thumbnail), its
    episode (the first audio or video), and a note for each other enclosure (RSS
    ``<enclosure>``, Atom ``rel="enclosure"``, ``media:content``), which an article cannot
    carry. feedparser leaves their relative URLs as written: resolved against ``base``."""

    def url(value: Any) -> str:
        return _resolved(value if isinstance(value, str) else None, base) or ""

    enclosures = [
        Enclosure(url(e.get("href") or e.get("url")), str(e.get("type") or ""), "", _size(e))
        for e in entry.get("enclosures", [])
    ]
    media = [
        Enclosure(url(m.get("url")), str(m.get("type") or ""), str(m.get("medium") or ""))
        for m in entry.get("media_content", [])
    ]
    thumbnails = [
        Enclosure(url(t.get("url")), "image/")
        for t in entry.get("media_thumbnail", [])
        if not _is_small(t)
    ]
    return _choose_image([*enclosures, *media], thumbnails)


def _is_small(thumbnail: Any) -> bool:
    """A thumbnail too small to lead an article: Blogger's 72 px ``s72-c`` square."""
    width = str(thumbnail.get("width") or "")
    return (width.isdigit() and int(width) <= SMALL_IMAGE) or "/s72-c/" in str(
        thumbnail.get("url") or ""
    )


def body_image(fragment: str) -> str | None:
    """The picture an entry's HTML shows: the full size it links to, else its first img."""
    linked = _LINKED_IMAGE.search(fragment)
    if linked and is_image_url(html.unescape(linked[1])):
        return html.unescape(linked[1])
    shown = _IMAGE_SRC.search(fragment)
    return html.unescape(shown[1]) if shown and f.is_absolute_url(html.unescape(shown[1])) else None


@dataclass(frozen=True)
class Enclosure:
    """A file an entry carries: an enclosure, a Media RSS item or a JSON Feed attachment."""

    url: str
    type: str
    medium: str = ""
    length: int = 0

    @property
    def is_episode(self) -> bool:
        return self.type.startswith(("audio/", "video/"))

    @property
    def is_image(self) -> bool:
        return (
            self.type.startswith("image/")
            or self.medium == "image"
            or (not self.type and not self.medium and is_image_url(self.url))
        )


def _size(enclosure: Any) -> int:
    """An enclosure's length in bytes, when the feed gives a whole number."""
    text = str(enclosure.get("length") or "").strip()
    return int(text) if text.isdigit() else 0


def _choose_image(
    files: Sequence[Enclosure], thumbnails: Sequence[Enclosure] = ()
) -> tuple[str | None, Episode | None, tuple[str, ...]]:
    """The first image among ``files`` (else among ``thumbnails``), the first audio or video
    (an episode), and a note for each other file: feedpub articles carry one image and one
    episode."""
    present = [file for file in files if file.url]
    images = [file for file in present if file.is_image] + [t for t in thumbnails if t.url]
    image = images[0].url if images else None
    found = next((file for file in present if file.is_episode), None)
    episode = Episode(found.url, found.type, found.length) if found else None
    seen = {image, episode and episode.url}
    dropped = []
    for file in present:
        if file.url in seen:
            continue
        seen.add(file.url)
        kind = f" ({file.type or file.medium})" if file.type or file.medium else ""
        why = "only one image is kept"
        if file.is_episode:
            why = "only one audio or video file is kept"
        elif not file.is_image:
            why = "an article carries no attachment but an image and an audio or video file"
        dropped.append(f"enclosure {file.url!r}{kind} is not kept: {why}")
    return image, episode, tuple(dropped)


def _json_items(data: bytes, location: str, base_url: str | None = None) -> list[FeedItem]:
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError([Problem(location, f"is not JSON: {exc}")]) from exc
    if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise InputError([Problem(location, "is JSON but not a JSON Feed (no 'version')")])
    items = feed.get("items")
    if not isinstance(items, list):
        items = []
    base = _json_base(feed, base_url or location)
    return [_json_item(n, item, base) for n, item in enumerate(items, 1) if isinstance(item, dict)]


def _json_base(feed: dict[str, Any], location: str) -> str | None:
    """What a relative URL in a JSON Feed is relative to: the address it was fetched from,
    else its own ``feed_url``, else its ``home_page_url``."""
    candidates = [location if _is_web_address(location) else None]
    candidates += [_json_text(feed.get("feed_url")), _json_text(feed.get("home_page_url"))]
    return next((c for c in candidates if c and f.is_absolute_url(c)), None)


def _json_item(number: int, item: dict[str, Any], base: str | None) -> FeedItem:
    """A JSON Feed item; a value of the wrong JSON type (a list as title, a string as tags)
    is read as absent, as a reader would, never as a crash."""
    authors = _json_list(item.get("authors")) or [item.get("author")]
    body = _json_text(item.get("content_html"))
    text = _json_text(item.get("content_text"))
    if body is None and text:
        body = f"<p>{html.escape(text)}</p>"
    attachments = [a for a in _json_list(item.get("attachments")) if isinstance(a, dict)]
    files = [Enclosure(_json_url(item.get("image"), base) or "", "image/")] + [
        Enclosure(
            _json_url(a.get("url"), base) or "",
            str(a.get("mime_type") or ""),
            "",
            _size({"length": a.get("size_in_bytes")}),
        )
        for a in attachments
    ]
    image, episode, dropped = _choose_image(files)
    seconds = next(
        (
            a.get("duration_in_seconds")
            for a in attachments
            if episode and _json_url(a.get("url"), base) == episode.url
        ),
        None,
    )
    if episode is not None and isinstance(seconds, int | float) and not isinstance(seconds, bool):
        episode = replace(episode, duration=str(int(seconds)))
    item_id = item.get("id")
    published, modified = (JsonDate.read(item, key) for key in ("date_published", "date_modified"))
    return FeedItem(
        number,
        str(item_id) if isinstance(item_id, str | int) and not isinstance(item_id, bool) else None,
        _json_url(item.get("url"), base),
        _json_text(item.get("title")),
        published.value,
        modified.value,
        tuple(
            {"name": name}
            for a in authors
            if isinstance(a, dict) and (name := _json_text(a.get("name")))
        ),
        tuple(t for t in map(_json_text, _json_list(item.get("tags"))) if t and t.strip()),
        image,
        body,
        _json_text(item.get("summary")),
        dropped,
        tuple(d.problem for d in (published, modified) if d.problem),
        tuple(d.written for d in (published, modified) if d.naive),
        episode,
    )


def _json_url(value: Any, base: str | None) -> str | None:
    return _resolved(_json_text(value), base)


def _resolved(url: str | None, base: str | None) -> str | None:
    """A relative ``url`` made absolute against ``base`` (when there is one)."""
    if not url or base is None or f.looks_like_url(url):
        return url
    return urljoin(base, url.strip())


@dataclass(frozen=True)
class JsonDate:
    """A JSON Feed date as written: the moment (naive when no UTC offset was written), or
    why it is none."""

    written: str
    value: datetime | None
    problem: str | None = None

    @property
    def naive(self) -> bool:
        return self.value is not None and self.value.tzinfo is None

    @classmethod
    def read(cls, item: dict[str, Any], key: str) -> JsonDate:
        value = item.get(key)
        if value is None:
            return cls("", None)
        written = f"{key} {f.shown(value)}"
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        return cls(written, moment, None if moment else f"{written} is not an RFC 3339 date")


def _json_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _json_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def markdown_body(fragment: str) -> str:
    """HTML as a Markdown body that renders back to the same HTML: one CommonMark HTML block
    (its blank lines, which would end the block, become empty comments the sanitizer drops).
    WordPress's block-editor comments (``<!-- wp:paragraph -->``) go; an embedded player
    (``<iframe>``, which no feed may carry) becomes a link to what it plays."""
    text = _WP_COMMENT.sub("", fragment).strip().replace("\r\n", "\n")
    text = _IFRAME.sub(_embed_link, text)
    if not text:
        return ""
    text = re.sub(r"(?m)^[ \t]*$", "<!-- -->", text)
    if not _BLOCK_START.match(text):
        text = f"<div>\n{text}\n</div>"
    return text + "\n"


def is_image_url(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return f.is_absolute_url(url) and any(path.endswith(suffix) for suffix in IMAGE_TYPES)
