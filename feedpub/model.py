"""Plain records passed between the pipeline stages. All datetimes are timezone-aware."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, tzinfo
from operator import attrgetter
from typing import Any, NamedTuple

from feedpub.inputs.finding import Stat as Stat  # content files' stats: found before any model


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
    max_feed_bytes: int | None = None  # None: the region's, else site.max_feed_bytes


@dataclass(frozen=True, slots=True)
class Region:
    key: str
    title: str
    countries: tuple[Country, ...]
    description: str | None = None
    max_feed_bytes: int | None = None  # None: site.max_feed_bytes


@dataclass(frozen=True, slots=True)
class Webfeeds:
    """feeds.yaml's ``site.webfeeds``: Feedly's webfeeds namespace in every RSS channel (its
    icon, logo and cover image, and the accent colour of its links, six hex digits)."""

    icon: str | None = None
    logo: str | None = None
    cover: str | None = None
    accent_color: str | None = None


@dataclass(frozen=True, slots=True)
class NewsSitemap:
    """feeds.yaml's ``site.news_sitemap``: the Google News sitemap is on, with the publication
    name of each language that has its own (lower-case tag -> name; any other language's
    articles name ``site.title``)."""

    names: tuple[tuple[str, str], ...] = ()

    def name_for(self, language: str, default: str) -> str:
        """The publication name of articles in ``language`` (its own tag's, else its primary
        subtag's, else ``default``)."""
        names = dict(self.names)
        return names.get(language) or names.get(language.split("-")[0]) or default


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
    corrections_bump_pubdate: bool = False  # a correction also moves the RSS pubDate
    tombstone_days: int = 30  # how long current Atom feeds carry a retracted item's tombstone
    max_feed_bytes: int | None = None  # a current feed's size cap (None: none)
    webfeeds: Webfeeds | None = None  # Feedly's webfeeds elements in RSS, if set
    news_sitemap: NewsSitemap | None = None  # None: no news-sitemap.xml


@dataclass(frozen=True, slots=True)
class Term:
    """A tag, an author or a language named in feeds.yaml's ``topics:``, with its channel's
    wording (None: made from the term)."""

    name: str
    title: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TopicKind:
    """One kind of topic channel: a channel per term used (``auto``), or only the ``terms``."""

    auto: bool
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True, slots=True)
class Selection:
    """A desk's special channel (``topics.filters``): the articles every given criterion
    selects (each a list of which any one will do; an empty list selects everything)."""

    key: str
    title: str
    description: str | None = None
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()  # term keys (see feedpub.terms)
    authors: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topics:
    """feeds.yaml's ``topics:``: channels by tag, author and language, and named selections.
    Off (None) unless asked for, so a site without the section publishes what it did."""

    tags: TopicKind | None = None
    authors: TopicKind | None = None
    languages: TopicKind | None = None
    min_items: int = 2  # no automatic channel for a term fewer articles use
    filters: tuple[Selection, ...] = ()

    def any(self) -> bool:
        return bool(self.tags or self.authors or self.languages or self.filters)


@dataclass(frozen=True, slots=True)
class CacheControl:
    """feeds.yaml's ``deploy.cache_control``: the Cache-Control header ``feedpub deploy`` gives
    each kind of output file (one field per ``layout.OutputKind``)."""

    media: str = "public, max-age=86400"  # replaced in place under the same name: not immutable
    archive: str = "public, max-age=31536000, immutable"  # a channel's full archive pages
    page: str = "public, max-age=300"
    feed: str = "public, max-age=300"  # the current feeds, and each channel's newest archive page
    opml: str = "public, max-age=300"
    index: str = "public, max-age=300"
    other: str = "public, max-age=300"


@dataclass(frozen=True, slots=True)
class Deploy:
    """feeds.yaml's ``deploy`` section. With a ``target``, ``feedpub deploy`` needs no argument
    and sends the WebSub pings (the build no longer does: the feeds are not served yet)."""

    target: str | None = None
    endpoint_url: str | None = None
    cache_control: CacheControl = CacheControl()


@dataclass(frozen=True, slots=True)
class Config:
    """feeds.yaml, validated. ``digest`` changes whenever the file's bytes change."""

    path: str
    site: Site
    regions: tuple[Region, ...]
    digest: str
    countries: dict[str, Country] = field(default_factory=dict)
    topics: Topics = Topics()
    deploy: Deploy = Deploy()

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
    width: int | None = None  # pixels: a local image's from its header, else front matter's
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Enclosure:
    """An article's audio or video file, a podcast episode's: RSS ``<enclosure>`` (with
    ``itunes:duration``), Atom ``rel="enclosure"``, a JSON Feed attachment."""

    url: str
    media_type: str
    length: int = 0  # bytes; 0 when unknown, as RSS says it
    duration: int | None = None  # seconds


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
    enclosure: Enclosure | None = None
    translations: tuple[str, ...] = ()  # front matter's refs to other articles, as written
    corrections: tuple[Correction, ...] = ()  # oldest first
    retracted: Correction | None = None  # when it was withdrawn, and the note saying why
    expires: datetime | None = None  # when it leaves every feed and page
    # Its story's published versions as this build resolved them: its translations by
    # language, then itself (feedpub.pipeline.translations; never stored: they change with
    # the other articles). Empty when no translation is published.
    alternates: tuple[Alternate, ...] = ()

    @property
    def modified(self) -> datetime:
        """When the article last changed: its newest correction or ``updated``, whichever
        is newer, else its publication."""
        latest = self.updated or self.published
        return max((latest, *(c.date for c in self.corrections)))


class Correction(NamedTuple):
    """One correction of a published article: when, and what the note says (plain text)."""

    date: datetime
    note: str


class Tombstone(NamedTuple):
    """A retracted item as an Atom document marks it (RFC 6721 ``at:deleted-entry``)."""

    id: str
    when: float  # POSIX time of the retraction
    note: str


class Alternate(NamedTuple):
    """One language version of a story, as items and pages link it: language and link."""

    language: str
    link: str


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
    """One feed: the combined site feed, a region's, a country's or a topic's (a tag's, an
    author's, a language's, a named filter's), with its newest articles.

    ``listings`` are always there; ``articles`` (the same, as full records) only once the
    channel is going to be generated. ``paging`` is set on a channel with archive pages, and
    on each of those pages (whose ``path`` is ``(*channel, "archive", "<n>")``). ``kind`` is
    ``site``, ``region``, ``country``, ``tag``, ``author``, ``language`` or ``filter``.
    """

    path: tuple[str, ...]
    title: str
    description: str
    language: str
    listings: tuple[Listing, ...]
    articles: tuple[Article, ...] = ()
    paging: Paging | None = None
    kind: str = "site"
    siblings: tuple[Sibling, ...] = ()  # a language channel's: the other language channels
    tombstones: tuple[Tombstone, ...] = ()  # its retracted items (Atom only), newest first


class Sibling(NamedTuple):
    """Another language channel, as a language channel's page links it."""

    language: str
    title: str
    path: tuple[str, ...]


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
    # What topic channels select by: the tags and author names as written, and the
    # article's language (its own, else its first country's, else the site's), lower case.
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    language: str = ""
    translations: tuple[str, ...] = ()  # Article.translations
    # When the article leaves every feed (POSIX time): its expiry or retraction, the earlier.
    gone: float | None = None
    retracted: tuple[float, str] | None = None  # Article.retracted: when, and the note


Record = tuple[Any, ...]
"""An Article's fields, flat, so it pickles fast (see :func:`record_of`)."""

_ARTICLE_FIELDS = attrgetter(*(f.name for f in fields(Article)))
_AUTHORS = [f.name for f in fields(Article)].index("authors")
_IMAGE = [f.name for f in fields(Article)].index("image")
_ENCLOSURE = [f.name for f in fields(Article)].index("enclosure")


def listing_of(article: Article, config: Config) -> Listing:
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
        article.tags,
        tuple(person.name for person in article.authors),
        language_of(article, config),
        article.translations,
        gone_at(article),
        article.retracted and (article.retracted.date.timestamp(), article.retracted.note),
    )


def gone_at(article: Article) -> float | None:
    """When an article leaves every feed and page: its expiry or its retraction, the earlier."""
    retracted = article.retracted and article.retracted.date
    return min((x.timestamp() for x in (article.expires, retracted) if x), default=None)


def language_of(article: Article, config: Config) -> str:
    """The language an article is written in, as language channels group it (lower case):
    its own ``language``, else that of its first country that names one, else the site's."""
    if article.language:
        return article.language.lower()
    for key in article.countries:
        country = config.countries.get(key)
        if country is not None and country.language:
            return country.language.lower()
    return config.site.language.lower()


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
            image.width,
            image.height,
        )
    if article.enclosure is not None:
        enclosure = article.enclosure
        record[_ENCLOSURE] = (
            enclosure.url,
            enclosure.media_type,
            enclosure.length,
            enclosure.duration,
        )
    return tuple(record)


def article_of(record: Record) -> Article:
    fields_ = list(record)
    fields_[_AUTHORS] = tuple(Person(*p) for p in fields_[_AUTHORS])
    if fields_[_IMAGE] is not None:
        fields_[_IMAGE] = Image(*fields_[_IMAGE])
    if fields_[_ENCLOSURE] is not None:
        fields_[_ENCLOSURE] = Enclosure(*fields_[_ENCLOSURE])
    return Article(*fields_)
