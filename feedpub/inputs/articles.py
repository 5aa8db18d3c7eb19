"""A content file's front matter -> an :class:`Article` record (bodies are rendered later);
the files themselves are found and decoded by :mod:`feedpub.inputs.sources`."""

from __future__ import annotations

import mimetypes
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from feedpub.errors import Problem
from feedpub.inputs import fields as f
from feedpub.inputs.datetext import parse_date_text
from feedpub.inputs.finding import Source
from feedpub.inputs.sources import (
    REMOVED,
    Refused,
    decode,
    digest_of,
    split_front_matter,
    too_large,
)
from feedpub.inputs.yamlsrc import Located, YamlSourceError, load, load_located
from feedpub.layout import media_url
from feedpub.model import Article, Config, Correction, Enclosure, Image, Person

FRONT_MATTER_KEYS = {
    "title",
    "date",
    "updated",
    "countries",
    "region",
    "summary",
    "image",
    "image_alt",
    "image_caption",
    "image_width",
    "image_height",
    "author",
    "tags",
    "language",
    "link",
    "id",
    "draft",
    "slug",
    "enclosure",
    "translations",
    "corrections",
    "retracted",
    "expires",
}
CORRECTION_KEYS = {"date", "note"}
ENCLOSURE_KEYS = {"url", "type", "length", "duration"}
_MEDIA_TYPE = re.compile(r"^(?:audio|video)/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\Z")
_DURATION = re.compile(r"^(\d+)(?::([0-5]\d))?(?::([0-5]\d))?\Z")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"}
# The body `feedpub new` writes: a build refuses an article still holding it (a draft may).
BODY_PLACEHOLDER = (
    "Write the article here, in place of this line: feedpub build refuses the file while "
    "this line is in it."
)
_PLACEHOLDER_LINE = re.compile(rf"^[ \t]*{re.escape(BODY_PLACEHOLDER)}[ \t]*$", re.M)
# Caps on one article, far above any real one, so a hostile file costs little time.
MAX_FRONT_MATTER = 65536  # characters
MAX_ITEMS = 100  # tags, authors, countries, translations


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one file: an article, or problems; warnings either way."""

    article: Article | None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


def parse_source(source: Source, raw: bytes, config: Config, content_root: Path) -> Parsed:
    """Read one content file's bytes into an Article, or the problems that prevent it."""
    name = source.name
    oversize = too_large(name, len(raw), config)
    if oversize:
        return Parsed(None, (oversize,))
    try:
        text, warnings = decode(raw, name)
        front, body = split_front_matter(text, name)
        if len(front) > MAX_FRONT_MATTER:
            raise Refused(
                Problem(
                    name,
                    f"front matter is {len(front)} characters, over the limit of "
                    f"{MAX_FRONT_MATTER} (put long text in the body)",
                    1,
                )
            )
        value = _load_front_matter(front, name)
    except Refused as exc:
        return Parsed(None, (exc.problem,))
    # YAML escapes ("\x07", "\uFFFE") bring in characters the raw-text pass could not see;
    # nothing else can.
    removed = f.forbidden_characters(value) if "\\" in front else []
    if removed or "\\" in front:  # only a backslash escape can bring in a NEL here
        value = f.without_forbidden(value)
        lines = _located(front)
        for path, character in removed:
            line = lines.line_of(path)
            warnings.append(
                Problem(
                    name,
                    REMOVED.format(f.codepoint(character)),
                    None if line is None else line + 1,
                    ".".join(path),
                )
            )
    reader = f.Fields(name, Located(value), line_offset=1)
    article = _article(reader, value, source, config, content_root, digest_of(raw))
    if reader.problems:
        # Only now pay for the line-tracking parse, to point at the lines.
        reader = f.Fields(name, _located(front), line_offset=1)
        _article(reader, value, source, config, content_root, "")
        return Parsed(None, tuple(reader.problems), tuple(warnings))
    unwritten = None if article is None or article.draft else _placeholder(name, text, body)
    if unwritten is not None:
        return Parsed(None, (unwritten,), tuple(warnings))
    return Parsed(article, (), tuple(warnings))


def _placeholder(name: str, text: str, body: str) -> Problem | None:
    """The problem of a body that still holds the line ``feedpub new`` wrote in it."""
    found = _PLACEHOLDER_LINE.search(text, len(text) - len(body))
    if found is None:
        return None
    return Problem(
        name,
        "is still the placeholder feedpub new wrote; write the article in its place "
        "(or add draft: true until it is ready)",
        text.count("\n", 0, found.start()) + 1,
        "body",
    )


def front_matter_line(path: Path, name: str, field: tuple[str, ...]) -> int | None:
    """The line of ``field`` in the front matter of the file at ``path`` (display ``name``),
    for a problem that only the other files show; None if it cannot be told."""
    try:
        front, _ = split_front_matter(decode(path.read_bytes(), name)[0], name)
    except (OSError, Refused):
        return None
    line = _located(front).lines.get(field)  # that field's own line, not its parent's
    return None if line is None else line + 1  # after the opening '---' line


def _located(front: str) -> Located:
    """The line of each key of front matter that has already loaded (no lines if unsure)."""
    try:
        return load_located(front)
    except YamlSourceError:
        return Located(None)


def _load_front_matter(front: str, name: str) -> dict[str, Any]:
    from feedpub.inputs.frontmatter import load_simple  # here: a no-op build parses no front matter

    simple = load_simple(front)
    if simple is not None:
        return simple
    try:
        value = load(front)
    except YamlSourceError as exc:
        line = None if exc.line is None else exc.line + 1  # after the opening '---' line
        raise Refused(Problem(name, exc.message, line)) from exc
    if value is None:
        raise Refused(Problem(name, "front matter is empty; expected at least title and date", 2))
    if not isinstance(value, dict):
        raise Refused(
            Problem(name, f"front matter: expected a mapping of keys, got {f.shown(value)}", 2)
        )
    return value


def _article(
    reader: f.Fields, value: dict[str, Any], source: Source, config: Config, root: Path, digest: str
) -> Article | None:
    site = config.site
    data = reader.mapping(value, (), FRONT_MATTER_KEYS)
    title = reader.get(data, ("title",), f.text, required=True)
    published = _date(reader, data, "date", config, required=True)
    updated = _date(reader, data, "updated", config)
    slug = reader.get(data, ("slug",), f.slug) or _slug_from_name(source.name)
    if not slug:
        reader.problem(("slug",), f"is required: the file name {source.name!r} gives no slug")
    for key, what in (
        ("countries", "countries"),
        ("author", "authors"),
        ("tags", "tags"),
        ("translations", "translations"),
    ):
        _cap(reader, data, key, what)
    countries, regions = _places(reader, data, config)
    summary = reader.get(data, ("summary",), f.text)
    authors = _authors(reader, data.get("author"))
    tags = _as_list(reader.items(data, ("tags",), f.text, single=True))
    translations = reader.items(data, ("translations",), f.text, single=True)
    language = reader.get(data, ("language",), f.language)
    link = reader.get(data, ("link",), f.url)
    article_id = reader.get(data, ("id",), id_problem)
    draft = reader.get(data, ("draft",), _boolean, default=False)
    image = _image(reader, data, source, config, root)  # checked whatever else is wrong
    corrections = _corrections(reader, data, config)
    retracted = _retraction(reader, data, config)
    expires = _date(reader, data, "expires", config)
    enclosure = _enclosure(reader, data.get("enclosure"))
    if published is None or title is None or not slug or reader.problems:
        return None
    local = published.astimezone(site.timezone)
    if link is None:
        # Concatenation is urljoin here: url ends in '/', the pattern is a plain relative path.
        link = site.url + site.link_pattern.format(
            slug=slug,
            year=f"{local.year:04d}",
            month=f"{local.month:02d}",
            day=f"{local.day:02d}",
        )
    if article_id is None:
        article_id = default_id(config, published, slug)
    return Article(
        source=source.name,
        slug=slug,
        id=article_id,
        title=" ".join(title.split()),
        published=published,
        updated=updated,
        link=link,
        summary=summary,
        image=image,
        authors=authors,
        tags=tuple(dict.fromkeys(tags)),
        countries=countries,
        regions=regions,
        language=language,
        draft=draft,
        digest=digest,
        enclosure=enclosure,
        translations=tuple(dict.fromkeys(ref.strip() for ref in translations)),
        corrections=corrections,
        retracted=retracted,
        expires=expires,
    )


def default_id(config: Config, published: datetime, slug: str) -> str:
    """The id the build gives an article without an ``id`` key: a ``tag:`` URI of the site's
    authority, the publication date in the site's time zone and the slug."""
    local = published.astimezone(config.site.timezone)
    return f"tag:{config.site.id_authority}:{local.date().isoformat()}/{slug}"


def _corrections(reader: f.Fields, data: dict[str, Any], config: Config) -> tuple[Correction, ...]:
    """``corrections:``, a list of ``{date, note}``, oldest first whatever the order written."""
    given = data.get("corrections")
    if given is None:
        return ()
    if not isinstance(given, list):
        reader.problem(("corrections",), f"expected a list of {{date, note}}, got {f.shown(given)}")
        return ()
    found = []
    for index, item in enumerate(given):
        path = ("corrections", str(index))
        if not isinstance(item, dict):
            reader.problem(path, f"expected {{date, note}}, got {f.shown(item)}")
            continue
        entry = reader.mapping(item, path, CORRECTION_KEYS)
        moment = _date_at(reader, entry.get("date"), (*path, "date"), config, True)
        note = reader.get(entry, (*path, "note"), f.text, required=True)
        if moment is not None and note is not None:
            found.append(Correction(moment, " ".join(note.split())))
    return tuple(sorted(found, key=lambda correction: correction.date))


def _retraction(reader: f.Fields, data: dict[str, Any], config: Config) -> Correction | None:
    """``retracted: {date, note}``: when the article was withdrawn, and why (a tombstone's)."""
    given = data.get("retracted")
    if given is None:
        return None
    if not isinstance(given, dict):
        reader.problem(("retracted",), f"expected {{date, note}}, got {f.shown(given)}")
        return None
    entry = reader.mapping(given, ("retracted",), CORRECTION_KEYS)
    moment = _date_at(reader, entry.get("date"), ("retracted", "date"), config, True)
    note = reader.get(entry, ("retracted", "note"), f.text, required=True)
    if moment is None or note is None:
        return None
    return Correction(moment, " ".join(note.split()))


def _date(
    reader: f.Fields, data: dict[str, Any], key: str, config: Config, required: bool = False
) -> datetime | None:
    return _date_at(reader, data.get(key), (key,), config, required)


def _date_at(
    reader: f.Fields, value: Any, path: tuple[str, ...], config: Config, required: bool
) -> datetime | None:
    """``value`` (at ``path``) as an aware datetime (naive: in the site's time zone)."""
    if value is None:
        if required:
            reader.problem(path, "is required")
        return None
    zone = config.site.timezone
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, str) and _HAS_YEAR.search(value):
        try:
            result = parse_date_text(value)
        except (ValueError, OverflowError):
            reader.problem(path, f"{f.shown(value)} is not a date")
            return None
    else:
        reader.problem(path, f"{f.shown(value)} is not a date (expected e.g. 2022-04-12 09:30)")
        return None
    if result.tzinfo is None:
        result = result.replace(tzinfo=zone)
    try:
        for where in (UTC, zone):
            result.astimezone(where)
    except OverflowError:
        reader.problem(path, f"{f.shown(str(value))} is too far in the past or future")
        return None
    except ValueError:  # dateutil accepts offsets of a day or more; datetime does not
        reader.problem(path, f"{f.shown(str(value))} has a time zone offset of 24 hours or more")
        return None
    problem = unwritable_date(result)
    if problem:
        reader.problem(path, f"{f.shown(str(value))} {problem}")
        return None
    return result


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)


def unwritable_date(moment: datetime) -> str | None:
    """Why feeds cannot carry ``moment``, if they cannot. Before 1990 the validator warns
    (ImplausibleDate), and local mean time had offsets in seconds (Colombo's +05:19:32 in
    1900) that neither RFC 822 nor RFC 3339 can write; since 1990 every zone is in minutes."""
    if moment < EARLIEST:
        return "is before 1990: feeds readers and validators take such dates for mistakes"
    return None


def dated_ahead(article: Article, now: datetime, path: Path) -> list[Problem]:
    """A problem for an ``updated`` or correction date later than ``now`` (the file is at
    ``path``): a change is dated when it is made, and a feed would carry a date readers and
    validators take for a mistake. (A retraction may be set ahead: it happens then.)"""
    later = [("updated", article.updated)] if article.updated and article.updated > now else []
    later += [("corrections", c.date) for c in article.corrections if c.date > now]
    return [
        Problem(
            article.source,
            f"{when.isoformat()} is later than now ({_second(now, when)}): "
            "a change is dated when it is made (feeds would show a date in the future)",
            front_matter_line(path, article.source, (key,)),
            key,
        )
        for key, when in later
    ]


def _second(now: datetime, like: datetime) -> str:
    """``now`` to the second, in the offset of ``like``."""
    return now.astimezone(like.tzinfo).replace(microsecond=0).isoformat()


def _cap(reader: f.Fields, data: dict[str, Any], key: str, what: str) -> None:
    """A list over :data:`MAX_ITEMS` is a problem, and is not read any further."""
    value = data.get(key)
    if isinstance(value, list) and len(value) > MAX_ITEMS:
        reader.problem(
            (key,), f"{len(value)} {what}, over the limit of {MAX_ITEMS} an article may have"
        )
        data[key] = None


def _places(
    reader: f.Fields, data: dict[str, Any], config: Config
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    given = data.get("countries")
    countries: list[str] = []
    for written in dict.fromkeys(reader.items(data, ("countries",), f.text, single=True)):
        name = " ".join(written.split())
        country = config.country_for(name)
        if country is None:
            known = ", ".join(sorted({c.key for c in config.countries.values()})) or "none"
            reader.problem(
                ("countries", str(given.index(written)))
                if isinstance(given, list)
                else ("countries",),
                f"unknown country {name!r} (known: {known})",
            )
        elif country.key not in countries:
            countries.append(country.key)
    regions = [config.countries[c].region for c in countries]
    region = reader.get(data, ("region",), f.slug)
    if region is not None:
        if region not in {r.key for r in config.regions}:
            known = ", ".join(r.key for r in config.regions) or "none"
            reader.problem(("region",), f"unknown region {region!r} (known: {known})")
        else:
            regions.append(region)
    return tuple(countries), tuple(dict.fromkeys(regions))


def _authors(reader: f.Fields, value: Any) -> tuple[Person, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    authors = []
    for index, item in enumerate(items):
        path = ("author", str(index)) if isinstance(value, list) else ("author",)
        if isinstance(item, str) and item.strip():
            authors.append(Person(" ".join(item.split())))
        elif isinstance(item, dict):
            data = reader.mapping(item, path, {"name", "email"})
            name = reader.get(data, (*path, "name"), f.text, required=True)
            email = reader.get(data, (*path, "email"), f.email)
            if name:
                f.check_contact(reader, path, " ".join(name.split()), email)
                authors.append(Person(" ".join(name.split()), email))
        else:
            reader.problem(path, f"expected a name or {{name, email}}, got {f.shown(item)}")
    return tuple(authors)


def _image(
    reader: f.Fields, data: dict[str, Any], source: Source, config: Config, root: Path
) -> Image | None:
    ref = reader.get(data, ("image",), f.text)
    alt = reader.get(data, ("image_alt",), f.text)
    caption = reader.get(data, ("image_caption",), f.text)
    width = reader.get(data, ("image_width",), f.positive_int)
    height = reader.get(data, ("image_height",), f.positive_int)
    if ref is None:
        return None
    ref = ref.strip()
    suffix = os.path.splitext(ref.split("?")[0])[1].lower()
    if suffix not in IMAGE_TYPES:
        reader.problem(
            ("image",), f"expected an image file ({', '.join(sorted(IMAGE_TYPES))}), got {ref!r}"
        )
        return None
    media_type = mimetypes.types_map.get(
        suffix, "image/jpeg" if suffix == ".jpeg" else "image/" + suffix[1:]
    )
    if f.is_absolute_url(ref) or (ref.startswith("/") and not ref.startswith("//")):
        web = urljoin(config.site.url, ref)
        if f.url(web):
            reader.problem(
                ("image",),
                "expected an absolute http(s) URL or a /path with only the characters URLs "
                f"hold (percent-encode others), got {ref!r}",
            )
            return None
        return Image(web, alt, media_type, 0, caption=caption, width=width, height=height)
    if f.looks_like_url(ref):  # not a file name: say what is wrong with it as a URL
        reader.problem(
            ("image",), f"expected an absolute http(s) URL, got {f.shown(ref)}{f.url_hint(ref)}"
        )
        return None
    local = os.path.normpath(os.path.join(os.path.dirname(source.path), ref))
    real_root = os.path.realpath(root)
    # Inside the content folder both as written and once symlinks are followed: the first
    # keeps its path under _media/ inside the output folder, the second keeps secrets out.
    if (
        not _inside(os.path.abspath(root), os.path.abspath(local))
        or not _inside(real_root, os.path.realpath(local))
        or not os.path.isfile(local)
    ):
        reader.problem(
            ("image",),
            f"{ref!r} is not a file in the content folder (use an absolute URL, "
            "or a path starting with '/' for an image on the website)",
        )
        return None
    relative = Path(os.path.relpath(local, root)).as_posix()
    url = media_url(config.site.feeds_url, relative)
    size = _pixels(local) or (width, height)
    return Image(url, alt, media_type, os.path.getsize(local), local, caption, *size)


def _pixels(path: str) -> tuple[int, int] | None:
    """A local image's width and height from its header, or None if it does not say (an
    SVG sized in percent, a file that is not what its name says)."""
    import imagesize  # here: only a file with a local image needs it

    try:
        width, height = imagesize.get(path)
    except (OSError, ValueError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def _enclosure(reader: f.Fields, value: Any) -> Enclosure | None:
    """``enclosure: {url, type, length, duration}``: a podcast episode's audio or video."""
    path = ("enclosure",)
    data = reader.mapping(value, path, ENCLOSURE_KEYS)
    if not data:
        return None
    url = reader.get(data, (*path, "url"), enclosure_url_problem, required=True)
    kind = reader.get(data, (*path, "type"), media_type_problem, required=True)
    length = reader.get(data, (*path, "length"), _size, default=0)
    duration = reader.get(data, (*path, "duration"), duration_problem)
    if url is None or kind is None:
        return None
    return Enclosure(url, kind, length, None if duration is None else seconds(duration))


def enclosure_url_problem(value: Any) -> str | None:
    from feedpub.validator.uris import is_http_url  # the validator's test of an enclosure URL

    problem = f.url(value)
    if problem is None and not is_http_url(value):
        return "an absolute http(s) URL with a host name"
    return problem


def media_type_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not _MEDIA_TYPE.match(value):
        return "an audio or video media type like 'audio/mpeg' or 'video/mp4'"
    return None


def _size(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "a size in bytes (a whole number; 0 when unknown)"
    return None


def duration_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return _DURATION_EXPECTED
    if (
        isinstance(value, int)
        and value < 0
        or isinstance(value, str)
        and not _DURATION.match(value)
    ):
        return _DURATION_EXPECTED
    return None


_DURATION_EXPECTED = "a duration in seconds, or as 'minutes:seconds' or 'hours:minutes:seconds'"


def seconds(duration: int | str) -> int:
    """A duration as front matter gives it (YAML reads an unquoted 40:02 as 2402) in seconds."""
    if isinstance(duration, int):
        return duration
    match = _DURATION.match(duration)
    assert match is not None
    parts = [int(part) for part in match.groups() if part is not None]
    total = 0
    for part in parts:
        total = total * 60 + part
    return total


def _inside(folder: str, path: str) -> bool:
    return os.path.commonpath([folder, path]) == folder


def _slug_from_name(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].removesuffix(".md")
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")


def _as_list(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    return [" ".join(v.split()) for v in items]


def id_problem(value: Any) -> str | None:
    """An id the validator accepts as well (one home for what a valid tag: or urn: is); it
    is imported here, when a file with an id is parsed, not on a build with nothing to do."""
    from feedpub.validator.uris import uri_problem

    if (
        not isinstance(value, str)
        or not _URI.match(value)
        or uri_problem(value, absolute=True) is not None
    ):
        return "an absolute URI like 'tag:example.org,2022:hartal' or 'urn:uuid:...'"
    return None


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"
