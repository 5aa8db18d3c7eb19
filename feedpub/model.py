"""Plain records passed between the pipeline stages. All datetimes are timezone-aware."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo


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
class Channel:
    """One feed: the combined site feed, a region's or a country's, with its newest articles."""

    path: tuple[str, ...]
    title: str
    description: str
    language: str
    articles: tuple[Article, ...]
