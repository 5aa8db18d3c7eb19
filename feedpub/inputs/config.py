"""feeds.yaml -> a validated :class:`Config`, with every problem reported at once."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import string
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from feedpub import __version__
from feedpub.deploy.target import target_problem
from feedpub.errors import InputError, Problem
from feedpub.formats import FORMATS
from feedpub.inputs import fields as f
from feedpub.inputs.topics import read_topics
from feedpub.inputs.yamlsrc import YamlSourceError, load_located
from feedpub.layout import ARCHIVE_FOLDER
from feedpub.model import (
    CacheControl,
    Config,
    Country,
    Deploy,
    NewsSitemap,
    Person,
    Region,
    Site,
    Webfeeds,
)
from feedpub.syntax import TAG_URI

# The site keys and their defaults are the Site dataclass's fields (one home: model.py).
SITE_KEYS = {field.name for field in dataclasses.fields(Site)}
MAX_ARCHIVE_PAGE_SIZE = 1000
REGION_KEYS = {"title", "description", "countries", "max_feed_bytes"}
COUNTRY_KEYS = {"title", "description", "language", "aliases", "max_feed_bytes"}
MIN_FEED_BYTES = 10_000  # a feed's own elements take a few kilobytes before any item
DEPLOY_KEYS = {"target", "endpoint_url", "cache_control"}
CACHE_CONTROL_KEYS = {field.name for field in dataclasses.fields(CacheControl)}
WEBFEEDS_KEYS = {field.name for field in dataclasses.fields(Webfeeds)}
# Feedly's webfeeds:accentColor: a colour as six hex digits, without the '#'.
_ACCENT_COLOR = re.compile(r"^[0-9A-Fa-f]{6}\Z")
# A header value: printable ASCII (RFC 9110 field values), at most one line.
_HEADER_VALUE = re.compile(r"^[\x20-\x7e]{1,200}\Z")
LINK_FIELDS = {"slug", "year", "month", "day"}
OPML_FORMATS = tuple(fmt.kind for fmt in FORMATS)
# What a build does with a content file it cannot read: publish nothing, or all the rest.
ON_ERROR = ("refuse", "skip")
# A stylesheet for browsers that still apply one to a feed: the media type its name implies.
STYLESHEET_TYPES = {".xsl": "text/xsl", ".xslt": "text/xsl", ".css": "text/css"}
_STYLESHEET_PATH = re.compile(r"^/[A-Za-z0-9_.~/%-]*\Z")
# A plain relative path, so site.url + pattern is the article link (no urljoin needed).
_PATTERN = re.compile(r"^[A-Za-z0-9{}_.~-][A-Za-z0-9{}_.~/-]*\Z")
# RFC 4151 taggingEntity: a domain name or email address, a comma, a date.
ID_AUTHORITY = re.compile(
    r"^(?:[A-Za-z0-9.-]+|[^@\s]+@[A-Za-z0-9.-]+),\d{4}(?:-\d{2}(?:-\d{2})?)?\Z"
)


def load_config(path: str | Path) -> Config:
    """Read and validate feeds.yaml; raise :class:`InputError` listing every problem."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read: {exc.strerror or exc}")]) from exc
    try:
        source = raw.decode("utf-8-sig").replace(f.NEL, "\n")  # YAML reads NEL as a break
    except UnicodeDecodeError as exc:
        raise InputError([f.not_utf8(name, raw, exc)]) from exc
    forbidden = _forbidden_lines(name, source)
    if forbidden:
        raise InputError(forbidden)
    try:
        located = load_located(source)
    except YamlSourceError as exc:
        raise InputError([Problem(name, exc.message, exc.line)]) from exc
    if not isinstance(located.value, dict):
        found = "is empty" if located.value is None else f"is {f.shown(located.value)}"
        line = located.line_of(())
        raise InputError(
            [Problem(name, f"{found}; expected a mapping with 'site' and 'regions'", line)]
        )
    reader = f.Fields(name, located)
    for key_path, character in f.forbidden_characters(located.value):
        reader.problem(key_path, f"contains {f.codepoint(character)}, a character {f.NOT_IN_FEEDS}")
    top = reader.mapping(
        f.without_forbidden(located.value), (), {"site", "regions", "topics", "deploy"}
    )
    site = _site(reader, top)
    regions = _regions(reader, top)
    topics = read_topics(reader, top, regions)
    deploy = _deploy(reader, top)
    if site is not None and site.archives:
        _archive_folder_free(reader, regions)
    if reader.problems or site is None:
        raise InputError(reader.problems)
    countries: dict[str, Country] = {}
    for region in regions:
        for country in region.countries:
            countries[country.key] = country
            for alias in country.aliases:
                countries[alias] = country
    digest = hashlib.sha256(raw + __version__.encode()).hexdigest()
    return Config(name, site, tuple(regions), digest, countries, topics, deploy)


def served_at(config: Config, url: str) -> Config:
    """``config`` for an output folder served at ``url`` in place of ``site.feeds_url`` (the
    preview of ``feedpub serve``): its feeds, pages and OPML name that address, and it pings
    no WebSub hub (a hub cannot fetch a preview). Its digest differs, so no cached value made
    for another address is used."""
    site = dataclasses.replace(config.site, feeds_url=url, websub_hub=())
    digest = hashlib.sha256(f"{config.digest} served at {url}".encode()).hexdigest()
    return dataclasses.replace(config, site=site, digest=digest)


def _forbidden_lines(name: str, source: str) -> list[Problem]:
    """A problem for each line holding a character XML forbids (YAML refuses most of them)."""
    problems: dict[int, Problem] = {}
    for match in f.XML_FORBIDDEN.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        problems.setdefault(
            line,
            Problem(
                name, f"contains {f.codepoint(match.group())}, a character {f.NOT_IN_FEEDS}", line
            ),
        )
    return list(problems.values())


def _site(reader: f.Fields, top: dict[str, Any]) -> Site | None:
    p = ("site",)
    if "site" not in top:
        reader.problem(p, "is required")
    data = reader.mapping(top.get("site"), p, SITE_KEYS)
    author = _author(reader, data.get("author"), (*p, "author"))
    values = {
        "title": reader.get(data, (*p, "title"), f.text, required=True),
        "description": reader.get(data, (*p, "description"), f.text, required=True),
        "url": _with_slash(reader.get(data, (*p, "url"), _folder_url, required=True)),
        "feeds_url": _with_slash(reader.get(data, (*p, "feeds_url"), _folder_url, required=True)),
        "language": reader.get(data, (*p, "language"), f.language, required=True),
        "timezone": _timezone(reader, data),
        "id_authority": reader.get(data, (*p, "id_authority"), _id_authority, required=True),
        "limit": reader.get(data, (*p, "limit"), f.positive_int),
        "image": reader.get(data, (*p, "image"), f.url),
        "icon": reader.get(data, (*p, "icon"), f.url),
        "copyright": reader.get(data, (*p, "copyright"), f.text),
        "link_pattern": reader.get(data, (*p, "link_pattern"), _link_pattern),
        "max_content_bytes": reader.get(data, (*p, "max_content_bytes"), f.positive_int),
        "archives": reader.get(data, (*p, "archives"), f.boolean),
        "archive_page_size": reader.get(data, (*p, "archive_page_size"), _page_size),
        "websub_hub": tuple(reader.items(data, (*p, "websub_hub"), f.url, single=True)),
        "image_in_content": reader.get(data, (*p, "image_in_content"), f.boolean),
        "opml_format": reader.get(data, (*p, "opml_format"), _opml_format),
        "stylesheet": reader.get(data, (*p, "stylesheet"), _stylesheet),
        "on_error": reader.get(data, (*p, "on_error"), _on_error),
        "corrections_bump_pubdate": reader.get(data, (*p, "corrections_bump_pubdate"), f.boolean),
        "tombstone_days": reader.get(data, (*p, "tombstone_days"), f.positive_int),
        "max_feed_bytes": reader.get(data, (*p, "max_feed_bytes"), _feed_bytes),
        "webfeeds": _webfeeds(reader, data),
        "news_sitemap": _news_sitemap(reader, data),
    }
    if author is None and "author" not in data:
        reader.problem((*p, "author"), "is required")
    if reader.problems or author is None:
        return None
    # A key left out (None) takes the dataclass's default.
    return Site(author=author, **{key: v for key, v in values.items() if v is not None})


def _news_sitemap(reader: f.Fields, data: dict[str, Any]) -> NewsSitemap | None:
    """``site.news_sitemap``: ``true`` (every article names ``site.title`` as its
    publication), ``false``, or a mapping of language tags to publication names (on, and the
    articles in those languages name theirs)."""
    path = ("site", "news_sitemap")
    value = data.get("news_sitemap")
    if value is None or value is False:
        return None
    if value is True:
        return NewsSitemap()
    if not isinstance(value, dict) or not value:
        expected = "true, false or a mapping of language tags to publication names"
        found = "an empty mapping" if value == {} else f.shown(value)
        reader.problem(path, f"expected {expected}, got {found}")
        return None
    names = []
    for key in value:
        if f.language(key):
            text = f"expected a language tag like 'en' or 'si' as a key, got {f.shown(key)}"
            reader.problem(path, text + f._hint("text", key), at=(*path, str(key)))
            continue
        checked = reader.get(value, (*path, key), f.text, required=True)
        if checked is not None:
            names.append((key.lower(), checked))
    return NewsSitemap(tuple(sorted(names)))


def _deploy(reader: f.Fields, top: dict[str, Any]) -> Deploy:
    """The ``deploy`` section: where ``feedpub deploy`` sends the output, and its headers.
    Credentials never go here (they are the standard AWS variables and profiles)."""
    p = ("deploy",)
    data = reader.mapping(top.get("deploy"), p, DEPLOY_KEYS)
    target = reader.get(data, (*p, "target"), target_problem)
    endpoint = reader.get(data, (*p, "endpoint_url"), _folder_url)
    if endpoint is not None and target is not None and not target.startswith("s3://"):
        reader.problem((*p, "endpoint_url"), "is only for an s3:// target")
    cache = reader.mapping(data.get("cache_control"), (*p, "cache_control"), CACHE_CONTROL_KEYS)
    headers = {key: reader.get(cache, (*p, "cache_control", key), _header_value) for key in cache}
    given = {key: value for key, value in headers.items() if value is not None}
    return Deploy(target, endpoint, CacheControl(**given))


def _webfeeds(reader: f.Fields, data: dict[str, Any]) -> Webfeeds | None:
    """``site.webfeeds``: Feedly's icon, logo, cover and accent colour; None when absent, so a
    site without it publishes the bytes it did."""
    p = ("site", "webfeeds")
    given = reader.mapping(data.get("webfeeds"), p, WEBFEEDS_KEYS)
    for key in sorted(WEBFEEDS_KEYS & {key for key, value in given.items() if value is None}):
        hint = " (an unquoted '#' starts a YAML comment: write '00a3e0', no '#')"
        reader.problem((*p, key), "is empty" + (hint if key == "accent_color" else ""))
    values = {
        "icon": reader.get(given, (*p, "icon"), f.url),
        "logo": reader.get(given, (*p, "logo"), f.url),
        "cover": reader.get(given, (*p, "cover"), f.url),
        "accent_color": reader.get(given, (*p, "accent_color"), _accent_color),
    }
    found = {key: value for key, value in values.items() if value is not None}
    return Webfeeds(**found) if found else None


def _accent_color(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a colour as six hex digits in quotes, like '00a3e0' (unquoted, YAML reads a number)"
    if not isinstance(value, str) or not _ACCENT_COLOR.match(value):
        return "a colour as six hex digits without '#', like '00a3e0'"
    return None


def _header_value(value: Any) -> str | None:
    if not isinstance(value, str) or not _HEADER_VALUE.match(value) or value != value.strip():
        return "a Cache-Control value like 'public, max-age=300' (printable ASCII, one line)"
    return None


def _author(reader: f.Fields, value: Any, path: tuple[str, ...]) -> Person | None:
    if value is None:
        return None
    data = reader.mapping(value, path, {"name", "email"})
    name = reader.get(data, (*path, "name"), f.text, required=bool(data))
    email = reader.get(data, (*path, "email"), f.email)
    if name:
        f.check_contact(reader, path, name, email)
    return Person(name, email) if name else None


def _timezone(reader: f.Fields, data: dict[str, Any]) -> ZoneInfo | None:
    path = ("site", "timezone")
    name = reader.get(data, path, f.text, required=True)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        reader.problem(path, f"expected an IANA time zone like 'Asia/Colombo', got {name!r}")
        return None


def _id_authority(value: Any) -> str | None:
    # Every id is tag:<authority>:<specific>: the validator's tag: syntax decides (lower case).
    if (
        not isinstance(value, str)
        or not ID_AUTHORITY.match(value)
        or not TAG_URI.match(f"tag:{value}:")
    ):
        return "a tag: authority like 'example.org,2022' (a domain, a comma, a date)"
    if not _is_real_date(value.rpartition(",")[2]):
        return "a tag: authority whose date is a real one, like 'example.org,2022-05-31'"
    return None


def _is_real_date(text: str) -> bool:
    """'2022', '2022-05' or '2022-05-31' naming a day that exists (the feeds' fallback
    date is made from it; '2022-13' or '0000' would be none)."""
    numbers = [int(part) for part in text.split("-")] + [1, 1]
    try:
        date(*numbers[:3])
    except ValueError:
        return False
    return True


def _folder_url(value: Any) -> str | None:
    """site.url and feeds_url: links and self links are these plus a path, so a query or a
    fragment would end up in the middle of every one of them."""
    not_a_url = f.url(value)
    if not_a_url or ("?" not in value and "#" not in value):
        return not_a_url
    return "an absolute http(s) URL of a folder, with no query ('?...') or fragment ('#...')"


def _opml_format(value: Any) -> str | None:
    if value not in OPML_FORMATS:
        return "one of " + ", ".join(repr(name) for name in OPML_FORMATS)
    return None


def _on_error(value: Any) -> str | None:
    if value not in ON_ERROR:
        return " or ".join(repr(name) for name in ON_ERROR)
    return None


def _stylesheet(value: Any) -> str | None:
    """An absolute URL or a /path on the feeds' server, named .xsl, .xslt or .css."""
    expected = "an absolute http(s) URL or a /path, ending in .xsl, .xslt or .css"
    if not isinstance(value, str) or not (
        f.is_absolute_url(value) or _STYLESHEET_PATH.match(value)
    ):
        return expected
    if any(c in value for c in '"<>&') or stylesheet_type(value) is None:
        return expected
    return None


def stylesheet_type(href: str) -> str | None:
    """text/xsl or text/css, from the stylesheet's file name; None for anything else."""
    name = href.split("?", 1)[0].split("#", 1)[0].lower()
    return next((kind for end, kind in STYLESHEET_TYPES.items() if name.endswith(end)), None)


def _link_pattern(value: Any) -> str | None:
    expected = "a pattern relative to site.url using {slug} and optionally {year}, {month}, {day}"
    if not isinstance(value, str) or not _PATTERN.match(value):
        return expected
    if any(part in (".", "..") for part in value.split("/")):
        return expected
    try:
        fields = list(string.Formatter().parse(value))
    except ValueError:
        return expected
    names = {name for _, name, _, _ in fields if name is not None}
    # '{{slug}}' is the literal text '{slug}': every article would get the same link.
    literal_braces = any("{" in text or "}" in text for text, _, _, _ in fields)
    if "slug" not in names or not names <= LINK_FIELDS or literal_braces:
        return expected
    return None


def _page_size(value: Any) -> str | None:
    if f.positive_int(value) or value > MAX_ARCHIVE_PAGE_SIZE:
        return f"a whole number from 1 to {MAX_ARCHIVE_PAGE_SIZE}"
    return None


def _with_slash(url: str | None) -> str | None:
    return url if url is None or url.endswith("/") else url + "/"


def _regions(reader: f.Fields, top: dict[str, Any]) -> list[Region]:
    if "regions" not in top:
        reader.problem(("regions",), "is required")
    regions = top.get("regions")
    if regions is not None and not isinstance(regions, dict):
        reader.problem(("regions",), f"expected a mapping of region keys, got {f.shown(regions)}")
        return []
    result = []
    seen: dict[str, tuple[str, ...]] = {}  # country key or alias -> where it was first defined
    for key, value in (regions or {}).items():
        path = ("regions", str(key))
        good_key = _key(reader, ("regions",), key, "region")
        data = reader.mapping(value, path, REGION_KEYS)
        title = reader.get(data, (*path, "title"), f.text, required=True)
        description = reader.get(data, (*path, "description"), f.text)
        countries = _countries(reader, key, data.get("countries"), (*path, "countries"), seen)
        cap = reader.get(data, (*path, "max_feed_bytes"), _feed_bytes)
        if title and good_key:
            result.append(Region(key, title, tuple(countries), description, cap))
    return result


def _feed_bytes(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_FEED_BYTES:
        return f"a whole number of bytes, at least {MIN_FEED_BYTES:,}"
    return None


def _archive_folder_free(reader: f.Fields, regions: list[Region]) -> None:
    """Archive pages live in each channel's ``archive/`` folder: no channel may be called so."""
    message = f"key {ARCHIVE_FOLDER!r} is reserved for archive pages (or set site.archives: false)"
    for region in regions:
        if region.key == ARCHIVE_FOLDER:
            reader.problem(("regions",), "region " + message, at=("regions", region.key))
        for country in region.countries:
            if country.key == ARCHIVE_FOLDER:
                path = ("regions", region.key, "countries")
                reader.problem(path, "country " + message, at=(*path, country.key))


def _key(reader: f.Fields, parent: tuple[str, ...], key: Any, kind: str) -> bool:
    """Region and country keys name folders of the output, so they must be slugs."""
    if f.slug(key) is None:
        return True
    reader.problem(
        parent,
        f"{kind} key {f.shown(key)} is not a slug (use lower-case letters, digits and '-')",
        at=(*parent, str(key)),
    )
    return False


def _countries(
    reader: f.Fields,
    region: str,
    value: Any,
    path: tuple[str, ...],
    seen: dict[str, tuple[str, ...]],
) -> list[Country]:
    if not isinstance(value, dict):
        reader.problem(path, f"expected a mapping of country keys, got {f.shown(value)}")
        return []
    result = []
    for key, entry in value.items():
        cpath = (*path, str(key))
        good_key = _key(reader, path, key, "country")
        data = reader.mapping(entry, cpath, COUNTRY_KEYS)
        title = reader.get(data, (*cpath, "title"), f.text, required=True)
        aliases = reader.items(data, (*cpath, "aliases"), f.slug)
        for name in [key, *aliases] if good_key else aliases:
            if name in seen:
                first = seen[name]
                reader.problem(
                    cpath,
                    f"{name!r} is already a country or alias in {'.'.join(first)} "
                    f"(line {reader.located.line_of(first)})",
                )
            seen.setdefault(name, cpath)
        country = Country(
            key,
            title or key,
            region,
            reader.get(data, (*cpath, "description"), f.text),
            reader.get(data, (*cpath, "language"), f.language),
            tuple(aliases),
            reader.get(data, (*cpath, "max_feed_bytes"), _feed_bytes),
        )
        if good_key:
            result.append(country)
    return result
