"""Plain records passed between the pipeline stages. All datetimes are timezone-aware."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from operator import attrgetter
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Country:
    key: str
    title: str
    region: str
    description: str | None = None
    language: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    key: str
    title: str
    countries: tuple[Country, ...]
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    description: str
    url: str
    feeds_url: str
    language: str
    timezone: tzinfo
    author: Person
    id_authority: str
    limit: int = 50
    image: str | None = None
    icon: str | None = None
    copyright: str | None = None
    link_pattern: str = "{slug}/"
    max_content_bytes: int = 5 * 1024 * 1024
    archives: bool = True
    archive_page_size: int | None = None  # None: site.limit
    websub_hub: tuple[str, ...] = ()  # the hubs' URLs
    image_in_content: bool = True  # lead each article's content with a figure of its image
    opml_format: str = "rss"  # which feed the OPML's xmlUrl names: rss, atom or json
    stylesheet: str | None = None  # an <?xml-stylesheet?> for RSS and Atom, if set
    on_error: str = "refuse"  # a broken content file: refuse the build, or skip the file


@dataclass(frozen=True, slots=True)
class Config:
    """feeds.yaml, validated. ``digest`` changes whenever the file's bytes change."""

    path: str
    site: Site
    regions: tuple[Region, ...]
    digest: str
    countries: dict[str, Country] = field(default_factory=dict)

    def country_for(self, name: str) -> Country | None:
        """The country whose key or alias is ``name``."""
        return self.countries.get(name)


@dataclass(frozen=True, slots=True)
class Image:
    """An article image. ``source`` is the local file to publish beside the feeds, if any."""

    url: str
    alt: str | None
    media_type: str
    length: int
    source: str | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One content file's metadata. The body is read again only if the article is published."""

    source: str
    slug: str
    id: str
    title: str
    published: datetime
    updated: datetime | None
    link: str
    summary: str | None
    image: Image | None
    authors: tuple[Person, ...]
    tags: tuple[str, ...]
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    language: str | None
    draft: bool
    digest: str

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


@dataclass(frozen=True, slots=True)
class Rendered:
    """The parts of an article that need its body: sanitized absolute HTML and a plain summary."""

    html: str
    summary: str


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a document sits in its channel's archived feed (RFC 5005 section 4).

    ``page`` 0 is the channel's current feed; archive pages are numbered from 1, the oldest.
    ``previous`` and ``next`` are the neighbouring archive pages, if there are any."""

    page: int
    previous: int | None
    next: int | None


@dataclass(frozen=True, slots=True)
class Channel:
    """One feed: the combined site feed, a region's or a country's, with its newest articles.

    ``listings`` are always there; ``articles`` (the same, as full records) only once the
    channel is going to be generated. ``paging`` is set on a channel with archive pages, and
    on each of those pages (whose ``path`` is ``(*channel, "archive", "<n>")``).
    """

    path: tuple[str, ...]
    title: str
    description: str
    language: str
    listings: tuple[Listing, ...]
    articles: tuple[Article, ...] = ()
    paging: Paging | None = None


class Stat(NamedTuple):
    """What tells a file changed without reading it. Size and mtime alone miss a rewrite by
    tools that normalise mtimes (``tar --mtime``, Nix); ctime and inode catch it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int


class Listing(NamedTuple):
    """What it takes to place an article in feeds: small and cheap to cache for every file."""

    published: float  # POSIX timestamp of Article.published
    id: str
    slug: str
    source: str
    draft: bool
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    digest: str
    image: str | None  # the local image file the article publishes, if any
    link: str = ""  # two articles with one link make feeds the validator refuses


Record = tuple[Any, ...]
"""An Article's fields, flat, so it pickles fast (see :func:`record_of`)."""

_ARTICLE_FIELDS = attrgetter(*(f.name for f in fields(Article)))
_AUTHORS = [f.name for f in fields(Article)].index("authors")
_IMAGE = [f.name for f in fields(Article)].index("image")


def listing_of(article: Article) -> Listing:
    return Listing(
        article.published.timestamp(),
        article.id,
        article.slug,
        article.source,
        article.draft,
        article.countries,
        article.regions,
        article.digest,
        article.image.source if article.image else None,
        article.link,
    )


def record_of(article: Article) -> Record:
    record = list(_ARTICLE_FIELDS(article))
    record[_AUTHORS] = tuple((p.name, p.email) for p in article.authors)
    if article.image is not None:
        image = article.image
        record[_IMAGE] = (
            image.url,
            image.alt,
            image.media_type,
            image.length,
            image.source,
            image.caption,
        )
    return tuple(record)


def article_of(record: Record) -> Article:
    fields_ = list(record)
    fields_[_AUTHORS] = tuple(Person(*p) for p in fields_[_AUTHORS])
    if fields_[_IMAGE] is not None:
        fields_[_IMAGE] = Image(*fields_[_IMAGE])
    return Article(*fields_)
