"""``feedpub import feed``: an existing RSS, Atom or JSON feed -> content files, losslessly.

What subscribers of the old feed have seen is kept exactly: each entry's guid or id becomes
the article's ``id`` (so the build publishes it verbatim and no reader sees a duplicate), its
link its ``link``, its dates its ``date`` and ``updated``; author, categories (country names
become ``countries``), image and HTML content come along. An entry already imported (same
id) is updated in place, unless the publisher has edited its file since (each file carries a
digest of what the import wrote: :func:`signed`). An entry without an id or a date is
reported and left out: one made up now would not be the one readers have; so is each
enclosure an article cannot carry. RSS and Atom are read with feedparser; JSON Feed (which
feedparser 6.0 does not read) with the standard library.
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from feedpub import __version__
from feedpub.commands.import_listing import ImportReport
from feedpub.errors import FeedpubError, InputError, Problem, UsageError
from feedpub.inputs import authoring
from feedpub.inputs import fields as f
from feedpub.inputs.config import load_config
from feedpub.inputs.content import IMAGE_TYPES, digest_of, id_problem, unwritable_date
from feedpub.model import Config

FETCH_TIMEOUT = 20.0  # seconds
MAX_FEED_BYTES = 20 * 1024 * 1024
_ADDRESS = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+")
_TAG = re.compile(r"<[^>]*>")
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


def parse_feed(data: bytes, location: str) -> list[FeedItem]:
    """The entries of an RSS, Atom or JSON feed; relative links resolved as a reader fetching
    it would (see :func:`_parse_with_base`)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_items(data, location)
    parsed, base = _parse_with_base(data, location)
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

    if _is_web_address(location):
        return feedparser.parse(data, response_headers={"content-location": location}), location
    parsed = feedparser.parse(data)
    home = parsed.feed.get("link") if parsed.entries else None
    if isinstance(home, str) and f.is_absolute_url(home):
        return feedparser.parse(data, response_headers={"content-location": home}), home
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
    image, dropped = _feedparser_media(entry, base)
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
        _plain(summary) if summary else None,
        dropped,
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
    return _plain(title) if title and "html" in kind else title


def _struct_time(value: Any) -> datetime | None:
    return None if value is None else datetime(*value[:6]).replace(tzinfo=UTC)  # noqa: DTZ001


def _feedparser_media(entry: Any, base: str | None) -> tuple[str | None, tuple[str, ...]]:
    """The entry's image (its first image enclosure, Media RSS content or thumbnail), and
    each other enclosure (RSS ``<enclosure>``, Atom ``rel="enclosure"``, non-image
    ``media:content``), which an article cannot carry. feedparser leaves their relative
    URLs as written: they are resolved against ``base`` here."""

    def url(value: Any) -> str:
        return _resolved(value if isinstance(value, str) else None, base) or ""

    enclosures = [
        Enclosure(url(e.get("href") or e.get("url")), str(e.get("type") or ""))
        for e in entry.get("enclosures", [])
    ]
    media = [
        Enclosure(url(m.get("url")), str(m.get("type") or ""), str(m.get("medium") or ""))
        for m in entry.get("media_content", [])
    ]
    thumbnails = [Enclosure(url(t.get("url")), "image/") for t in entry.get("media_thumbnail", [])]
    return _choose_image([*enclosures, *media], thumbnails)


@dataclass(frozen=True)
class Enclosure:
    """A file an entry carries: an enclosure, a Media RSS item or a JSON Feed attachment."""

    url: str
    type: str
    medium: str = ""

    @property
    def is_image(self) -> bool:
        return (
            self.type.startswith("image/")
            or self.medium == "image"
            or (not self.type and not self.medium and _is_image_url(self.url))
        )


def _choose_image(
    files: Sequence[Enclosure], thumbnails: Sequence[Enclosure] = ()
) -> tuple[str | None, tuple[str, ...]]:
    """The first image among ``files`` (else among ``thumbnails``), and a note for each
    other file: feedpub articles carry one image and no other attachment."""
    present = [file for file in files if file.url]
    images = [file for file in present if file.is_image] + [t for t in thumbnails if t.url]
    image = images[0].url if images else None
    seen = {image}
    dropped = []
    for file in present:
        if file.url in seen:
            continue
        seen.add(file.url)
        kind = f" ({file.type or file.medium})" if file.type or file.medium else ""
        why = "only one image is kept"
        if not file.is_image:
            why = "an article carries no audio, video or other attachment"
        dropped.append(f"enclosure {file.url!r}{kind} is not kept: {why}")
    return image, tuple(dropped)


def _json_items(data: bytes, location: str) -> list[FeedItem]:
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
    base = _json_base(feed, location)
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
    files = [Enclosure(_json_url(item.get("image"), base) or "", "image/")] + [
        Enclosure(_json_url(a.get("url"), base) or "", str(a.get("mime_type") or ""))
        for a in _json_list(item.get("attachments"))
        if isinstance(a, dict)
    ]
    image, dropped = _choose_image(files)
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


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def markdown_body(fragment: str) -> str:
    """HTML as a Markdown body that renders back to the same HTML: one CommonMark HTML block
    (its blank lines, which would end the block, become empty comments the sanitizer drops)."""
    text = fragment.strip().replace("\r\n", "\n")
    if not text:
        return ""
    text = re.sub(r"(?m)^[ \t]*$", "<!-- -->", text)
    if not _BLOCK_START.match(text):
        text = f"<div>\n{text}\n</div>"
    return text + "\n"


def import_feed(
    config_path: Path,
    content: Path | None,
    location: str,
    countries: tuple[str, ...] = (),
    fetch: Any = read_location,
) -> ImportReport:
    """Write or update a content file for each entry of the feed at ``location``; a file
    edited since the import wrote it is left alone (see :func:`signed`)."""
    config = load_config(config_path)
    forced = _forced_countries(config, countries)
    folder = authoring.content_folder(config_path, content)
    items = parse_feed(fetch(location), location)
    existing = authoring.existing_articles(folder)
    by_id = {e.id: e for e in existing if e.id}
    run = _Import(config, location, forced, folder, by_id, {e.slug for e in existing})
    for item in items:
        run.entry(item)
    return run.report


@dataclass
class _Import:
    """One run of the import: what is already in the content folder, and what it did."""

    config: Config
    location: str
    forced: list[str]
    folder: Path
    by_id: dict[str, authoring.Existing]
    slugs: set[str]
    report: ImportReport = field(default_factory=ImportReport)
    seen: dict[str, int] = field(default_factory=dict)

    def entry(self, item: FeedItem) -> None:
        item, guessed = _in_site_zone(item, self.config, self.location)
        problems = _refusals(item, self.location) or _repeated(item, self.seen, self.location)
        if problems:
            self.report.to_check += problems
            return
        assert item.id is not None
        fields, notes = _fields(self.config, item, self.forced, self.location)
        text = signed(authoring.front_matter(fields) + "\n" + markdown_body(item.html or ""))
        size = len(text.encode("utf-8"))
        if size > self.config.site.max_content_bytes:
            self.report.to_check.append(_too_big(item, size, self.config, self.location))
            return
        self.report.to_check += guessed + notes
        known = self.by_id.get(item.id)
        if known is not None:
            self._update(known.path, text, item)
            return
        slug = authoring.free_slug(_slug(item), self.slugs)
        keys = [k for k in fields.get("countries") or []]
        path = authoring.article_path(self.folder, self.config, keys[:1], None) / f"{slug}.md"
        authoring.write_new(path, text)
        self.slugs.add(slug)
        self.by_id[item.id] = authoring.Existing(path, path.as_posix(), slug, item.title, item.id)
        self.report.written.append(path)

    def _update(self, path: Path, text: str, item: FeedItem) -> None:
        """Rewrite the file of an entry imported before, unless it was edited since."""
        current = path.read_text(encoding="utf-8")
        if current == text:
            self.report.unchanged.append(path)
            return
        state = unedited(current)
        if state is None and current != unsigned(text):
            why = "has this entry's id but no digest line of feedpub import (written by hand?)"
        elif state is False:
            why = "was edited since feedpub imported it"
        else:
            authoring.write_replacing(path, text)
            self.report.updated.append(path)
            return
        self.report.to_check.append(
            Problem(
                path.as_posix(),
                f"{why}; not updated from {self.location} entry {item.number} "
                "(delete the file and import again to take the feed's version)",
            )
        )


# The last line of the front matter of every file the import writes: a YAML comment (the
# build ignores it) holding the digest of the rest of the file, so that a re-run can tell a
# file it may update from one the publisher has edited since.
IMPORT_MARK = "# written by feedpub import feed; edit it and a re-run leaves it alone; digest "
_MARK_LINE = re.compile(r"^# written by feedpub import feed;[^\n]*digest ([0-9a-f]{32})\n", re.M)


def signed(text: str) -> str:
    """A content file's ``text`` with the import's digest line closing its front matter."""
    end = text.index("\n---\n") + 1
    return text[:end] + IMPORT_MARK + digest_of(text.encode("utf-8")) + "\n" + text[end:]


def unsigned(text: str) -> str:
    """``text`` without its digest line (as a feedpub before the digest wrote it)."""
    mark = _mark(text)
    return text if mark is None else text[: mark.start()] + text[mark.end() :]


def unedited(text: str) -> bool | None:
    """Whether a content file is still exactly what the import wrote; None when it has no
    digest line (a file written by hand, or by a feedpub before the digest)."""
    mark = _mark(text)
    if mark is None:
        return None
    return digest_of((text[: mark.start()] + text[mark.end() :]).encode("utf-8")) == mark[1]


def _mark(text: str) -> re.Match[str] | None:
    """The digest line, looked for in the front matter only."""
    end = text.find("\n---\n")
    return _MARK_LINE.search(text, 0, end + 1) if end >= 0 else None


def _in_site_zone(item: FeedItem, config: Config, location: str) -> tuple[FeedItem, list[Problem]]:
    """A JSON Feed date written without a UTC offset, read in ``site.timezone`` as feedpub
    reads such dates in content, with a note to check it (RFC 3339 requires an offset; which
    zone the old feed meant, only its publisher knows)."""
    if not item.naive_dates:
        return item, []
    zone = config.site.timezone
    notes = [
        Problem(
            location,
            f"{written} has no UTC offset (JSON Feed dates are RFC 3339); read in "
            f"site.timezone, {zone}: check it",
            field=f"entry {item.number}",
        )
        for written in item.naive_dates
    ]
    published, updated = (
        None if d is None else d if d.tzinfo else d.replace(tzinfo=zone)
        for d in (item.published, item.updated)
    )
    return replace(item, published=published, updated=updated), notes


def _too_big(item: FeedItem, size: int, config: Config, location: str) -> Problem:
    limit = config.site.max_content_bytes
    return Problem(
        location,
        f"would be a file of {size} bytes, over the limit of {limit} (site.max_content_bytes); "
        "not imported",
        field=f"entry {item.number}",
    )


def _repeated(item: FeedItem, seen: dict[str, int], location: str) -> list[Problem]:
    """An id the feed already gave an earlier entry: the first is kept, not overwritten."""
    assert item.id is not None
    first = seen.setdefault(item.id, item.number)
    if first == item.number:
        return []
    return [
        Problem(
            location,
            f"id {item.id!r} is entry {first}'s too; entry {first} is kept, this one not imported",
            field=f"entry {item.number}",
        )
    ]


def _forced_countries(config: Config, names: tuple[str, ...]) -> list[str]:
    keys = []
    for name in names:
        country = config.country_for(name)
        if country is None:
            known = ", ".join(sorted({c.key for c in config.countries.values()})) or "none"
            raise UsageError(f"--country: unknown country {name!r} (known: {known})")
        keys.append(country.key)
    return list(dict.fromkeys(keys))


def _refusals(item: FeedItem, location: str) -> list[Problem]:
    """Why an entry cannot be imported without inventing what readers already have."""
    where = f"entry {item.number}"
    title = f" ({item.title!r})" if item.title else ""
    if not item.id:
        return [
            Problem(
                location,
                f"has no guid or id{title}; not imported: an id made up now would not be the "
                "one subscribers have; add one to the old feed or write the file with feedpub new",
                field=where,
            )
        ]
    if id_problem(item.id) is not None:
        return [
            Problem(
                location,
                f"id {item.id!r}{title} is not an absolute URI, which Atom requires; not imported",
                field=where,
            )
        ]
    if item.published is None and item.updated is None and item.date_problems:
        return [
            Problem(
                location,
                f"{'; '.join(item.date_problems)}{title}; not imported: a date made up now "
                "would show it as new; fix it in the old feed (e.g. 2022-04-12T18:00:00+05:30)",
                field=where,
            )
        ]
    if item.published is None and item.updated is None:
        return [
            Problem(
                location,
                f"has no date{title}; not imported: readers would show it as new; "
                "add pubDate/published to the old feed",
                field=where,
            )
        ]
    if not item.title or not item.title.strip():
        return [
            Problem(location, f"id {item.id!r} has no title; not imported", field=where),
        ]
    return _unbuildable(item, location)


def _unbuildable(item: FeedItem, location: str) -> list[Problem]:
    """What the build would refuse in the file (content.py's own checks): not written."""
    where = f"entry {item.number}"
    moment = item.published or item.updated
    assert moment is not None
    problems = []
    late = unwritable_date(moment)
    if late is not None:
        problems.append(f"date {moment.isoformat()} {late}")
    return [Problem(location, f"{why}; not imported", field=where) for why in problems]


def _fields(
    config: Config, item: FeedItem, forced: list[str], location: str
) -> tuple[dict[str, Any], list[Problem]]:
    zone = config.site.timezone
    published = item.published or item.updated
    assert published is not None
    updated = item.updated if item.updated and item.updated != published else None
    countries = list(forced)
    tags = []
    for term in item.categories:
        country = config.country_for(authoring.slugify(term))
        if country is None:
            tags.append(" ".join(term.split()))
        elif country.key not in countries:
            countries.append(country.key)
    where = f"entry {item.number}"
    link = item.link if item.link and f.is_absolute_url(item.link) else None
    notes = [Problem(location, why, field=where) for why in _left_out(item, link)]
    image = item.image
    if image and not _is_image_url(image):
        notes.append(
            Problem(location, f"image {image!r} is not an image file URL; not kept", field=where)
        )
        image = None
    summary = item.summary if item.summary and item.summary != _plain(item.html or "") else None
    fields = {
        "title": " ".join((item.title or "").split()),
        "date": authoring.exact_date_text(published, zone),
        "updated": authoring.exact_date_text(updated, zone) if updated else None,
        "countries": countries or None,
        "summary": summary or None,
        "image": image,
        "author": _author(item.authors),
        "tags": list(dict.fromkeys(tags)) or None,
        "link": link,
        "id": item.id,
    }
    return fields, notes


def _left_out(item: FeedItem, link: str | None) -> list[str]:
    """What of an entry the file will not have (its link, files, a broken second date)."""
    notes = list(item.dropped)
    if item.published is not None or item.updated is not None:
        notes += [f"{problem}; left out" for problem in item.date_problems]
    if not item.link:
        notes.append(
            "has no link; the article's link will be the new site's (site.url and "
            "site.link_pattern)"
        )
    elif link is None and not f.looks_like_url(item.link):
        notes.append(
            f"link {item.link!r} is relative, and the feed has no xml:base or absolute "
            "<link> to resolve it against; not kept"
        )
    elif link is None:
        notes.append(f"link {item.link!r} is not an absolute URL; not kept")
    return notes


def _author(authors: tuple[dict[str, str], ...]) -> Any:
    people: list[Any] = []
    for author in authors:
        email = author.get("email")
        name = author.get("name") or email
        if not name:
            continue
        if email and f.email(email) is None:
            people.append({"name": name, "email": email})
        else:
            people.append(name)
    if not people:
        return None
    return people[0] if len(people) == 1 else people


def _is_image_url(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return f.is_absolute_url(url) and any(path.endswith(suffix) for suffix in IMAGE_TYPES)


def _slug(item: FeedItem) -> str:
    """The last segment of the old link (WordPress's and Hugo's slug), else the title's."""
    if item.link:
        segments = [s for s in urlsplit(item.link).path.split("/") if s]
        if segments:
            last = re.sub(r"\.(html?|php)$", "", segments[-1])
            slug = authoring.slugify(last)
            if slug and not slug.isdigit():
                return slug
    return authoring.slugify(item.title or "") or "article"
