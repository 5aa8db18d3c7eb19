"""``feedpub import feed``: an existing RSS, Atom or JSON feed -> content files, losslessly.

What subscribers of the old feed have seen is kept exactly: each entry's guid or id becomes
the article's ``id`` (so the build publishes it verbatim and no reader sees a duplicate), its
link its ``link``, its dates its ``date`` and ``updated``; author, categories (country names
become ``countries``), image and HTML content come along. An entry already imported (same
id) is updated in place. An entry without an id or a date is reported and left out: one made
up now would not be the one readers have. RSS and Atom are read with feedparser; JSON Feed
(which feedparser 6.0 does not read) with the standard library.
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedpub import __version__, authoring
from feedpub import fields as f
from feedpub.config import load_config
from feedpub.content import IMAGE_TYPES, id_problem, unwritable_date
from feedpub.errors import FeedpubError, InputError, Problem, UsageError
from feedpub.importing import ImportReport
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


def read_location(
    location: str, timeout: float = FETCH_TIMEOUT, limit: int = MAX_FEED_BYTES
) -> bytes:
    """The bytes of a feed file or http(s) URL, refusing more than ``limit`` bytes."""
    if urlsplit(location).scheme in ("http", "https"):
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
    """The entries of an RSS, Atom or JSON feed."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_items(data, location)
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise InputError([Problem(location, "is not an RSS, Atom or JSON feed, or has no entries")])
    return [_feedparser_item(n, entry) for n, entry in enumerate(parsed.entries, 1)]


def _feedparser_item(number: int, entry: Any) -> FeedItem:
    content = entry.get("content") or []
    body = next((c.value for c in content if "html" in c.get("type", "")), None)
    if body is None and content:
        body = f"<p>{html.escape(content[0].value)}</p>"
    summary = entry.get("summary")
    if body is None:
        body, summary = summary, None
    return FeedItem(
        number,
        entry.get("id") or None,
        entry.get("link"),
        _feedparser_title(entry),
        _struct_time(entry.get("published_parsed")),
        _struct_time(dict.get(entry, "updated_parsed")),  # not feedparser's published fallback
        _feedparser_authors(entry),
        tuple(t.get("term") for t in entry.get("tags", []) if t.get("term")),
        _feedparser_image(entry),
        body,
        _plain(summary) if summary else None,
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


def _feedparser_image(entry: Any) -> str | None:
    candidates = [
        *(e for e in entry.get("enclosures", []) if e.get("type", "").startswith("image/")),
        *entry.get("media_content", []),
        *entry.get("media_thumbnail", []),
    ]
    for candidate in candidates:
        url = candidate.get("href") or candidate.get("url")
        if url:
            return str(url)
    return None


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
    return [_json_item(n, item) for n, item in enumerate(items, 1) if isinstance(item, dict)]


def _json_item(number: int, item: dict[str, Any]) -> FeedItem:
    """A JSON Feed item; a value of the wrong JSON type (a list as title, a string as tags)
    is read as absent, as a reader would, never as a crash."""
    authors = _json_list(item.get("authors")) or [item.get("author")]
    body = _json_text(item.get("content_html"))
    text = _json_text(item.get("content_text"))
    if body is None and text:
        body = f"<p>{html.escape(text)}</p>"
    images = [_json_text(item.get("image"))] + [
        _json_text(a.get("url"))
        for a in _json_list(item.get("attachments"))
        if isinstance(a, dict) and str(a.get("mime_type", "")).startswith("image/")
    ]
    item_id = item.get("id")
    return FeedItem(
        number,
        str(item_id) if isinstance(item_id, str | int) and not isinstance(item_id, bool) else None,
        _json_text(item.get("url")),
        _json_text(item.get("title")),
        _iso(item.get("date_published")),
        _iso(item.get("date_modified")),
        tuple(
            {"name": name}
            for a in authors
            if isinstance(a, dict) and (name := _json_text(a.get("name")))
        ),
        tuple(t for t in map(_json_text, _json_list(item.get("tags"))) if t and t.strip()),
        next((i for i in images if i), None),
        body,
        _json_text(item.get("summary")),
    )


def _json_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _json_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _iso(value: Any) -> datetime | None:
    try:
        result = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return None if result is None or result.tzinfo is None else result


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
    """Write or update a content file for each entry of the feed at ``location``."""
    config = load_config(config_path)
    forced = _forced_countries(config, countries)
    folder = authoring.content_folder(config_path, content)
    items = parse_feed(fetch(location), location)
    existing = authoring.existing_articles(folder)
    by_id = {e.id: e for e in existing if e.id}
    slugs = {e.slug for e in existing}
    report = ImportReport()
    seen: dict[str, int] = {}
    for item in items:
        problems = _refusals(item, location) or _repeated(item, seen, location)
        if problems:
            report.to_check += problems
            continue
        assert item.id is not None
        fields, notes = _fields(config, item, forced, location)
        report.to_check += notes
        text = authoring.front_matter(fields) + "\n" + markdown_body(item.html or "")
        size = len(text.encode("utf-8"))
        if size > config.site.max_content_bytes:
            report.to_check.append(_too_big(item, size, config, location))
            continue
        known = by_id.get(item.id)
        if known is not None:
            if known.path.read_text(encoding="utf-8") == text:
                report.unchanged.append(known.path)
            else:
                authoring.write_replacing(known.path, text)
                report.updated.append(known.path)
            continue
        slug = authoring.free_slug(_slug(item), slugs)
        keys = [k for k in fields.get("countries") or []]
        path = authoring.article_path(folder, config, keys[:1], None) / f"{slug}.md"
        authoring.write_new(path, text)
        slugs.add(slug)
        by_id[item.id] = authoring.Existing(path, path.as_posix(), slug, item.title, item.id)
        report.written.append(path)
    return report


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
    notes = []
    where = f"entry {item.number}"
    link = item.link if item.link and f.is_absolute_url(item.link) else None
    if item.link and link is None:
        notes.append(
            Problem(location, f"link {item.link!r} is not an absolute URL; not kept", field=where)
        )
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
