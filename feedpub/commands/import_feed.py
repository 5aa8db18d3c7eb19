"""``feedpub import feed``: an existing RSS, Atom or JSON feed -> content files, losslessly.

What subscribers of the old feed have seen is kept exactly: each entry's guid or id becomes
the article's ``id`` (so the build publishes it verbatim and no reader sees a duplicate), its
link its ``link``, its dates its ``date`` and ``updated``; author, categories (country names
become ``countries``), image and HTML content come along. An entry already imported (same
id) is updated in place, unless the publisher has edited its file since (each file carries a
digest of what the import wrote: :func:`signed`). An entry without an id or a date is
reported and left out: one made up now would not be the one readers have; so is each
enclosure an article cannot carry. Reading the old feed is :mod:`feedpub.commands.old_feed`'s
job; this module decides what to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from feedpub.commands.import_listing import ImportReport
from feedpub.commands.old_feed import (
    FeedItem,
    embeds,
    is_image_url,
    markdown_body,
    parse_feed,
    plain_text,
    read_location,
)
from feedpub.errors import InputError, Problem, UsageError
from feedpub.inputs import authoring
from feedpub.inputs import fields as f
from feedpub.inputs.articles import (
    duration_problem,
    enclosure_url_problem,
    id_problem,
    media_type_problem,
    unwritable_date,
)
from feedpub.inputs.config import load_config
from feedpub.inputs.sources import digest_of
from feedpub.model import Config


def import_feed(
    config_path: Path,
    content: Path | None,
    location: str,
    countries: tuple[str, ...] = (),
    fetch: Any = read_location,
    base_url: str | None = None,
) -> ImportReport:
    """Write or update a content file for each entry of the feed at ``location``; a file
    edited since the import wrote it is left alone (see :func:`signed`)."""
    config = load_config(config_path)
    forced = _forced_countries(config, countries)
    folder = authoring.content_folder(config_path, content)
    data = fetch(location)
    items = parse_feed(data, location, base_url)
    own = own_feed(config, location, data, items)
    if own is not None:
        message = (
            f"is this site's own feed ({own}): the migration is done, and importing it "
            "again would write this site's articles a second time; nothing was written "
            "(import from a saved copy of the old feed if an entry is missing)"
        )
        raise InputError([Problem(location, message)])
    existing = authoring.existing_articles(folder)
    by_id = {e.id: e for e in existing if e.id}
    run = _Import(config, location, forced, folder, by_id, {e.slug for e in existing})
    for item in items:
        run.entry(item)
    return run.report


def own_feed(config: Config, location: str, data: bytes, items: list[FeedItem]) -> str | None:
    """Why the feed at ``location`` is one this site publishes (the README's 301 sends the
    old feed's address there), or None: its address or self link is under ``feeds_url``, or
    its entries have the ids this site gives articles itself."""
    feeds_url = config.site.feeds_url
    if location.startswith(feeds_url):
        return f"it is under site.feeds_url {feeds_url}"
    self_url = _self_link(data)
    if self_url is not None and self_url.startswith(feeds_url):
        return f"its self link {self_url} is under site.feeds_url; the old address redirects here?"
    authority = f"tag:{config.site.id_authority}:"
    minted = next((i.id for i in items if i.id and i.id.startswith(authority)), None)
    if minted is not None:
        return f"entry id {minted} is one this site makes itself"
    return None


def _self_link(data: bytes) -> str | None:
    """The feed's own address, as its self link (RSS, Atom) or feed_url (JSON Feed) says."""
    import json

    import feedparser

    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        try:
            value = json.loads(data).get("feed_url")
        except (ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None
    links = feedparser.parse(data).feed.get("links", [])
    return next((x.get("href") for x in links if x.get("rel") == "self"), None)


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
        region = fields.get("region")
        path = authoring.article_path(self.folder, self.config, keys[:1], region) / f"{slug}.md"
        if not keys and region is None:
            self.report.to_check.append(
                Problem(
                    self.location,
                    "names no country or region (by a category); written at the top of the "
                    "content folder, it is in the combined feed only: add countries: to it, "
                    "or import with --country",
                    field=f"entry {item.number}",
                )
            )
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
        lost = _lost_keys(current, text)
        if lost and state is not False:
            names = ", ".join(lost)
            why = f"would lose {names} that it has (the feed now says less)"
        elif state is None and current != unsigned(text):
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


def _lost_keys(current: str, new: str) -> list[str]:
    """The front matter keys of ``current`` that ``new`` (the import's version) lacks."""
    from feedpub.inputs.sources import Refused, split_front_matter
    from feedpub.inputs.yamlsrc import YamlSourceError, load

    keys = []
    for text in (current, new):
        try:
            loaded = load(split_front_matter(text, "")[0])
        except (YamlSourceError, Refused):  # unreadable: nothing it could lose
            return []
        keys.append(set(loaded) if isinstance(loaded, dict) else set())
    return sorted(keys[0] - keys[1])


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
    regions = {r.key: r.key for r in config.regions} | {
        authoring.slugify(r.title): r.key for r in config.regions
    }
    region = None
    for term in item.categories:
        country = config.country_for(authoring.slugify(term))
        if country is not None and country.key not in countries:
            countries.append(country.key)
        elif country is None and authoring.slugify(term) in regions:
            region = region or regions[authoring.slugify(term)]
        elif country is None:
            tags.append(" ".join(term.split()))
    where = f"entry {item.number}"
    link = item.link if item.link and f.is_absolute_url(item.link) else None
    notes = [Problem(location, why, field=where) for why in _left_out(item, link)]
    image = item.image
    if image and not is_image_url(image):
        notes.append(
            Problem(location, f"image {image!r} is not an image file URL; not kept", field=where)
        )
        image = None
    summary = item.summary if item.summary and item.summary != plain_text(item.html or "") else None
    if summary is None:
        summary = _summary_of(item.html or "")
    if countries:
        region = None  # the countries say it
    fields = {
        "title": " ".join((item.title or "").split()),
        "date": authoring.exact_date_text(published, zone),
        "updated": authoring.exact_date_text(updated, zone) if updated else None,
        "countries": countries or None,
        "region": region,
        "summary": summary or None,
        "image": image,
        "author": _author(item.authors),
        "tags": list(dict.fromkeys(tags)) or None,
        "link": link,
        "id": item.id,
        "enclosure": _enclosure(item, notes, location),
    }
    return fields, notes


def _enclosure(item: FeedItem, notes: list[Problem], location: str) -> dict[str, Any] | None:
    """The entry's audio or video as front matter ``enclosure:`` (a duration the build
    cannot read is left out, with a note)."""
    episode = item.episode
    if episode is None:
        return None
    if enclosure_url_problem(episode.url) or media_type_problem(episode.type):
        notes.append(
            Problem(
                location,
                f"enclosure {episode.url!r} ({episode.type}) is not kept: the build takes an "
                "http(s) URL of audio/... or video/...",
                field=f"entry {item.number}",
            )
        )
        return None
    found: dict[str, Any] = {"url": episode.url, "type": episode.type}
    if episode.length:
        found["length"] = episode.length
    duration = episode.duration
    if duration is not None and duration.isdigit():
        found["duration"] = int(duration)
    elif duration is not None and not duration_problem(duration):
        found["duration"] = duration
    elif duration is not None:
        notes.append(
            Problem(
                location,
                f"itunes:duration {duration!r} is not a duration; left out",
                field=f"entry {item.number}",
            )
        )
    return found


def _left_out(item: FeedItem, link: str | None) -> list[str]:
    """What of an entry the file will not have (its link, files, a broken second date)."""
    notes = list(item.dropped)
    notes += [
        f"embedded player {src!r} (an <iframe>, which feeds cannot carry) becomes a link to it"
        for src in embeds(item.html or "")
    ]
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


_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply)[^@]*@", re.I)
SUMMARY_CHARS = 280  # a derived summary: about two sentences


def _summary_of(fragment: str) -> str | None:
    """A summary from the text of a body without paragraphs (Blogger's ``<br>`` lines): the
    build takes an article's first paragraph, and such a body has none, so readers would show
    the title again. None for a body with paragraphs: the build's own does."""
    if re.search(r"<p[\s>]", fragment, re.I):
        return None
    text = plain_text(fragment)
    if len(text) <= SUMMARY_CHARS:
        return text or None
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _author(authors: tuple[dict[str, str], ...]) -> Any:
    people: list[Any] = []
    for author in authors:
        email = author.get("email")
        if email and _NO_REPLY.match(email):
            email = None  # Blogger's noreply@blogger.com: an address nobody reads
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
